"""The assessment walk-through: one action at a time in the terminal, every answer saved at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from iduit.errors import ExitCode
from iduit.language.messages import ntr, tr

if TYPE_CHECKING:
    from rich.console import RenderableType

    from iduit.content.model import Content
    from iduit.programme.assessment import Assessment


def _read_line() -> str | None:
    """One line typed by the user, without its line end; None at the end of input (Ctrl-D, a closed pipe)."""
    import sys

    if sys.stdin is None:
        return None
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\r\n")


def _say(ctx: typer.Context, text: RenderableType, *, end: str = "\n") -> None:
    """Text to the screen, wrapped between words at its width (a prompt: ``end=""``, the cursor after it)."""
    from rich.text import Text

    from iduit.cli.common import settings
    from iduit.cli.console import render_text, width, write
    from iduit.formats.terminal import wrap_words

    if isinstance(text, str):  # wrapped here, so that words joined by a no-break space stay together
        tail = text[len(text.rstrip(" ")) :]  # a prompt's space before the cursor
        text = Text("\n".join(line.plain for line in wrap_words(Text(text), width())) + tail)
    write(render_text(text, settings(ctx).output(), end=end))


def _keys(prompt: str) -> str:
    """The prompt with each key held to its word ("q quit" never splits); its parts are two spaces apart."""
    question, *keys = prompt.split("  ")
    held = [key.rstrip(" ").replace(" ", "\u00a0") + key[len(key.rstrip(" ")) :] for key in keys]
    return "  ".join([question, *held])


def _first_sentence(text: str, width: int, ellipsis: str = "…") -> str:
    import re

    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence if len(sentence) <= width else sentence[: width - len(ellipsis)].rstrip() + ellipsis


def walk(
    ctx: typer.Context,
    content: Content,
    assessment: Assessment,
    upgraded: bool,
    start_at: str | None,
    by: str | None = None,
) -> None:
    """Ask about each action in turn; every answer is recorded as given by ``by`` (see ``author()``)."""
    from iduit.cli.console import message
    from iduit.programme.assessment import save, walk_order

    if upgraded:
        save(assessment)  # new actions added, answers to gone ones retired: the file follows the content
    order = walk_order(assessment, start_at)
    total = len(assessment.entries)
    if not order:
        done = ntr(
            "The {n} action of {path} is answered. See the results with: iduit assess report {path}",
            "All {n} actions of {path} are answered. See the results with: iduit assess report {path}",
            total,
        )
        _say(ctx, done.format(path=assessment.path))
        return
    answered = ntr(
        "{title}: {answered} of {n} action answered.",
        "{title}: {answered} of {n} actions answered.",
        total,
    )
    _say(ctx, answered.format(title=assessment.title, answered=assessment.answered))
    _say(ctx, tr("Answer each with d (done), p (partly), n (not yet) or x (not applicable), then Enter;"))
    _say(ctx, tr("s skips it, v shows its section, q stops. Every answer is saved at once."))
    current = order[0]
    try:
        for current in order:
            if not _ask(ctx, content, assessment, current, start_at is not None, by):
                break
        else:
            current = ""
    except KeyboardInterrupt:
        _stop(assessment, current, tr("interrupted"))
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    if current:
        _stop(assessment, current, tr("stopped"))
        return
    left = total - assessment.answered
    skipped = ntr(
        "{n} skipped action is left: run the same command to answer it. ",
        "{n} skipped actions are left: run the same command to answer them. ",
        left,
    )
    tail = skipped if left else ""
    finished = ntr(
        "Done: {answered} of {n} action answered in {path}. {tail}Results: iduit assess report {path}",
        "Done: {answered} of {n} actions answered in {path}. {tail}Results: iduit assess report {path}",
        total,
    )
    message(finished.format(answered=assessment.answered, path=assessment.path, tail=tail))


def _stop(assessment: Assessment, current: str, how: str) -> None:
    import contextlib

    from iduit.cli.console import message
    from iduit.errors import IduitError
    from iduit.programme.assessment import save

    assessment.resume_at = current
    with contextlib.suppress(IduitError, OSError, KeyboardInterrupt):
        save(assessment)  # only the resume point: every answer is already in the file
    message(
        ntr(
            "iduit: {how}; {answered} of {n} answer is saved in {path}. Carry on with: iduit assess {path}",
            "iduit: {how}; {answered} of {n} answers are saved in {path}. Carry on with: iduit assess {path}",
            len(assessment.entries),
        ).format(how=how, answered=assessment.answered, n=len(assessment.entries), path=assessment.path)
    )


def _ask(
    ctx: typer.Context, content: Content, assessment: Assessment, action: str, review: bool, by: str | None
) -> bool:
    """Ask about one action until it is answered or skipped; False when the user stops."""
    from rich.console import Group
    from rich.text import Text

    from iduit.cli.common import settings
    from iduit.cli.console import width
    from iduit.formats.terminal import DIM, HEADING, ID_STYLE, Wrapped
    from iduit.programme.assessment import parse_reply, record

    entry = assessment.entry(action)
    section = content.section(entry.section)
    position = [e.action for e in assessment.entries].index(action) + 1
    title = Text(section.title if section else "", style=HEADING)
    lines: list[RenderableType] = [
        Text(""),
        Wrapped(title, f"[{position}/{len(assessment.entries)}] {entry.section}", style=ID_STYLE),
    ]
    if section is not None:
        ellipsis = "..." if settings(ctx).output().plain else "…"  # plain output spells it out
        lines.append(Text("    " + _first_sentence(section.summary, max(20, width() - 4), ellipsis), style=DIM))
    # The action is what the user answers: bold, its wrapped lines under its first word.
    lines.append(Wrapped(Text(entry.text, style="bold"), action, indent=2, gap=2, style=ID_STYLE))
    if entry.status:
        noted = tr("; note: {note}").format(note=entry.note) if entry.note else ""
        given = ", ".join(part for part in (entry.by, entry.answered[:10]) if part)  # who and on which day
        status = tr(entry.status) + (f" ({given})" if given else "")
        answered = tr("Answered: {status}{note} (Enter keeps it)").format(status=status, note=noted)
        lines.append(Wrapped(answered, indent=2))
    _say(ctx, Group(*lines))
    while True:
        _say(ctx, _keys(tr("Done, partly, not yet, n/a? [d/p/n/x]  s skip  v view  q quit: ")), end="")
        line = _read_line()
        if line is None:
            _say(ctx, "")
            return False
        reply = parse_reply(line)
        if reply == "quit":
            return False
        if reply == "skip" or (reply == "" and review and entry.status):
            return True
        if reply == "view":
            _view(ctx, content, entry.section)
            continue
        if reply in ("done", "partly", "not yet", "n/a"):
            record(assessment, content, action, reply, by=by)
            if entry.note:
                _say(ctx, tr("Note (Enter keeps: {note}; - clears it): ").format(note=entry.note), end="")
            else:
                _say(ctx, tr("Note (Enter for none): "), end="")
            note = _read_line()
            if note is None:
                _say(ctx, "")
                return False
            if note.strip() == "-":
                record(assessment, content, action, reply, "", by=by)
            elif note.strip():
                record(assessment, content, action, reply, note, by=by)
            return True
        refused = tr("'{reply}' is not an answer. Type d, p, n or x, or s to skip, v to view the section, q to stop.")
        _say(ctx, refused.format(reply=line.strip()))


def _view(ctx: typer.Context, content: Content, section_id: str) -> None:
    from iduit.cli.common import show
    from iduit.formats.terminal import document_view
    from iduit.outline import document

    section = content.section(section_id)
    if section is not None:
        show(ctx, document_view(document(content, [section]), plain=False), plain=False)
