"""The one place that writes files: exports, reports, assessment files, the site, the store.

Every write is atomic (a temporary file in the same folder, flushed to disk,
then renamed into place, the folder synced), so a crash, a full disk or
Ctrl-C leaves the old file or the new one, whole. A new file gets the usual
permissions (0666 less the umask); a replaced file keeps its own. Only
regular files are ever replaced; a link is followed to the regular file it
names. Without ``replace`` an existing file is never touched, even when
another process creates it meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from iduit.errors import ExportError, UsageError
from iduit.language.messages import ntr, tr

# Temporary files are named ".NAME.RANDOM.tmp"; one left by a killed process is removed after a while.
_STALE_SECONDS = 3600


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    return 0o666 & ~_umask()


def existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path`` (a link followed); None when there is none.

    Anything else (a folder, a device, a pipe, a socket, a dangling link) is refused.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ExportError(
                tr("{path} is a link to nothing; iduit only writes regular files").format(path=path)
            ) from None
        return None
    except OSError as exc:
        raise ExportError(tr("cannot write {path}: {value}").format(path=path, value=exc.strerror or exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ExportError(
            tr("{path} is a folder; give a file name, or end the name with / to write into it").format(path=path)
        )
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(
            tr(
                "{path} is not a regular file (a device, pipe or socket); iduit only writes files",
            ).format(
                path=path,
            )
        )
    return stat.S_IMODE(info.st_mode)


def _sync_folder(folder: Path) -> None:
    """Make a rename itself durable where the system allows it."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Temporaries of ``name`` left behind by a process that was killed mid-write."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.glob(f".{name}.*.tmp"):
            with contextlib.suppress(OSError):
                info = entry.lstat()
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > _STALE_SECONDS:
                    entry.unlink()


def write_file(path: Path, data: str | bytes, *, replace: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; an existing file only with ``replace``."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(tr("cannot write {path}: folder {parent} does not exist").format(path=path, parent=parent))
    mode = existing_mode(target)
    if mode is not None and not replace:
        raise ExportError(tr("{path} already exists; use --force to overwrite it").format(path=path))
    if mode is not None and not mode & 0o222:
        # Read-only, as its owner chose: an editor would refuse too (the superuser's access rights aside).
        raise ExportError(tr("{path} is read-only; make it writable first if it should change").format(path=path))
    _remove_stale_temporaries(parent, target.name)
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(
            tr("cannot write to {parent}: {value}").format(parent=parent, value=exc.strerror or exc)
        ) from exc
    try:
        os.fchmod(fd, mode if mode is not None else new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.replace(tmp, target)
        else:
            # link() fails if the name was taken meanwhile: never clobber by a race.
            try:
                os.link(tmp, target)
            except FileExistsError as exc:
                raise ExportError(tr("{path} already exists; use --force to overwrite it").format(path=path)) from exc
            except OSError:  # a file system without hard links
                os.replace(tmp, target)
        _sync_folder(parent)
    except OSError as exc:
        raise ExportError(tr("cannot write {path}: {value}").format(path=path, value=exc.strerror or exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of a user's file while it is read, changed and written again, so two people (two
    terminals, an import during a walk) never write over each other's answers. The lock is a file beside
    it (``.NAME.lock``), taken with the system's advisory lock and removed when released, so nothing is
    left in the user's folder; where there is no such lock, nothing is locked."""
    try:
        import fcntl
    except ImportError:  # Windows: one person at a time, as before
        yield
        return
    target = Path(os.path.realpath(path))
    lock = target.parent / f".{target.name}.lock"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        except OSError:  # a read-only folder: the write that follows will say so
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            current = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)  # the holder before us removed this lock file: take the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)  # while still held, so whoever waits on it sees it went and takes a new one
        os.close(fd)


def require_file(path: Path, *, missing: str, not_a_file: str) -> None:
    """Refuse, in one line, a user's file that is not a regular file to read: ``missing`` (which says how to
    make one) when nothing is there, a link that leads nowhere (or round in a loop) as such, and
    ``not_a_file`` for a folder, a device or the like. Both messages take ``{path}``."""
    try:
        if stat.S_ISREG(path.stat().st_mode):
            return
        message = not_a_file
    except FileNotFoundError:
        message = tr("{path} is a link that leads to no file") if os.path.islink(path) else missing
    except OSError:  # a link loop, a name too long, a folder we may not enter
        message = tr("{path} is a link that leads to no file") if os.path.islink(path) else not_a_file
    raise UsageError(message.format(path=path))


def read_regular_file(path: Path, limit: int) -> bytes:
    """A user's file, read only if it is a regular file of at most ``limit`` bytes: no device, pipe or stream."""
    too_large = tr("{path} is larger than {limit} MB; is it the right file?")
    try:
        info = path.stat()
    except OSError as exc:
        raise ExportError(tr("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(tr("{path} is not a regular file; give a file").format(path=path))
    if info.st_size > limit:
        raise ExportError(too_large.format(path=path, limit=limit >> 20))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ExportError(tr("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from exc
    if len(data) > limit:
        raise ExportError(too_large.format(path=path, limit=limit >> 20))
    return data


def write_files(directory: Path, files: Mapping[str, str | bytes], *, replace: bool = False) -> list[Path]:
    """Write several files into ``directory`` (created if needed): all of them, or none.

    Every file is written into a hidden folder inside ``directory`` first and
    only then renamed into place, with Ctrl-C held off, so an interruption, a
    full disk or a clash leaves what was there before.
    """
    if directory.exists() and not directory.is_dir():
        raise ExportError(tr("{directory} is a file; give a folder").format(directory=directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            tr("cannot create folder {directory}: {value}").format(directory=directory, value=exc.strerror or exc)
        ) from exc
    root = directory.resolve()
    targets = [(root / name, data) for name, data in files.items()]
    for target, _ in targets:
        if target.parent != root:  # file names are ours, but never trust a join
            raise ExportError(tr("refusing to write {target} outside {root}").format(target=target, root=root))
    modes = {target: existing_mode(target) for target, _ in targets}
    clashes = [str(t) for t, mode in modes.items() if mode is not None]
    if clashes and not replace:
        raise ExportError(
            ntr(
                "{value} already exists ({n} file would be replaced); use --force",
                "{value} already exists ({n} files would be replaced); use --force",
                len(clashes),
            ).format(value=clashes[0])
        )
    try:
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".iduit-export-"))
    except OSError as exc:
        raise ExportError(tr("cannot write to {root}: {value}").format(root=root, value=exc.strerror or exc)) from exc
    try:
        for target, data in targets:
            write_file(staging / target.name, data)
            mode = modes[target]
            if mode is not None:
                os.chmod(staging / target.name, mode)
        with interrupts_held():
            for target, _ in targets:
                os.replace(staging / target.name, target)
        _sync_folder(root)
    except OSError as exc:
        raise ExportError(tr("cannot write to {root}: {value}").format(root=root, value=exc.strerror or exc)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target for target, _ in targets]


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done: a set of renames is never left half made."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
