"""A programme self-assessment: every action of the chosen chapters, answered done / partly / not yet / n/a.

The assessment is a plain YAML file a team can fill in by hand, in the
terminal (``iduit assess FILE``) or in a spreadsheet (CSV export and import).
Loading it reports every problem as ``file:line:col``. It records the
version of the actions it was made against; when the content has changed
since, answers follow their action (by id, or by wording when an action has
moved), answers to actions that are gone are kept under ``retired``, and new
actions are added unanswered. Every save replaces the file atomically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iduit.clock import moment, today
from iduit.content.text import clean_text
from iduit.errors import IduitError, NotFound, UsageError
from iduit.files import require_file
from iduit.language.messages import tr
from iduit.programme.actions import ACTION_ID, Action, actions_version, all_actions

if TYPE_CHECKING:
    from yaml.nodes import Node

    from iduit.content.checker import Checker
    from iduit.content.model import Content
    from iduit.programme.coverage import CoverageResult

FILE_FORMAT = "1"
STATUSES = ("done", "partly", "not yet", "n/a")
SCORES = {"done": 1.0, "partly": 0.5, "not yet": 0.0}
GAP_STATUSES = ("not yet", "partly")  # the answers that make an action a gap
REPLIES = {
    "d": "done",
    "p": "partly",
    "n": "not yet",
    "x": "n/a",
    "s": "skip",
    "v": "view",
    "q": "quit",
    "done": "done",
    "partly": "partly",
    "not yet": "not yet",
    "n/a": "n/a",
    "skip": "skip",
    "view": "view",
    "quit": "quit",
    # The same keys on a Russian keyboard (ЙЦУКЕН) give в з т ч ы м й; and the answers in Russian words.
    "в": "done",
    "з": "partly",
    "т": "not yet",
    "ч": "n/a",
    "ы": "skip",
    "м": "view",
    "й": "quit",
    "сделано": "done",
    "частично": "partly",
    "пока нет": "not yet",
    "неприменимо": "n/a",
}
MAX_CSV_BYTES = 20 * 1024 * 1024  # an answers CSV: far more than every action of the digest, with long notes
CSV_COLUMNS = ("action", "section", "text", "status", "note", "by", "answered")
# Chapter 3 (health services) and chapter 2 (the enablers) come first among gaps: the digest says they matter most.
PRIORITY_CHAPTERS = (3, 2)
_NULL_TAG = "tag:yaml.org,2002:null"
# What YAML lets stand in a file as itself (its printable set less NEL, a line break); the rest is escaped.
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STATUS_HINT = "use done, partly, not yet, n/a (or d, p, n, x), - to clear an answer, or leave it empty"
SCORING = "done 1, partly 0.5, not yet 0; not applicable left out"


DEFAULT_TITLE = "Programme self-assessment"  # in the reader's language when shown


class AssessmentFileError(IduitError):
    """An assessment file (or an answers CSV) has problems; ``problems`` holds each as ``file:line:col: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__((problems[0] if problems else "invalid assessment file") + more)


@dataclass
class Entry:
    """One action's answer: ``status`` is one of STATUSES, or '' when not answered yet.

    ``by`` is who gave the answer and ``answered`` when (2026-12-05T09:30:00Z, UTC); both are '' when not
    known (an answer written by hand, or a file made before iduit kept them).
    """

    action: str
    section: str
    text: str
    status: str = ""
    note: str = ""
    by: str = ""
    answered: str = ""

    def take(self, other: Entry) -> None:
        """Take another entry's answer: its status, note, who and when."""
        self.status, self.note, self.by, self.answered = other.status, other.note, other.by, other.answered


