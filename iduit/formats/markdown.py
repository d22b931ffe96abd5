"""Markdown (CommonMark with GitHub task lists) from the outline.

Links inside and between exported files point at a short, stable anchor
placed just before each section's and job aid's heading: ``section-3-12``,
``tool-t8`` (the ids the HTML export uses). The anchor is written twice, in
the two forms that survive where people open Markdown: ``<a name>``, which
GitHub keeps, and an empty ``<span id>``, which pandoc's Markdown reader
turns into a Word bookmark. A link to the heading's own text would break in
Word, whose bookmarks are cut at 40 characters, and whenever a title changes.
"""

from __future__ import annotations

import re

from iduit.content.model import Source
from iduit.language.messages import tr
from iduit.outline.blocks import (
    AnswerForm,
    BarChart,
    Body,
    Boxes,
    Caption,
    Definition,
    Document,
    ExampleBlock,
    Field,
    FillTable,
    Footer,
    Form,
    Heading,
    Items,
    Linker,
    Links,
    Notice,
    Paragraph,
    SourceList,
    Subheading,
    Summary,
    Table,
    UpdateBlock,
    unhandled,
)

_SPECIAL = re.compile(r"([\\`*_\[\]])")


def inline(text: str) -> str:
    """Plain text made safe as one line of Markdown: no markup, no raw HTML, no line breaks."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _source(source: Source) -> str:
    cite = inline(source.cite())
    return f"{cite} <{source.url}>" if source.url else cite


def anchor_line(name: str) -> str:
    """The anchor before a heading: GitHub keeps ``<a name>``, pandoc makes a bookmark of ``<span id>``."""
    return f'<a name="{name}"></a><span id="{name}"></span>'


def slug(heading: str) -> str:
    """The identifier GitHub and pandoc both give a heading made of words (no periods, starting with a letter)."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _link(linker: Linker, item_id: str, title: str) -> str:
    label = inline(f"{item_id} {title}".strip()) if item_id != "glossary" else inline(title)
    href = linker.href(item_id)
    if href is None:
        return label
    return f"[{label}]({href})"


def cell(text: str) -> str:
    """Plain text safe inside a Markdown table cell."""
    return inline(text).replace("|", "\\|")


def _table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...], strong: bool) -> str:
        shown = [f"**{cell(c)}**" if strong and c else cell(c) for c in cells]
        return "| " + " | ".join(shown) + " |"

    rule = "| " + " | ".join("---:" if i in table.numeric else "---" for i in range(len(table.columns))) + " |"
    return [row(table.columns, False), rule, *(row(r, n in table.strong) for n, r in enumerate(table.rows)), ""]


# Room to write: escaped, so that a line of underscores is not read as a rule, and ended by a hard break.
BLANK = "\\_" * 12
WRITING_LINE = "\\_" * 40


def _form(form: Form) -> list[str]:
    """Fields as bold labels with blanks, boxes as task-list items, tables with empty cells to fill in."""
    lines: list[str] = []
    for part in form.parts:
        match part:
            case Field():
                key = f"**{inline(part.key)}** " if part.key else ""
                hint = f" {inline(part.hint)}" if part.hint else ""
                if part.lines == 1:
                    lines += [f"{key}**{inline(part.caption)}** {BLANK}{hint}", ""]
                else:
                    lines += [f"{key}**{inline(part.label)}**{hint}\\", *[WRITING_LINE + "\\"] * (part.lines - 1)]
                    lines += [WRITING_LINE, ""]
            case Boxes():
                lines += [f"- [ ] {inline(item)}" for item in part.items] + [""]
            case FillTable():
                lines += _table(Table(part.columns, part.rows))
            case _:
                unhandled(part)
    return lines


def render(document: Document, linker: Linker) -> str:
    lines: list[str] = []
    for block in document.blocks:
        match block:
            case Heading():
                # Not at the top of a file exported alone: nothing links into it, and it starts clean.
                if block.item_id and block.anchor and (lines or linker.extension):
                    lines += [anchor_line(block.anchor), ""]
                lines += [f"{'#' * block.level} {inline(block.text)}", ""]
                if block.item_id:
                    kind = tr("Job aid") if block.item_id.upper().startswith("T") else tr("Section")
                    lines += [f"*{kind} {inline(block.item_id)}*", ""]
            case Subheading():
                lines += [f"{'#' * min(6, block.level)} {inline(block.text)}", ""]
            case Caption():
                lines += [f"*{inline(block.text)}*", ""]
            case Summary() | Paragraph():
                lines += [inline(block.text), ""]
            case Notice():
                lines += [f"> **{inline(block.label)}:** {inline(block.text)}", ""]
            case Body():
                lines += [block.markdown.strip(), ""]
            case Items():
                # "- [ ]", never ☐, as for every box in Markdown: it is a task list, which GitHub, pandoc (to Word)
                # and editors draw as a checkbox; "- ☐" would be a bullet and a glyph, a box that ticks nothing.
                box = "- [ ] " if block.style == "checkboxes" else "- "
                lines += [box + inline(item) for item in block.items] + [""]
            case ExampleBlock():
                lines += [f"**{inline(block.title)}** ({inline(block.place)}, {inline(block.when)})", ""]
                lines += [inline(block.text), ""]
                if block.source is not None:
                    lines += [f"{tr('Source:')} {_source(block.source)}", ""]
            case UpdateBlock():
                source = f" {tr('Source:')} {_source(block.source)}" if block.source is not None else ""
                lines += [f"- **{inline(block.date)}**: {inline(block.text)}{source}", ""]
            case Links():
                lines += [f"- {_link(linker, link.id, link.title)}" for link in block.links] + [""]
            case SourceList():
                lines += [f"- {_source(source)}" for source in block.sources] + [""]
            case Definition():
                name = f"**{inline(block.term)}**" + (f" ({inline(block.expansion)})" if block.expansion else "")
                lines += [name, "", inline(block.definition), ""]
                if block.links:
                    links = ", ".join(_link(linker, link.id, link.title) for link in block.links)
                    lines += [f"{tr('Sections:')} {links}", ""]
            case Table():
                lines += _table(block)
            case BarChart():
                # Markdown has no charts: the same figures as a list, the title above.
                lines += [f"**{inline(block.title)}**", ""]
                lines += [f"- {inline(bar.label)}: {inline(bar.shown)}" for bar in block.bars] + [""]
            case AnswerForm():
                lines += [f"- [ ] {inline(ident)} {inline(text)}" for ident, text in block.rows] + [""]
            case Form():
                lines += _form(block)
            case Footer():
                lines += ["---", "", f"*{tr('Exported from iduit.')} {inline(block.note)}*", ""]
                lines += [f"*{tr('Original publication:')} {inline(block.citation)}*"]
            case _:
                unhandled(block)
    return "\n".join(lines).rstrip("\n") + "\n"
