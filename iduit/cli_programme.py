"""Commands for programme teams: iduit checklist, iduit assess and iduit coverage.

Only typer and typing are imported at the top: ``iduit search`` never loads
any of this. The work is done by iduit/checklist.py, iduit/assess.py and
iduit/coverage.py; these commands read options, call them and show the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from pathlib import Path

    from iduit.assess import Assessment
    from iduit.coverage import CoverageResult
    from iduit.model import Content


class _LazyGroup(TyperGroup):
    """A command group built on first use, whose first word may be a file instead of a command.

    Typer builds every command's options each time iduit starts; these groups
    build theirs only when they are called, so other commands (``iduit search``)
    never pay for them. ``iduit assess FILE`` runs the default command.
    """

    default_command = ""
    _built: Any = None

    @staticmethod
    def commands_app() -> typer.Typer:
        raise NotImplementedError

    def _real(self) -> Any:
        if self._built is None:
            from typer.main import get_group

            self._built = get_group(self.commands_app())
        return self._built

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self._real().list_commands(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self._real().get_command(ctx, cmd_name)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self._real().commands and args[0] not in ("-h", "--help"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


class _AssessGroup(_LazyGroup):
    default_command = "walk"

    @staticmethod
    def commands_app() -> typer.Typer:
        return _assess_commands()


class _CoverageGroup(_LazyGroup):
    default_command = "compute"

    @staticmethod
    def commands_app() -> typer.Typer:
        return _coverage_commands()


PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text: no colour, styling or boxes.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]
OutputOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at runtime on 3.10
    typer.Option("--output", "-o", metavar="FILE", help="File to write; - for standard output."),
]


def _out(text: str, output: str | None, force: bool) -> None:
    from iduit.programme import deliver
    from iduit.terminal import message, write

    rest = deliver(text, output, force=force)
    if rest is not None:
        write(rest)
    else:
        message(f"Wrote {output}")


def _emit(
    ctx: typer.Context,
    result: Any,
    view: Any,
    data: Any,
    render_html: Any,
    render_markdown: Any,
    fmt: str | None,
    as_json: bool,
    output: str | None,
    plain: bool,
    force: bool,
) -> None:
    """A report or coverage result to the terminal, standard output or a file, in the format asked for."""
    from iduit.cli import _json, _show
    from iduit.programme import choose_format

    if as_json and fmt is None:
        fmt = "json"
    if fmt is None and output is None:
        _show(ctx, view(result, plain=plain), plain=plain)
        return
    chosen = choose_format(fmt, output, ("markdown", "html", "json"), "markdown")
    if chosen == "json" and (output is None or output == "-"):
        _json(data(result))
        return
    if chosen == "json":
        text = _json_text_of(data(result))
    else:
        text = render_html(result) if chosen == "html" else render_markdown(result)
    _out(text, output, force)


def _problems(exc: Any) -> typer.Exit:
    """Every problem of a file on a line of its own, then one line saying what to do; exit 2."""
    from iduit.terminal import message

    for problem in exc.problems:
        message(problem)
    count = len(exc.problems)
    message(
        f"iduit: {count} problem{'s' if count != 1 else ''}; "
        f"fix {'them' if count != 1 else 'it'} and run the command again"
    )
    return typer.Exit(2)


def _load(content: Content, file: str, *, updating: bool = False) -> Any:
    from pathlib import Path

    from iduit.assess import AssessmentFileError, load
    from iduit.terminal import message

    try:
        assessment, changes = load(Path(file), content)
    except AssessmentFileError as exc:
        raise _problems(exc) from None
    for line in changes.lines():
        message(f"iduit: note: {line}")
    if changes.changed and not updating:
        message(f"iduit: note: iduit assess {file} brings the file up to date")
    return assessment, changes


def register(app: typer.Typer) -> None:
    """Add checklist, assess and coverage to the command line."""

    @app.command()
    def checklist(
        ctx: typer.Context,
        target: Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Argument(metavar="WHAT...", help="Sections or chapters (3.2, chapter 3); default: everything."),
        ] = None,
        fmt: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--format", "-f", metavar="markdown|html|csv", help="Default: from the file name, else markdown."
            ),
        ] = None,
        output: OutputOpt = None,
        force: ForceOpt = False,
        plain: PlainOpt = False,
    ) -> None:
        """Every action of sections or chapters as a checklist, with ids.

        Each action has a stable id, its section and its place there (3.2-a1), which iduit assess uses.

        Example: iduit checklist chapter 3 -o checklist.html

        In the terminal by default; --format markdown (- [ ] items), html (a printable form, a chapter
        a page) or csv (a row per action, for spreadsheets), to standard output or to -o FILE.
        """
        from iduit import checklist as cl
        from iduit.cli import _settings, _show
        from iduit.programme import choose_format

        content = _settings(ctx).store().content
        words = target or []
        actions = cl.select(content, words)
        if fmt is None and output is None:
            _show(ctx, cl.checklist_view(content, actions, plain=plain), plain=plain)
            return
        chosen = choose_format(fmt, output, ("markdown", "html", "csv"), "markdown")
        title = cl.title_for(content, words)
        if chosen == "csv":
            text = cl.render_csv(actions)
        elif chosen == "html":
            text = cl.render_html(content, actions, title)
        else:
            text = cl.render_markdown(content, actions, title)
        _out(text, output, force)

    app.add_typer(
        typer.Typer(
            cls=_AssessGroup,
            no_args_is_help=True,
            rich_markup_mode=None,
            help=(
                "A programme self-assessment against the digest's actions.\n\n"
                "Answer each action done, partly, not yet or not applicable, then see scores and gaps.\n\n"
                "Example: iduit assess start review.yaml --chapter 3, then iduit assess review.yaml\n\n"
                "iduit assess FILE walks through the unanswered actions (the same as iduit assess walk FILE)."
            ),
        ),
        name="assess",
    )
    app.add_typer(
        typer.Typer(
            cls=_CoverageGroup,
            no_args_is_help=True,
            rich_markup_mode=None,
            help=(
                "Coverage indicators held against published benchmarks.\n\n"
                "Syringes per person who injects drugs, OST coverage, HIV and hepatitis C testing and treatment, "
                "naloxone.\n\n"
                "Example: iduit coverage --pwid 12000 --syringes 1500000\n\n"
                "iduit coverage INPUTS.yaml works them out from a file (iduit coverage template writes one); "
                "see iduit coverage compute --help for every input."
            ),
        ),
        name="coverage",
    )


def _assess_commands() -> typer.Typer:
    """The assess subcommands (built when iduit assess is called)."""
    assess_app = typer.Typer(rich_markup_mode=None)

    @assess_app.command("start")
    def assess_start(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file to create (YAML).")],
        chapter: Annotated[
            Optional[list[int]],  # noqa: UP045
            typer.Option("--chapter", "-c", metavar="N", help="Only chapter N; repeat for more. Default: all."),
        ] = None,
        title: Annotated[str, typer.Option("--title", metavar="TEXT", help="A title for the report.")] = "",
        force: ForceOpt = False,
    ) -> None:
        """Create an assessment file, nothing answered yet.

        It lists every action of the chosen chapters (all by default).

        Example: iduit assess start review.yaml --chapter 2 --chapter 3 --title "City review 2025"
        """
        from pathlib import Path

        from iduit.assess import start
        from iduit.cli import _settings
        from iduit.terminal import message

        assessment = start(_settings(ctx).store().content, Path(file), chapter or [], title, force=force)
        message(
            f"Wrote {file} with {len(assessment.entries)} actions. Answer them with: iduit assess {file} "
            "(or edit the file, or use iduit assess export and import with a spreadsheet)"
        )

    @assess_app.command("walk")
    def assess_walk(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file.")],
        start_at: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--from", metavar="ACTION", help="Go through every action from this one (3.2-a1), answered or not."
            ),
        ] = None,
    ) -> None:
        """Answer the actions one at a time, saving each answer at once.

        d done, p partly, n not yet, x not applicable; s skip, v view the section, q quit.

        Example: iduit assess walk review.yaml (or simply iduit assess review.yaml)

        Every answer is saved at once; stop at any moment (q, Ctrl-C or Ctrl-D) and run the same
        command to carry on where you stopped.
        """
        from iduit.cli import _settings

        content = _settings(ctx).store().content
        assessment, changes = _load(content, file, updating=True)
        _walk(ctx, content, assessment, changes.changed, start_at)

    @assess_app.command("report")
    def assess_report(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file.")],
        fmt: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--format", "-f", metavar="markdown|html|json", help="Default: from the file name, else the terminal."
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
        output: OutputOpt = None,
        coverage: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--coverage", metavar="INPUTS", help="Add coverage indicators from an inputs file (see iduit coverage)."
            ),
        ] = None,
        force: ForceOpt = False,
        plain: PlainOpt = False,
    ) -> None:
        """Scores by chapter and section; the gaps, ranked.

        Gaps come most important first, each with the section to read.

        Example: iduit assess report review.yaml -o review.html

        A score is the mean over answered actions (done 1, partly 0.5, not yet 0; not applicable left out).
        """
        import dataclasses

        from iduit.assess import render_html, render_markdown, report, report_data, report_view
        from iduit.cli import _settings

        settings = _settings(ctx)
        content = settings.store().content
        assessment, changes = _load(content, file)
        rep = report(assessment, content, changes)
        if coverage is not None:
            rep = dataclasses.replace(
                rep, coverage=_coverage(settings.content_dir(), content, coverage, {}, None, None)
            )
        _emit(ctx, rep, report_view, report_data, render_html, render_markdown, fmt, as_json, output, plain, force)

    @assess_app.command("export")
    def assess_export(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file.")],
        fmt: Annotated[str, typer.Option("--format", "-f", metavar="csv", help="The only format: csv.")] = "csv",
        output: OutputOpt = None,
        force: ForceOpt = False,
    ) -> None:
        """The answers as CSV, for a spreadsheet.

        Columns: action, section, text, status, note; iduit assess import reads it back.

        Example: iduit assess export review.yaml -o answers.csv
        """
        from iduit.assess import export_csv
        from iduit.cli import _settings
        from iduit.programme import choose_format

        choose_format(fmt, output, ("csv",), "csv")
        assessment, _ = _load(_settings(ctx).store().content, file)
        _out(export_csv(assessment), output, force)

    @assess_app.command("import")
    def assess_import(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file to update.")],
        answers: Annotated[
            str, typer.Argument(metavar="ANSWERS.csv", help="A CSV with action and status columns (note optional).")
        ],
    ) -> None:
        """Take a spreadsheet's answers back in.

        Reads a CSV (action and status columns, note optional) into the file: all rows or none.

        Example: iduit assess import review.yaml answers.csv
        """
        from pathlib import Path

        from iduit.assess import AssessmentFileError, import_csv, save
        from iduit.cli import _settings
        from iduit.errors import UsageError
        from iduit.loader import display_path
        from iduit.terminal import message

        assessment, _ = _load(_settings(ctx).store().content, file, updating=True)
        try:
            text = Path(answers).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{answers} is not UTF-8 text; save it from the spreadsheet as CSV UTF-8") from exc
        try:
            changed = import_csv(assessment, text, display_path(Path(answers)))
        except AssessmentFileError as exc:
            raise _problems(exc) from None
        save(assessment)
        message(f"Imported {answers} into {file}: {changed} answer{'s' if changed != 1 else ''} changed")

    return assess_app


def _coverage_commands() -> typer.Typer:
    """The coverage subcommands (built when iduit coverage is called)."""
    coverage_app = typer.Typer(rich_markup_mode=None)

    @coverage_app.command("template")
    def coverage_template(output: OutputOpt = None, force: ForceOpt = False) -> None:
        """Write a commented inputs file to fill in.

        Example: iduit coverage template -o inputs.yaml
        """
        from iduit.coverage import template

        _out(template(), output, force)

    @coverage_app.command("compute")
    def coverage_compute(
        ctx: typer.Context,
        inputs: Annotated[
            Optional[str],  # noqa: UP045
            typer.Argument(metavar="INPUTS.yaml", help="An inputs file; options given too take precedence."),
        ] = None,
        pwid: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Estimated number of people who inject drugs."),
        ] = None,
        syringes: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Needles and syringes distributed in 12 months."),
        ] = None,
        nsp_reached: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="People who inject drugs reached by an NSP at least monthly."),
        ] = None,
        opioid_dependent: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Estimated number of opioid-dependent people who inject drugs."),
        ] = None,
        ost: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Of them, people receiving OST on a given date."),
        ] = None,
        hiv_tested: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="People who inject drugs tested for HIV in 12 months."),
        ] = None,
        pwid_with_hiv: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="People who inject drugs living with HIV (estimated)."),
        ] = None,
        on_art: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Of them, people receiving antiretroviral therapy."),
        ] = None,
        hcv_tested: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="People who inject drugs tested for hepatitis C in 12 months."),
        ] = None,
        hcv_diagnosed: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="People who inject drugs diagnosed with chronic hepatitis C."),
        ] = None,
        hcv_treated: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Of them, people who started hepatitis C treatment in 12 months."),
        ] = None,
        naloxone_kits: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(metavar="N", help="Naloxone kits distributed in 12 months."),
        ] = None,
        year: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option("--year", metavar="YYYY", min=1990, max=2100, help="The year the figures are for."),
        ] = None,
        target_year: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--target-year",
                metavar="YYYY",
                min=1990,
                max=2100,
                help="Plan a linear scale-up to the next band by then.",
            ),
        ] = None,
        fmt: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--format", "-f", metavar="markdown|html|json", help="Default: from the file name, else the terminal."
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
        output: OutputOpt = None,
        force: ForceOpt = False,
        plain: PlainOpt = False,
    ) -> None:
        """Work out each indicator against its benchmarks.

        Each comes with its band, the distance to the next band, targets and sources.

        Example: iduit coverage compute --pwid 12000 --syringes 1500000 --ost 900 --opioid-dependent 8000

        Counts are whole numbers: 1500000 or 1 500 000 (1,500 is refused as ambiguous).
        """
        from iduit.cli import _settings
        from iduit.coverage import coverage_view, render_html, render_markdown, result_data

        settings = _settings(ctx)
        options = {
            "pwid": pwid,
            "syringes": syringes,
            "nsp_reached_monthly": nsp_reached,
            "opioid_dependent_pwid": opioid_dependent,
            "ost_clients": ost,
            "hiv_tested": hiv_tested,
            "pwid_with_hiv": pwid_with_hiv,
            "on_art": on_art,
            "hcv_tested": hcv_tested,
            "hcv_diagnosed": hcv_diagnosed,
            "hcv_treated": hcv_treated,
            "naloxone_kits": naloxone_kits,
        }
        result = _coverage(settings.content_dir(), settings.store().content, inputs, options, year, target_year)
        _emit(ctx, result, coverage_view, result_data, render_html, render_markdown, fmt, as_json, output, plain, force)

    return coverage_app


def _json_text_of(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _coverage(
    data_dir: Path,
    content: Content,
    inputs: str | None,
    options: dict[str, str | None],
    year: int | None,
    target_year: int | None,
) -> CoverageResult:
    from pathlib import Path

    from iduit.coverage import Inputs, compute, load_indicators, merge_options, read_inputs

    figures = read_inputs(Path(inputs)) if inputs is not None else Inputs()
    merge_options(figures, options, year, target_year)
    return compute(load_indicators(data_dir, content), figures, content)


# -- the walk-through ------------------------------------------------------------------


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


def _walk(ctx: typer.Context, content: Content, assessment: Assessment, upgraded: bool, start_at: str | None) -> None:
    from iduit.assess import save, walk_order
    from iduit.terminal import message, write

    if upgraded:
        save(assessment)  # new actions added, answers to gone ones retired: the file follows the content
    order = walk_order(assessment, start_at)
    total = len(assessment.entries)
    if not order:
        write(
            f"All {total} actions of {assessment.path} are answered. "
            f"See the results with: iduit assess report {assessment.path}\n"
        )
        return
    write(
        f"{assessment.title}: {assessment.answered} of {total} actions answered.\n"
        "Answer each with d (done), p (partly), n (not yet) or x (not applicable), then Enter;\n"
        "s skips it, v shows its section, q stops. Every answer is saved at once.\n"
    )
    current = order[0]
    try:
        for current in order:
            if not _ask(ctx, content, assessment, current, start_at is not None):
                break
        else:
            current = ""
    except KeyboardInterrupt:
        _stop(assessment, current, "interrupted")
        raise typer.Exit(130) from None
    if current:
        _stop(assessment, current, "stopped")
        return
    left = total - assessment.answered
    tail = (
        f"{left} skipped action{'s' if left != 1 else ''} left: run the same command to answer them. " if left else ""
    )
    message(
        f"Done: {assessment.answered} of {total} actions answered in {assessment.path}. "
        f"{tail}Results: iduit assess report {assessment.path}"
    )


def _stop(assessment: Assessment, current: str, how: str) -> None:
    import contextlib

    from iduit.assess import save
    from iduit.errors import IduitError
    from iduit.terminal import message

    assessment.resume_at = current
    with contextlib.suppress(IduitError, OSError, KeyboardInterrupt):
        save(assessment)  # only the resume point: every answer is already in the file
    message(
        f"iduit: {how}; {assessment.answered} of {len(assessment.entries)} answers are saved in {assessment.path}. "
        f"Carry on with: iduit assess {assessment.path}"
    )


def _ask(ctx: typer.Context, content: Content, assessment: Assessment, action: str, review: bool) -> bool:
    """Ask about one action until it is answered or skipped; False when the user stops."""
    from iduit.assess import answer, parse_reply, save
    from iduit.terminal import width, write

    entry = assessment.entry(action)
    section = content.section(entry.section)
    position = [e.action for e in assessment.entries].index(action) + 1
    lines = ["", f"[{position}/{len(assessment.entries)}] {entry.section} {section.title if section else ''}".rstrip()]
    if section is not None:
        lines.append("    " + _first_sentence(section.summary, max(20, width() - 4)))
    lines.append(f"  {action}  {entry.text}")
    if entry.status:
        lines.append(
            f"  Answered: {entry.status}" + (f"; note: {entry.note}" if entry.note else "") + " (Enter keeps it)"
        )
    write("\n".join(lines) + "\n")
    while True:
        write("Done, partly, not yet, n/a? [d/p/n/x]  s skip  v view  q quit: ")
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
            answer(assessment, action, reply)
            save(assessment)
            keep = f" (Enter keeps: {entry.note}; - clears it)" if entry.note else " (Enter for none)"
            write(f"Note{keep}: ")
            note = _read_line()
            if note is None:
                write("\n")
                return False
            if note.strip() == "-":
                answer(assessment, action, reply, "")
                save(assessment)
            elif note.strip():
                answer(assessment, action, reply, note)
                save(assessment)
            return True
        write(
            f"'{line.strip()}' is not an answer. Type d, p, n or x, or s to skip, v to view the section, q to stop.\n"
        )


def _view(ctx: typer.Context, content: Content, section_id: str) -> None:
    from iduit.cli import _show
    from iduit.outline import document
    from iduit.render import document_view

    section = content.section(section_id)
    if section is not None:
        _show(ctx, document_view(document(content, [section]), plain=False), plain=False)