@dataclass(frozen=True)
class Changes:
    """How the content moved on since an assessment was made."""

    old_version: str
    new_version: str
    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    moved: tuple[tuple[str, str], ...] = ()
    restored: tuple[str, ...] = ()  # retired answers back with their action, its wording back too

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version

    def lines(self) -> list[str]:
        """What changed, in words; nothing when the content is the one the assessment was made against."""
        if not self.changed:
            return []
        out = [
            tr("the content has changed since this assessment was made (version {old} is now {new})").format(
                old=self.old_version, new=self.new_version
            )
        ]
        if self.new:
            out.append(tr("new actions, not answered yet: {actions}").format(actions=_list(self.new)))
        if self.moved:
            moves = _list(tr("{old} is now {new}").format(old=old, new=new) for old, new in self.moved)
            out.append(tr("moved, answers kept: {moves}").format(moves=moves))
        if self.restored:
            out.append(tr("back in the content, answers restored: {actions}").format(actions=_list(self.restored)))
        if self.gone:
            gone = _list(self.gone)
            if self.retired:
                out.append(
                    tr("gone or reworded: {actions}; their answers are kept under 'retired': {kept}").format(
                        actions=gone, kept=_list(self.retired)
                    )
                )
            else:
                out.append(tr("gone or reworded: {actions}").format(actions=gone))
        if len(out) == 1:
            out.append(tr("no action of this assessment's chapters changed"))
        return out


def _list(items: Iterable[str], limit: int = 12) -> str:
    shown = list(items)
    more = tr(" and {n} more").format(n=len(shown) - limit) if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


@dataclass
class Assessment:
    path: Path
    title: str
    content_version: str
    chapters: tuple[int, ...]  # () for every chapter
    entries: list[Entry]  # every action in scope, in content order
    retired: list[Entry] = field(default_factory=list)
    resume_at: str = ""
    language: str = "en"  # of the action wording in the file: a teammate may answer in another language

    def entry(self, action: str) -> Entry:
        for entry in self.entries:
            if entry.action == action:
                return entry
        raise NotFound(tr("action {action} is not in this assessment").format(action=action))

    @property
    def answered(self) -> int:
        return sum(1 for e in self.entries if e.status)


# -- scope -----------------------------------------------------------------------


def scope_actions(content: Content, chapters: Sequence[int]) -> list[Action]:
    wanted = set(chapters)
    return [a for a in all_actions(content) if not wanted or a.chapter in wanted]


def check_chapters(content: Content, chapters: Sequence[int]) -> tuple[int, ...]:
    from iduit.content.targets import missing

    for number in chapters:
        if content.chapter(number) is None:
            raise missing(content, "chapter", str(number))
    return tuple(dict.fromkeys(chapters))


def start(content: Content, path: Path, chapters: Sequence[int], title: str, *, force: bool = False) -> Assessment:
    """A new assessment file with every action of ``chapters`` (all when empty), none answered."""
    from iduit.files import write_file

    chosen = check_chapters(content, chapters)
    entries = [Entry(a.id, a.section, a.text) for a in scope_actions(content, chosen)]
    if not entries:
        raise UsageError(tr("the chosen chapters have no actions to assess"))
    name = clean_text(title, keep_newlines=False).strip() or tr(DEFAULT_TITLE)
    assessment = Assessment(path, name, actions_version(content), chosen, entries, language=content.lang)
    write_file(path, dump(assessment), replace=force)
    return assessment


# -- the file ------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not _PRINTABLE.match(ch) or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _entry_lines(entry: Entry) -> list[str]:
    lines = [
        f"  - action: {_quote(entry.action)}",
        f"    section: {_quote(entry.section)}",
        f"    text: {_quote(entry.text)}",
        f"    status: {_quote(entry.status)}",
        f"    note: {_quote(entry.note)}",
    ]
    if entry.by:
        lines.append(f"    by: {_quote(entry.by)}")
    if entry.answered:
        lines.append(f"    answered: {_quote(entry.answered)}")
    return lines


