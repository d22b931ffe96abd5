"""The assessment walk-through: one action at a time in the terminal, every answer saved at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from iduit.errors import ExitCode
from iduit.language.messages import ntr, tr

if TYPE_CHECKING:
    from iduit.content.model import Content
    from iduit.programme.assessment import Assessment


def _read_line() -> str | None:
    """One line typed by the user, without its line end; None at the end of input (Ctrl-D, a closed pipe)."""
    import sys

    if sys.stdin is None:
        return None
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\r\n")


def _first_sentence(text: str, width: int) -> str:
    import re

    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"


def walk(
    ctx: typer.Context,
    content: Content,
    assessment: Assessment,
    upgraded: bool,
    start_at: str | None,
    by: str | None = None,
) -> None:
    """Ask about each action in turn; every answer is recorded as given by ``by`` (see ``author()``)."""
    from iduit.cli.console import message, write
    from iduit.programme.assessment import save, walk_order

    if upgraded:
        save(assessment)  # new actions added, answers to gone ones retired: the file follows the content
    order = walk_order(assessment, start_at)
    total = len(assessment.entries)
    if not order:
        done = tr("All {total} actions of {path} are answered. See the results with: iduit assess report {path}")
        write(done.format(total=total, path=assessment.path) + "\n")
        return
    answered = tr("{title}: {answered} of {total} actions answered.")
    write(answered.format(title=assessment.title, answered=assessment.answered, total=total) + "\n")
    write(tr("Answer each with d (done), p (partly), n (not yet) or x (not applicable), then Enter;") + "\n")
    write(tr("s skips it, v shows its section, q stops. Every answer is saved at once.") + "\n")
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
    message(
        tr(
            "Done: {answered} of {total} actions answered in {path}. {tail}Results: iduit assess report {path}",
        ).format(answered=assessment.answered, total=total, path=assessment.path, tail=tail)
    )


def _stop(assessment: Assessment, current: str, how: str) -> None:
    import contextlib

    from iduit.cli.console import message
    from iduit.errors import IduitError
    from iduit.programme.assessment import save

    assessment.resume_at = current
    with contextlib.suppress(IduitError, OSError, KeyboardInterrupt):
        save(assessment)  # only the resume point: every answer is already in the file
    message(
        tr(
            "iduit: {how}; {answered} of {len} answers are saved in {path}. Carry on with: iduit assess {path}",
        ).format(how=how, answered=assessment.answered, len=len(assessment.entries), path=assessment.path)
    )


def _ask(
    ctx: typer.Context, content: Content, assessment: Assessment, action: str, review: bool, by: str | None
) -> bool:
    """Ask about one action until it is answered or skipped; False when the user stops."""
    from iduit.cli.console import width, write
    from iduit.programme.assessment import parse_reply, record

    entry = assessment.entry(action)
    section = content.section(entry.section)
    position = [e.action for e in assessment.entries].index(action) + 1
    lines = ["", f"[{position}/{len(assessment.entries)}] {entry.section} {section.title if section else ''}".rstrip()]
    if section is not None:
        lines.append("    " + _first_sentence(section.summary, max(20, width() - 4)))
    lines.append(f"  {action}  {entry.text}")
    if entry.status:
        noted = tr("; note: {note}").format(note=entry.note) if entry.note else ""
        given = ", ".join(part for part in (entry.by, entry.answered[:10]) if part)  # who and on which day
        status = tr(entry.status) + (f" ({given})" if given else "")
        lines.append("  " + tr("Answered: {status}{note} (Enter keeps it)").format(status=status, note=noted))
    write("\n".join(lines) + "\n")
    while True:
        write(tr("Done, partly, not yet, n/a? [d/p/n/x]  s skip  v view  q quit: "))
        line = _read_line()
        if line is None:
            write("\n")
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
                write(tr("Note (Enter keeps: {note}; - clears it): ").format(note=entry.note))
            else:
                write(tr("Note (Enter for none): "))
            note = _read_line()
            if note is None:
                write("\n")
                return False
            if note.strip() == "-":
                record(assessment, content, action, reply, "", by=by)
            elif note.strip():
                record(assessment, content, action, reply, note, by=by)
            return True
        refused = tr("'{reply}' is not an answer. Type d, p, n or x, or s to skip, v to view the section, q to stop.")
        write(refused.format(reply=line.strip()) + "\n")


def _view(ctx: typer.Context, content: Content, section_id: str) -> None:
    from iduit.cli.common import show
    from iduit.formats.terminal import document_view
    from iduit.outline import document

    section = content.section(section_id)
    if section is not None:
        show(ctx, document_view(document(content, [section]), plain=False), plain=False)
