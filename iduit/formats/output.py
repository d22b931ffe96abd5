"""Documents into formats, and formats onto disk or standard output: the one way out of iduit.

Every output, an export or a checklist, a report or a coverage result,
comes here as an outline document. ``deliver`` chooses the format from the
registry (by ``--format`` or the file name), renders it and hands it to the
one file writer (``iduit.files``) or back as text for standard output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from iduit import outline
from iduit.errors import ExportError, UsageError
from iduit.files import write_file, write_files
from iduit.language.messages import tr

if TYPE_CHECKING:
    from iduit.content.model import Content
    from iduit.formats import Format, Rendered
    from iduit.outline import Document, Item


def render_document(document: Document, fmt: Format) -> Rendered:
    """One document in one format, its internal references linked inside it."""
    return fmt.render(document, outline.Linker(here=document.ids))


def render_items(content: Content, items: Sequence[Item], fmt: Format) -> Rendered:
    return render_document(outline.document(content, items), fmt)


def file_stem(targets: Sequence[tuple[str, str]]) -> str:
    """The name an export is written under when -o names a folder: chapter-3, 3.12, T3."""
    name = "-".join(value for _, value in targets)
    prefix = "chapter-" if targets and targets[0][0] == "chapter" else ""
    return f"{prefix}{name}"


def render_all(content: Content, fmt: Format) -> dict[str, Rendered]:
    """File name -> text for a whole-toolkit export: an index, one file per chapter, job aids and glossary.

    A format that bundles everything into one file (``single_file``: EPUB, ZIM) gets one entry.
    """
    ext = fmt.extension
    if fmt.single_file:
        return {f"iduit.{ext}": fmt.render(outline.book_document(content), outline.Linker())}
    return {
        f"{part.name}.{ext}": fmt.render(part, outline.Linker(here=part.ids, extension=ext))
        for part in outline.book_documents(content)
    }


@dataclass(frozen=True)
class Delivered:
    """What an output produced: text for standard output, or a line saying what was written."""

    text: str | None  # for standard output (never a binary format)
    summary: str


def deliver(
    document: Document,
    *,
    output: str | None,
    format_name: str | None,
    name: str,
    force: bool = False,
    fmt: Format | None = None,
) -> Delivered:
    """``document`` in the format asked for (or the file name's), to the file or folder ``output`` or as text.

    ``name`` is the file name without extension used when ``output`` is a folder.
    """
    from iduit import formats

    to_stdout = output is None or output == "-"
    path = None if to_stdout or output is None else Path(output)
    fmt = fmt or formats.choose(format_name, path)
    formats.check_fits(fmt, document)
    file_name = f"{name}.{fmt.extension}"
    if fmt.binary and (path is None or output is None):
        raise UsageError(
            tr("{name} is a binary format: give a file with -o, e.g. -o {file_name}").format(
                name=fmt.name, file_name=file_name
            )
        )
    text = render_document(document, fmt)
    if path is None or output is None:
        if isinstance(text, bytes):
            raise UsageError(
                tr("{name} is a binary format: give a file with -o, e.g. -o {file_name}").format(
                    name=fmt.name, file_name=file_name
                )
            )
        return Delivered(text, "")
    if output.endswith(("/", os.sep)) or path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                tr("cannot create folder {path}: {value}").format(path=path, value=exc.strerror or exc)
            ) from exc
        path = path / file_name
    write_file(path, text, replace=force)
    return Delivered(None, f"Wrote {path}")


def export_to(
    content: Content,
    words: Sequence[str],
    *,
    output: str | None,
    format_name: str | None,
    everything: bool = False,
    force: bool = False,
) -> Delivered:
    """Export what ``words`` name (or everything) to ``output``: a file, a folder, or standard output."""
    from iduit import formats
    from iduit.content.targets import parse_targets, resolve

    to_stdout = output is None or output == "-"
    path = None if to_stdout or output is None else Path(output)
    fmt = formats.choose(format_name, path)
    if everything:
        if words:
            raise UsageError(tr("give either what to export or --all, not both"))
        if not fmt.single_file:
            if path is None:
                raise UsageError(
                    tr(
                        "--all writes one file per chapter: give a folder with -o, e.g. -o handouts/",
                    ),
                )
            written = write_files(path, render_all(content, fmt), replace=force)
            return Delivered(None, f"Wrote {len(written)} files to {path}")
        name, document = "iduit", outline.book_document(content)  # one file: EPUB, ZIM
    elif not words:
        raise UsageError(
            tr(
                "say what to export: a section id like 3.12, 'chapter 3', a job aid like T8, or --all",
            ),
        )
    elif [w.lower() for w in words] == ["glossary"]:
        name, document = "glossary", outline.glossary_document(content)
    else:
        targets = parse_targets(words)
        name, document = file_stem(targets), outline.document(content, resolve(content, targets))
    return deliver(document, output=output, format_name=None, name=name, force=force, fmt=fmt)
