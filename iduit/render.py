"""Terminal rendering: content model in, rich renderables out. Never prints.

Every piece of content goes in as ``rich.text.Text`` or through rich's
Markdown renderer, never as console markup, so ``[bold]`` in the YAML is
shown as typed. ``plain`` selects ASCII boxes and checkboxes for output that
must survive any terminal, pipe or file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from iduit.text import chapter_heading, shift_headings

if TYPE_CHECKING:  # the search path renders without loading the content model
    from iduit.model import Chapter, Section, Source, Term, Toolkit
    from iduit.search import SearchResult

HEADING = "bold"
ID_STYLE = "bold cyan"
MATCH_STYLE = "bold yellow"
DIM = "dim"


def _markdown(text: str) -> RenderableType:
    # Imported here: markdown-it costs start-up time that search never needs.
    from rich.markdown import Markdown

    return Markdown(text, hyperlinks=False)


def _heading(text: str) -> Text:
    return Text(text, style=HEADING)


def _bullets(items: Iterable[str], marker: str) -> Group:
    rows = []
    for item in items:
        line = Text(f"{marker} ", style=DIM)
        line.append(item)
        rows.append(Padding(line, (0, 0, 0, 2)))
    return Group(*rows)


def _id_title(section_id: str, title: str) -> Text:
    line = Text()
    line.append(section_id, style=ID_STYLE)
    line.append("  ")
    line.append(title)
    return line


def section_view(
    section: Section,
    *,
    chapter_title: str,
    sources: Mapping[str, Source],
    titles: Mapping[str, str],
    related: Iterable[tuple[str, str]] = (),
    plain: bool = False,
    standalone: bool = True,
) -> Group:
    """One section: heading, summary, body, key points, actions, examples, links."""
    from rich.panel import Panel
    from rich.rule import Rule

    parts: list[RenderableType] = []
    heading = _id_title(section.id, section.title)
    heading.stylize(HEADING)
    parts.append(Rule(heading, align="left", characters="-" if plain else "─"))
    if standalone:
        parts.append(Text(chapter_heading(section.chapter, chapter_title), style=DIM))
    # Body headings sit below the section heading whatever level the writer used.
    body = _markdown(shift_headings(section.body, 2))
    parts += [Text(""), Text(section.summary, style="italic"), Text(""), body, Text("")]
    parts += [_heading("Key points"), _bullets(section.key_points, "*" if plain else "•"), Text("")]
    parts += [_heading("Actions"), _bullets(section.actions, "[ ]" if plain else "☐"), Text("")]
    for example in section.examples:
        title = Text(example.title, style=HEADING)
        parts.append(
            Panel(
                Text(example.text),
                title=title,
                subtitle=Text(example.place),
                box=box.ASCII if plain else box.ROUNDED,
                title_align="left",
            )
        )
        parts.append(Text(""))
    if section.see_also:
        parts.append(_heading("See also"))
        parts.append(Group(*(Padding(_id_title(i, titles.get(i, "")), (0, 0, 0, 2)) for i in section.see_also)))
        parts.append(Text(""))
    related = list(related)
    if related:
        parts.append(_heading("Related"))
        parts.append(Group(*(Padding(_id_title(i, t), (0, 0, 0, 2)) for i, t in related)))
        parts.append(Text(""))
    cited = [sources[s] for s in section.sources if s in sources]
    if cited:
        parts.append(_heading("Sources"))
        parts.append(_bullets((s.cite() for s in cited), "-"))
        parts.append(Text(""))
    return Group(*parts)


def chapter_view(
    chapter: Chapter,
    *,
    sources: Mapping[str, Source],
    titles: Mapping[str, str],
    plain: bool = False,
) -> Group:
    """A whole chapter: its title and summary, then every section in order."""
    from rich.rule import Rule

    title = Text(chapter.heading, style="bold underline")
    parts: list[RenderableType] = [title, Text(""), Text(chapter.summary), Text("")]
    parts.append(Text("Sections", style=HEADING))
    parts.append(Group(*(Padding(_id_title(s.id, s.title), (0, 0, 0, 2)) for s in chapter.sections)))
    parts.append(Text(""))
    for section in chapter.sections:
        parts.append(
            section_view(
                section,
                chapter_title=chapter.title,
                sources=sources,
                titles=titles,
                plain=plain,
                standalone=False,
            )
        )
    parts.append(Rule(characters="-" if plain else "─"))
    return Group(*parts)


def footer(toolkit: Toolkit) -> Text:
    return Text(f"{toolkit.digest_note}\nOriginal: {toolkit.citation}", style=DIM)


def search_view(result: SearchResult, *, plain: bool = False) -> Group:
    """Ranked hits with id, title, chapter and a snippet with matches marked."""
    parts: list[RenderableType] = []
    if result.corrected:
        note = Text(f"No results for “{result.query}”; showing results for “{result.suggestion}”.")
        parts += [Text(note.plain, style="yellow"), Text("")]
    elif result.suggestion:
        parts += [Text(f"Did you mean: {result.suggestion}?", style="yellow"), Text("")]
    for hit in result.hits:
        line = _id_title(hit.id, hit.title)
        line.stylize(HEADING, len(hit.id) + 2)
        parts.append(line)
        parts.append(Padding(Text(chapter_heading(hit.chapter, hit.chapter_title), style=DIM), (0, 0, 0, 2)))
        snippet = Text()
        for text, matched in hit.fragments:
            snippet.append(text, style=MATCH_STYLE if matched and not plain else None)
        parts.append(Padding(snippet, (0, 0, 0, 2)))
        parts.append(Text(""))
    shown = len(result.hits)
    more = f"; showing the first {shown} (use --limit for more)" if result.total > shown else ""
    summary = f"{result.total} section{'s' if result.total != 1 else ''} found{more}."
    if result.expansions:
        summary += " Also searched: " + ", ".join(result.expansions[:6]) + "."
    parts.append(Text(summary, style=DIM))
    return Group(*parts)


def toc_view(chapters: list[dict[str, Any]]) -> Group:
    """Chapters with their section ids and titles (from the index metadata)."""
    parts: list[RenderableType] = []
    for chapter in chapters:
        parts.append(Text(chapter_heading(chapter["number"], chapter["title"]), style=HEADING))
        for entry in chapter["sections"]:
            parts.append(Padding(_id_title(entry["id"], entry["title"]), (0, 0, 0, 2)))
        parts.append(Text(""))
    return Group(*parts)


def term_view(terms: Iterable[Term], titles: Mapping[str, str]) -> Group:
    """Glossary entries: the term, its expansion, definition and sections."""
    parts: list[RenderableType] = []
    for term in terms:
        line = Text()
        line.append(term.term, style=ID_STYLE)
        if term.expansion:
            line.append(f"  {term.expansion}", style=HEADING)
        parts.append(line)
        parts.append(Padding(Text(term.definition), (0, 0, 0, 2)))
        for section_id in term.sections:
            parts.append(Padding(_id_title(section_id, titles.get(section_id, "")), (0, 0, 0, 2)))
        parts.append(Text(""))
    return Group(*parts)
