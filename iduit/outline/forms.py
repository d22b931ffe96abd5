"""A job aid's Markdown split into what is read (bodies) and what is filled in by hand (forms).

Job aids are written as Markdown (docs/content-guide.md). Three things in
them are forms, and become ``Form`` blocks so that every format can give
them room to write:

- a paragraph made only of fields, ``**Label:** ______ **Label:** ______``:
  one ``Field`` each (words after a blank are its hint);
- a list whose every item starts with ``[ ]``: ``Boxes``;
- a table with empty cells: when it has at most three columns and only its
  last one is to be filled in, one ``Field`` per row (a label above full-width
  lines, instead of a sliver of a column), the row's first cell as its key when
  there are three; otherwise a ``FillTable``. In a field table a cell of
  underscore runs (``___ ___ ___``) asks for that many lines.

Everything else stays Markdown, in ``Body`` blocks, in the order written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from iduit.content.bodies import parser
from iduit.outline.blocks import Block, Body, Boxes, Field, FillTable, Form, FormPart

if TYPE_CHECKING:
    from markdown_it.token import Token

BLANK = re.compile(r"_{3,}")
_BOX = re.compile(r"^\[ \]\s+")
FIELD_TABLE_COLUMNS = 3


def _plain(token: Token) -> str:
    """An inline token's words without markup, on one line."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _is_blank(cell: str) -> bool:
    return not BLANK.sub("", cell).strip()


def _fields(inline: Token) -> list[FormPart] | None:
    """``**Label:** ______ hint`` repeated, or None when the paragraph is anything else."""
    fields: list[FormPart] = []
    label: list[str] | None = None
    after: list[str] = []
    in_label = False

    def close() -> bool:
        text = " ".join("".join(after).split())
        if label is None or not BLANK.search(text):
            return False
        hint = " ".join(BLANK.sub(" ", text).split())
        fields.append(Field(" ".join("".join(label).split()).rstrip(":").strip(), hint=hint))
        return True

    for child in inline.children or []:
        if child.type == "strong_open":
            if label is not None and not close():
                return None
            label, after, in_label = [], [], True
        elif child.type == "strong_close":
            in_label = False
        elif child.type in ("text", "softbreak", "hardbreak"):
            text = child.content if child.type == "text" else " "
            if in_label and label is not None:
                label.append(text)
            elif label is None:
                if text.strip():
                    return None
            else:
                after.append(text)
        else:
            return None
    if label is None or not close():
        return None
    return fields


def _boxes(tokens: list[Token]) -> Boxes | None:
    """A bullet list of ``[ ]`` items, each one paragraph, or None."""
    items: list[str] = []
    for token in tokens[1:-1]:
        if token.type == "inline":
            text = _plain(token)
            if token.level != 3 or not _BOX.match(text):
                return None
            items.append(_BOX.sub("", text))
        elif token.type not in ("list_item_open", "list_item_close", "paragraph_open", "paragraph_close"):
            return None
    return Boxes(tuple(items)) if items else None


def _table(tokens: list[Token]) -> list[FormPart] | None:
    """A table with room to write, as fields or a table to fill in; None for a table that is only read."""
    head: list[str] = []
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_plain(token))
    if not rows:
        return None
    head, body = rows[0], rows[1:]
    if not any(cell == "" for row in body for cell in row):
        return None
    last = len(head) - 1
    if (
        1 <= last < FIELD_TABLE_COLUMNS
        and all(_is_blank(row[last]) for row in body)
        and all(not _is_blank(cell) for row in body for cell in row[:last])
    ):
        return [
            Field(
                row[last - 1],
                lines=max(1, len(BLANK.findall(row[last]))),
                key=row[0] if last == 2 else "",
            )
            for row in body
        ]
    return [FillTable(tuple(head), tuple(tuple("" if cell == "" else cell for cell in row) for row in body))]


def _close(tokens: list[Token], start: int) -> int:
    """The index of the token that closes the block opened at ``start``."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def aid_blocks(markdown: str) -> list[Block]:
    """A job aid's text as Body and Form blocks, in the order written."""
    tokens = parser().parse(markdown)
    lines = markdown.splitlines()
    out: list[Block] = []
    parts: list[FormPart] = []
    body: tuple[int, int] | None = None  # the lines of Markdown waiting to become a Body

    def flush_body() -> None:
        nonlocal body
        if body is not None:
            out.append(Body("\n".join(lines[body[0] : body[1]]).strip()))
            body = None

    def flush_form() -> None:
        if parts:
            out.append(Form(tuple(parts)))
            parts.clear()

    i = 0
    while i < len(tokens):
        end = _close(tokens, i)
        block = tokens[i : end + 1]
        found: list[FormPart] | None = None
        if tokens[i].type == "paragraph_open":
            found = _fields(tokens[i + 1])
        elif tokens[i].type == "bullet_list_open":
            boxes = _boxes(block)
            found = [boxes] if boxes else None
        elif tokens[i].type == "table_open":
            found = _table(block)
        if found:
            flush_body()
            parts.extend(found)
        else:
            flush_form()
            where = tokens[i].map or (0, 0)
            body = (body[0] if body else where[0], where[1])
        i = end + 1
    flush_body()
    flush_form()
    return out


__all__ = ["aid_blocks"]
