"""Publishing: export to files (Markdown, HTML, JSON, EPUB, ZIM, PDF, text) and build the offline website."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from iduit.cli.common import Command, ForceOpt, OutputOpt, commands, format_option, settings
from iduit.language.messages import tr


@commands.command(cls=Command)
def export(
    ctx: typer.Context,
    target: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(metavar="WHAT...", help="Sections, chapters or job aids (3.12, chapter 3, T8), or glossary."),
    ] = None,
    output: OutputOpt = None,
    fmt: Annotated[Optional[str], format_option("from the file name, else markdown")] = None,  # noqa: UP045
    everything: Annotated[
        bool,
        typer.Option("--all", help="Everything: a file per chapter, job aids, glossary, index; epub/zim: one file."),
    ] = False,
    force: ForceOpt = False,
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
    from iduit.cli.console import message, write_file_text
    from iduit.formats.output import export_to

    content = settings(ctx).store().content
    result = export_to(content, target or [], output=output, format_name=fmt, everything=everything, force=force)
    if result.text is not None:
        write_file_text(result.text)
    else:
        message(result.summary)


@commands.command(cls=Command)
def site(
    ctx: typer.Context,
    output: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at runtime on 3.10
        typer.Option("--output", "-o", metavar="FOLDER", help="Folder to create (with --zip: the .zip file)."),
    ] = None,
    as_zip: Annotated[bool, typer.Option("--zip", help="Write one .zip archive to share instead of a folder.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a site iduit built there before.")] = False,
) -> None:
    """Build an offline website of the guidance, with search.

    Example: iduit site -o iduit-site · iduit site -o iduit-site.zip --zip

    Open index.html: no internet or server needed. Pages for every chapter, the
    job aids, glossary, a checklist of actions and tags, with search as you type.
    Copy the folder, or share the zip, as it is.
    """
    from pathlib import Path

    from iduit.cli.console import message
    from iduit.errors import UsageError
    from iduit.site.build import ZIP_FOLDER, build_site, build_zip

    if not output:
        raise UsageError(
            tr(
                "say where to write the site with -o, e.g. -o iduit-site (or -o iduit-site.zip --zip)",
            ),
        )
    content = settings(ctx).store().content
    size = "{:.1f} MiB"
    if as_zip:
        built = build_zip(content, Path(output), force=force)
        message(
            tr("Wrote {path} ({format}, {pages} pages): unzip it and open {stem}/index.html").format(
                path=built.path, format=size.format(built.size / 2**20), pages=built.pages, stem=ZIP_FOLDER
            )
        )
    else:
        built = build_site(content, Path(output), force=force)
        message(
            tr(
                "Wrote {pages} pages and {value} other files ({format}) to {path}: open {value2} in a browser",
            ).format(
                pages=built.pages,
                value=len(built.files) - built.pages,
                format=size.format(built.size / 2**20),
                path=built.path,
                value2=built.path / "index.html",
            )
        )