def dump(assessment: Assessment) -> str:
    """The assessment as YAML: commented, stable, easy to edit by hand and to diff."""
    chapters = "[" + ", ".join(str(n) for n in assessment.chapters) + "]" if assessment.chapters else "all"
    lines = [
        "# An iduit programme self-assessment. Answer in the terminal with: iduit assess FILE",
        '# or edit by hand: status is done, partly, not yet or n/a ("" while not answered); note is free text.',
        "# Results: iduit assess report FILE. Spreadsheet: iduit assess export FILE, then",
        "# iduit assess import FILE answers.csv. Each answer keeps who gave it (by) and when (answered, UTC);",
        "# a team answers in copies of the file, then combines them with: iduit assess merge OUT COPY...",
        f"iduit_assessment: {FILE_FORMAT}",
        f"title: {_quote(assessment.title)}",
        f"content_version: {_quote(assessment.content_version)}",
        f"language: {assessment.language}",
        f"chapters: {chapters}",
        f"resume_at: {_quote(assessment.resume_at)}",
        "actions:",
    ]
    for entry in assessment.entries:
        lines += _entry_lines(entry)
    if assessment.retired:
        lines.append("# Answers to actions that are no longer in the content, kept for the record.")
        lines.append("retired:")
        for entry in assessment.retired:
            lines += _entry_lines(entry)
    return "\n".join(lines) + "\n"


def save(assessment: Assessment) -> None:
    from iduit.files import write_file

    write_file(assessment.path, dump(assessment), replace=True)


@dataclass
class _Read:
    """What the file says, before it is held against the content."""

    title: str
    version: str
    language: str  # '' in a file made before iduit wrote it: then the content's own
    chapters: tuple[int, ...]
    resume_at: str
    entries: list[tuple[Entry, str]]  # each with where its id is written (file:line:col)
    retired: list[Entry]
    display: str


def normal_status(raw: str) -> str | None:
    """A status as written by a person ('Not  yet', 'N/A') in its one spelling; None when it is not one."""
    text = " ".join(raw.lower().split())
    return text if text in STATUSES or text == "" else None


def normal_time(raw: str) -> str | None:
    """A time as written by a person or a spreadsheet (2026-01-15T09:30:00Z, 2026-01-15 12:30:00+03:00, a
    time without a zone taken as UTC) in its one spelling, in UTC to the second; '' for none; None when it is
    not a time."""
    from datetime import datetime, timezone

    text = raw.strip()
    if not text:
        return ""
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        utc = when.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None)
        return utc.isoformat(timespec="seconds") + "Z"  # the year in four digits, unlike strftime's %Y for 1 to 999
    except (ValueError, OverflowError):  # not a time, or one that falls outside the calendar in UTC
        return None


def author(name: str | None = None) -> str:
    """Who is answering: ``name`` (--by), else the IDUIT_USER environment variable, else the account's name;
    '' when none of them can be had."""
    import os

    for given in (name, os.environ.get("IDUIT_USER")):
        cleaned = clean_text(given or "", keep_newlines=False).strip()
        if cleaned:
            return cleaned[:200]
    try:
        import getpass

        return clean_text(getpass.getuser(), keep_newlines=False).strip()[:200]
    except (OSError, KeyError, ImportError):  # no such account (a container), no password database
        return ""


def _scalar(ck: Checker, node: Node, what: str) -> str | None:
    """A value's text as written (never YAML's guess: 'no' stays 'no', 010 stays '010'); '' for an empty value."""
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode):
        ck.at(node, f"{what} must be text")
        return None
    if node.tag == _NULL_TAG:
        return ""
    return clean_text(node.value).strip()


def _read_entries(ck: Checker, node: Node, what: str) -> list[tuple[Entry, str]]:
    out: list[tuple[Entry, str]] = []
    for item in ck.sequence(node, what, allow_empty=True):
        fields = ck.mapping(
            item, ("action",), ("section", "text", "status", "note", "by", "answered"), f"an entry of '{what}'"
        )
        if fields is None or "action" not in fields:
            continue
        values = {key: _scalar(ck, value, f"'{key}'") for key, value in fields.items()}
        if any(v is None for v in values.values()):
            continue
        action = values["action"] or ""
        if not ACTION_ID.match(action):
            ck.at(fields["action"], f"'{action}' is not an action id (they look like 3.2-a1)")
            continue
        status = normal_status(values.get("status") or "")
        if status is None:
            ck.at(fields["status"], f"unknown answer '{values['status']}' for {action} ({_STATUS_HINT})")
            continue
        when = normal_time(values.get("answered") or "")
        if when is None:
            ck.at(fields["answered"], f"'answered' for {action} is not a time such as 2026-01-15T09:30:00Z")
            continue
        entry = Entry(action, values.get("section") or action.split("-a")[0], values.get("text") or "")
        entry.status, entry.note = status, values.get("note") or ""
        entry.by, entry.answered = clean_text(values.get("by") or "", keep_newlines=False).strip(), when
        out.append((entry, ck.where(fields["action"])))
    return out


