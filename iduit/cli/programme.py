"""Commands for programme teams: iduit checklist, iduit assess and iduit coverage.

Only typer and typing are imported at the top: ``iduit search`` never loads
any of this. The work is done in ``iduit.programme`` (actions, assessments,
coverage); ``iduit.outline.programme`` turns results into documents, and
``emit`` sends them through the format registry like every other output.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from iduit.cli.common import (
    Command,
    ForceOpt,
    JsonOpt,
    OutputOpt,
    PlainOpt,
    app,
    emit,
    format_option,
    settings,
    short_help,
    translated_help,
)
from iduit.language.messages import ntr, tr

if TYPE_CHECKING:
    from iduit.content.model import Content
    from iduit.programme.assessment import AssessmentFileError, Changes
    from iduit.programme.coverage import CoverageResult


MAX_ANSWERS_BYTES = 20 * 1024 * 1024  # far more than every action of the digest, answered with long notes


class _LazyGroup(TyperGroup):
    """A command group built on first use, whose first word may be a file instead of a command.

    Typer builds every command's options each time iduit starts; these groups
    build theirs only when they are called, so other commands (``iduit search``)
    never pay for them. ``iduit assess FILE`` runs the default command.
    """

    default_command = ""
    _built: Any = None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translated_help(self, ctx, formatter, super().format_help)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)

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


def _problems(exc: AssessmentFileError) -> typer.Exit:
    """Every problem of a file on a line of its own, then one line saying what to do; exit 2."""
    from iduit.cli.console import message
    from iduit.errors import ExitCode

    for problem in exc.problems:
        message(problem)
    count = len(exc.problems)
    message(
        ntr(
            "iduit: {n} problem; fix it and run the command again",
            "iduit: {n} problems; fix them and run the command again",
            count,
        )
    )
    return typer.Exit(ExitCode.USAGE)


def _load(content: Content, file: str, *, updating: bool = False) -> tuple[Any, Changes]:
    from pathlib import Path

    from iduit.cli.console import message
    from iduit.programme.assessment import AssessmentFileError, load

    try:
        assessment, changes = load(Path(file), content)
    except AssessmentFileError as exc:
        raise _problems(exc) from None
    for line in changes.lines():
        message(tr("iduit: note: {line}").format(line=line))
    if changes.changed and not updating:
        message(tr("iduit: note: iduit assess {file} brings the file up to date").format(file=file))
    return assessment, changes


def _text_out(text: str, output: str | None, force: bool) -> None:
    """Text that is not a document (a template to fill in): to standard output, or a file by the one writer."""
    from pathlib import Path

    from iduit.cli.console import message, write
    from iduit.files import write_file

    if output is None or output == "-":
        write(text)
        return
    write_file(Path(output), text, replace=force)
    message(tr("Wrote {output}").format(output=output))


@app.command(cls=Command)
def checklist(
    ctx: typer.Context,
    target: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(metavar="WHAT...", help="Sections or chapters (3.2, chapter 3); default: everything."),
    ] = None,
    fmt: Annotated[Optional[str], format_option("from the file name, else the terminal")] = None,  # noqa: UP045
    output: OutputOpt = None,
    force: ForceOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Every action of sections or chapters as a checklist, with ids.

    Each action has a stable id, its section and its place there (3.2-a1), which iduit assess uses.

    Example: iduit checklist chapter 3 -o checklist.html

    In the terminal by default; to print, a form with a box per answer (-o checklist.html or .pdf);
    for a spreadsheet, a row per action (-o checklist.csv); or --format markdown, json, text.
    """
    from iduit.outline.programme import checklist_document
    from iduit.programme import actions as cl

    content = settings(ctx).store().content
    words = target or []
    actions = cl.select(content, words)
    document = checklist_document(content, actions, cl.title_for(content, words))
    emit(ctx, document, name="checklist", fmt=fmt, output=output, force=force, plain=plain)


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

    @assess_app.command("start", cls=Command)
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

        from iduit.cli.console import message
        from iduit.programme.assessment import start

        assessment = start(settings(ctx).store().content, Path(file), chapter or [], title, force=force)
        wrote = ntr(
            "Wrote {file} with {n} action. Answer it with: iduit assess {file} (or edit the file, or use "
            "iduit assess export and import with a spreadsheet)",
            "Wrote {file} with {n} actions. Answer them with: iduit assess {file} (or edit the file, or use "
            "iduit assess export and import with a spreadsheet)",
            len(assessment.entries),
        )
        message(wrote.format(file=file))

    @assess_app.command("walk", cls=Command)
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
        from iduit.cli.walk import walk

        content = settings(ctx).store().content
        assessment, changes = _load(content, file, updating=True)
        walk(ctx, content, assessment, changes.changed, start_at)

    @assess_app.command("report", cls=Command)
    def assess_report(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file.")],
        fmt: Annotated[Optional[str], format_option("from the file name, else the terminal")] = None,  # noqa: UP045
        as_json: JsonOpt = False,
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

        Example: iduit assess report review.yaml -o review.html (or .pdf, .md, .json)

        A score is the mean over answered actions (done 1, partly 0.5, not yet 0; not applicable left out).
        """
        import dataclasses

        from iduit.outline.programme import report_document
        from iduit.programme.assessment import report

        content = settings(ctx).store().content
        assessment, changes = _load(content, file)
        rep = report(assessment, content, changes)
        if coverage is not None:
            rep = dataclasses.replace(rep, coverage=_coverage(content, coverage, {}, None, None))
        fmt = "json" if as_json and fmt is None else fmt
        emit(ctx, report_document(content, rep), name="report", fmt=fmt, output=output, force=force, plain=plain)

    @assess_app.command("export", cls=Command)
    def assess_export(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(metavar="FILE", help="The assessment file.")],
        fmt: Annotated[Optional[str], format_option("csv")] = None,  # noqa: UP045
        output: OutputOpt = None,
        force: ForceOpt = False,
    ) -> None:
        """The answers as CSV, for a spreadsheet.

        Columns: action, section, text, status, note; iduit assess import reads it back.

        Example: iduit assess export review.yaml -o answers.csv
        """
        from pathlib import Path

        from iduit.outline.programme import answers_document

        content = settings(ctx).store().content
        assessment, _ = _load(content, file)
        named = output not in (None, "-") and Path(output or "").suffix
        emit(
            ctx,
            answers_document(content, assessment),
            name="answers",
            fmt=fmt or (None if named else "csv"),
            output=output or "-",
            force=force,
        )

    @assess_app.command("import", cls=Command)
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

        from iduit.cli.console import message
        from iduit.content.checker import display_path
        from iduit.errors import UsageError
        from iduit.files import locked, read_regular_file
        from iduit.programme.assessment import AssessmentFileError, import_csv, save

        content = settings(ctx).store().content
        try:
            text = read_regular_file(Path(answers), MAX_ANSWERS_BYTES).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(
                tr("{answers} is not UTF-8 text; save it from the spreadsheet as CSV UTF-8").format(answers=answers)
            ) from exc
        # Read, change and write under the file's lock: an import during a walk, or two at once, loses nothing.
        with locked(Path(file)):
            assessment, _ = _load(content, file, updating=True)
            try:
                changed = import_csv(assessment, text, display_path(Path(answers)))
            except AssessmentFileError as exc:
                raise _problems(exc) from None
            save(assessment)
        changes = ntr("{n} answer changed", "{n} answers changed", changed)
        message(tr("Imported {answers} into {file}: {changes}").format(answers=answers, file=file, changes=changes))

    return assess_app


def _coverage_commands() -> typer.Typer:
    """The coverage subcommands (built when iduit coverage is called)."""
    from iduit.content.indicators import INPUTS

    coverage_app = typer.Typer(rich_markup_mode=None)

    @coverage_app.command("template", cls=Command)
    def coverage_template(output: OutputOpt = None, force: ForceOpt = False) -> None:
        """Write a commented inputs file to fill in.

        Example: iduit coverage template -o inputs.yaml
        """
        from iduit.programme.coverage import template

        _text_out(template(), output, force)

    def coverage_compute(
        ctx: typer.Context,
        inputs: Annotated[
            Optional[str],  # noqa: UP045
            typer.Argument(metavar="INPUTS.yaml", help="An inputs file; options given too take precedence."),
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
        fmt: Annotated[Optional[str], format_option("from the file name, else the terminal")] = None,  # noqa: UP045
        as_json: JsonOpt = False,
        output: OutputOpt = None,
        force: ForceOpt = False,
        plain: PlainOpt = False,
        **figures: str | None,
    ) -> None:
        """Work out each indicator against its benchmarks.

        Each comes with its band, the distance to the next band, targets and sources.

        Example: iduit coverage compute --pwid 12000 --syringes 1500000 --ost 900 --opioid-dependent 8000

        Counts are whole numbers: 1500000 or 1 500 000 (1,500 is refused as ambiguous).
        """
        from iduit.outline.programme import coverage_document

        content = settings(ctx).store().content
        result = _coverage(content, inputs, figures, year, target_year)
        fmt = "json" if as_json and fmt is None else fmt
        emit(ctx, coverage_document(content, result), name="coverage", fmt=fmt, output=output, force=force, plain=plain)

    # One option per input, made from the content's list of inputs rather than written out again here.
    signature = inspect.signature(coverage_compute, eval_str=True)
    keyword = inspect.Parameter.KEYWORD_ONLY
    before = [p.replace(kind=keyword) for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    options = [
        inspect.Parameter(
            i.name,
            keyword,
            default=None,
            annotation=Annotated[Optional[str], typer.Option(i.option, metavar="N", help=f"{i.label}.")],  # noqa: UP045
        )
        for i in INPUTS
    ]
    coverage_compute.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*before[:2], *options, *before[2:]]
    )
    coverage_app.command("compute", cls=Command)(coverage_compute)
    return coverage_app


def _coverage(
    content: Content,
    inputs: str | None,
    options: dict[str, str | None],
    year: int | None,
    target_year: int | None,
) -> CoverageResult:
    from pathlib import Path

    from iduit.errors import UsageError
    from iduit.programme.coverage import Inputs, compute, merge_options, read_inputs

    if not content.indicators:
        raise UsageError(
            tr(
                "this content has no indicators (indicators.yaml); the coverage calculator needs them",
            ),
        )
    figures = read_inputs(Path(inputs)) if inputs is not None else Inputs()
    merge_options(figures, options, year, target_year)
    return compute(content.indicators, figures, content)
