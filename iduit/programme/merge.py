"""Several people's answers to one assessment, combined without loss.

A team answers in copies: each person walks through, edits or fills in a
spreadsheet of their own. ``merge_files()`` reads every copy (assessment
YAML files, or answers CSVs as ``iduit assess export`` writes them), holds
each against the content as ``load()`` does (answers follow their action when
the content changed since), and combines them: answers to different actions
join, the same answer given twice is one answer, and different answers
(status or note) to the same action are conflicts. Conflicts are settled only
by a rule the user chose (``newest``, or one file that wins); otherwise they
are returned and nothing is written. ``combine()`` is the pure part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from iduit.errors import ExportError, UsageError
from iduit.language.messages import tr
from iduit.programme.actions import actions_version
from iduit.programme.assessment import DEFAULT_TITLE, Assessment, Changes, Entry, load, scope_actions

if TYPE_CHECKING:
    from iduit.content.model import Content

NEWEST = "newest"

# Why a conflict stands: the answers differ and no rule was chosen; --prefer newest found the latest time
# given to two answers, or an answer without a time; --prefer FILE found that file has no answer here.
DIFFERENT, TIE, UNTIMED, UNANSWERED = "different", "tie", "untimed", "unanswered"


@dataclass(frozen=True)
class Source:
    """One input: its name as the user gave it, its answers, and the chapters it covers (None: all)."""

    name: str
    assessment: Assessment
    chapters: frozenset[int] | None
    changes: Changes | None = None  # how the content moved on since the file was made (YAML only)
    is_csv: bool = False


@dataclass(frozen=True)
class Given:
    """One file's answer to an action."""

    source: str
    status: str
    note: str
    by: str
    answered: str


@dataclass(frozen=True)
class Conflict:
    """Different answers to one action, each with its file, and why no rule settled them."""

    action: str
    answers: tuple[Given, ...]
    reason: str = DIFFERENT


@dataclass(frozen=True)
class Merged:
    assessment: Assessment
    conflicts: tuple[Conflict, ...]
    settled: int  # differences a --prefer rule settled
    sources: tuple[Source, ...]
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.conflicts


def _earliest(answers: Sequence[Given]) -> Given:
    """Of the same answer given more than once: the first known time, then the name (never the files' order)."""
    return min(answers, key=lambda g: (g.answered == "", g.answered, g.by, g.source))


def _settle(action: str, answers: list[Given], prefer: str | None) -> tuple[Given | None, Conflict | None]:
    groups: dict[tuple[str, str], list[Given]] = {}
    for given in answers:
        groups.setdefault((given.status, given.note), []).append(given)
    if len(groups) == 1:
        return _earliest(answers), None
    ordered = tuple(sorted(answers, key=lambda g: (g.source, g.status, g.note)))
    if prefer is None:
        return None, Conflict(action, ordered)
    if prefer == NEWEST:
        latest: list[tuple[str, Given]] = []
        for group in groups.values():
            timed = [g for g in group if g.answered]
            if not timed:
                return None, Conflict(action, ordered, UNTIMED)
            newest = max(timed, key=lambda g: (g.answered, g.by, g.source))
            latest.append((newest.answered, newest))
        latest.sort(key=lambda pair: pair[0], reverse=True)
        if latest[0][0] == latest[1][0]:
            return None, Conflict(action, ordered, TIE)
        return latest[0][1], None
    preferred = [g for g in answers if g.source == prefer]
    if not preferred:
        return None, Conflict(action, ordered, UNANSWERED)
    return preferred[0], None