def _read_file(path: Path) -> tuple[_Read | None, list[str]]:
    import os

    from yaml.nodes import ScalarNode, SequenceNode

    from iduit.content.checker import Checker

    real = Path(os.path.realpath(path))
    require_file(
        path,
        missing=tr("{path} does not exist; create it with: iduit assess start {path}"),
        not_a_file=tr("{path} is not an assessment file"),
    )
    ck = Checker(real.parent)
    root = ck.compose(real)
    if root is None:
        return None, ck.problems
    required = ("iduit_assessment", "title", "content_version", "actions")
    nodes = ck.mapping(root, required, ("language", "chapters", "resume_at", "retired"), "an assessment file")
    if nodes is None or not set(required) <= set(nodes):
        return None, ck.problems or [f"{ck.display}:1:1: not an iduit assessment file"]
    texts = {
        k: _scalar(ck, nodes[k], f"'{k}'")
        for k in ("iduit_assessment", "title", "content_version", "language", "resume_at")
        if k in nodes
    }
    if not re.fullmatch(r"[a-z]{2,3}", texts.get("language") or "en"):
        ck.at(nodes["language"], "'language' is a language code, such as en or ru")
    if texts.get("iduit_assessment") not in (None, FILE_FORMAT):
        ck.at(
            nodes["iduit_assessment"],
            f"this assessment file has format {texts['iduit_assessment']}; this iduit reads format {FILE_FORMAT}",
        )
    chapters: list[int] = []
    chapter_node = nodes.get("chapters")
    if isinstance(chapter_node, ScalarNode) and chapter_node.value.strip().lower() in ("all", ""):
        pass
    elif isinstance(chapter_node, SequenceNode):
        for item in chapter_node.value:
            value = item.value if isinstance(item, ScalarNode) else None
            if value is None or not re.fullmatch(r"0|[1-9][0-9]{0,3}", str(value).strip()):
                ck.at(item, "'chapters' lists chapter numbers, such as [2, 3], or says all")
            else:
                chapters.append(int(value))
    elif chapter_node is not None:
        ck.at(chapter_node, "'chapters' lists chapter numbers, such as [2, 3], or says all")
    entries = _read_entries(ck, nodes["actions"], "actions")
    retired = [e for e, _ in _read_entries(ck, nodes["retired"], "retired")] if "retired" in nodes else []
    seen: dict[str, str] = {}
    for entry, where in entries:
        if entry.action in seen:
            ck.problems.append(f"{where}: duplicate action {entry.action} (first at {seen[entry.action]})")
        else:
            seen[entry.action] = where
    if ck.problems:
        return None, ck.problems
    read = _Read(
        title=texts.get("title") or tr(DEFAULT_TITLE),
        version=texts.get("content_version") or "",
        language=texts.get("language") or "",
        chapters=tuple(dict.fromkeys(chapters)),
        resume_at=texts.get("resume_at") or "",
        entries=entries,
        retired=retired,
        display=ck.display,
    )
    return read, []


