"""The iduit command line: parse arguments, call the library, show the result.

Only typer is imported at the top: each command imports what it needs, so
``iduit search`` never loads YAML, Markdown or export code. Every command
runs inside one error boundary (``_Boundary``): library errors become one
line and their exit code; anything else is a bug and says so (exit 70).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from iduit import __version__
from iduit.formats import names_text  # the registry table only: no renderer is imported

if TYPE_CHECKING:
    from rich.console import RenderableType

    from iduit.store import Store
    from iduit.terminal import ColorChoice, Output

EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug in iduit, not a problem with the input


class _Boundary(TyperGroup):
    """Runs every command inside the one place that turns errors into messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        from iduit.errors import ContentError, IduitError, NotFound
        from iduit.terminal import message

        try:
            return super().invoke(ctx)
        except ContentError as exc:
            for problem in exc.problems:
                message(problem)
            count = len(exc.problems)
            _fail(f"the content is invalid ({count} problem{'s' if count != 1 else ''})", 2)
        except NotFound as exc:
            hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            _fail(f"{exc}{hint}", exc.exit_code)
        except IduitError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (| head): stop quietly, like other Unix tools.
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            _fail(f"{exc.strerror or exc}{where}", 2)
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
                EXIT_INTERNAL,
            )


_TYPE_NOTE = re.compile(r" <[a-z][a-z\[\]| ]*>")
_RANGE = re.compile(r"(?:; )?-?\d+<=x<=\d+|\s*\[\d+<=x<=\d+\]")
_REPEAT = re.compile(r"[{\[]([A-Z][A-Z.]*\.\.\.)[}\]]\.\.\.")


class _Command(TyperCommand):
    """Help in words people read: no Python type names, ranges or doubled '...' in it."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        super().format_help(ctx, formatter)
        text = "".join(formatter.buffer)
        text = _REPEAT.sub(lambda m: m.group(1) if m.group(0).startswith("{") else f"[{m.group(1)}]", text)
        text = _RANGE.sub("", _TYPE_NOTE.sub("", text))
        formatter.buffer[:] = [text.replace(" []", "")]


class _WordsCommand(_Command):
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
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words] if words else options)


def _silence_stdout() -> None:
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(text: str, code: int) -> NoReturn:
    from iduit.terminal import message

    message(f"iduit: {text}")
    raise typer.Exit(code)


app = typer.Typer(
    name="iduit",
    cls=_Boundary,
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


@dataclass(frozen=True)
class Settings:
    """What the global options chose; every command finds it as ``ctx.obj``."""

    data_dir: Path | None
    color: ColorChoice

    def content_dir(self) -> Path:
        from iduit.paths import data_dir

        return data_dir(self.data_dir)

    def output(self, *, plain: bool = False, pager: bool | None = None) -> Output:
        from iduit.terminal import Output

        return Output.decide(self.color, plain=plain, pager=pager)

    def store(self) -> Store:
        """The store, its content already read: a damaged content file is rebuilt here, not reported."""
        from iduit.store import with_store

        def loaded(store: Store) -> Store:
            store.content  # noqa: B018 - read inside with_store, so damage is repaired once
            return store

        store = with_store(self.content_dir(), loaded, on_build=_building)
        _notes(store)
        return store


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_object(Settings)
    return settings if settings is not None else Settings(None, "auto")


def _building() -> Any:
    """A spinner while the store builds, when someone is watching."""
    import contextlib

    if sys.stderr is not None and sys.stderr.isatty():
        from rich.console import Console

        return Console(stderr=True).status("Preparing the content (only after installs and content changes)…")
    return contextlib.nullcontext()


def _notes(store: Store) -> None:
    from iduit.terminal import message

    for note in store.notes:
        message(f"iduit: note: {note}")


def _with_store(ctx: typer.Context, action: Any) -> Any:
    """Run ``action`` on the store, opening it afresh once if it turns out damaged."""
    from iduit.store import with_store

    def noted(store: Store) -> Any:
        _notes(store)
        return action(store)

    return with_store(_settings(ctx).content_dir(), noted, on_build=_building)


def _show(ctx: typer.Context, renderable: RenderableType, *, plain: bool, pager: bool | None = None) -> None:
    from iduit.terminal import show

    show(renderable, _settings(ctx).output(plain=plain, pager=pager))


def _json(data: Any) -> None:
    from iduit.terminal import json_text, write

    write(json_text(data))


def _version(value: bool) -> None:
    if value:
        from iduit.terminal import write

        write(f"iduit {__version__}\n")
        raise typer.Exit(0)


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
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Search, read and export the IDUIT guidance offline."""
    from iduit.errors import UsageError

    if ctx.invoked_subcommand is None:  # bare "iduit": the help, and success
        from iduit.terminal import write

        write(ctx.get_help() + "\n")
        raise typer.Exit(0)
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color takes auto, always or never, not '{color}'")
    chosen = data_dir or (Path(os.environ["IDUIT_DATA_DIR"]) if os.environ.get("IDUIT_DATA_DIR") else None)
    ctx.obj = Settings(chosen, color)  # type: ignore[arg-type]


PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text: no colour, styling or boxes.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PagerOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option("--pager/--no-pager", help="Page the output (default: when it is taller than the screen)."),
]


# -- commands ---------------------------------------------------------------------


@app.command(cls=_WordsCommand)
def search(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(metavar="WORDS...", help="What to look for.")],
    chapter: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--chapter", "-c", metavar="N", min=0, max=99, help="Only chapter N (0 = introduction)."),
    ] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", "-t", metavar="TAG", help="Only with this tag.")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", min=1, max=1000, help="Show N results.")] = 10,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Search: the sections and job aids that answer your words.

    Example: iduit search needle exchange --chapter 3

    \b
    Leave a word out:      iduit search naloxone -prison
    Find an exact phrase:  iduit search '"take-home doses"'
    """
    from iduit.search import require_hits, search

    text = " ".join(query)
    found, store = _with_store(
        ctx, lambda store: (search(store, text, chapter=chapter, tag=tag, limit=limit), store, store.content)
    )[:2]
    if as_json:
        _json(found.to_dict(store.content))
    elif found.total:
        from iduit.render import search_view

        _show(ctx, search_view(found, store.content, plain=plain), plain=plain, pager=pager)
    require_hits(found, chapter=chapter, tag=tag)


@app.command(cls=_Command)
def show(
    ctx: typer.Context,
    target: Annotated[
        list[str], typer.Argument(metavar="WHAT...", help="A section (3.12), chapter 3, intro, or a job aid (T3).")
    ],
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Read a section, a whole chapter or a job aid.

    Examples: iduit show 3.12 · iduit show chapter 3 · iduit show intro · iduit show T8
    """
    from iduit.outline import document
    from iduit.render import document_view
    from iduit.targets import parse_targets, resolve

    targets = parse_targets(target)

    def gather(store: Store) -> Any:
        items = resolve(store.content, targets)
        return document(store.content, items, related=store.related_for(items))

    _show(ctx, document_view(_with_store(ctx, gather), plain=plain), plain=plain, pager=pager)


@app.command(cls=_Command)
def toc(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """The table of contents.

    Example: iduit toc
    """
    content = _settings(ctx).store().content
    if as_json:
        from iduit.outline import toc_data

        _json(toc_data(content))
    else:
        from iduit.render import toc_view

        _show(ctx, toc_view(content), plain=plain, pager=pager)


@app.command(cls=_Command)
def define(
    ctx: typer.Context,
    term: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(metavar="TERM...", help="An acronym or term, e.g. OST or 'harm reduction'."),
    ] = None,
    every: Annotated[bool, typer.Option("--list", help="List every glossary term.")] = False,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    pager: PagerOpt = None,
) -> None:
    """Look up an acronym or term in the glossary.

    Examples: iduit define OST · iduit define --list
    """
    from iduit.glossary import lookup
    from iduit.outline import glossary_document

    content = _settings(ctx).store().content
    document = glossary_document(content, None if every else lookup(content, " ".join(term or [])))
    if as_json:
        _json(document.data)
    else:
        from iduit.render import document_view

        _show(ctx, document_view(document, plain=plain), plain=plain, pager=pager)


