"""The content store: the compiled content model and its search index, built together.

Every command reads content from here. A store is a folder in the cache with
``content.json`` (the validated model), ``search.json`` (analysed synonym
groups, related sections, each item's title and chapter, and the words that
name a job aid, so that search never reads the model) and the Whoosh index
files. It is built from the YAML only when the content or the program
changes, and only ``validate`` and a build parse YAML.

Freshness: every content file is hashed on every run (about 400 kB in English,
1.2 MB with a translation: 1 to 2 ms), so an edit is never missed, whatever its size or
mtime. Publishing: each build goes into a folder of its own, complete before
``current.json`` is switched to it with an atomic rename, so a reader sees
the old store or the new one, never half of one. A store found damaged is
rebuilt into a new folder; superseded folders are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import struct
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from iduit import __version__
from iduit.errors import ExportError, IduitError, IndexUnavailable
from iduit.files import write_file
from iduit.paths import cache_root, content_files, store_home

if TYPE_CHECKING:
    from collections.abc import Sequence

    from whoosh.index import Index

    from iduit.content.model import Content
    from iduit.outline import Item

# Bump when what a store holds changes shape, so old stores are rebuilt.
STORE_FORMAT = 17
POINTER = "current.json"
CONTENT = "content.json"
SEARCH = "search.json"
_HASH_CHUNK = 1 << 20
_MAX_HASHED = 8 * 1024 * 1024  # larger files are refused by the loader anyway: hash their size only
T = TypeVar("T")
OnBuild = Callable[[], AbstractContextManager[Any]]


class StoreDamaged(IduitError):
    """A store's files could not be read; the cure is to open it afresh or rebuild it."""


def _index_errors() -> tuple[type[BaseException], ...]:
    # What reading a damaged Whoosh index raises: storage and decoding errors, nothing of ours.
    from whoosh.index import IndexError as WhooshIndexError

    return (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, WhooshIndexError, StoreDamaged)


class Title(NamedTuple):
    """What a search hit shows of its item: the title, and its chapter's number and title (none for a job aid)."""

    title: str
    chapter: int | None
    chapter_title: str


@dataclass
class Store:
    """An open store. ``location`` is None when it lives in memory (unwritable cache)."""

    location: Path | None
    built: bool = False
    build_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    _content: Content | None = None
    _index: Index | None = None
    _search: dict[str, Any] | None = None  # what search.json holds, for a store in memory

    @cached_property
    def content(self) -> Content:
        """The compiled content model."""
        if self._content is not None:
            return self._content
        from iduit.content.model import Content

        return Content.from_dict(self._read_json(CONTENT))

    @cached_property
    def _search_file(self) -> dict[str, Any]:
        # Read once: synonyms, language, related sections, titles and job-aid words all come from it.
        return self._search if self._search is not None else self._read_json(SEARCH)

    @cached_property
    def synonyms(self) -> list[list[dict[str, Any]]]:
        """Synonym groups as ``[{"text": member, "terms": [analysed words], "unused": seldom used}]``."""
        groups = self._search_file.get("synonyms")
        if not isinstance(groups, list):
            raise StoreDamaged(f"{self.location} holds no synonym groups")
        return groups  # as the build wrote them: read as they are, not copied member by member at every start

    @cached_property
    def lang(self) -> str:
        """The language of the content and of the index's word rules."""
        if self._content is not None:
            return self._content.lang
        return str(self._search_file.get("lang", "en"))

    @cached_property
    def related(self) -> dict[str, list[str]]:
        """Each section's most similar sections beyond its see-also, worked out when the store was built."""
        found = self._search_file.get("related", {})
        return {str(k): [str(i) for i in v] for k, v in found.items()}

    @cached_property
    def titles(self) -> dict[str, Title]:
        """Each section's and job aid's title and chapter, by id: what a search hit shows, without the model."""
        found = self._search_file.get("titles", {})
        try:
            return {
                str(key): Title(str(title), chapter if isinstance(chapter, int) else None, str(chapter_title))
                for key, (title, chapter, chapter_title) in found.items()
            }
        except (AttributeError, TypeError, ValueError) as exc:
            raise StoreDamaged(f"{self.location} holds titles of the wrong shape") from exc

    @cached_property
    def job_aid_terms(self) -> frozenset[str]:
        """The index terms of the words that name a job aid (form, checklist, бланк), analysed at build time."""
        return frozenset(str(term) for term in self._search_file.get("job_aid_terms", []))

    def related_for(self, items: Sequence[Item]) -> dict[str, list[str]]:
        """For each section among ``items``, its related sections beyond its see-also."""
        from iduit.content.model import Section

        return {item.id: self.related.get(item.id, []) for item in items if isinstance(item, Section)}

    @cached_property
    def index(self) -> Index:
        """The Whoosh index (opened on first use: most commands never need it)."""
        if self._index is not None:
            return self._index
        assert self.location is not None
        from whoosh.filedb.filestore import FileStorage

        try:
            return FileStorage(str(self.location), readonly=True).open_index()
        except _index_errors() as exc:
            raise StoreDamaged(f"the search index in {self.location} cannot be opened: {exc}") from exc

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Any]:
        """A Whoosh searcher; storage errors inside the block come out as StoreDamaged."""
        try:
            with self.index.searcher() as searcher:
                yield searcher
        except StoreDamaged:
            raise
        except _index_errors() as exc:
            raise StoreDamaged(f"the search index is damaged: {exc}") from exc

    @property
    def doc_count(self) -> int:
        return int(self.index.doc_count())

    def _read_json(self, name: str) -> dict[str, Any]:
        assert self.location is not None
        try:
            data = json.loads((self.location / name).read_bytes())
        except (OSError, ValueError) as exc:
            raise StoreDamaged(f"{self.location / name} cannot be read: {exc}") from exc
        if not isinstance(data, dict):
            raise StoreDamaged(f"{self.location / name} is not a store file")
        return data


