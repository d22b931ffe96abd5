"""What every command shares: the app and its error boundary, global options, settings, shared options,
and the one way a document reaches the user (``emit``).

Only typer is imported at the top: each command imports what it needs, so
``iduit search`` never loads YAML, Markdown or export code. Every command
runs inside one error boundary (``Boundary``): library errors become one
line and their exit code (``iduit.errors.ExitCode``); anything else is a
bug and says so. Command modules import this one; it imports none of them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from iduit import __version__
from iduit.errors import ExitCode, UsageError
from iduit.language.messages import LANGUAGES, ntr, tr

if TYPE_CHECKING:
    from rich.console import RenderableType

    from iduit.cli.console import ColorChoice, Output
    from iduit.outline.blocks import Document
    from iduit.search.store import Store


class _Commands(Mapping[str, Any]):
    """iduit's commands by name, in the order they were defined, each built the first time it is asked for.

    Typer turns every command's options into the command line when a program
    starts; building all of iduit's took about 10 ms of every run. Here one
    command builds one; help, which lists them all, builds all.
    """

    def __init__(self, registry: typer.Typer) -> None:
        self._registry = registry
        self._built: dict[str, Any] = {}

    def _definitions(self) -> dict[str, Any]:
        from typer.main import get_command_name

        found: dict[str, Any] = {}
        for command in self._registry.registered_commands:
            assert command.callback is not None
            found[command.name or get_command_name(command.callback.__name__)] = command
        for group in self._registry.registered_groups:
            assert isinstance(group.name, str), "every command group is named"
            found[group.name] = group
        return found

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            from typer.main import get_command_from_info, get_group
            from typer.models import CommandInfo

            definition = self._definitions()[name]
            if isinstance(definition, CommandInfo):
                built = get_command_from_info(
                    definition,
                    pretty_exceptions_short=self._registry.pretty_exceptions_short,
                    rich_markup_mode=self._registry.rich_markup_mode,
                )
            else:
                built = get_group(definition.typer_instance)
                built.name = name
            self._built[name] = built
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._definitions())

    def __len__(self) -> int:
        return len(self._definitions())


class Boundary(TyperGroup):
    """Runs every command inside the one place that turns errors into messages and exit codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The commands live in ``commands``, not on the app, so that Typer builds none of them up front.
        self.commands = _Commands(commands)  # type: ignore[assignment]

    def main(self, args: Any = None, *extra: Any, **options: Any) -> Any:
        # The language first, so that Typer's own messages and --help speak it too.
        _early_language(list(args) if args is not None else sys.argv[1:])
        return super().main(args, *extra, **options)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translated_help(self, ctx, formatter, super().format_help)

    def invoke(self, ctx: Any) -> Any:
        from iduit.cli.console import message
        from iduit.errors import ContentError, IduitError, NotFound

        try:
            return super().invoke(ctx)
        except ContentError as exc:
            for problem in exc.problems:
                message(problem)
            count = len(exc.problems)
            _fail(
                ntr("the content is invalid ({n} problem)", "the content is invalid ({n} problems)", count),
                ExitCode.USAGE,
            )
        except NotFound as exc:
            hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            _fail(f"{exc}{hint}", exc.exit_code)
        except IduitError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (| head): stop quietly, like other Unix tools.
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            _fail(f"{exc.strerror or exc}{where}", ExitCode.USAGE)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if type(exc).__module__.startswith("click") or type(exc).__module__.startswith("typer"):
                raise  # usage errors: typer prints them with exit 2
            if os.environ.get("IDUIT_DEBUG"):
                raise
            _fail(
                f"internal error ({type(exc).__name__}: {exc}); please report it, "
                "with the command you ran (IDUIT_DEBUG=1 shows the details)",
                ExitCode.INTERNAL,
            )