def load(path: Path, content: Content) -> tuple[Assessment, Changes]:
    """Read an assessment file and hold it against the content; AssessmentFileError lists every problem."""
    read, problems = _read_file(path)
    if read is None:
        raise AssessmentFileError(problems)
    version = actions_version(content)
    # Made in another language: the wording (and so the version) differs, but a translation keeps every
    # section's actions in the same order, so the ids are the same actions. Matching by wording would
    # retire every answer; the file counts as made against these actions.
    made_against = version if read.language not in ("", content.lang) else read.version
    gone = [n for n in read.chapters if content.chapter(n) is None]
    if gone and version != made_against:
        # Never widen a user's scope silently: an assessment of a chapter that is gone is not one of everything.
        problems.append(
            f"{read.display}:1:1: chapter {gone[0]} of this assessment is no longer in the guidance; "
            "remove it from 'chapters', or start a new assessment"
        )
        raise AssessmentFileError(problems)
    chapters = tuple(n for n in read.chapters if content.chapter(n) is not None)
    scope = scope_actions(content, chapters)
    in_scope = {a.id for a in scope}
    everywhere = {a.id for a in all_actions(content)}
    if version == made_against:
        for entry, where in read.entries:
            if entry.action in in_scope:
                continue
            if entry.action in everywhere:
                scope_text = ", ".join(str(n) for n in read.chapters)
                problems.append(f"{where}: action {entry.action} is not in this assessment's chapters ({scope_text})")
            else:
                section = entry.action.rsplit("-a", 1)[0]
                count = sum(1 for a in scope if a.section == section)
                hint = (
                    f"section {section} has {count} action{'s' if count != 1 else ''}"
                    if count
                    else f"there is no section {section} in this assessment"
                )
                problems.append(f"{where}: unknown action {entry.action} ({hint})")
        missing_chapters = [n for n in read.chapters if content.chapter(n) is None]
        if missing_chapters:
            problems.append(f"{read.display}:1:1: unknown chapter {missing_chapters[0]} in 'chapters'")
        if problems:
            raise AssessmentFileError(problems)
    assessment, changes = _reconcile(read, made_against, scope, version, path, chapters)
    assessment.language = content.lang
    return assessment, changes


def _reconcile(
    read: _Read, made_against: str, scope: list[Action], version: str, path: Path, chapters: tuple[int, ...]
) -> tuple[Assessment, Changes]:
    """Answers follow their action: by id, else by its exact wording; answers to actions that are gone are retired."""
    same = version == made_against
    entries = {a.id: Entry(a.id, a.section, a.text) for a in scope}
    texts = {a.id: a.text for a in scope}
    claimed: set[str] = set()
    pending: list[Entry] = []
    for entry, _ in read.entries:
        if (
            entry.action in entries
            and entry.action not in claimed
            and (same or not entry.text or entry.text == texts[entry.action])
        ):
            entries[entry.action].take(entry)
            claimed.add(entry.action)
        else:
            pending.append(entry)
    moved: list[tuple[str, str]] = []
    gone: list[str] = []
    retired = list(read.retired)
    newly_retired: list[str] = []

    def claim_by_wording(entry: Entry) -> str | None:
        """The unanswered action of the same section worded as ``entry`` was, now holding its answer."""
        target = next(
            (
                a.id
                for a in scope
                if a.id not in claimed and entry.text and a.text == entry.text and a.section == entry.section
            ),
            None,
        )
        if target is not None:
            entries[target].take(entry)
            claimed.add(target)
        return target

    for entry in pending:
        target = claim_by_wording(entry)
        if target is not None:
            moved.append((entry.action, target))
            continue
        gone.append(entry.action)
        if entry.status or entry.note:
            retired.append(entry)
            newly_retired.append(entry.action)
    # A retired answer comes back when its action does (a change undone, a wording restored): same
    # wording, same section, and no answer given to that action meanwhile.
    restored: list[str] = []
    for entry in read.retired:  # the ones retired just now matched nothing above, so cannot here
        target = claim_by_wording(entry)
        if target is not None:
            retired.remove(entry)
            restored.append(target)
    new = tuple(a.id for a in scope if a.id not in claimed) if not same else ()
    assessment = Assessment(
        path, read.title, version, chapters, [entries[a.id] for a in scope], retired, read.resume_at
    )
    if assessment.resume_at not in entries:
        assessment.resume_at = ""
    changes = Changes(made_against, version, new, tuple(gone), tuple(newly_retired), tuple(moved), tuple(restored))
    return assessment, changes


