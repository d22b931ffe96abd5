"""The iduit command line: parse arguments, call the library, format output.

Only typer is imported at the top: each command imports what it needs, so
`iduit search` never loads YAML, Markdown or export code.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, TypeVar, cast

import typer

from iduit import __version__

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from iduit.index import ContentIndex

app = typer.Typer(
    name="iduit",
    help=(
        "Search, read and export the IDUIT (UN guidance on HIV and hepatitis C programmes "
        "with people who inject drugs), offline.\n\nExample: iduit search overdose"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"data_dir": None}
T = TypeVar("T")


# -- plumbing ----------------------------------------------------------------


def _content_dir() -> Path:
    from iduit.paths import data_dir

    return data_dir(_state["data_dir"])


def _is_plain(plain: bool) -> bool:
    return plain or bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()


def _console(plain: bool) -> Console:
    from rich.console import Console

    if _is_plain(plain):
        return Console(color_system=None, no_color=True, highlight=False, emoji=False, force_terminal=False)
    return Console(highlight=False, emoji=False)


def _err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False, no_color=bool(os.environ.get("NO_COLOR")))


def _fail(message: str, code: int) -> NoReturn:
    from rich.text import Text

    _err_console().print(Text(f"iduit: {message}"), soft_wrap=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one-line messages and exit codes; no tracebacks."""
    from iduit.errors import ContentError, IduitError, NotFound

    try:
        yield
    except ContentError as exc:
        from rich.text import Text

        console = _err_console()
        for problem in exc.problems:
            console.print(Text(problem), soft_wrap=True)
        _fail(f"the content is invalid ({len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''})", 2)
    except NotFound as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        _fail(f"{exc}{hint}", exc.exit_code)
    except IduitError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, like other Unix tools.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        _fail(f"{exc.strerror or exc}{where}", 2)


def _building() -> Any:
    """A spinner while the index builds, when someone is watching."""
    if sys.stderr.isatty():
        return _err_console().status("Building the search index (only after installs and content changes)…")
    return contextlib.nullcontext()


def _note(index: ContentIndex) -> None:
    from rich.text import Text

    for note in index.notes:
        _err_console().print(Text(f"iduit: note: {note}", style="dim"), soft_wrap=True)


def _open_index() -> ContentIndex:
    from iduit.index import open_index

    index = open_index(_content_dir(), on_build=_building)
    _note(index)
    return index


def _with_index(action: Callable[[ContentIndex], T]) -> T:
    """Run ``action`` on the index, rebuilding once if the index breaks under it."""
    from iduit.index import with_index

    def noted(index: ContentIndex) -> T:
        _note(index)
        return action(index)

    return cast("T", with_index(_content_dir(), noted, on_build=_building))