_TYPE_NOTE = re.compile(r" <[a-z][a-z\[\]| ]*>")
_RANGE = re.compile(r"(?:; )?-?\d+<=x<=\d+|\s*\[\d+<=x<=\d+\]")
_REQUIRED = re.compile(r"\{([A-Z][A-Z0-9._]*)\}")  # a required argument, shown {FILE}: just FILE
_REPEAT = re.compile(r"[{\[]([A-Z][A-Z.]*\.\.\.)[}\]]\.\.\.")


# Headings and phrases the command-line library writes into every help page.
_HELP_WORDS = ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message and exit.", "[required]")


def help_paragraphs(text: str) -> list[str]:
    """A help text's paragraphs, the unit its translations are kept in (without the \\b that keeps lines as typed)."""
    return [p.strip("\n").removeprefix("\b").strip("\n") for p in text.strip().split("\n\n")]


def _translated(text: str | None) -> str | None:
    from iduit.language.messages import tr

    if not text:
        return text
    marked = [p.strip("\n").startswith("\b") for p in text.strip().split("\n\n")]
    paragraphs = [tr(p) for p in help_paragraphs(text)]
    return "\n\n".join(f"\b\n{p}" if keep else p for p, keep in zip(paragraphs, marked, strict=True))


def translated_help(command: Any, ctx: Any, formatter: Any, write: Any) -> None:
    """Write ``command``'s help in the reader's language, then tidy it: no type names, ranges or doubled '...'."""
    from iduit.language.messages import current, tr

    saved = [(command, command.help), *((p, getattr(p, "help", None)) for p in command.params)]
    if current() != "en":
        for owner, text in saved:
            owner.help = _translated(text)
    try:
        write(ctx, formatter)
    finally:
        for owner, text in saved:
            owner.help = text
    text = "".join(formatter.buffer)
    text = _REPEAT.sub(lambda m: m.group(1) if m.group(0).startswith("{") else f"[{m.group(1)}]", text)
    text = _RANGE.sub("", _TYPE_NOTE.sub("", text))
    text = _REQUIRED.sub(r"\1", text)
    text = _realign_arguments(text)
    if current() != "en":
        for word in _HELP_WORDS:
            text = text.replace(word, tr(word))
    formatter.buffer[:] = [text.replace(" []", "")]


def _realign_arguments(text: str) -> str:
    """The arguments' help in one column again, once their type names are gone ('FILE <list[str]>' is 'FILE')."""
    lines = text.split("\n")
    if "Arguments:" not in lines:
        return text
    start = lines.index("Arguments:") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    rows: list[tuple[str, str]] = []  # (the argument's name, or '' on a line that carries on its help; the words)
    for line in lines[start:end]:
        found = re.match(r"  (\S+)(?: {2,}(.*))?$", line)
        if found:
            rows.append((found.group(1), found.group(2) or ""))
        else:
            rows.append(("", line.strip()))
    width = max((len(name) for name, _ in rows), default=0) + 2
    lines[start:end] = [("  " + name.ljust(width) + words).rstrip() for name, words in rows]
    return "\n".join(lines)


def short_help(command: Any, limit: int) -> str:
    """The first line of a command's help, for a list of commands, in the reader's language."""
    from iduit.language.messages import current

    if current() == "en" or not command.help:
        return str(TyperCommand.get_short_help_str(command, limit))
    first = _translated(help_paragraphs(command.help)[0]) or ""
    return first if len(first) <= limit else first[: limit - 3].rstrip() + "..."


class Command(TyperCommand):
    """Help in words people read, in their language: no Python type names, ranges or doubled '...' in it."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translated_help(self, ctx, formatter, super().format_help)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)


class WordsCommand(Command):
    """A command whose words may start with '-' ("naloxone -prison"), as people type them from web search.

    Known options keep working anywhere on the line; any other '-word' is
    passed on as a word. '--' still ends the options.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = dict.fromkeys(ctx.help_option_names, False)
        for param in self.params:
            for name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
                if name.startswith("-"):
                    takes_value[name] = not getattr(param, "is_flag", False) and not getattr(param, "count", False)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            name = arg.split("=", 1)[0]
            if arg == "--":
                words += args[i + 1 :]
                break
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            elif arg.startswith("--") and len(arg) > 2:
                # A mistyped option is a mistake to show, not a word to search for ("--limt 3").
                from difflib import get_close_matches

                near = get_close_matches(name, [n for n in takes_value if n.startswith("--")], n=1, cutoff=0.6)
                hint = tr("; did you mean {option}?").format(option=near[0]) if near else ""
                raise UsageError(tr("no such option: {option}{hint}").format(option=name, hint=hint))
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words] if words else options)


