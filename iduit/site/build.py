"""Build the offline website: every file in memory first, then into place in one move.

``render_site`` makes the files (name -> bytes); ``build_site`` writes them as a
folder and ``build_zip`` as one archive. Every file is written under a hidden
name first and moved into place only when all are there, so an interruption
or a full disk never leaves half a site. iduit writes into a new or empty
folder; it replaces a folder's contents only with ``force``, and only if it
is a site iduit built, and then only the files it listed as its own (so a
mistyped ``-o ~ --force`` cannot delete anything, and what others added stays).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from iduit.content.model import Content
from iduit.errors import ExportError
from iduit.files import interrupts_held, locked, write_file
from iduit.language.messages import tr
from iduit.site import pages
from iduit.site.search_data import index_script

STATIC = Path(__file__).resolve().parent / "static"
# Files copied as they are, into assets/: (file in static/, name in the site).
STATIC_FILES = (
    ("site.css", "site.css"),
    ("search.js", "search.js"),
    ("checklist.js", "checklist.js"),
    ("minisearch.js", "minisearch.js"),  # MiniSearch 7.2.0 from npm, dist/umd/index.js, unchanged
    ("minisearch-LICENSE.txt", "minisearch-LICENSE.txt"),
)
# A language whose words the browser stems (as the terminal does) gets its stemmer and licence.
STEMMERS = {"ru": (("snowball-russian.js", "snowball-russian.js"), ("snowball-LICENSE.txt", "snowball-LICENSE.txt"))}
INDEX_SCRIPT = f"{pages.ASSETS}/search-index.js"
# The list of every file iduit wrote into a site folder. It alone marks a folder as a site
# iduit built, and --force replaces exactly those files: a .git/, a CNAME or photos/ that
# someone added beside them stay.
MANIFEST = f"{pages.ASSETS}/iduit-files.json"
MANIFEST_LIMIT = 1 << 20
LOCK_NAME = "iduit-site"  # held as .iduit-site.lock inside the folder while a build replaces it
ZIP_FOLDER = "iduit-site"
# Zip dates run from 1980 to 2107 and carry no time zone; entries are stamped in UTC within that range.
ZIP_EARLIEST = datetime(1980, 1, 1, tzinfo=timezone.utc)
ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58, tzinfo=timezone.utc)


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
    """Every file of the site, by its path inside the site folder, the list of them included."""
    files = {name: html.encode("utf-8") for name, html in pages.render_pages(content).items()}
    for source, name in (*STATIC_FILES, *STEMMERS.get(content.lang, ())):
        files[f"{pages.ASSETS}/{name}"] = (STATIC / source).read_bytes()
    files[INDEX_SCRIPT] = index_script(content).encode("utf-8")
    names = sorted([*files, MANIFEST])
    files[MANIFEST] = (json.dumps({"made_by": "iduit", "files": names}, indent=1) + "\n").encode("utf-8")
    return dict(sorted(files.items()))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# What builds leave inside a folder while they run (or when killed): never the user's.
_LEFTOVER = re.compile(rf"^\.iduit-(new|old)-|^\.{LOCK_NAME}\.lock$")


def _entries(folder: Path) -> list[Path]:
    """What a folder holds, less what a build of ours (running, or killed) left in it."""
    try:
        return [p for p in folder.iterdir() if not _LEFTOVER.match(p.name)]
    except OSError as exc:
        raise ExportError(tr("cannot read {folder}: {value}").format(folder=folder, value=exc.strerror or exc)) from exc


def _safe_name(name: object) -> bool:
    """A name a site file may have: relative, forward slashes, never leading out of the folder."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    return all(part not in ("", ".", "..") for part in PurePosixPath(name).parts) and "//" not in name


def _manifest(target: Path) -> set[str] | None:
    """The files iduit wrote into ``target``, or None when its list is missing or cannot be trusted."""
    path = target / MANIFEST
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_LIMIT:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    names = data.get("files") if isinstance(data, dict) and data.get("made_by") == "iduit" else None
    if not isinstance(names, list) or not all(_safe_name(n) for n in names):
        return None
    return set(names)


