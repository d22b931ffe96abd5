"""Where the site's links lead: each job aid has a page of its own (tools/T8.html), and pages in a folder
reach the rest of the site through ``root`` ("../").

The other multi-file exports keep every job aid in one file (``outline.Linker``); only the site gives each
its own page, so that one job aid can be opened, shared and printed alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from iduit.outline import Linker, anchor

TOOLS_FOLDER = "tools"
EXTENSION = "html"


def tool_page_name(tool_id: str) -> str:
    """A job aid's own page: 'tools/T8.html'."""
    return f"{TOOLS_FOLDER}/{tool_id}.{EXTENSION}"


@dataclass(frozen=True)
class SiteLinker(Linker):
    """``outline.Linker`` for the site's layout, from a page ``root`` away from the site's top folder."""

    extension: str | None = EXTENSION
    root: str = ""

    def href(self, item_id: str) -> str | None:
        if item_id in self.here:
            return "#" + anchor(item_id)
        if item_id[:1].upper() == "T":
            return self.root + tool_page_name(item_id)
        found = super().href(item_id)
        return None if found is None else self.root + found

    def home(self) -> str | None:
        return f"{self.root}index.{self.extension}"