# -- answering ---------------------------------------------------------------------


def parse_reply(line: str) -> str | None:
    """What a typed reply means: a status, 'skip', 'view', 'quit', '' (just Enter), or None (not understood)."""
    text = " ".join(line.strip().lower().split())
    return "" if not text else REPLIES.get(text)


def walk_order(assessment: Assessment, start_at: str | None = None) -> list[str]:
    """The actions to ask about, in order.

    From ``start_at``: every action from there to the end, answered or not.
    Otherwise: the unanswered ones, from where the last session stopped, then
    round to the start for any that were skipped.
    """
    ids = [e.action for e in assessment.entries]
    if start_at is not None:
        if start_at not in ids:
            raise NotFound(
                tr("action {start_at} is not in this assessment (they run from {value} to {value2})").format(
                    start_at=start_at, value=ids[0], value2=ids[-1]
                )
            )
        return ids[ids.index(start_at) :]
    first = ids.index(assessment.resume_at) if assessment.resume_at in ids else 0
    return [i for i in ids[first:] + ids[:first] if not assessment.entry(i).status]


def record(
    assessment: Assessment,
    content: Content,
    action: str,
    status: str,
    note: str | None = None,
    *,
    by: str | None = None,
) -> None:
    """Answer one action in the file, under its lock: read it again, answer, write it, and take in what others
    wrote meanwhile (another terminal, an import), so no answer is lost between two people."""
    from iduit.files import locked

    with locked(assessment.path):
        fresh, _ = load(assessment.path, content)
        answer(fresh, action, status, note, by=by)
        save(fresh)
    assessment.entries, assessment.retired, assessment.resume_at = fresh.entries, fresh.retired, fresh.resume_at


def answer(
    assessment: Assessment,
    action: str,
    status: str,
    note: str | None = None,
    *,
    by: str | None = None,
    when: str | None = None,
) -> None:
    """Record an answer (and a note, when given) and move the resume point past it.

    An answer that changes records who gave it (``author(by)``) and when (``when``, else now); a cleared
    answer has neither. Giving the same answer again keeps who gave it first.
    """
    if status not in STATUSES and status != "":
        raise UsageError(
            tr("unknown answer '{status}' ({STATUS_HINT})").format(status=status, STATUS_HINT=_STATUS_HINT)
        )
    entry = assessment.entry(action)
    before = (entry.status, entry.note)
    entry.status = status
    if note is not None:
        entry.note = clean_text(note, keep_newlines=False).strip()
    if not entry.status and not entry.note:
        entry.by = entry.answered = ""
    elif (entry.status, entry.note) != before:
        entry.by, entry.answered = author(by), when or moment()
    ids = [e.action for e in assessment.entries]
    after = ids[ids.index(action) + 1 :] + ids[: ids.index(action)]
    assessment.resume_at = next((i for i in after if not assessment.entry(i).status), "")


# -- spreadsheet round trip -----------------------------------------------------------


def read_answers_csv(path: Path, display: str) -> str:
    """An answers CSV's text, as a spreadsheet saves it (UTF-8, a byte-order mark or none), from a regular file
    of a sane size; a clear UsageError otherwise."""
    from iduit.files import read_regular_file

    try:
        return read_regular_file(path, MAX_CSV_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            tr("{answers} is not UTF-8 text; save it from the spreadsheet as CSV UTF-8").format(answers=display)
        ) from exc


