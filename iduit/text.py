"""Text hygiene shared by the loader and the renderers."""

from __future__ import annotations

import re

# Whole escape sequences first (so no "[31m" debris is left behind), then any
# lone control character. Newlines and tabs are text, everything else is not.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST (titles, hyperlinks)
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor moves)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """``value`` without terminal escape sequences or control characters."""
    if not _CONTROL.search(value):
        return value
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", value))


def chapter_label(number: int) -> str:
    return "Introduction" if number == 0 else f"Chapter {number}"


def chapter_heading(number: int, title: str) -> str:
    """'Chapter 3: Health and support services', or just 'Introduction'."""
    label = chapter_label(number)
    return label if label == title else f"{label}: {title}"


def shift_headings(markdown: str, level: int) -> str:
    """Put the body's own headings one level below the section heading (``level``)."""
    lines = markdown.splitlines()
    fenced = False
    headings: list[int] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6}\s", line):
            headings.append(i)
    if not headings:
        return markdown
    top = min(len(lines[i]) - len(lines[i].lstrip("#")) for i in headings)
    by = level + 1 - top
    for i in headings:
        depth = min(6, max(1, len(lines[i]) - len(lines[i].lstrip("#")) + by))
        lines[i] = "#" * depth + lines[i].lstrip("#")
    return "\n".join(lines)
