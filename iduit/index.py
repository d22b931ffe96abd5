"""The on-disk Whoosh index: schema, fingerprint, open-or-rebuild.

The index is the compiled form of the content: besides the searchable fields,
each document stores its section as the content model's JSON, and a
``meta.json`` beside it holds the toolkit, chapters, sources, glossary and
pre-analysed synonyms. So search and show never parse YAML.

Freshness is judged cheaply: the pointer file ``current.json`` records the
size and mtime of every content file. Only when those differ is the content
hashed; only when the hash differs is the index rebuilt. Builds go into a
temporary directory that is renamed into place, so a crash or Ctrl-C never
leaves a half index, and concurrent builders simply race to the same name.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.index import Index
from whoosh.lang.porter import stem

from iduit import __version__
from iduit.errors import IndexUnavailable
from iduit.paths import content_files, index_home

if TYPE_CHECKING:
    from iduit.model import Chapter, Section, Source, Term, Toolkit

# Bump when the schema or analysis changes, so old indexes are rebuilt.
INDEX_FORMAT = 5
POINTER = "current.json"
META = "meta.json"

# Words that carry no topic in a question ("how do I ...", "what is ...").
QUESTION_WORDS = frozenset(
    """how what when where why who whom which whose do does did done doing i me my we our you your
    someone somebody anyone something should could would must need needs get got about there here
    their them they its it's is are was were been being much many very also just like into than then s t""".split()
)
STOP = frozenset(STOP_WORDS) | QUESTION_WORDS

# British -> American, applied after lowercasing and before stemming, at index
# and query time alike, so either spelling finds both. Over-eager rules are
# harmless: both sides go through the same mapping.
_SPELLING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^programme"), "program"),
    (re.compile(r"^(\w{3,})([iy])s(e|es|ed|ing|er|ers|ation|ations)$"), r"\1\2z\3"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|al|able|ite|ites)?$"), r"\1or\2"),
    (re.compile(r"^(\w{2,})tre(s|d)?$"), r"\1ter\2"),
    (re.compile(r"^(h|p|an|orthop)ae"), r"\1e"),
    (re.compile(r"^oe(soph|str)"), r"e\1"),
    (re.compile(r"oea$"), "ea"),
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),
    (re.compile(r"^(\w{4,}[aeiou])ll(ing|ed|er|ers|or|ors)$"), r"\1l\2"),
)
_SPELLING_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "judgement": "judgment",
    "judgements": "judgments",
    "ageing": "aging",
    "enrolment": "enrollment",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "grey": "gray",
    "cheque": "check",
    "tyre": "tire",
}


# Most words match no rule: one cheap test rejects them before the rules run.
_MAYBE_BRITISH = re.compile(r"programme|[iy]s(e|es|ed|ing|er|ers|ation|ations)$|our|tre|^(h|p|an|orthop)ae|oe|ogue|ll")


@functools.lru_cache(maxsize=65536)
def americanize(word: str) -> str:
    """One spelling for words that British and American English spell apart."""
    if word in _SPELLING_WORDS:
        return _SPELLING_WORDS[word]
    if not _MAYBE_BRITISH.search(word):
        return word
    for pattern, replacement in _SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return word


@functools.lru_cache(maxsize=65536)
def normalize(word: str) -> str:
    """A lowercase word's index term: one spelling, then its Porter stem."""
    return stem(americanize(word))