def import_csv(
    assessment: Assessment, text: str, display: str, *, by: str | None = None, when: str | None = None
) -> int:
    """Take the answers of a CSV (columns action, status and optionally note, by, answered); all, or none.

    Returns how many actions changed. Rows name actions by id; a row's status
    and note replace the file's, an action without a row keeps its answer.
    A changed answer keeps the row's by and answered (a teammate's export
    keeps their name), unless they are just what the file already had for
    the old answer (an answer changed in the spreadsheet): then, as for a row
    without them, who is ``author(by)`` and when is ``when``, else now. A row
    with a name but no time was answered at the import. ``by`` and ``when``
    given as '' record no one and no time (answers of unknown origin).
    """
    import csv
    import io

    from iduit.content.text import spreadsheet_value as csv_value

    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends alike
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    problems: list[str] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise AssessmentFileError([f"{display}:1:1: the file is empty"]) from None
    except csv.Error as exc:
        raise AssessmentFileError([f"{display}:1:1: not a CSV file ({exc})"]) from None
    for needed in ("action", "status"):
        if needed not in header:
            problems.append(f"{display}:1:1: no '{needed}' column (the columns are {', '.join(CSV_COLUMNS)})")
    if problems:
        raise AssessmentFileError(problems)
    at = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    known = {e.action for e in assessment.entries}
    updates: dict[str, tuple[str | None, str | None, str, str]] = {}
    first_line: dict[str, int] = {}
    line = 1
    try:
        for row in reader:
            first, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = [*row, *[""] * (len(header) - len(row))]
            action = cells[at["action"]].strip()
            raw_status = csv_value(cells[at["status"]]).strip()
            # An empty cell is no answer given here: it never erases one. Clearing is said outright.
            keep = raw_status == ""
            status = "" if raw_status.lower() in CLEAR else _csv_status(raw_status)
            column = at["action"] + 1
            if action not in known:
                reason = (
                    "not an action id (they look like 3.2-a1)"
                    if not ACTION_ID.match(action)
                    else "not in this assessment"
                )
                problems.append(
                    f"{display}:{first}:{column}: column {_column(at['action'], 'action')}: '{action}' is {reason}"
                )
            elif action in first_line:
                problems.append(
                    f"{display}:{first}:{column}: duplicate action {action} (first on line {first_line[action]})"
                )
            elif status is None and not keep:
                problems.append(
                    f"{display}:{first}:{at['status'] + 1}: column {_column(at['status'], 'status')}: "
                    f"unknown answer '{raw_status}' for {action} ({_STATUS_HINT})"
                )
            else:
                first_line[action] = first
                note = csv_value(cells[at["note"]]).strip() if "note" in at else None
                who = clean_text(csv_value(cells[at["by"]]), keep_newlines=False).strip() if "by" in at else ""
                raw_time = csv_value(cells[at["answered"]]).strip() if "answered" in at else ""
                time = normal_time(raw_time)
                if time is None:
                    problems.append(
                        f"{display}:{first}:{at['answered'] + 1}: column {_column(at['answered'], 'answered')}: "
                        f"'{raw_time}' for {action} is not a time such as 2026-01-15T09:30:00Z"
                    )
                    continue
                if keep and not note:
                    continue
                updates[action] = (None if keep else status, note or None if keep else note, who, time)
    except csv.Error as exc:
        problems.append(f"{display}:{line + 1}:1: the CSV cannot be read here ({exc})")
    if problems:
        raise AssessmentFileError(problems)
    changed = 0
    importer = by if by == "" else author(by)
    at_import = moment() if when is None else when
    for action, (status, note, who, time) in updates.items():
        entry = assessment.entry(action)
        new_status = entry.status if status is None else status
        new_note = entry.note if note is None else clean_text(note).strip()
        if new_status == "" and status == "":
            new_note = "" if note is None else new_note  # cleared outright: the note goes with the answer
        if (entry.status, entry.note) != (new_status, new_note):
            stale = (who, time) == (entry.by, entry.answered)  # the old answer's, exported with it
            entry.status, entry.note = new_status, new_note
            if not new_status and not new_note:
                entry.by = entry.answered = ""
            elif (who or time) and not stale:
                entry.by, entry.answered = who, time or at_import
            else:
                entry.by, entry.answered = importer, at_import
            changed += 1
    return changed


CLEAR = ("-", "clear", "очистить")  # a status cell that clears an answer on import


def _csv_status(raw: str) -> str | None:
    """A status cell: a status in words, or the walk's keys (d p n x, or в з т ч on a Russian keyboard)."""
    found = normal_status(raw)
    if found:
        return found
    reply = REPLIES.get(" ".join(raw.lower().split()))
    return reply if reply in STATUSES else None


