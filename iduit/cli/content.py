"""Looking after the content: validate it, and prepare or clear the search index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from iduit.cli.common import Command, app, building, settings


@app.command(cls=Command)
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
    from iduit.cli.console import message, write
    from iduit.content.loader import check_content
    from iduit.errors import ContentError

    where = directory.resolve() if directory else settings(ctx).content_dir()
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


@app.command("index", cls=Command)
def index_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build it again even if it is up to date.")] = False,
    clean: Annotated[bool, typer.Option("--clean", help="Remove everything iduit has cached, then stop.")] = False,
) -> None:
    """Prepare the search index now; say where it is.

    Example: iduit index --rebuild
    """
    from iduit.cli.console import write
    from iduit.search.store import build_store, clean_cache, open_store

    if clean:
        root, count = clean_cache()
        write(f"Removed {count} cached index{'es' if count != 1 else ''} from {root}\n")
        return
    where = settings(ctx).content_dir()
    store = build_store(where, on_build=building) if rebuild else open_store(where, on_build=building)
    location = str(store.location) if store.location else "memory (the cache folder is not writable)"
    state = f"built in {store.build_seconds:.2f} s" if store.built else "up to date"
    sections = sum(len(c.sections) for c in store.content.chapters)
    write(f"Index: {location}\nSections: {sections}\nJob aids: {len(store.content.tools)}\nStatus: {state}\n")
    for note in store.notes:
        write(f"Note: {note}\n")