@app.command(cls=_Command)
def tools(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """List the job aids (forms, checklists, model texts).

    Example: iduit tools, then iduit show T8
    """
    from iduit.render import tools_view

    content = _settings(ctx).store().content
    if as_json:
        _json({"tools": [{"id": t.id, "title": t.title, "purpose": t.purpose} for t in content.tools]})
    else:
        _show(ctx, tools_view(content), plain=plain, pager=pager)


@app.command(cls=_Command)
def tags(ctx: typer.Context, as_json: JsonOpt = False, plain: PlainOpt = False, pager: PagerOpt = None) -> None:
    """List the tags, for search --tag.

    Example: iduit tags
    """
    from iduit.search import tag_counts

    counts = tag_counts(_settings(ctx).store().content)
    if as_json:
        _json({"tags": [{"tag": tag, "count": n} for tag, n in counts]})
    else:
        from iduit.render import tags_view

        _show(ctx, tags_view(counts), plain=plain, pager=pager)


@app.command(cls=_Command)
def export(
    ctx: typer.Context,
    target: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(metavar="WHAT...", help="Sections, chapters or job aids (3.12, chapter 3, T8), or glossary."),
    ] = None,
    output: Annotated[
        Optional[str],  # noqa: UP045 - a string: a trailing / (a folder) must survive
        typer.Option(
            "--output", "-o", metavar="FILE", help="File to write (a folder with --all, or ending in /); - for stdout."
        ),
    ] = None,
    fmt: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{names_text()}; default: from the file name.",
        ),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option("--all", help="Everything: a file per chapter, job aids, glossary, index; epub/zim: one file."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Export to a file: Markdown, HTML, JSON and more.

    Example: iduit export 3.12 -o overdose.md

    \b
    The format follows the file name:  iduit export chapter 3 -o ch3.html
    Everything, a file per chapter:    iduit export --all -o handouts/
    Everything in one e-book:          iduit export --all -o iduit.epub
    Everything in one Kiwix file:      iduit export --all -o iduit.zim
    A printable handout:               iduit export 3.12 -o overdose.pdf
    """
    from iduit.export import export_to
    from iduit.terminal import message, write_file_text

    content = _settings(ctx).store().content
    result = export_to(content, target or [], output=output, format_name=fmt, everything=everything, force=force)
    if result.text is not None:
        write_file_text(result.text)
    else:
        message(result.summary)


@app.command(cls=_Command)
def validate(
    ctx: typer.Context,
    directory: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(metavar="FOLDER", help="Content folder to check (default: the one in use)."),
    ] = None,
) -> None:
    """Check the content files and list every problem.

    Example: iduit validate data/
    """
    from iduit.errors import ContentError
    from iduit.loader import check_content
    from iduit.terminal import message, write

    where = directory.resolve() if directory else _settings(ctx).content_dir()
    result = check_content(where)
    for warning in result.warnings:
        message(warning)
    if result.content is None:
        raise ContentError(result.problems)
    content = result.content
    sections = sum(len(c.sections) for c in content.chapters)
    write(
        f"{where}: OK ({len(content.chapters)} chapters, {sections} sections, {len(content.tools)} job aids, "
        f"{len(content.glossary)} glossary terms, {len(content.sources)} sources"
        f"{f', {len(result.warnings)} warnings' if result.warnings else ''})\n"
    )


@app.command("index", cls=_Command)
def index_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build it again even if it is up to date.")] = False,
    clean: Annotated[bool, typer.Option("--clean", help="Remove everything iduit has cached, then stop.")] = False,
) -> None:
    """Prepare the search index now; say where it is.

    Example: iduit index --rebuild
    """
    from iduit.store import build_store, clean_cache, open_store
    from iduit.terminal import write

    if clean:
        root, count = clean_cache()
        write(f"Removed {count} cached index{'es' if count != 1 else ''} from {root}\n")
        return
    where = _settings(ctx).content_dir()
    store = build_store(where, on_build=_building) if rebuild else open_store(where, on_build=_building)
    location = str(store.location) if store.location else "memory (the cache folder is not writable)"
    state = f"built in {store.build_seconds:.2f} s" if store.built else "up to date"
    sections = sum(len(c.sections) for c in store.content.chapters)
    write(f"Index: {location}\nSections: {sections}\nJob aids: {len(store.content.tools)}\nStatus: {state}\n")
    for note in store.notes:
        write(f"Note: {note}\n")


# -- command modules: each adds its commands with register(app); they import only typer at the top --
importlib.import_module("iduit.cli_site").register(app)
importlib.import_module("iduit.cli_programme").register(app)


def main() -> None:
    """Console-script entry point: also catches what happens outside a command (option parsing, --help)."""
    _ensure_streams()
    code = 0
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        _fail_quietly("interrupted", 130)
    except OSError as exc:  # e.g. --help or --version written to a full disk
        _fail_quietly(exc.strerror or str(exc), 2)
    except Exception as exc:  # a bug before any command ran (building the command line itself)
        if os.environ.get("IDUIT_DEBUG"):
            raise
        _fail_quietly(f"internal error ({type(exc).__name__}: {exc}); please report it", EXIT_INTERNAL)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        _fail_quietly(exc.strerror or str(exc), 2)
    sys.exit(code)


def _ensure_streams() -> None:
    """A closed stdout or stderr (iduit >&-) becomes a sink, so iduit can still say what went wrong."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def _fail_quietly(text: str, code: int) -> NoReturn:
    from iduit.terminal import message

    message(f"iduit: {text}")
    _silence_stdout()
    sys.exit(code)
