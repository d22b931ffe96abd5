"""Build the offline website: every file in memory first, then into place in one move.

``render_site`` makes the files (name -> bytes); ``build_site`` writes them as a
folder and ``build_zip`` as one archive. Every file is written under a hidden
name first and moved into place only when all are there, so an interruption
or a full disk never leaves half a site. iduit writes into a new or empty
folder; it replaces a folder's contents only with ``force``, and only if it
is a site iduit built (so a mistyped ``-o ~ --force`` cannot delete anything).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from iduit.content.model import Content
from iduit.errors import ExportError
from iduit.files import write_file
from iduit.language.messages import tr
from iduit.site import pages
from iduit.site.search_data import index_script

STATIC = Path(__file__).resolve().parent / "static"
# Files copied as they are, into assets/: (file in static/, name in the site).
STATIC_FILES = (
    ("site.css", "site.css"),
    ("search.js", "search.js"),
    ("minisearch.js", "minisearch.js"),  # MiniSearch 7.2.0 from npm, dist/umd/index.js, unchanged
    ("minisearch-LICENSE.txt", "minisearch-LICENSE.txt"),
)
# A language whose words the browser stems (as the terminal does) gets its stemmer and licence.
STEMMERS = {"ru": (("snowball-russian.js", "snowball-russian.js"), ("snowball-LICENSE.txt", "snowball-LICENSE.txt"))}
INDEX_SCRIPT = f"{pages.ASSETS}/search-index.js"
# What marks a folder as a site iduit built (and so one --force may replace).
SIGNATURE = INDEX_SCRIPT
ZIP_FOLDER = "iduit-site"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same content gives the same archive


@dataclass(frozen=True)
class Built:
    """What a build wrote: where, which files (relative names, sorted) and how many bytes in all."""

    path: Path
    files: tuple[str, ...]
    size: int

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def render_site(content: Content) -> dict[str, bytes]:
    """Every file of the site, by its path inside the site folder."""
    files = {name: html.encode("utf-8") for name, html in pages.render_pages(content).items()}
    for source, name in (*STATIC_FILES, *STEMMERS.get(content.lang, ())):
        files[f"{pages.ASSETS}/{name}"] = (STATIC / source).read_bytes()
    files[INDEX_SCRIPT] = index_script(content).encode("utf-8")
    return dict(sorted(files.items()))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_LEFTOVER = re.compile(r"^\.iduit-(new|old)-")  # what an interrupted build may leave inside a folder


def _entries(folder: Path) -> list[Path]:
    """What a folder holds, less what an interrupted build of ours left behind."""
    try:
        return [p for p in folder.iterdir() if not _LEFTOVER.match(p.name)]
    except OSError as exc:
        raise ExportError(tr("cannot read {folder}: {value}").format(folder=folder, value=exc.strerror or exc)) from exc


def _check_folder(target: Path, force: bool) -> bool:
    """Whether ``target`` is an existing folder the site may go into; refuses what may not be replaced."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise ExportError(tr("cannot use {target}: {value}").format(target=target, value=exc.strerror or exc)) from exc
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise ExportError(
            tr(
                "{target} exists and is not a folder; choose a new or empty folder for the site",
            ).format(
                target=target,
            )
        )
    if not _entries(target):
        return True
    if not (target / SIGNATURE).is_file():
        raise ExportError(
            tr(
                "{target} is not empty and is not a site iduit built; choose a new or "
                "empty folder (nothing was changed)"
            ).format(target=target)
        )
    if not force:
        raise ExportError(
            tr("{target} already holds a site; use --force to replace it, or choose another folder").format(
                target=target
            )
        )
    return True


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, data)
    for folder in (root, *{(root / name).parent for name in files}):
        os.chmod(folder, 0o777 & ~_umask())


def _swap_into(target: Path, staging: Path) -> None:
    """Replace what ``target`` holds by what ``staging`` (inside it) holds, putting the old back on failure.

    The folder itself stays: it may be a USB stick's mount point, a web
    server's root or someone's current folder.
    """
    old = Path(tempfile.mkdtemp(dir=target, prefix=".iduit-old-"))
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for entry in _entries(target):
            os.rename(entry, old / entry.name)
            moved_out.append(entry.name)
        for entry in list(staging.iterdir()):
            os.rename(entry, target / entry.name)
            moved_in.append(entry.name)
    except OSError:
        with contextlib.suppress(OSError):
            for name in moved_in:
                os.rename(target / name, staging / name)
            for name in moved_out:
                os.rename(old / name, target / name)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def build_site(content: Content, target: Path, *, force: bool = False) -> Built:
    """Write the site as the folder ``target``: all of it, or nothing.

    A new folder is written in full under a hidden name beside it, then
    renamed into place. An existing folder (empty, or a site iduit built,
    with ``force``) keeps its place: the new site is written in full inside
    it under a hidden name first, then swapped in.
    """
    target = Path(os.path.abspath(target.expanduser()))
    existing = _check_folder(target, force)  # refuse early, before any work
    files = render_site(content)
    where = target if existing else target.parent
    try:
        where.mkdir(parents=True, exist_ok=True)
        prefix = ".iduit-new-" if existing else f".{target.name}.iduit-new-"
        staging = Path(tempfile.mkdtemp(dir=where, prefix=prefix))
    except OSError as exc:
        raise ExportError(
            tr("cannot write to {where}: {value}").format(where=where, value=exc.strerror or exc)
        ) from exc
    try:
        _write_tree(staging, files)
        # Checked again just before the move: something may have changed meanwhile.
        if _check_folder(target, force) != existing:
            raise ExportError(
                tr("{target} changed while the site was being built; nothing was written").format(target=target)
            )
        if existing:
            _swap_into(target, staging)
            for leftover in target.iterdir():  # from builds that were killed before they could tidy up
                if _LEFTOVER.match(leftover.name) and leftover != staging:
                    shutil.rmtree(leftover, ignore_errors=True)
        else:
            os.rename(staging, target)
    except OSError as exc:
        raise ExportError(
            tr("cannot write the site to {target}: {value}").format(target=target, value=exc.strerror or exc)
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Built(target, tuple(files), sum(len(data) for data in files.values()))


def zip_path(output: Path) -> Path:
    """The archive's name: the one given, with .zip added when it has none."""
    return output if output.suffix.lower() == ".zip" else output.with_name(output.name + ".zip")


def zip_bytes(files: dict[str, bytes], folder: str) -> bytes:
    """The files in one archive, under one folder (so unzipping never scatters them), always the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def build_zip(content: Content, output: Path, *, force: bool = False) -> Built:
    """Write the site as one zip archive (``output``, .zip added if missing) holding a folder of the same name."""
    path = zip_path(Path(os.path.abspath(output.expanduser())))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            tr("cannot create folder {parent}: {value}").format(parent=path.parent, value=exc.strerror or exc)
        ) from exc
    if path.is_dir():
        raise ExportError(
            tr("{path} is a folder; give a file name for the archive, e.g. -o iduit-site.zip").format(path=path)
        )
    files = render_site(content)
    # Entries go into one fixed folder, never one named after the user's file: no name can lead out of it.
    write_file(path, zip_bytes(files, ZIP_FOLDER), replace=force)
    return Built(path, tuple(files), path.stat().st_size)
