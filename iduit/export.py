"""Exports through the format registry, and writing files safely.

``render_items`` and ``render_all`` turn content into text in any registered
format; the writers put it on disk atomically and never replace a file
without ``force``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from iduit import outline
from iduit.errors import ExportError, UsageError

if TYPE_CHECKING:
    from iduit.formats import Format, Rendered
    from iduit.model import Content
    from iduit.outline import Document, Item


def render_document(document: Document, fmt: Format) -> Rendered:
    """One document in one format, its internal references linked inside it."""
    return fmt.render(document, outline.Linker(here=document.ids))


def render_items(content: Content, items: Sequence[Item], fmt: Format) -> Rendered:
    return render_document(outline.document(content, items), fmt)


def file_name(targets: Sequence[tuple[str, str]], fmt: Format) -> str:
    """The file an export is written to when -o names a folder: chapter-3.md, 3.12.html, T3.md."""
    name = "-".join(value for _, value in targets)
    prefix = "chapter-" if targets and targets[0][0] == "chapter" else ""
    return f"{prefix}{name}.{fmt.extension}"


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


# -- writing -------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _existing_mode(path: Path) -> int | None:
    """The permission bits of an existing regular file; refuses to replace anything else."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{path} is a folder; give a file name, or end the name with / to write into it")
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(f"{path} is not a regular file (a device, pipe, socket or link); iduit only writes files")
    return stat.S_IMODE(info.st_mode)


def write_new_file(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (or bytes) to ``path`` atomically; refuse to replace a file unless ``force``.

    New files get the usual permissions (0666 less the umask); a replaced file keeps its own.
    Only regular files are ever replaced.
    """
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {parent} does not exist")
    mode = _existing_mode(path)
    if mode is not None and not force:
        raise ExportError(f"{path} already exists; use --force to overwrite it")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write to {parent}: {exc.strerror or exc}") from exc
    try:
        os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.replace(tmp, path)
        else:
            # link() fails if the name was taken meanwhile: never clobber by a race.
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise ExportError(f"{path} already exists; use --force to overwrite it") from exc
            except OSError:
                os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_all(directory: Path, files: dict[str, Rendered], *, force: bool = False) -> list[Path]:
    """Write a multi-file export into ``directory`` (created if needed): all of it, or nothing.

    Every file is written into a hidden folder inside ``directory`` first and
    only then renamed into place, so an interruption, a full disk or a clash
    leaves what was there before.
    """
    import shutil

    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; --all needs a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {directory}: {exc.strerror or exc}") from exc
    root = directory.resolve()
    targets = [(root / name, text) for name, text in files.items()]
    for target, _ in targets:
        if target.parent != root:  # file names are ours, but never trust a join
            raise ExportError(f"refusing to write {target} outside {root}")
    modes = {target: _existing_mode(target) for target, _ in targets}
    clashes = [str(t) for t, mode in modes.items() if mode is not None]
    if clashes and not force:
        raise ExportError(f"{clashes[0]} already exists ({len(clashes)} files would be replaced); use --force")
    try:
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".iduit-export-"))
    except OSError as exc:
        raise ExportError(f"cannot write to {root}: {exc.strerror or exc}") from exc
    try:
        for target, text in targets:
            write_new_file(staging / target.name, text)
            mode = modes[target]
            if mode is not None:
                os.chmod(staging / target.name, mode)
        with _interrupts_held():
            for target, _ in targets:
                os.replace(staging / target.name, target)
    except OSError as exc:
        raise ExportError(f"cannot write to {root}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target for target, _ in targets]


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done: a set of renames is never left half made."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@dataclass(frozen=True)
class ExportResult:
    """What an export produced: text for standard output, or a line saying what was written."""

    text: str | None  # for standard output (never a binary format)
    summary: str


def export_to(
    content: Content,
    words: Sequence[str],
    *,
    output: str | None,
    format_name: str | None,
    everything: bool = False,
    force: bool = False,
) -> ExportResult:
    """Export what ``words`` name (or everything) to ``output``: a file, a folder, or standard output."""
    from iduit import formats
    from iduit.targets import parse_targets, resolve

    to_stdout = output is None or output == "-"
    path = None if to_stdout or output is None else Path(output)
    fmt = formats.choose(format_name, path)
    if everything:
        if words:
            raise UsageError("give either what to export or --all, not both")
        if not fmt.single_file:
            if path is None:
                raise UsageError("--all writes one file per chapter: give a folder with -o, e.g. -o handouts/")
            written = write_all(path, render_all(content, fmt), force=force)
            return ExportResult(None, f"Wrote {len(written)} files to {path}")
        name, document = f"iduit.{fmt.extension}", outline.book_document(content)  # one file: EPUB, ZIM
    elif not words:
        raise UsageError("say what to export: a section id like 3.12, 'chapter 3', a job aid like T8, or --all")
    elif [w.lower() for w in words] == ["glossary"]:
        name, document = f"glossary.{fmt.extension}", outline.glossary_document(content)
    else:
        targets = parse_targets(words)
        name, document = file_name(targets, fmt), outline.document(content, resolve(content, targets))
    if fmt.binary and (path is None or output is None):
        raise UsageError(f"{fmt.name} is a binary format: give a file with -o, e.g. -o {name}")
    text = render_document(document, fmt)
    if path is None or output is None:
        if isinstance(text, bytes):
            raise UsageError(f"{fmt.name} is a binary format: give a file with -o, e.g. -o {name}")
        return ExportResult(text, "")
    if output.endswith(("/", os.sep)) or path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create folder {path}: {exc.strerror or exc}") from exc
        path = path / name
    write_new_file(path, text, force=force)
    return ExportResult(None, f"Wrote {path}")
