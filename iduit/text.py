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
