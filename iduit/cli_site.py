"""The ``site`` command: the guidance as a website that opens offline, from a folder, a USB stick or a zip."""

from __future__ import annotations

from typing import Annotated, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def site(
        ctx: typer.Context,
        output: Annotated[
            Optional[str],  # noqa: UP045 - typer reads the annotation at runtime on 3.10
            typer.Option("--output", "-o", metavar="FOLDER", help="Folder to create (with --zip: the .zip file)."),
        ] = None,
        as_zip: Annotated[
            bool, typer.Option("--zip", help="Write one .zip archive to share instead of a folder.")
        ] = False,
        force: Annotated[bool, typer.Option("--force", help="Replace a site iduit built there before.")] = False,
    ) -> None:
        """Build an offline website of the guidance, with search.

        Example: iduit site -o iduit-site · iduit site -o iduit-site.zip --zip

        Open index.html: no internet or server needed. Pages for every chapter, the
        job aids, glossary, a checklist of actions and tags, with search as you type.
        Copy the folder, or share the zip, as it is.
        """
        from pathlib import Path

        from iduit.cli import _settings
        from iduit.errors import UsageError
        from iduit.site.build import build_site, build_zip
        from iduit.terminal import message

        if not output:
            raise UsageError("say where to write the site with -o, e.g. -o iduit-site (or -o iduit-site.zip --zip)")
        content = _settings(ctx).store().content
        size = "{:.1f} MiB"
        if as_zip:
            built = build_zip(content, Path(output), force=force)
            message(
                f"Wrote {built.path} ({size.format(built.size / 2**20)}, {built.pages} pages): "
                f"unzip it and open {built.path.stem}/index.html"
            )
        else:
            built = build_site(content, Path(output), force=force)
            message(
                f"Wrote {built.pages} pages and {len(built.files) - built.pages} other files "
                f"({size.format(built.size / 2**20)}) to {built.path}: open {built.path / 'index.html'} in a browser"
            )