def combine(content: Content, sources: Sequence[Source], prefer: str | None = None, path: Path | None = None) -> Merged:
    """Every source's answers in one assessment of the chapters they cover together, or the conflicts.

    ``prefer`` is None (differences are conflicts), ``NEWEST``, or the name of the source that wins. The
    result does not depend on the order of the sources, but for the title (the first assessment file's).
    """
    everything = any(s.chapters is None for s in sources)
    chapters: tuple[int, ...] = () if everything else tuple(sorted(set().union(*(s.chapters or () for s in sources))))
    scope = scope_actions(content, chapters)
    answers: dict[str, list[Given]] = {}
    for source in sources:
        for entry in source.assessment.entries:
            if entry.status or entry.note:
                given = Given(source.name, entry.status, entry.note, entry.by, entry.answered)
                answers.setdefault(entry.action, []).append(given)
    entries: list[Entry] = []
    conflicts: list[Conflict] = []
    settled = 0
    for action in scope:
        entry = Entry(action.id, action.section, action.text)
        found = answers.get(action.id, [])
        if found:
            chosen, conflict = _settle(action.id, found, prefer)
            if conflict is not None:
                conflicts.append(conflict)
            elif chosen is not None:
                entry.status, entry.note, entry.by, entry.answered = (
                    chosen.status,
                    chosen.note,
                    chosen.by,
                    chosen.answered,
                )
                settled += len({(g.status, g.note) for g in found}) > 1
        entries.append(entry)
    retired: dict[tuple[str, str, str], Entry] = {}
    for source in sources:
        for old in source.assessment.retired:
            key = (old.action, old.status, old.note)
            kept = retired.get(key)
            if kept is None or (old.answered == "", old.answered, old.by) < (
                kept.answered == "",
                kept.answered,
                kept.by,
            ):
                retired[key] = old
    titles = [s.assessment.title for s in sources if not s.is_csv]
    merged = Assessment(
        path if path is not None else Path("merged.yaml"),
        titles[0] if titles else tr(DEFAULT_TITLE),
        actions_version(content),
        chapters,
        entries,
        [retired[key] for key in sorted(retired)],
        language=content.lang,
    )
    return Merged(merged, tuple(conflicts), settled, tuple(sources))


def read_source(content: Content, path: Path, name: str) -> Source:
    """One input: an assessment file (YAML), or an answers CSV (by its .csv name)."""
    if path.suffix.lower() != ".csv":
        assessment, changes = load(path, content)
        chapters = frozenset(assessment.chapters) if assessment.chapters else None
        return Source(name, assessment, chapters, changes)
    from iduit.files import require_file
    from iduit.programme.assessment import import_csv, read_answers_csv

    require_file(path, missing=tr("{path} does not exist"), not_a_file=tr("{path} is not an answers CSV file"))
    text = read_answers_csv(path, name)
    entries = [Entry(a.id, a.section, a.text) for a in scope_actions(content, ())]
    blank = Assessment(path, tr(DEFAULT_TITLE), actions_version(content), (), entries, language=content.lang)
    # A CSV's answers are of unknown origin unless its rows say who and when: they are never the merger's.
    import_csv(blank, text, name, by="", when="")
    answered = frozenset(int(e.section.split(".")[0]) for e in entries if e.status or e.note)
    return Source(name, blank, answered, None, is_csv=True)


def merge_files(
    content: Content, inputs: Sequence[str], out: str, prefer: str | None = None, *, force: bool = False
) -> Merged:
    """Combine the answers of ``inputs`` into a new assessment file ``out``, under its lock; written only when
    nothing conflicts. ``out`` is one of the inputs only when listed among them; an existing ``out`` is
    replaced only with ``force``. ``prefer`` is ``NEWEST`` or one of ``inputs``."""
    import os

    from iduit.files import existing_mode, locked, write_file
    from iduit.programme.assessment import dump

    target = Path(out)
    if target.suffix.lower() == ".csv":
        raise UsageError(
            tr(
                "{out}: merge writes an assessment file (YAML); for a spreadsheet, then run: iduit assess export"
            ).format(out=out)
        )
    if existing_mode(target) is not None and not force:
        raise ExportError(
            tr(
                "{out} already exists; use --force to replace it (list it among the files too to keep its answers)"
            ).format(out=out)
        )
    winner: str | None = None
    if prefer is not None and prefer != NEWEST:
        wanted = os.path.realpath(prefer)
        winner = next((name for name in inputs if os.path.realpath(name) == wanted), None)
        if winner is None:
            raise UsageError(
                tr("--prefer takes newest or one of the files being merged; {prefer} is neither").format(prefer=prefer)
            )
    with locked(target):
        sources = [read_source(content, Path(name), name) for name in inputs]
        merged = combine(content, sources, NEWEST if prefer == NEWEST else winner, target)
        if merged.conflicts:
            return merged
        write_file(target, dump(merged.assessment), replace=force)
    return Merged(merged.assessment, (), merged.settled, merged.sources, written=True)