def _check_folder(target: Path, force: bool) -> set[str] | None:
    """The files of ours that ``target`` holds (empty for an empty folder), None when it does not exist yet;
    refuses a file, a link, and a folder that may not be replaced."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
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
        return set()
    ours = _manifest(target)
    if ours is None:
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
    return ours


def _write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, data)
    for folder in (root, *{(root / name).parent for name in files}):
        os.chmod(folder, 0o777 & ~_umask())


def _swap_files(target: Path, staging: Path, old: set[str], new: list[str]) -> None:
    """Put the files of ``staging`` into ``target`` in place of ``old`` (iduit's own), touching nothing else.

    Ctrl-C waits until every rename is made; a failure puts each file back where it was.
    """
    for name in new:
        if name not in old and os.path.lexists(target / name):
            raise ExportError(
                tr(
                    "{path} is not a file iduit wrote; move it away, or choose another folder (nothing was changed)"
                ).format(path=target / name)
            )
    aside: Path | None = None
    done: list[tuple[Path, Path]] = []  # (from, to), undone in reverse on failure
    try:
        aside = Path(tempfile.mkdtemp(dir=target, prefix=".iduit-old-"))
        with interrupts_held():
            try:
                for name in sorted(old):
                    path = target / name
                    if os.path.lexists(path) and not path.is_dir():
                        (aside / name).parent.mkdir(parents=True, exist_ok=True)
                        os.rename(path, aside / name)
                        done.append((path, aside / name))
                for name in new:
                    (target / name).parent.mkdir(parents=True, exist_ok=True)
                    os.rename(staging / name, target / name)
                    done.append((staging / name, target / name))
            except OSError:
                with contextlib.suppress(OSError):
                    for source, moved in reversed(done):
                        os.rename(moved, source)
                raise
        # Folders only the old site used (now empty) go too; anything someone put in them keeps them.
        for folder in sorted({(target / n).parent for n in old - set(new)}, key=lambda p: -len(p.parts)):
            if folder != target:
                with contextlib.suppress(OSError):
                    folder.rmdir()
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)


def _stage(where: Path, prefix: str, files: dict[str, bytes]) -> Path:
    try:
        where.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=where, prefix=prefix))
    except OSError as exc:
        raise ExportError(
            tr("cannot write to {where}: {value}").format(where=where, value=exc.strerror or exc)
        ) from exc
    try:
        _write_tree(staging, files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _check_between_builds(target: Path, force: bool) -> set[str] | None:
    """``_check_folder``, taken under the builds' lock when the folder is there: a build swapping its files
    in has the list of iduit's files moved aside for a moment, and the folder must not look foreign then."""
    if not os.path.isdir(target):
        return _check_folder(target, force)
    with locked(target / LOCK_NAME):
        return _check_folder(target, force)


def build_site(content: Content, target: Path, *, force: bool = False) -> Built:
    """Write the site as the folder ``target``: all of it, or nothing.

    A new folder is written in full under a hidden name beside it, then
    renamed into place. An existing folder (empty, or a site iduit built,
    with ``force``) keeps its place: the new site is written in full inside
    it, then its files take the place of the ones iduit wrote before, under a
    lock, so two builds at once take turns and each leaves a whole site.
    """
    target = Path(os.path.abspath(target.expanduser()))
    if os.path.islink(target):  # a link to a folder (a web server's root, say): the site goes where it leads
        if not os.path.isdir(target):
            raise ExportError(tr("{target} is a link that leads to no folder").format(target=target))
        target = Path(os.path.realpath(target))
    found = _check_between_builds(target, force)  # refuse early, before any work
    files = render_site(content)
    built = Built(target, tuple(files), sum(len(data) for data in files.values()))
    cannot = tr("cannot write the site to {target}: {value}")
    if found is None:
        staging = _stage(target.parent, f".{target.name}.iduit-new-", files)
        try:
            os.rename(staging, target)
            return built
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise ExportError(cannot.format(target=target, value=exc.strerror or exc)) from exc
            # Another build made the folder meanwhile: replace it in turn, as an existing one.
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    try:
        with locked(target / LOCK_NAME):
            ours = _check_folder(target, force)  # again, now that no other build is at work on it
            if ours is None:
                raise ExportError(
                    tr("{target} changed while the site was being built; nothing was written").format(target=target)
                )
            staging = _stage(target, ".iduit-new-", files)
            try:
                _swap_files(target, staging, ours, list(files))
                for leftover in target.iterdir():  # folders of builds killed before they could tidy up
                    if leftover.is_dir() and _LEFTOVER.match(leftover.name):
                        shutil.rmtree(leftover, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise ExportError(cannot.format(target=target, value=exc.strerror or exc)) from exc
    return built


def zip_path(output: Path) -> Path:
    """The archive's name: the one given, with .zip added when it has none (but a file that exists, such as
    /dev/null, is taken as named, and refused or replaced as such: never a new name beside it)."""
    if output.suffix.lower() == ".zip" or (os.path.lexists(output) and not os.path.isdir(output)):
        return output
    return output.with_name(output.name + ".zip")


def zip_date() -> tuple[int, int, int, int, int, int]:
    """The date every entry carries: when the site was built, as the EPUB export dates its files.

    The build time is what a file's date means to whoever unzips it, so a shared copy shows how old it is
    (a fixed 1980 said nothing). Reproducible builds set SOURCE_DATE_EPOCH (iduit.clock honours it): the
    same content and the same epoch then give the same archive, byte for byte.
    """
    from iduit.clock import now

    when = min(max(now(), ZIP_EARLIEST), ZIP_LATEST)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def zip_bytes(files: dict[str, bytes], folder: str) -> bytes:
    """The files in one archive, under one folder (so unzipping never scatters them), all dated by zip_date()."""
    stamp = zip_date()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
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
