"""Looking after the content: validate it, and prepare or clear the search index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from iduit.cli.common import Command, building, commands, settings
from iduit.language.messages import ntr, tr


@commands.command(cls=Command)
def validate(
    ctx: typer.Context,
    directory: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(metavar="FOLDER", help="Content folder to check (default: the one in use)."),
    ] = None,
    stamp: Annotated[
        bool, typer.Option("--stamp", help="Record the English fingerprint in translated units that have none.")
    ] = False,
    renew: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--renew", metavar="ID", help="Renew the fingerprint of a unit brought up to date (3.2, T8)."),
    ] = None,
) -> None:
    """Check the content and its translations; list every problem.

    The English first, then every translation in locales/: missing and stale units are warnings,
    a translation that drops a figure or an address of the English is an error.

    Example: iduit validate data/
    """
    from iduit.cli.console import message, write
    from iduit.content.loader import check_content
    from iduit.content.translation import LOCALES, stamp_units
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
    languages = sorted(p.name for p in (where / LOCALES).iterdir() if p.is_dir()) if (where / LOCALES).is_dir() else []
    problems: list[str] = []
    for lang in languages:
        if stamp or renew:
            for path in stamp_units(content, where, lang, renew or ()):
                message(tr("iduit: recorded fingerprints in {path}").format(path=path))
        translated = check_content(where, lang)
        for warning in translated.warnings[len(result.warnings) :]:
            message(warning)
        if translated.content is None:
            problems += translated.problems
            continue
        done = translated.content
        count = len(done.fallbacks)
        write(
            f"{where / LOCALES / lang}: OK ({sections - sum(1 for s in content.sections() if s.id in done.fallbacks)} "
            f"of {sections} sections, {len(content.tools) - sum(1 for t in content.tools if t.id in done.fallbacks)} "
            f"of {len(content.tools)} job aids, "
            f"{len(content.glossary) - sum(1 for f in done.fallbacks if f.startswith('term:'))} of "
            f"{len(content.glossary)} glossary terms translated; {count} shown in English"
            f"{f', {len(translated.warnings) - len(result.warnings)} warnings' if translated.warnings else ''})\n"
        )
    if problems:
        raise ContentError(problems)


@commands.command("index", cls=Command)
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
        write(
            ntr("Removed {n} cached index from {root}", "Removed {n} cached indexes from {root}", count).format(
                root=root
            )
            + "\n"
        )
        return
    chosen = settings(ctx)
    where = chosen.content_dir()
    if rebuild:
        store = build_store(where, lang=chosen.lang, on_build=building)
    else:
        store = open_store(where, lang=chosen.lang, on_build=building)
    location = str(store.location) if store.location else "memory (the cache folder is not writable)"
    state = f"built in {store.build_seconds:.2f} s" if store.built else "up to date"
    sections = sum(len(c.sections) for c in store.content.chapters)
    write(f"Index: {location}\nSections: {sections}\nJob aids: {len(store.content.tools)}\nStatus: {state}\n")
    for note in store.notes:
        write(f"Note: {note}\n")
