"""Terminal rendering: outline documents and search results in, rich renderables out. Never prints.

Every piece of content goes in as ``rich.text.Text`` or through rich's
Markdown renderer, never as console markup, so ``[bold]`` in the YAML is
shown as typed. ``plain`` selects ASCII rules, bullets and boxes for output
that must survive any terminal, pipe or file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.text import Text

from iduit.content.text import chapter_heading
from iduit.language.messages import ntr, tr

if TYPE_CHECKING:
    from rich import box
    from rich.measure import Measurement

    from iduit.content.model import Content, Source
    from iduit.outline import blocks as o
    from iduit.outline.blocks import Document
    from iduit.search.query import SearchResult

# Plain output survives any terminal, pipe or file: rich's box lines and bullets become ASCII.
ASCII = str.maketrans(
    {
        **dict.fromkeys(map(chr, range(0x2500, 0x2580)), "-"),
        **dict.fromkeys("│┃┆┇┊┋║╎╏", "|"),
        **dict.fromkeys("┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╭╮╯╰╔╗╚╝╠╣╦╩╬", "+"),
        "•": "*",
        "☐": "[ ]",
        "…": "...",
    }
)


TEXT_WIDTH = 80  # a text file's width: it prints, and reads in any editor
# A text file keeps its boxes (actions, the checklist, forms) as ☐: every font that prints Cyrillic has it,
# and "[ ]" reads as typing.
TEXT_FILE = {k: v for k, v in ASCII.items() if k != ord("☐")}


def render(document: Document, linker: o.Linker) -> str:  # the registry's signature; the linker is not needed
    """The text format: what the terminal shows with --plain, as a file (ASCII lines, no styling)."""
    from rich.console import Console

    console = Console(width=TEXT_WIDTH, no_color=True, color_system=None, force_terminal=False, highlight=False)
    with console.capture() as captured:
        console.print(document_view(document, plain=True, tick="☐"), crop=False)  # a long web address runs on, whole
    text = captured.get().translate(TEXT_FILE)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


HEADING = "bold"
ID_STYLE = "bold cyan"
# Bold and underlined as well as coloured: the match stays visible without colour, on light and dark themes.
MATCH_STYLE = "bold underline magenta"
DIM = "dim"


def _markdown(text: str) -> RenderableType:
    markdown: RenderableType = _markdown_class()(text, hyperlinks=False)
    return markdown


@functools.lru_cache(maxsize=1)
def _markdown_class() -> Any:
    """rich's Markdown, with a line between table rows so that wrapped rows never run together."""
    # Imported here: markdown-it costs start-up time that search never needs.
    from rich import box
    from rich.markdown import Markdown, TableElement
    from rich.table import Table

    class RuledTable(TableElement):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            table = Table(box=box.SIMPLE, pad_edge=False, show_edge=True, collapse_padding=True, show_lines=True)
            table.style = "markdown.table.border"
            if self.header is not None and self.header.row is not None:
                for column in self.header.row.cells:
                    heading = column.content.copy()
                    heading.stylize("markdown.table.header")
                    table.add_column(heading)
            for row in self.body.rows if self.body is not None else []:
                table.add_row(*(cell.content for cell in row.cells))
            yield table

    class RuledMarkdown(Markdown):
        elements: ClassVar[dict[str, Any]] = {**Markdown.elements, "table_open": RuledTable}

    return RuledMarkdown


_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def wrap_words(text: Text, width: int) -> list[Text]:
    """``text`` in lines of at most ``width`` cells, broken only at spaces and line ends.

    A web address is never split: one longer than the line stands on a line of
    its own and runs past the edge, so that copying it gives a working link. A
    no-break space joins words that belong together (\u00a0 is shown as a
    space); only a run wider than the whole line is folded, as any other word.
    """
    from rich.cells import cell_len

    width = max(1, width)
    plain = text.plain
    ranges: list[tuple[int, int]] = []
    offset = 0
    for paragraph in plain.split("\n"):
        start = end = -1
        for word in re.finditer(r"[^ ]+", paragraph):
            begin, finish, size = offset + word.start(), offset + word.end(), cell_len(word.group())
            if start >= 0 and cell_len(plain[start:finish]) <= width:
                end = finish
                continue
            if start >= 0:
                ranges.append((start, end))
            start, end = begin, finish
            if size > width and not _ADDRESS.search(word.group()):
                piece = begin
                used = 0
                for at in range(begin, finish):
                    char = cell_len(plain[at])
                    if used + char > width and at > piece:
                        ranges.append((piece, at))
                        piece, used = at, 0
                    used += char
                start = piece
        ranges.append((start, end) if start >= 0 else (offset, offset))
        offset += len(paragraph) + 1
    lines = []
    for start, end in ranges:
        line = Text(end=text.end)
        line.append_text(text[start:end])  # the text's own style becomes a span, which render() draws
        if "\u00a0" in line.plain:
            line.plain = line.plain.replace("\u00a0", " ")  # same length: the styles stay where they were
        lines.append(line)
    return lines


