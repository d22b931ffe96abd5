"""Every section's actions as a checklist, each with a stable id (``3.2-a4``).

An action's id is its section id and its position within that section, so
moving, adding or removing other sections never changes it. The checklist
comes out grouped by chapter and section: in the terminal, as Markdown
(through the format registry), as a printable HTML form and as CSV for
spreadsheets. The self-assessment (iduit/assess.py) uses the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iduit.errors import UsageError
from iduit.model import Chapter, Content, Section, Tool

if TYPE_CHECKING:
    from rich.console import Group

ACTION_ID = re.compile(r"^(0|[1-9][0-9]*)\.([1-9][0-9]*)-a([1-9][0-9]*)$")
CSV_COLUMNS = ("action", "chapter", "section", "section_title", "text", "status", "note")


@dataclass(frozen=True)
class Action:
    id: str
    chapter: int
    section: str
    section_title: str
    text: str


def action_id(section_id: str, position: int) -> str:
    """The id of the action at 1-based ``position`` in its section: '3.2-a4'."""
    return f"{section_id}-a{position}"


def section_actions(section: Section) -> list[Action]:
    return [
        Action(action_id(section.id, n), section.chapter, section.id, section.title, text)
        for n, text in enumerate(section.actions, start=1)
    ]


def all_actions(content: Content) -> list[Action]:
    return [a for chapter in content.chapters for section in chapter.sections for a in section_actions(section)]


def actions_version(content: Content) -> str:
    """A short fingerprint of every action id and text: it changes whenever an action does."""
    digest = hashlib.sha256()
    for action in all_actions(content):
        digest.update(f"{action.id}\t{action.text}\n".encode())
    return digest.hexdigest()[:12]


def select(content: Content, words: Sequence[str]) -> list[Action]:
    """The actions of the sections and chapters named (everything when none), in content order, each once."""
    if not words:
        return all_actions(content)
    from iduit.targets import parse_targets, resolve

    wanted: set[str] = set()
    for item in resolve(content, parse_targets(words)):
        if isinstance(item, Tool):
            raise UsageError(f"job aid {item.id} has no actions; give sections or chapters, e.g. 3.2 or chapter 3")
        wanted |= {s.id for s in item.sections} if isinstance(item, Chapter) else {item.id}
    return [a for a in all_actions(content) if a.section in wanted]


@dataclass(frozen=True)
class SectionGroup:
    id: str
    title: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class ChapterGroup:
    number: int
    heading: str
    sections: tuple[SectionGroup, ...]


def grouped(content: Content, actions: Sequence[Action]) -> list[ChapterGroup]:
    """Actions grouped by chapter and section, in content order."""
    chosen = {a.id for a in actions}
    groups: list[ChapterGroup] = []
    for chapter in content.chapters:
        sections = []
        for section in chapter.sections:
            mine = tuple(a for a in section_actions(section) if a.id in chosen)
            if mine:
                sections.append(SectionGroup(section.id, section.title, mine))
        if sections:
            groups.append(ChapterGroup(chapter.number, chapter.heading, tuple(sections)))
    return groups


def title_for(content: Content, words: Sequence[str]) -> str:
    what = " ".join(words) if words else "all chapters"
    return f"{content.toolkit.short_title} action checklist: {what}"


# -- outputs ---------------------------------------------------------------------


def render_csv(actions: Sequence[Action]) -> str:
    """A header row, then one row per action; status and note left blank for the spreadsheet."""
    import csv
    import io

    from iduit.programme import csv_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in actions:
        writer.writerow([a.id, str(a.chapter), a.section, csv_cell(a.section_title), csv_cell(a.text), "", ""])
    return out.getvalue()


def render_markdown(content: Content, actions: Sequence[Action], title: str) -> str:
    """Markdown task lists (``- [ ]``) through the format registry's Markdown renderer."""
    from iduit import formats, outline

    blocks: list[outline.Block] = [
        outline.Heading(1, title),
        outline.Summary("Tick what your programme already does; each action has an id that iduit assess uses."),
    ]
    for chapter in grouped(content, actions):
        blocks.append(outline.Subheading(2, chapter.heading))
        for section in chapter.sections:
            blocks.append(outline.Subheading(3, f"{section.id} {section.title}"))
            blocks.append(outline.Items(tuple(f"{a.id} {a.text}" for a in section.actions), "checkboxes"))
    blocks.append(outline.footer(content))
    document = outline.Document(title, tuple(blocks))
    rendered = formats.get("markdown").render(document, outline.Linker())
    return rendered if isinstance(rendered, str) else rendered.decode("utf-8")