def _column(index: int, name: str) -> str:
    """A column as a spreadsheet shows it, with its heading: 'D (status)'."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} ({name})"


# -- the report ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    score: float | None
    answered: int
    total: int


@dataclass(frozen=True)
class ChapterScore:
    number: int
    title: str
    heading: str
    score: float | None
    answered: int
    total: int
    sections: tuple[SectionScore, ...]


@dataclass(frozen=True)
class Gap:
    action: str
    section: str
    section_title: str
    status: str
    text: str
    note: str


@dataclass(frozen=True)
class Report:
    title: str
    content_version: str
    answered: int
    total: int
    score: float | None
    chapters: tuple[ChapterScore, ...]
    gaps: tuple[Gap, ...]
    notes: tuple[Entry, ...]
    changes: tuple[str, ...] = ()
    coverage: CoverageResult | None = None
    made: str = ""  # the day the report was made (2026-12-05), for whoever reads it later


def _score(entries: Sequence[Entry]) -> float | None:
    """The mean over answered actions (done 1, partly 0.5, not yet 0; n/a left out); None when none counts."""
    scored = [SCORES[e.status] for e in entries if e.status in SCORES]
    return round(sum(scored) / len(scored), 3) if scored else None


def _priority(chapter: int) -> tuple[int, int]:
    return (PRIORITY_CHAPTERS.index(chapter), 0) if chapter in PRIORITY_CHAPTERS else (len(PRIORITY_CHAPTERS), chapter)


def report(assessment: Assessment, content: Content, changes: Changes | None = None) -> Report:
    by_section: dict[str, list[Entry]] = {}
    for entry in assessment.entries:
        by_section.setdefault(entry.section, []).append(entry)
    chapters: list[ChapterScore] = []
    for chapter in content.chapters:
        sections = [
            SectionScore(
                s.id,
                s.title,
                _score(by_section[s.id]),
                sum(1 for e in by_section[s.id] if e.status),
                len(by_section[s.id]),
            )
            for s in chapter.sections
            if s.id in by_section
        ]
        if sections:
            mine = [e for s in sections for e in by_section[s.id]]
            answered = sum(1 for e in mine if e.status)
            chapters.append(
                ChapterScore(
                    chapter.number, chapter.title, chapter.heading, _score(mine), answered, len(mine), tuple(sections)
                )
            )
    order = {e.action: i for i, e in enumerate(assessment.entries)}
    gaps = sorted(
        (e for e in assessment.entries if e.status in GAP_STATUSES),
        key=lambda e: (e.status != "not yet", _priority(int(e.section.split(".")[0])), order[e.action]),
    )
    titles = {s.id: s.title for s in content.sections()}
    return Report(
        title=assessment.title,
        content_version=assessment.content_version,
        answered=assessment.answered,
        total=len(assessment.entries),
        score=_score(assessment.entries),
        chapters=tuple(chapters),
        gaps=tuple(Gap(e.action, e.section, titles.get(e.section, ""), e.status, e.text, e.note) for e in gaps),
        notes=tuple(e for e in assessment.entries if e.note),
        changes=tuple(changes.lines()) if changes is not None else (),
        made=today(),
    )


def report_data(rep: Report) -> dict[str, Any]:
    """The report as data, in the documented JSON shape (with 'coverage' when one was added)."""
    data: dict[str, Any] = {
        "title": rep.title,
        "made": rep.made,
        "content_version": rep.content_version,
        "answered": rep.answered,
        "total": rep.total,
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "score": c.score,
                "answered": c.answered,
                "total": c.total,
                "sections": [
                    {"id": s.id, "score": s.score, "answered": s.answered, "total": s.total} for s in c.sections
                ],
            }
            for c in rep.chapters
        ],
        "gaps": [
            {"action": g.action, "section": g.section, "status": g.status, "text": g.text, "note": g.note}
            for g in rep.gaps
        ],
    }
    if rep.coverage is not None:
        from iduit.programme.coverage import result_data

        data["coverage"] = result_data(rep.coverage)
    return data