class Wrapped:
    """Text after a marker, its wrapped lines hanging under the text, broken only between words (``wrap_words``).

    Drawn line by line rather than through a table, so that nothing crops a
    web address that runs past the edge.
    """

    def __init__(self, text: Text | str, marker: str = "", *, indent: int = 0, gap: int = 1, style: str = DIM) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.marker, self.indent, self.gap, self.style = marker, indent, gap, style

    def _lead(self) -> int:
        from rich.cells import cell_len

        return self.indent + (cell_len(self.marker) + self.gap if self.marker else 0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        lead = self._lead()
        for n, line in enumerate(wrap_words(self.text, options.max_width - lead)):
            if n == 0 and self.marker:
                yield Segment(" " * self.indent)
                yield Segment(self.marker, console.get_style(self.style))
                yield Segment(" " * self.gap)
            else:
                yield Segment(" " * lead)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.cells import cell_len
        from rich.measure import Measurement

        longest = max((cell_len(word) for word in self.text.plain.split()), default=0)
        return Measurement(self._lead() + longest, self._lead() + self.text.cell_len)


def _hanging(marker: str, text: Text | str, indent: int = 2) -> RenderableType:
    """A list item whose wrapped lines hang under its text, not under its marker."""
    return Wrapped(text, marker, indent=indent)


def _id_rows(rows: Iterable[tuple[str, str]], indent: int = 2) -> RenderableType:
    """Ids in a column of their own, so 3.9 and 3.10 line up."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True, style=ID_STYLE)
    grid.add_column()
    for item_id, title in rows:
        grid.add_row(item_id, Text(title))
    return Padding(grid, (0, 0, 0, indent))


def _source_text(source: Source) -> Text:
    text = Text(source.cite())
    if source.url:
        text.append(" ")
        text.append(source.url, style=f"link {source.url}")
    return text


def text_bar(value: float | None, maximum: float, width: int = 20, *, plain: bool = False) -> str:
    """A bar of block characters (# when plain), its length proportional to the value."""
    if value is None or maximum <= 0:
        return ""
    filled = round(max(0.0, min(value, maximum)) / maximum * width)
    full, empty = ("#", ".") if plain else ("█", "░")
    return full * filled + empty * (width - filled)


def _table(block: o.Table, plain: bool) -> RenderableType:
    from rich import box
    from rich.table import Table

    table = Table(box=box.ASCII if plain else box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i, name in enumerate(block.columns):
        # A word too long for its column (a site's name) folds onto the next line rather than losing its end.
        table.add_column(name, justify="right" if i in block.numeric else "left", overflow="fold")
    for n, row in enumerate(block.rows):
        table.add_row(*(Text(c) for c in row), style="bold" if n in block.strong else None)
    return table


def _chart(block: o.BarChart, plain: bool) -> RenderableType:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(overflow="fold")
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    for bar in block.bars:
        grid.add_row(Text(bar.label), text_bar(bar.value, block.maximum, 16, plain=plain), Text(bar.shown))
    return Group(Text(block.title, style=HEADING), Padding(grid, (0, 0, 0, 2)))


def _form(block: o.AnswerForm, tick: str) -> RenderableType:
    from rich.table import Table

    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style=ID_STYLE)
    grid.add_column()
    for ident, text in block.rows:
        grid.add_row(tick, ident, Text(text))
    return Padding(grid, (0, 0, 0, 4))


WRITING_LINE = "_" * 60  # room to write by hand: a blank line above it gives a printed line's height for a pen


def _form_view(block: o.Form, plain: bool, tick: str) -> list[RenderableType]:
    """Fields with room to write, boxes to tick and tables with rows of two lines, for the screen or a printed page."""
    from rich.table import Table

    from iduit.outline import blocks as o

    parts: list[RenderableType] = []
    for part in block.parts:
        match part:
            case o.Field():
                label = Text()
                if part.key:
                    label.append(f"{part.key}  ", style=ID_STYLE)
                if part.lines == 1:
                    label.append(f"{part.caption} {WRITING_LINE[:28]}")
                    if part.hint:
                        label.append(f" {part.hint}", style=DIM)
                    parts += [Text(""), label]
                    continue
                label.append(part.label)
                if part.hint:
                    label.append(f" {part.hint}", style=DIM)
                parts.append(Text(""))
                parts.append(label)
                for _ in range(part.lines):
                    parts += [Text(""), Text(WRITING_LINE, no_wrap=True, overflow="crop")]
            case o.Boxes():
                parts.append(Text(""))
                parts += [_hanging(tick, item) for item in part.items]
            case o.FillTable():
                table = Table(box=box_style(plain), show_lines=True, pad_edge=False, expand=True)
                columns = part.columns
                if part.wide:
                    # Too many headings to read side by side in a terminal's width: numbered, with a key above.
                    parts.append(Text(""))
                    parts += [_hanging(f"{i}", name) for i, name in enumerate(columns, 1)]
                    columns = tuple(str(i) for i in range(1, len(columns) + 1))
                for name in columns:
                    table.add_column(name, overflow="fold")
                for row in part.rows:
                    # Two lines a row: room for a hand, on screen and when the text is printed.
                    table.add_row(*(Text(c + "\n" if i == 0 else c) for i, c in enumerate(row)))
                parts += [Text(""), table]
            case _:
                o.unhandled(part)
    return [*parts[1:], Text("")]  # the block before a form already ends with a blank line


def box_style(plain: bool) -> box.Box:
    from rich import box  # rich's box shapes: search results draw none

    return box.ASCII if plain else box.SQUARE


def document_view(document: Document, *, plain: bool = False, tick: str = "") -> Group:
    """Any document, block by block: sections, chapters, job aids, the glossary, checklists and reports.

    ``tick`` is what every box to tick looks like (an action's, the checklist's, a form's): ☐, or [ ] when
    plain, unless given. A text file asks for ☐ (``render``), so its boxes all look as they do on paper.
    """
    from rich import box
    from rich.panel import Panel
    from rich.rule import Rule

    from iduit.outline import blocks as o  # imported here: search results never need the outline

    tick = tick or ("[ ]" if plain else "☐")
    parts: list[RenderableType] = []
    for block in document.blocks:
        match block:
            case o.Heading():
                if block.item_id:
                    heading = Text()
                    heading.append(block.item_id, style=ID_STYLE)
                    heading.append("  ")
                    heading.append(block.text, style=HEADING)
                    parts.append(Rule(heading, align="left", characters="-" if plain else "─"))
                else:
                    parts.append(Text(block.text, style="bold underline"))
            case o.Caption():
                parts.append(Text(block.text, style=DIM))
            case o.Summary():
                parts += [Text(""), Text(block.text, style="italic"), Text("")]
            case o.Paragraph():
                parts += [Text(block.text), Text("")]
            case o.Notice():
                parts += [Text(f"{block.label}: {block.text}", style="bold"), Text("")]
            case o.Body():
                parts += [_markdown(block.markdown), Text("")]
            case o.Subheading():
                parts.append(Text(block.text, style=HEADING))
            case o.Items():
                marker = tick if block.style == "checkboxes" else ("*" if plain else "•")
                parts += [_hanging(marker, item) for item in block.items] + [Text("")]
            case o.ExampleBlock():
                parts.append(
                    Panel(
                        Text(block.text),
                        title=Text(block.title, style=HEADING),
                        subtitle=Text(f"{block.place}, {block.when}"),
                        box=box.ASCII if plain else box.ROUNDED,
                        title_align="left",
                    )
                )
                if block.source is not None:  # below the box, where nothing cuts its web address
                    source = Text(f"{tr('Source:')} ", style=DIM)
                    source.append_text(_source_text(block.source))
                    parts.append(Wrapped(source, indent=2))
                parts.append(Text(""))
            case o.UpdateBlock():
                text = Text(f"{block.date}: ", style=HEADING)
                text.append(block.text)
                if block.source is not None:
                    text.append(f" {tr('Source:')} ", style=DIM)
                    text.append_text(_source_text(block.source))
                parts += [_hanging("*" if plain else "•", text), Text("")]
            case o.Links():
                parts += [_id_rows((link.id, link.title) for link in block.links), Text("")]
            case o.SourceList():
                parts += [_hanging("-", _source_text(s)) for s in block.sources] + [Text("")]
            case o.Definition():
                line = Text()
                line.append(block.term, style=ID_STYLE)
                if block.expansion:
                    line.append(f"  {block.expansion}", style=HEADING)
                parts += [line, Padding(Text(block.definition), (0, 0, 0, 2))]
                if block.links:
                    parts.append(_id_rows((link.id, link.title) for link in block.links))
                parts.append(Text(""))
            case o.Table():
                parts += [_table(block, plain), Text("")]
            case o.BarChart():
                parts += [_chart(block, plain), Text("")]
            case o.AnswerForm():
                parts += [_form(block, tick), Text("")]
            case o.Form():
                parts += _form_view(block, plain, tick)
            case o.Footer():
                parts.append(Rule(characters="-" if plain else "─"))
                parts.append(Text(f"{block.note}\n{tr('Original:')} {block.citation}", style=DIM))
            case _:
                o.unhandled(block)
    return Group(*parts)


def search_view(result: SearchResult, *, plain: bool = False) -> Group:
    """Ranked hits with id, title, chapter (or "Job aid") and a snippet with matches marked."""
    parts: list[RenderableType] = []
    if result.corrected:
        note = tr("Showing results for “{suggestion}” instead of “{query}”.").format(
            query=result.query, suggestion=result.suggestion
        )
        parts += [Text(note, style="bold"), Text("")]
    elif result.suggestion:
        parts += [Text(tr("Did you mean: {suggestion}?").format(suggestion=result.suggestion), style="bold"), Text("")]
    for hit in result.hits:
        line = Text()
        line.append(hit.id, style=ID_STYLE)
        line.append("  ")
        line.append(hit.title, style=HEADING)
        parts.append(line)
        where = chapter_heading(hit.chapter, hit.chapter_title) if hit.chapter is not None else tr("Job aid")
        parts.append(Padding(Text(where, style=DIM), (0, 0, 0, 2)))
        snippet = Text()
        for text, matched in hit.fragments:
            snippet.append(text, style=MATCH_STYLE if matched else None)
        parts.append(Padding(snippet, (0, 0, 0, 2)))
        parts.append(Text(""))
    shown = len(result.hits)
    found = ntr("{n} result", "{n} results", result.total)
    more = tr("; showing the best {shown} (--limit N for more)").format(shown=shown) if result.total > shown else ""
    summary = f"{found}{more}."
    if result.expansions:
        also = tr("Also searched for words that mean the same: {words}.")
        summary += " " + also.format(words=", ".join(result.expansions[:6]))
    parts.append(Text(summary, style=DIM))
    return Group(*parts)


def toc_view(content: Content) -> Group:
    """Chapters with their section ids and titles, then the job aids."""
    parts: list[RenderableType] = []
    for chapter in content.chapters:
        parts.append(Text(chapter.heading, style=HEADING))
        parts += [_id_rows((s.id, s.title) for s in chapter.sections), Text("")]
    if content.tools:
        parts.append(Text(tr("Job aids"), style=HEADING))
        parts += [_id_rows((t.id, t.title) for t in content.tools), Text("")]
    return Group(*parts)


def tools_view(content: Content) -> Group:
    """The job aids: id, title and what each is for."""
    parts: list[RenderableType] = []
    for tool in content.tools:
        line = Text()
        line.append(tool.id, style=ID_STYLE)
        line.append("  ")
        line.append(tool.title, style=HEADING)
        parts += [line, Padding(Text(tool.purpose), (0, 0, 0, 2)), Text("")]
    parts.append(Text(tr("Read one with: iduit show T1"), style=DIM))
    return Group(*parts)


def tags_view(counts: Iterable[tuple[str, int]]) -> Group:
    """Tags with their counts, for choosing a search --tag."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(justify="right", style=DIM)
    grid.add_column()
    for tag, count in counts:
        grid.add_row(str(count), Text(tag))
    return Group(grid, Text(""), Text(tr("Use one with: iduit search WORDS --tag TAG"), style=DIM))