class NormalizeFilter(Filter):
    """Folds British and American spellings together, then stems (cached per word).

    Whoosh's own StemFilter would also load its morphology tables, which
    cost start-up time for nothing here.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if not token.stopped:
                token.text = normalize(token.text)
            yield token


def text_analyzer(synonyms: SynonymFilter | None = None) -> Any:
    """Words, lowercased, without stop words, one spelling, stemmed (and tagged with synonyms)."""
    # minsize=1 keeps the letters that matter here: hepatitis B and C.
    analyzer = RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP, minsize=1) | NormalizeFilter()
    return analyzer | synonyms if synonyms is not None else analyzer


def synonym_label(group: int) -> str:
    """The index term that stands for 'any member of synonym group N'."""
    return f"syn{group}_"


class SynonymFilter(Filter):
    """At index time, marks every synonym-group member found in the text with its group's term.

    "needle and syringe programme" in a body also indexes ``syn12_`` at the
    position of "needle"; a query naming any member of group 12 ("needle
    exchange", "SSP") then needs one cheap term per field instead of a
    phrase per member. Query-mode text passes through untouched.
    """

    def __init__(self, groups: list[list[list[str]]]) -> None:
        self.starts: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for number, group in enumerate(groups):
            for terms in group:
                if terms:
                    self.starts.setdefault(terms[0], []).append((tuple(terms), synonym_label(number)))
        for options in self.starts.values():
            options.sort(key=lambda option: -len(option[0]))

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        # Tokenizers reuse one Token object, so looking ahead needs copies.
        buffered = [token.copy() for token in tokens]
        for i, token in enumerate(buffered):
            yield token
            if token.mode == "query" or token.text not in self.starts:
                continue
            added: set[str] = set()
            for terms, label in self.starts[token.text]:
                end = i + len(terms)
                if label in added or tuple(t.text for t in buffered[i:end]) != terms:
                    continue
                added.add(label)
                marker = token.copy()
                marker.text = label
                if hasattr(marker, "endchar"):
                    marker.endchar = buffered[end - 1].endchar
                yield marker


def analyzed_synonyms(groups: tuple[tuple[str, ...], ...]) -> list[list[list[str]]]:
    return [[analyze(term) for term in group] for group in groups]


def words_analyzer() -> Any:
    """Unstemmed lowercase words: the vocabulary spelling suggestions come from."""
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


def schema(synonym_groups: list[list[list[str]]] | None = None) -> fields.Schema:
    analyzer = text_analyzer(SynonymFilter(synonym_groups) if synonym_groups else None)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        chapter=fields.ID(stored=True),
        title=fields.TEXT(analyzer=analyzer, stored=True),
        summary=fields.TEXT(analyzer=analyzer, stored=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
        points=fields.TEXT(analyzer=analyzer),
        examples=fields.TEXT(analyzer=analyzer),
        tags=fields.TEXT(analyzer=analyzer, stored=True),
        tag=fields.KEYWORD(commas=True, lowercase=True),
        # Everything in one field, title and tags repeated for weight: the cheap
        # first pass of search finds candidates here with one matcher a term.
        all=fields.TEXT(analyzer=analyzer, phrase=False),
        words=fields.TEXT(analyzer=words_analyzer(), phrase=False),
        data=fields.STORED(),
    )


def analyze(text: str) -> list[str]:
    """The index terms a piece of text becomes (what queries are matched on)."""
    return [token.text for token in text_analyzer()(text)]


@dataclass
class ContentIndex:
    """An open index with its metadata; ``location`` is None when in memory."""

    index: Index
    meta: dict[str, Any]
    location: Path | None
    built: bool = False
    build_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def doc_count(self) -> int:
        return int(self.index.doc_count())

    def searcher(self) -> Any:
        return self.index.searcher()

    # Reading content back from the compiled index (no YAML involved).

    def section(self, section_id: str) -> Section | None:
        from iduit.model import Section

        with self.index.searcher() as searcher:
            doc = searcher.document(id=section_id)
        return Section.from_dict(doc["data"]) if doc else None

    def chapter(self, number: int) -> Chapter | None:
        from iduit.model import Chapter, Section

        entry = next((c for c in self.meta["chapters"] if c["number"] == number), None)
        if entry is None:
            return None
        with self.index.searcher() as searcher:
            docs = [Section.from_dict(d["data"]) for d in searcher.documents(chapter=str(number))]
        order = {s["id"]: n for n, s in enumerate(entry["sections"])}
        docs.sort(key=lambda s: order.get(s.id, len(order)))
        return Chapter(number=number, title=entry["title"], summary=entry["summary"], sections=tuple(docs))

    def section_ids(self) -> list[str]:
        return [s["id"] for c in self.meta["chapters"] for s in c["sections"]]

    def section_title(self, section_id: str) -> str | None:
        for chapter in self.meta["chapters"]:
            for entry in chapter["sections"]:
                if entry["id"] == section_id:
                    return str(entry["title"])
        return None

    @property
    def toolkit(self) -> Toolkit:
        from iduit.model import Toolkit

        return Toolkit.from_dict(self.meta["toolkit"])

    @property
    def sources(self) -> dict[str, Source]:
        from iduit.model import Source

        return {s["id"]: Source(**s) for s in self.meta["sources"]}

    @property
    def glossary(self) -> list[Term]:
        from iduit.model import Term

        return [Term(**{**t, "sections": tuple(t["sections"])}) for t in self.meta["glossary"]]


# -- fingerprints ----------------------------------------------------------


def stat_stamp(content_dir: Path) -> list[list[Any]]:
    """Size and mtime of every content file: cheap, and changes when they do."""
    stamp: list[list[Any]] = []
    for path in content_files(content_dir):
        try:
            st = path.stat()
            stamp.append([path.name, st.st_size, st.st_mtime_ns])
        except OSError:
            stamp.append([path.name, None, None])
    return stamp


def content_digest(content_dir: Path) -> str:
    """A hash of the program version and every content file's bytes."""
    import hashlib

    digest = hashlib.sha256(f"iduit {__version__} format {INDEX_FORMAT}\n".encode())
    for path in content_files(content_dir):
        digest.update(path.relative_to(content_dir).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
        digest.update(b"\0")
    return digest.hexdigest()


def _read_pointer(home: Path) -> dict[str, Any] | None:
    try:
        pointer = json.loads((home / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(pointer, dict) or pointer.get("version") != __version__:
        return None
    if pointer.get("format") != INDEX_FORMAT or not isinstance(pointer.get("dir"), str):
        return None
    return pointer


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- opening ---------------------------------------------------------------


def _open_dir(path: Path) -> ContentIndex:
    from whoosh.filedb.filestore import FileStorage

    meta = json.loads((path / META).read_text(encoding="utf-8"))
    index = FileStorage(str(path), readonly=True).open_index()
    return ContentIndex(index=index, meta=meta, location=path)


def open_index(
    content_dir: Path,
    *,
    rebuild: bool = False,
    on_build: Callable[[], AbstractContextManager[Any]] | None = None,
) -> ContentIndex:
    """The index for ``content_dir``, built first if missing, stale or broken.

    ``on_build`` wraps a build (the CLI shows a spinner with it). Raises
    ContentError when the content is invalid, IndexUnavailable when no index
    can be made at all.
    """
    home = index_home(content_dir)
    stamp = stat_stamp(content_dir)
    pointer = None if rebuild else _read_pointer(home)
    if pointer is not None:
        digest = None
        if pointer.get("files") != stamp:
            # Touched but maybe not changed (git checkout, copy): compare bytes.
            digest = content_digest(content_dir)
        if digest is None or digest == pointer.get("digest"):
            try:
                opened = _open_dir(home / pointer["dir"])
            except Exception:  # noqa: BLE001 - any failure to open means rebuild
                opened = None
            if opened is not None:
                if digest is not None:
                    with contextlib.suppress(OSError):
                        _write_atomic(home / POINTER, json.dumps({**pointer, "files": stamp}))
                return opened
    return build_index(content_dir, on_build=on_build)


def build_index(
    content_dir: Path,
    *,
    on_build: Callable[[], AbstractContextManager[Any]] | None = None,
) -> ContentIndex:
    """Build the index now: on disk when possible, else in memory."""
    from iduit.loader import load_content

    with on_build() if on_build else contextlib.nullcontext():
        started = time.perf_counter()
        stamp = stat_stamp(content_dir)
        digest = content_digest(content_dir)
        content = load_content(content_dir)
        home = index_home(content_dir)
        try:
            result = _build_on_disk(content, home, digest, stamp)
        except OSError as exc:
            result = _build_in_memory(content)
            result.notes.append(f"the index cache at {home} is not writable ({exc.strerror or exc}); using memory")
        result.built = True
        result.build_seconds = time.perf_counter() - started
        return result


def _build_on_disk(content: Any, home: Path, digest: str, stamp: list[list[Any]]) -> ContentIndex:
    import shutil
    import tempfile

    from whoosh.filedb.filestore import FileStorage

    home.mkdir(parents=True, exist_ok=True)
    name = f"idx-{digest[:20]}"
    final = home / name
    tmp = Path(tempfile.mkdtemp(dir=home, prefix="tmp-"))
    try:
        storage = FileStorage(str(tmp))
        _fill(storage.create_index(schema(analyzed_synonyms(content.synonyms))), content)
        (tmp / META).write_text(json.dumps(_meta(content)), encoding="utf-8")
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process finished the same build first; if its result is
            # unreadable, replace it with ours.
            try:
                _open_dir(final)
            except Exception:  # noqa: BLE001
                shutil.rmtree(final, ignore_errors=True)
                os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pointer = {"version": __version__, "format": INDEX_FORMAT, "dir": name, "digest": digest, "files": stamp}
    _write_atomic(home / POINTER, json.dumps(pointer))
    _remove_stale(home, keep=name)
    return _open_dir(final)


def _build_in_memory(content: Any) -> ContentIndex:
    from whoosh.filedb.filestore import RamStorage

    index = RamStorage().create_index(schema(analyzed_synonyms(content.synonyms)))
    _fill(index, content)
    return ContentIndex(index=index, meta=_meta(content), location=None)


def _remove_stale(home: Path, keep: str) -> None:
    """Old index versions go; temp dirs only once old enough to be abandoned."""
    import shutil

    now = time.time()
    for entry in home.iterdir():
        stale_index = entry.name.startswith("idx-") and entry.name != keep
        abandoned = entry.name.startswith("tmp-") and now - entry.stat().st_mtime > 3600
        if entry.is_dir() and (stale_index or abandoned):
            shutil.rmtree(entry, ignore_errors=True)


def _fill(index: Index, content: Any) -> None:
    """Write one document per section. Writer errors propagate (never swallowed)."""
    writer = index.writer()
    try:
        for chapter in content.chapters:
            for section in chapter.sections:
                examples = " ".join(f"{e.title} {e.place} {e.text}" for e in section.examples)
                writer.add_document(
                    id=section.id,
                    chapter=str(chapter.number),
                    title=section.title,
                    summary=section.summary,
                    body=section.body,
                    points=" ".join(section.key_points + section.actions),
                    examples=examples,
                    tags=", ".join(section.tags),
                    tag=",".join(section.tags),
                    all="\n".join(
                        [section.title] * 3
                        + [", ".join(section.tags)] * 2
                        + [section.summary] * 2
                        + [section.body, *section.key_points, *section.actions, examples]
                    ),
                    words=" ".join([section.title, section.summary, section.body, " ".join(section.tags)]),
                    data={**section.to_dict(), "chapter_title": chapter.title},
                )
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def _meta(content: Any) -> dict[str, Any]:
    data = content.to_dict()
    for chapter in data["chapters"]:
        chapter["sections"] = [{"id": s["id"], "title": s["title"]} for s in chapter["sections"]]
    # Synonym groups are stored analysed, so search matches them without
    # running the analyzer on every member at query time.
    data["synonyms"] = [[{"text": term, "terms": analyze(term)} for term in group] for group in content.synonyms]
    return data


def with_index(
    content_dir: Path,
    action: Callable[[ContentIndex], Any],
    *,
    on_build: Callable[[], AbstractContextManager[Any]] | None = None,
) -> Any:
    """Run ``action`` on the index; if the index breaks under it, rebuild once and retry.

    Covers a cache deleted or corrupted between opening and reading.
    """
    from iduit.errors import IduitError

    index = open_index(content_dir, on_build=on_build)
    try:
        return action(index)
    except IduitError:
        raise
    except Exception as first:  # noqa: BLE001 - whatever broke, a fresh index is the cure
        try:
            return action(build_index(content_dir, on_build=on_build))
        except IduitError:
            raise
        except Exception as exc:
            raise IndexUnavailable(f"the search index is unusable: {exc or first}") from exc