_FORM_CSS = """
section.chapter{break-before:page} section.chapter:first-of-type{break-before:auto}
table.form td.box,table.form th.box{width:3.2rem;text-align:center}
.box span{display:inline-block;width:1rem;height:1rem;border:1.5px solid currentColor;border-radius:2px}
table.form td.note{width:32%;height:3.2rem} .id{white-space:nowrap;font-weight:bold}
table.form{margin-bottom:1.2rem;page-break-inside:auto} tr{page-break-inside:avoid}
"""


def render_html(content: Content, actions: Sequence[Action], title: str) -> str:
    """A printable form: one chapter per page, a box per answer and room for notes."""
    from iduit.programme import esc, page

    heads = "".join(f'<th class="box">{esc(s)}</th>' for s in ("Done", "Partly", "Not yet", "N/A"))
    parts = [
        f"<h1>{esc(title)}</h1>",
        '<p class="muted">Tick one box per action and write what is missing. '
        "Each action has an id that <code>iduit assess</code> uses.</p>",
    ]
    for chapter in grouped(content, actions):
        parts.append(f'<section class="chapter"><h2>{esc(chapter.heading)}</h2>')
        for section in chapter.sections:
            parts.append(f"<h3>{esc(section.id)} {esc(section.title)}</h3>")
            parts.append(f'<table class="form"><thead><tr><th>Action</th>{heads}<th>Notes</th></tr></thead><tbody>')
            box = '<td class="box"><span></span></td>' * 4
            for a in section.actions:
                parts.append(
                    f'<tr><td><span class="id">{esc(a.id)}</span> {esc(a.text)}</td>{box}<td class="note"></td></tr>'
                )
            parts.append("</tbody></table>")
        parts.append("</section>")
    toolkit = content.toolkit
    parts.append(
        f"<footer><p>Made with iduit. {esc(toolkit.digest_note)}</p>"
        f"<p>Original publication: {esc(toolkit.citation)}</p></footer>"
    )
    return page(title, "\n".join(parts), _FORM_CSS)


def checklist_view(content: Content, actions: Sequence[Action], *, plain: bool = False) -> Group:
    """The checklist for the terminal: chapter, section, then a box, the id and the text of each action."""
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from iduit.render import HEADING, ID_STYLE

    parts: list[RenderableType] = []
    for chapter in grouped(content, actions):
        parts.append(Text(chapter.heading, style=HEADING))
        for section in chapter.sections:
            line = Text("  ")
            line.append(section.id, style=ID_STYLE)
            line.append(f"  {section.title}", style=HEADING)
            parts.append(line)
            grid = Table.grid(padding=(0, 1, 0, 0))
            grid.add_column(no_wrap=True)
            grid.add_column(no_wrap=True, style=ID_STYLE)
            grid.add_column()
            for a in section.actions:
                grid.add_row("[ ]" if plain else "☐", a.id, Text(a.text))
            parts.append(Padding(grid, (0, 0, 0, 4)))
        parts.append(Text(""))
    count = len(actions)
    parts.append(
        Text(
            f"{count} action{'s' if count != 1 else ''}. Print or share them with --format html|markdown|csv -o FILE; "
            "assess your programme with: iduit assess start FILE",
            style="dim",
        )
    )
    return Group(*parts)
