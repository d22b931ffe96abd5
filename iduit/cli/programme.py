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
    commands,
    emit,
    format_option,
    settings,
    short_help,
    translated_help,
)
from iduit.language.messages import ntr, tr

if TYPE_CHECKING:
    from iduit.content.model import Content
    from iduit.outline.blocks import Document
    from iduit.programme.assessment import AssessmentFileError, Changes
    from iduit.programme.coverage import CoverageResult
    from iduit.programme.merge import Conflict


ByOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--by",
        metavar="NAME",
        help="Who is answering, kept with each answer (default: IDUIT_USER, else the account name).",
    ),
]


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


def _sites(content: Content, names: list[str], coverage: str | None) -> Document:
    """Several sites' report; a file that cannot be read stops it, in one line naming the file."""
    from pathlib import Path

    from iduit.cli.console import message
    from iduit.errors import UsageError
    from iduit.outline.programme import sites_document
    from iduit.programme.assessment import load
    from iduit.programme.sites import assessment_files, sites_report

    if coverage is not None:
        raise UsageError(tr("--coverage goes with one assessment file, not several sites"))
    loaded = []
    moves = []
    for path in assessment_files([Path(name) for name in names]):
        assessment, changes = load(path, content)  # a problem stops here, in one line naming the file
        for line in changes.lines():
            message(tr("iduit: note: {file}: {line}").format(file=path, line=line))
        loaded.append((assessment, str(path)))
        moves.append(changes)
    return sites_document(content, sites_report(content, loaded, moves))


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


@commands.command(cls=Command)
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