def _print(renderable: RenderableType, *, plain: bool, pager: bool = False) -> None:
    console = _console(plain)
    if pager and console.is_terminal and not _is_plain(plain):
        os.environ.setdefault("LESS", "-FRX")  # colours through less; quit if it fits
        with console.pager(styles=True):
            console.print(renderable)
    elif _is_plain(plain):
        # Rich pads lines to the full width; plain text should not carry that.
        with console.capture() as captured:
            console.print(renderable)
        sys.stdout.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")
    else:
        console.print(renderable)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"iduit {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    data_dir: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime on 3.10
        typer.Option("--data-dir", help="Content directory to use instead of the packaged one [env: IDUIT_DATA_DIR]."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Search, read and export the IDUIT guidance offline."""
    _state["data_dir"] = data_dir


PlainOpt = Annotated[bool, typer.Option("--plain", help="No colour or styling (also with NO_COLOR or a pipe).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


# -- commands ---------------------------------------------------------------------


@app.command()
def search(
    query: Annotated[
        list[str], typer.Argument(help='Words to look for; "quoted phrases", title:word and, after --, -word work too.')
    ],
    chapter: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--chapter", "-c", min=0, max=99, help="Only this chapter (0 = introduction)."),
    ] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", "-t", help="Only sections with this tag.")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many results to show.")] = 10,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Ranked full-text search; synonyms, spellings and typos are handled.

    Example: iduit search needle exchange --chapter 3

    To leave out a word, put the query after --: iduit search -- naloxone -prison
    """
    with _errors():
        from iduit.search import search as run_search

        text = " ".join(query)
        result = _with_index(lambda index: run_search(index, text, chapter=chapter, tag=tag, limit=limit))
        if as_json:
            _print_json(result.to_dict())
        else:
            from iduit.render import search_view

            if result.total:
                _print(search_view(result, plain=plain), plain=plain)
        if not result.total:
            scope = "".join(
                [f" in chapter {chapter}" if chapter is not None else "", f" tagged '{tag}'" if tag else ""]
            )
            hint = f"; did you mean “{result.suggestion}”?" if result.suggestion else "; try fewer or other words"
            _fail(f"nothing found for “{text}”{scope}{hint}", 1)


@app.command()
def show(
    target: Annotated[list[str], typer.Argument(help="A section id (3.12), 'chapter 3', 'section 3.2' or 'intro'.")],
    plain: PlainOpt = False,
    pager: Annotated[bool, typer.Option("--pager/--no-pager", help="Page long output on a terminal.")] = True,
) -> None:
    """Read a section or a whole chapter in the terminal.

    Examples: iduit show 3.12 · iduit show chapter 3 · iduit show intro
    """
    with _errors():
        from rich.console import Group

        from iduit.render import chapter_view, footer, section_view
        from iduit.search import related
        from iduit.targets import missing, parse_targets

        targets = parse_targets(target)
        is_plain = _is_plain(plain)

        def views(index: ContentIndex) -> list[RenderableType]:
            titles = {i: index.section_title(i) or "" for i in index.section_ids()}
            sources = index.sources
            out: list[RenderableType] = []
            for kind, value in targets:
                found: Any = index.chapter(int(value)) if kind == "chapter" else index.section(value)
                if found is None:
                    numbers = [c["number"] for c in index.meta["chapters"]]
                    raise missing(kind, value, index.section_ids(), numbers)
                if kind == "chapter":
                    out.append(chapter_view(found, sources=sources, titles=titles, plain=is_plain))
                else:
                    chapter_title = next(c["title"] for c in index.meta["chapters"] if c["number"] == found.chapter)
                    out.append(
                        section_view(
                            found,
                            chapter_title=chapter_title,
                            sources=sources,
                            titles=titles,
                            related=related(index, found.id, exclude=found.see_also),
                            plain=is_plain,
                        )
                    )
            out.append(footer(index.toolkit))
            return out

        _print(Group(*_with_index(views)), plain=plain, pager=pager)


@app.command()
def toc(as_json: JsonOpt = False, plain: PlainOpt = False) -> None:
    """The table of contents: chapters and their section ids and titles.

    Example: iduit toc
    """
    with _errors():
        index = _open_index()
        chapters = [
            {"number": c["number"], "title": c["title"], "sections": c["sections"]} for c in index.meta["chapters"]
        ]
        if as_json:
            _print_json({"chapters": chapters})
        else:
            from iduit.render import toc_view

            _print(toc_view(chapters), plain=plain)


@app.command()
def define(
    term: Annotated[list[str], typer.Argument(help="An acronym or term, e.g. OST or 'harm reduction'.")],
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Look up an acronym or term in the glossary.

    Example: iduit define OST
    """
    with _errors():
        from iduit.glossary import lookup

        index = _open_index()
        matches = lookup(index.glossary, " ".join(term))
        if as_json:
            _print_json({"terms": [m.__dict__ | {"sections": list(m.sections)} for m in matches]})
        else:
            from iduit.render import term_view

            titles = {i: index.section_title(i) or "" for i in index.section_ids()}
            _print(term_view(matches, titles), plain=plain)


@app.command()
def export(
    target: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Section ids or chapters: 3.12, 'chapter 3', intro."),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="File to write (a folder with --all); stdout if not given or '-'."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="markdown, json or html.")] = "markdown",
    everything: Annotated[bool, typer.Option("--all", help="Every chapter, one file each, plus an index.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Export sections or chapters as Markdown (default), JSON or HTML.

    Examples: iduit export 3.12 -o overdose.md · iduit export chapter 3 --format html -o ch3.html ·
    iduit export --all -o handouts/
    """
    with _errors():
        from iduit.errors import UsageError
        from iduit.export import FORMATS, export_all, render, resolve_items, write_all, write_new_file
        from iduit.loader import load_content
        from iduit.targets import parse_targets

        fmt = fmt.lower()
        if fmt == "md":
            fmt = "markdown"
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}' (choose markdown, json or html)")
        if everything:
            if target:
                raise UsageError("give either section ids or --all, not both")
            if output is None:
                raise UsageError("--all writes one file per chapter: give a folder with -o")
            content = load_content(_content_dir())
            written = write_all(output, export_all(content, fmt), force=force)
            _err_console().print(f"Wrote {len(written)} files to {output}", markup=False, highlight=False)
            return
        if not target:
            raise UsageError("say what to export: a section id like 3.12, 'chapter 3', or --all")
        targets = parse_targets(target)
        content = load_content(_content_dir())
        text = render(resolve_items(content, targets), content, fmt)
        if output is None or str(output) == "-":
            sys.stdout.write(text)
            return
        if output.is_dir():
            name = "-".join(v for _, v in targets)
            output = output / f"{'chapter-' if targets[0][0] == 'chapter' else ''}{name}.{FORMATS[fmt]}"
        write_new_file(output, text, force=force)
        _err_console().print(f"Wrote {output}", markup=False, highlight=False)


@app.command()
def validate(
    directory: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="Content directory to check (default: the one in use)."),
    ] = None,
) -> None:
    """Check content files and list every problem as file:line:col: message.

    Example: iduit validate data/
    """
    with _errors():
        from iduit.loader import check_content

        where = directory.resolve() if directory else _content_dir()
        content, problems = check_content(where)
        if problems:
            from iduit.errors import ContentError

            raise ContentError(problems)
        assert content is not None
        count = sum(len(c.sections) for c in content.chapters)
        sys.stdout.write(
            f"{where}: OK ({len(content.chapters)} chapters, {count} sections, "
            f"{len(content.glossary)} glossary terms, {len(content.sources)} sources)\n"
        )


@app.command("index")
def index_command(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build it again even if it is fresh.")] = False,
) -> None:
    """Build the search index now (it is also built on first use) and say where it is.

    Example: iduit index --rebuild
    """
    with _errors():
        from iduit.index import build_index, open_index

        where = _content_dir()
        index = build_index(where, on_build=_building) if rebuild else open_index(where, on_build=_building)
        location = str(index.location) if index.location else "memory (the cache folder is not writable)"
        state = f"built in {index.build_seconds:.2f} s" if index.built else "up to date"
        sys.stdout.write(f"Index: {location}\nSections: {index.doc_count}\nStatus: {state}\n")
        for note in index.notes:
            sys.stdout.write(f"Note: {note}\n")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("iduit: interrupted\n")
        sys.exit(130)