def _silence_stdout() -> None:
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(text: str, code: int) -> NoReturn:
    from iduit.cli.console import message

    message(tr("iduit: {text}").format(text=text))
    raise typer.Exit(code)


# Where each command module defines its commands (``@commands.command()``); ``app`` runs them.
commands = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)

app = typer.Typer(
    name="iduit",
    cls=Boundary,
    help=(
        "Search, read and export the IDUIT (UN guidance on HIV and hepatitis C programmes "
        "with people who inject drugs), offline.\n\nExample: iduit search overdose"
    ),
    invoke_without_command=True,
    add_completion=True,  # --install-completion and --show-completion for bash, zsh, fish and PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Settings(NamedTuple):  # a named tuple: immutable, and made at start-up in a tenth of a dataclass's time
    """What the global options chose; every command finds it as ``ctx.obj``."""

    data_dir: Path | None
    color: ColorChoice
    lang: str = "en"

    def content_dir(self) -> Path:
        from iduit.paths import data_dir

        return data_dir(self.data_dir)

    def output(self, *, plain: bool = False, pager: bool | None = None) -> Output:
        from iduit.cli.console import Output

        return Output.decide(self.color, plain=plain, pager=pager)

    def store(self) -> Store:
        """The store, its content already read: a damaged content file is rebuilt here, not reported."""
        from iduit.search.store import with_store

        def loaded(store: Store) -> Store:
            store.content  # noqa: B018 - read inside with_store, so damage is repaired once
            return store

        store = with_store(self.content_dir(), loaded, lang=self.lang, on_build=building)
        notes(store)
        return store


def settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_object(Settings)
    if settings is not None:
        return settings
    from iduit.language.messages import current

    return Settings(None, "auto", current())


def building() -> Any:
    """A spinner while the store builds, when someone is watching."""
    import contextlib

    if sys.stderr is not None and sys.stderr.isatty():
        from rich.console import Console

        from iduit.language.messages import tr

        return Console(stderr=True).status(tr("Preparing the content (only after installs and content changes)…"))
    return contextlib.nullcontext()


def notes(store: Store) -> None:
    from iduit.cli.console import message
    from iduit.language.messages import tr

    for note in store.notes:
        message(tr("iduit: note: {note}").format(note=note))


def with_store(ctx: typer.Context, action: Any) -> Any:
    """Run ``action`` on the store, opening it afresh once if it turns out damaged."""
    from iduit.search.store import with_store as open_with_store

    def noted(store: Store) -> Any:
        notes(store)
        return action(store)

    chosen = settings(ctx)
    return open_with_store(chosen.content_dir(), noted, lang=chosen.lang, on_build=building)


def show(ctx: typer.Context, renderable: RenderableType, *, plain: bool, pager: bool | None = None) -> None:
    from iduit.cli import console

    console.show(renderable, settings(ctx).output(plain=plain, pager=pager))


def print_json(data: Any) -> None:
    from iduit.cli.console import json_text, write

    write(json_text(data))


def _version(value: bool) -> None:
    if value:
        from iduit.cli.console import write

        write(f"iduit {__version__}\n")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    ctx: typer.Context,
    data_dir: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime on 3.10
        typer.Option("--data-dir", metavar="FOLDER", help="Content folder to use instead of the packaged one."),
    ] = None,
    color: Annotated[
        str,
        typer.Option("--color", metavar="auto|always|never", help="Colour: auto (on a terminal), always or never."),
    ] = "auto",
    lang: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--lang",
            metavar="|".join(LANGUAGES),
            help="Language of the guidance and of iduit's words (default: IDUIT_LANG, else the locale).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Search, read and export the IDUIT guidance offline."""
    from iduit.errors import UsageError
    from iduit.language import messages

    chosen_lang = messages.choose(lang)
    messages.use(chosen_lang)

    if ctx.invoked_subcommand is None:  # bare "iduit": the help, and success
        from iduit.cli.console import write

        write(ctx.get_help() + "\n")
        raise typer.Exit(ExitCode.OK)
    if color not in ("auto", "always", "never"):
        raise UsageError(tr("--color takes auto, always or never, not '{color}'").format(color=color))
    chosen = data_dir or (Path(os.environ["IDUIT_DATA_DIR"]) if os.environ.get("IDUIT_DATA_DIR") else None)
    ctx.obj = Settings(chosen, color, chosen_lang)  # type: ignore[arg-type]


PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text: no colour, styling or boxes.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PagerOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option("--pager/--no-pager", help="Page the output (default: when it is taller than the screen)."),
]


ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]
OutputOpt = Annotated[
    Optional[str],  # noqa: UP045 - a string: a trailing / (a folder) must survive
    typer.Option("--output", "-o", metavar="FILE", help="File to write (or a folder ending in /); - for stdout."),
]


def format_option(default: str) -> Any:
    """The --format option, its choices taken from the format registry."""
    from iduit.formats import names_text

    return typer.Option("--format", "-f", metavar="FORMAT", help=f"{names_text()}; default: {default}.")


def emit(
    ctx: typer.Context,
    document: Document,
    *,
    name: str,
    fmt: str | None = None,
    output: str | None = None,
    force: bool = False,
    plain: bool = False,
    pager: bool | None = None,
) -> None:
    """A document to the terminal, or in a format to standard output or a file (through ``deliver``, as exports go)."""
    if fmt is None and output is None:
        from iduit.formats.terminal import document_view

        show(ctx, document_view(document, plain=plain), plain=plain, pager=pager)
        return
    from iduit.cli.console import message, write_file_text
    from iduit.formats.output import deliver

    result = deliver(document, output=output, format_name=fmt, name=name, force=force)
    if result.text is not None:
        write_file_text(result.text)
    else:
        message(result.summary)


def main() -> None:
    """Console-script entry point: also catches what happens outside a command (option parsing, --help)."""
    _ensure_streams()
    _early_language(sys.argv[1:])
    code = 0
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        _fail_quietly("interrupted", ExitCode.INTERRUPTED)
    except OSError as exc:  # e.g. --help or --version written to a full disk
        _fail_quietly(exc.strerror or str(exc), ExitCode.USAGE)
    except Exception as exc:  # a bug before any command ran (building the command line itself)
        if os.environ.get("IDUIT_DEBUG"):
            raise
        _fail_quietly(f"internal error ({type(exc).__name__}: {exc}); please report it", ExitCode.INTERNAL)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        _fail_quietly(exc.strerror or str(exc), ExitCode.USAGE)
    sys.exit(code)


def _early_language(args: list[str]) -> None:
    """The language, chosen before Typer reads the command line, so its own messages and --help speak it too."""
    from iduit.language import messages

    option = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            option = args[i + 1]
        elif arg.startswith("--lang="):
            option = arg.split("=", 1)[1]
    try:
        messages.use(messages.choose(option))
    except UsageError:
        messages.use(messages.choose(None))  # the callback reports the bad --lang


def _ensure_streams() -> None:
    """A closed stdout or stderr (iduit >&-) becomes a sink, so iduit can still say what went wrong."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def _fail_quietly(text: str, code: int) -> NoReturn:
    from iduit.cli.console import message

    message(tr("iduit: {text}").format(text=text))
    _silence_stdout()
    sys.exit(code)
