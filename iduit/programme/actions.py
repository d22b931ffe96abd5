"""Every section's actions as a checklist, each with a stable id (``3.2-a4``).

An action's id is its section id and its position within that section, so
moving, adding or removing other sections never changes it. The checklist
comes out grouped by chapter and section: in the terminal, as Markdown
(through the format registry), as a printable HTML form and as CSV for
spreadsheets (``iduit.outline.programme`` builds the document). The
self-assessment (``iduit.programme.assessment``) uses the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iduit.content.model import Chapter, Content, Section, Tool
from iduit.errors import UsageError
from iduit.language.messages import tr

if TYPE_CHECKING:
    pass

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
    """Every programme action: not the reading tips of a section marked ``checklist: false``."""
    return [
        a
        for chapter in content.chapters
        for section in chapter.sections
        if section.checklist
        for a in section_actions(section)
    ]


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
    from iduit.content.targets import parse_targets, resolve

    wanted: set[str] = set()
    for item in resolve(content, parse_targets(words)):
        if isinstance(item, Tool):
            raise UsageError(
                tr(
                    "job aid {id} has no actions; give sections or chapters, e.g. 3.2 or chapter 3",
                ).format(
                    id=item.id,
                )
            )
        if isinstance(item, Section) and not item.checklist:
            raise UsageError(
                tr(
                    "section {id} gives tips for reading this digest, not programme actions; "
                    "read them with: iduit show {id}"
                ).format(id=item.id)
            )
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
    from iduit.language.messages import tr

    what = " ".join(words) if words else tr("all chapters")
    return tr("{name} action checklist: {what}").format(name=content.toolkit.short_title, what=what)
