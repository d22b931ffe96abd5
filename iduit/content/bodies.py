"""Markdown in content bodies, handled with markdown-it-py's parser rather than by hand.

Bodies are CommonMark with tables. Two things are done with them besides
rendering: plain text for search snippets, and moving headings below the
section heading they are shown under.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@functools.lru_cache(maxsize=2)
def parser(html: bool = False) -> MarkdownIt:
    """CommonMark with tables; raw HTML in content is never passed through unless asked for."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": html}).enable("table")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def plain_text(markdown: str) -> str:
    """The words a reader sees, without markup: blocks separated by blank lines, table rows on one line."""
    blocks: list[str] = []
    row: list[str] | None = None
    for token in parser().parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append("; ".join(cell for cell in row if cell.strip("_ ")))  # a blank to write in is no words
            row = None
        elif token.type == "inline":
            text = " ".join(_inline_text(token).split())
            if row is not None:
                row.append(text)
            elif text:
                blocks.append(text)
        elif token.type in ("fence", "code_block"):
            blocks.append(" ".join(token.content.split()))
    return "\n\n".join(blocks)


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every heading in a body."""
    tokens = parser().parse(markdown)
    return [
        (int(token.tag[1]), _inline_text(tokens[i + 1]))
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def shift_headings(markdown: str, level: int) -> str:
    """The body with its top heading level put at ``level + 1``, the rest kept relative.

    Works from the parser's own view of the text: setext headings become ATX
    headings, and ``#`` lines inside fenced code are left alone.
    """
    tokens = parser().parse(markdown)
    found = [(i, t) for i, t in enumerate(tokens) if t.type == "heading_open" and t.map]
    if not found:
        return markdown
    lines = markdown.splitlines()
    top = min(int(t.tag[1]) for _, t in found)
    by = level + 1 - top
    # From the bottom up, so replacing a two-line setext heading keeps earlier line numbers valid.
    for i, token in reversed(found):
        assert token.map is not None
        start, end = token.map
        depth = min(6, max(1, int(token.tag[1]) + by))
        text = " ".join(_inline_text_source(tokens[i + 1]).split())
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines[start:end] = [f"{indent}{'#' * depth} {text}"]
    return "\n".join(lines)


def _inline_text_source(token: Token) -> str:
    """A heading's source text (markup kept: emphasis and links stay as written)."""
    return token.content
