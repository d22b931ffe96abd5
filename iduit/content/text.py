"""Text hygiene shared by the loader and the renderers."""

from __future__ import annotations

import re

# Whole escape sequences first (so no "[31m" debris is left behind), then any
# lone control character. Newlines and tabs are text, everything else is not;
# bidirectional overrides and isolates are dropped too, since they can make
# text display as something other than what it says.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL/ST (titles, hyperlinks, clipboard)
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (colours, cursor moves)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str, *, keep_newlines: bool = True) -> str:
    """``value`` without terminal escape sequences, control characters or bidi overrides.

    With ``keep_newlines=False`` line breaks and tabs become spaces too (for one-line messages).
    """
    control = _CONTROL if keep_newlines else _CONTROL_OR_NEWLINE
    if not control.search(value):
        return value
    if not keep_newlines:
        value = value.replace("\n", " ").replace("\t", " ")
    return control.sub("", _ESCAPE_SEQUENCE.sub("", value))


def chapter_label(number: int) -> str:
    from iduit.language.messages import tr

    return tr("Introduction") if number == 0 else tr("Chapter {number}").format(number=number)


def chapter_heading(number: int, title: str) -> str:
    """'Chapter 3: Health and support services', or just 'Introduction'."""
    label = chapter_label(number)
    return label if label == title else f"{label}: {title}"


# A cell starting with one of these is a formula to a spreadsheet (CSV injection);
# a leading apostrophe keeps it text, and reading it back removes exactly that apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def spreadsheet_value(cell: str) -> str:
    """The text a cell written by ``spreadsheet_cell`` stands for."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(_FORMULA_START) else cell


def edit_distance(a: str, b: str) -> int:
    """Letters to insert, delete, change or swap (adjacent) to turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]