commands.add_typer(
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
commands.add_typer(
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
        by: ByOpt = None,
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
        walk(ctx, content, assessment, changes.changed, start_at, by)

    @assess_app.command("report", cls=Command)
    def assess_report(
        ctx: typer.Context,
        files: Annotated[
            list[str],
            typer.Argument(
                metavar="FILE...", help="The assessment file; several files, or a folder of them, for several sites."
            ),
        ],
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

        Gaps come most important first, each with the section to read. Several files (or a folder of them)
        give the sites side by side: a row per site, a score per chapter, and the gaps most sites share.

        Example: iduit assess report review.yaml -o review.html (or .pdf, .md, .json; sites/ for every site)

        A score is the mean over answered actions (done 1, partly 0.5, not yet 0; not applicable left out).
        """
        import dataclasses
        from pathlib import Path

        fmt = "json" if as_json and fmt is None else fmt
        content = settings(ctx).store().content
        if len(files) > 1 or Path(files[0]).is_dir():
            document = _sites(content, files, coverage)
            emit(ctx, document, name="sites", fmt=fmt, output=output, force=force, plain=plain)
            return
        from iduit.outline.programme import report_document
        from iduit.programme.assessment import report

        assessment, changes = _load(content, files[0])
        rep = report(assessment, content, changes)
        if coverage is not None:
            rep = dataclasses.replace(rep, coverage=_coverage(content, coverage, {}, None, None))
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

        Columns: action, section, text, status, note, by, answered; iduit assess import reads it back.

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
        by: ByOpt = None,
    ) -> None:
        """Take a spreadsheet's answers back in.

        Reads a CSV (action and status columns, note optional) into the file: all rows or none.
        A changed answer keeps the by and answered columns of its row when they name someone else (a
        teammate's export); otherwise it is recorded as given by --by, now.

        Example: iduit assess import review.yaml answers.csv
        """
        from pathlib import Path

        from iduit.cli.console import message
        from iduit.content.checker import display_path
        from iduit.files import locked
        from iduit.programme.assessment import AssessmentFileError, import_csv, read_answers_csv, save

        content = settings(ctx).store().content
        text = read_answers_csv(Path(answers), answers)
        # Read, change and write under the file's lock: an import during a walk, or two at once, loses nothing.
        with locked(Path(file)):
            assessment, _ = _load(content, file, updating=True)
            try:
                changed = import_csv(assessment, text, display_path(Path(answers)), by=by)
            except AssessmentFileError as exc:
                raise _problems(exc) from None
            save(assessment)
        changes = ntr("{n} answer changed", "{n} answers changed", changed)
        message(tr("Imported {answers} into {file}: {changes}").format(answers=answers, file=file, changes=changes))

    @assess_app.command("merge", cls=Command)
    def assess_merge(
        ctx: typer.Context,
        out: Annotated[str, typer.Argument(metavar="OUT", help="The assessment file to write (YAML).")],
        files: Annotated[
            list[str], typer.Argument(metavar="FILE", help="Assessment files or answers CSVs, one per person.")
        ],
        prefer: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--prefer",
                metavar="RULE",
                help="Settle different answers to an action: newest (the latest wins), or one FILE whose answer wins.",
            ),
        ] = None,
        force: ForceOpt = False,
    ) -> None:
        """Combine several people's answers into one assessment file.

        Each person answers in a copy (iduit assess walk, by hand, or an exported spreadsheet); merge joins them.

        Example: iduit assess merge review.yaml anna.yaml boris.yaml answers-chapter-3.csv

        Answers to different actions join and the same answer twice is one; different answers to one action
        are listed and nothing is written, unless --prefer settles them. OUT is a new file: to replace one,
        add --force, and list it among the files too to keep its answers.
        """
        from iduit.cli.console import message
        from iduit.errors import ExitCode
        from iduit.programme.assessment import AssessmentFileError
        from iduit.programme.merge import merge_files

        content = settings(ctx).store().content
        try:
            merged = merge_files(content, files, out, prefer, force=force)
        except AssessmentFileError as exc:
            raise _problems(exc) from None
        for source in merged.sources:
            for line in source.changes.lines() if source.changes else []:
                message(tr("iduit: note: {file}: {line}").format(file=source.name, line=line))
        if not merged.ok:
            for line in _conflict_lines(merged.conflicts):
                message(line)
            raise typer.Exit(ExitCode.USAGE)
        done = merged.assessment
        message(
            tr("Wrote {out} from {n} files: {answered} of {total} actions answered").format(
                out=out, n=len(files), answered=done.answered, total=len(done.entries)
            )
        )
        if merged.settled:
            message(ntr("{n} difference settled by --prefer", "{n} differences settled by --prefer", merged.settled))

    return assess_app


def _conflict_lines(conflicts: tuple[Conflict, ...]) -> list[str]:
    """Each action the files answer differently, with every file's answer, who and when; then what to do."""
    from iduit.programme.merge import TIE, UNANSWERED, UNTIMED

    reasons = {
        TIE: tr("--prefer newest cannot choose: two different answers have the same latest time"),
        UNTIMED: tr("--prefer newest cannot choose: an answer has no time"),
        UNANSWERED: tr("--prefer cannot choose: the preferred file has no answer here"),
    }
    lines = [
        ntr(
            "iduit: {n} action has different answers in these files; nothing was written:",
            "iduit: {n} actions have different answers in these files; nothing was written:",
            len(conflicts),
        )
    ]
    for conflict in conflicts:
        reason = reasons.get(conflict.reason)
        lines.append(f"{conflict.action}: {reason}" if reason else f"{conflict.action}:")
        for given in conflict.answers:
            lines.append(
                "  "
                + tr("{file}: {answer}{note} ({who}, {when})").format(
                    file=given.source,
                    answer=tr(given.status) if given.status else tr("no answer"),
                    note=tr("; note: {note}").format(note=given.note) if given.note else "",
                    who=given.by or tr("who is not recorded"),
                    when=given.answered or tr("no time recorded"),
                )
            )
    lines.append(
        tr("iduit: choose with --prefer newest or --prefer FILE, or make the answers agree, then run the command again")
    )
    return lines


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