# -- freshness -----------------------------------------------------------------


def content_digest(content_dir: Path, lang: str = "en") -> str:
    """A hash of the program version and every content file (regular files only, read in chunks)."""
    digest = hashlib.sha256(f"iduit {__version__} store {STORE_FORMAT} {lang}\n".encode())
    for path in content_files(content_dir, lang):
        digest.update(path.relative_to(content_dir).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_file_fingerprint(path))
        digest.update(b"\0")
    return digest.hexdigest()


def _file_fingerprint(path: Path) -> bytes:
    try:
        # O_NONBLOCK: a named pipe among the content must not hang the check.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_HASHED:
            return f"special {info.st_mode} {info.st_size} {info.st_mtime_ns}".encode()
        inner = hashlib.sha256()
        while chunk := os.read(fd, _HASH_CHUNK):
            inner.update(chunk)
        return inner.digest()
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    finally:
        os.close(fd)


def _read_pointer(home: Path) -> dict[str, Any] | None:
    try:
        pointer = json.loads((home / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(pointer, dict) or pointer.get("version") != __version__:
        return None
    if pointer.get("format") != STORE_FORMAT or not isinstance(pointer.get("dir"), str):
        return None
    if "/" in pointer["dir"] or not pointer["dir"].startswith("store-"):
        return None
    return pointer


# -- opening and building ----------------------------------------------------------


def open_store(content_dir: Path, *, lang: str = "en", rebuild: bool = False, on_build: OnBuild | None = None) -> Store:
    """The store for ``content_dir`` in ``lang``, built first when missing, stale or ``rebuild`` is asked.

    Raises ContentError when the content is invalid.
    """
    home = store_home(content_dir, lang)
    pointer = None if rebuild else _read_pointer(home)
    if pointer is not None and pointer.get("digest") == content_digest(content_dir, lang):
        location = home / pointer["dir"]
        if (location / CONTENT).is_file():
            return Store(location)
    return build_store(content_dir, lang=lang, on_build=on_build)


def build_store(content_dir: Path, *, lang: str = "en", on_build: OnBuild | None = None) -> Store:
    """Build the store now: on disk when the cache can be written, else in memory."""
    from iduit.content.loader import load_content

    with on_build() if on_build else contextlib.nullcontext():
        started = time.perf_counter()
        digest = content_digest(content_dir, lang)
        content = load_content(content_dir, lang)  # content errors propagate; only the cache may fall back
        home = store_home(content_dir, lang)
        try:
            store = _build_on_disk(content, content_dir, home, digest)
        except (OSError, ExportError) as exc:
            store = _build_in_memory(content)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            store.notes.append(f"the cache at {home} is not writable ({why}); using memory")
        store.built = True
        store.build_seconds = time.perf_counter() - started
        return store


def _search_data(content: Content, index: Index) -> dict[str, Any]:
    from iduit.language.analysis import analyze, synonym_label, synonym_terms
    from iduit.search.index import similar_sections
    from iduit.search.ranking import JOB_AID_WORDS, RARE_SHARE

    # Analysed once here, so search matches groups without running the analyzer on every member.
    # A one-word member the guidance never or seldom uses ("cops", "нарыв", "передоз") does not find the topic
    # by itself: search reaches it through the group, which then weighs as the topic named (UNUSED_WORD_WEIGHT).
    with index.searcher() as searcher:

        def unused(term: str, terms: list[str], number: int) -> bool:
            if len(terms) != 1:
                return False
            own = max((int(searcher.doc_frequency("all", w)) for w in analyze(term, content.lang)), default=0)
            return own * RARE_SHARE < int(searcher.doc_frequency("all", synonym_label(number)))

        groups = [
            [
                {"text": term, "terms": terms, "unused": unused(term, terms, number)}
                for term in group
                for terms in [synonym_terms(term, content.lang)]
            ]
            for number, group in enumerate(content.synonyms)
        ]
    # "Related" is worked out once per build, so showing a section never opens the index.
    return {
        "lang": content.lang,
        "synonyms": groups,
        "related": similar_sections(index, content),
        "titles": {key: list(title) for key, title in _titles(content).items()},
        "job_aid_terms": sorted(set(analyze(JOB_AID_WORDS.get(content.lang, ""), content.lang))),
    }


def _titles(content: Content) -> dict[str, Title]:
    titles = {}
    for chapter in content.chapters:
        for section in chapter.sections:
            titles[section.id] = Title(section.title, chapter.number, chapter.title)
    for tool in content.tools:
        titles[tool.id] = Title(tool.title, None, "")
    return titles


def _build_on_disk(content: Content, content_dir: Path, home: Path, digest: str) -> Store:
    import shutil

    from whoosh.filedb.filestore import FileStorage

    from iduit.search.index import fill, schema

    home.mkdir(parents=True, exist_ok=True)
    # A folder of its own per build: publishing never collides with a reader or a damaged folder.
    # It is built under a "tmp-" name, which other builds' clean-up leaves alone, and renamed when whole.
    building = Path(tempfile.mkdtemp(dir=home, prefix=f"tmp-{digest[:12]}-"))
    folder = home / ("store-" + building.name.removeprefix("tmp-"))
    try:
        index = FileStorage(str(building)).create_index(schema(content.synonyms, content.lang))
        fill(index, content)
        write_file(building / SEARCH, json.dumps(_search_data(content, index), ensure_ascii=False))
        write_file(building / CONTENT, json.dumps(content.to_dict(), ensure_ascii=False))
        os.rename(building, folder)
        pointer = {
            "version": __version__,
            "format": STORE_FORMAT,
            "dir": folder.name,
            "digest": digest,
            "content_dir": str(content_dir),
        }
        write_file(home / POINTER, json.dumps(pointer), replace=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    remove_superseded(home, keep=folder.name)
    _remove_orphans(home.parent)
    return Store(folder, _content=content)


def _build_in_memory(content: Content) -> Store:
    from whoosh.filedb.filestore import RamStorage

    from iduit.search.index import fill, schema

    index = RamStorage().create_index(schema(content.synonyms, content.lang))
    fill(index, content)
    return Store(None, _content=content, _index=index, _search=_search_data(content, index))


ABANDONED_AFTER = 3600  # seconds: a "tmp-" build this old was interrupted, not still running


def remove_superseded(home: Path, keep: str) -> None:
    """Every finished store folder of this content directory but the current one, and abandoned builds."""
    import shutil

    now = time.time()
    for entry in home.iterdir():
        try:
            abandoned = entry.name.startswith("tmp-") and now - entry.stat().st_mtime > ABANDONED_AFTER
        except OSError:
            continue
        if ((entry.name.startswith("store-") and entry.name != keep) or abandoned) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _remove_orphans(root: Path) -> None:
    """Stores of content folders that no longer exist (an uninstalled copy of iduit, a deleted --data-dir)."""
    import shutil

    for home in root.glob("content-*"):
        pointer = _read_json_quietly(home / POINTER)
        where = pointer.get("content_dir") if pointer else None
        if isinstance(where, str) and not Path(where).is_dir():
            shutil.rmtree(home, ignore_errors=True)


def _read_json_quietly(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clean_cache() -> tuple[Path, int]:
    """Remove everything iduit has cached; the folder and how many stores went."""
    import shutil

    root = cache_root()
    homes = list(root.glob("content-*")) if root.is_dir() else []
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)
    return root, len(homes)


# Other processes may publish (and clean up after) several builds while this one reads:
# each retry follows the newest pointer; only a store that stays broken is rebuilt.
MAX_ATTEMPTS = 6


def with_store(
    content_dir: Path, action: Callable[[Store], T], *, lang: str = "en", on_build: OnBuild | None = None
) -> T:
    """Run ``action`` on the store; when the store turns out damaged, open it afresh and try again.

    A store removed by another process's newer build is followed to that
    build; a store damaged in place is rebuilt. Only StoreDamaged is
    retried: any other exception is a bug and goes up as it is.
    """
    store = open_store(content_dir, lang=lang, on_build=on_build)
    notes = list(store.notes)
    first: StoreDamaged | None = None
    for _ in range(MAX_ATTEMPTS):
        try:
            store.notes[:] = notes
            return action(store)
        except StoreDamaged as exc:
            first = first or exc
            pointer = _read_pointer(store_home(content_dir, lang))
            moved_on = pointer is not None and store.location is not None and pointer["dir"] != store.location.name
            reopen = open_store if moved_on else build_store
            store = reopen(content_dir, lang=lang, on_build=on_build)
            notes += [n for n in store.notes if n not in notes]
    raise IndexUnavailable(f"the search index is unusable ({first}); try iduit index --rebuild") from first
