"""Search quality on the relevance set: iduit against SQLite FTS5 and plain Whoosh, in English or Russian.

For each query in tests/relevance/queries.tsv (query, the ids that answer it,
kind) it ranks the packaged content and reports mean reciprocal rank (of the
best-placed right answer in the top 10), hit@1 and hit@3, overall and per
kind, as Markdown table rows ready for the README. With ``--lang ru`` it
ranks the Russian translation on tests/relevance/queries-ru.tsv; FTS5 then
uses its ``unicode61`` tokenizer (SQLite has no Russian stemmer).

The two peers are what a user could reach for instead of iduit:

- SQLite FTS5 (the standard library's sqlite3): an in-memory table over every
  field of the same sections, the ``porter unicode61`` tokenizer, ``bm25()``
  with fixed column weights and the query's words joined with OR.
- Plain Whoosh out of the box: BM25F over section bodies, its standard
  analyzer and default query parser, no synonyms, field boosts or spelling
  correction.

And the ZIM a Kiwix reader opens, searched by ``kiwix-search`` (Debian's
kiwix-tools), its hits mapped back to section and job-aid ids; a page that
is neither (the glossary) keeps its place:

- iduit's ZIM (``export --all --format zim``), with the index text iduit
  gives libzim (iduit/formats/zim_search.py);
- a plain ZIM of the same sections, one simple HTML page each, indexed by
  libzim as it comes: what the index text gains.

    python bench/relevance.py            # the table
    python bench/relevance.py --misses   # also list the queries iduit gets wrong
    python bench/relevance.py --lang ru  # the Russian set
    python bench/relevance.py --set heldout   # the held-out set, never used for tuning
    python bench/relevance.py --browser  # also the offline site's search.js, in headless Chromium

The rankers are a registry (``RANKERS``): each is a name, a label for the
table and a function that makes it for a content folder and a language.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "relevance" / "queries.tsv"
QUERY_SETS = {"en": QUERIES, "ru": ROOT / "tests" / "relevance" / "queries-ru.tsv"}
# Written before any tuning and never used for it: what the figures are on queries the weights never saw.
HELDOUT_SETS = {
    "en": ROOT / "tests" / "relevance" / "heldout.tsv",
    "ru": ROOT / "tests" / "relevance" / "heldout-ru.tsv",
}
SETS = {"main": QUERY_SETS, "heldout": HELDOUT_SETS}
DEPTH = 10

Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Case:
    query: str
    relevant: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Scores:
    mrr: float
    hit1: float
    hit3: float
    count: int


def load_cases(path: Path = QUERIES) -> list[Case]:
    lines = path.read_text(encoding="utf-8").splitlines()
    cases = []
    for line in lines[1:]:
        if line.strip():
            text, relevant, kind = line.split("\t")
            cases.append(Case(text, tuple(i.strip() for i in relevant.split(",")), kind.strip()))
    return cases


def reciprocal_rank(ranked: list[str], relevant: tuple[str, ...]) -> float:
    for position, section_id in enumerate(ranked[:DEPTH], start=1):
        if section_id in relevant:
            return 1 / position
    return 0.0


def score(cases: list[Case], rank: Ranker) -> tuple[Scores, dict[str, Scores], list[tuple[Case, list[str]]]]:
    """Overall scores, scores per kind, and the cases whose answer is not in the top 3."""
    ranks: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    misses = []
    for case in cases:
        ranked = rank(case.query)
        rr = reciprocal_rank(ranked, case.relevant)
        ranks.append(rr)
        by_kind[case.kind].append(rr)
        if rr < 1 / 3:
            misses.append((case, ranked[:3]))

    def summarise(values: list[float]) -> Scores:
        return Scores(
            mrr=statistics.fmean(values),
            hit1=sum(v == 1 for v in values) / len(values),
            hit3=sum(v >= 1 / 3 for v in values) / len(values),
            count=len(values),
        )

    return summarise(ranks), {k: summarise(v) for k, v in sorted(by_kind.items())}, misses


def iduit_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    """iduit's own search. The only place that calls iduit's search API."""
    from iduit.search.query import search
    from iduit.search.store import with_store

    def rank(text: str) -> list[str]:
        # with_store, as the CLI does: another process may publish a newer store meanwhile.
        return with_store(
            content_dir, lambda store: [hit.id for hit in search(store, text, limit=DEPTH).hits], lang=lang
        )

    return rank


@dataclass(frozen=True)
class Document:
    """One section as flat text, one attribute per FTS5 column."""

    id: str
    title: str
    tags: str
    summary: str
    body: str
    points: str
    examples: str


def load_documents(content_dir: Path, lang: str = "en") -> list[Document]:
    """The sections and job aids iduit indexes, read with iduit's content loader, as flat text."""
    from iduit.content.loader import load_content

    content = load_content(content_dir, lang)
    tools = [
        Document(
            id=tool.id,
            title=tool.title,
            tags="\n".join(("job aid", *tool.tags)),
            summary=tool.purpose,
            body=f"{tool.when_to_use}\n\n{tool.aid}\n\n{tool.adapt}",
            points="",
            examples="",
        )
        for tool in content.tools
    ]
    sections = [
        Document(
            id=section.id,
            title=section.title,
            tags="\n".join(section.tags),
            summary=section.summary,
            body=section.body,
            points="\n".join((*section.key_points, *section.actions)),
            examples="\n\n".join(f"{e.title}\n{e.place}\n{e.text}" for e in section.examples),
        )
        for section in content.sections()
    ]
    return sections + tools


# Column weights for bm25(), in column order. Chosen once, before looking at
# the results, as a sensible "short fields count more" setting, and NOT tuned
# on the relevance set: tuning them against the queries we score on would
# flatter the peer no more honestly than it would flatter iduit.
FTS5_COLUMNS = ("id", "title", "tags", "summary", "body", "points", "examples")
FTS5_WEIGHTS = (0.0, 5.0, 3.0, 2.0, 1.0, 1.0, 0.5)
FTS5_TOKENIZER = "porter unicode61"
# SQLite ships no Russian stemmer: for Russian, words are matched whole, case and diacritics folded.
FTS5_TOKENIZERS = {"en": FTS5_TOKENIZER, "ru": "unicode61 remove_diacritics 2"}
WORD = re.compile(r"\w+")


def fts5_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for what a user typed; None when it has no words.

    Each word becomes a quoted string token, so nothing the user types
    (quotes, hyphens, colons, AND/OR/NOT/NEAR, *, ^) is read as FTS5 syntax.
    The words are joined with OR: FTS5's default between tokens is AND, which
    for a natural-language query ("how do I start a needle programme") finds
    nothing unless one section holds every word, so most queries would score
    as misses. bm25() then ranks sections by how many words, and how rare
    ones, they contain.
    """
    words = list(dict.fromkeys(word.lower() for word in WORD.findall(text)))
    if not words:
        return None
    return " OR ".join('"' + word.replace('"', '""') + '"' for word in words)


def fts5_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    """SQLite FTS5 over every field of the sections, ranked by weighted bm25()."""
    connection = sqlite3.connect(":memory:")
    columns = ", ".join("id UNINDEXED" if name == "id" else name for name in FTS5_COLUMNS)
    tokenizer = FTS5_TOKENIZERS[lang]
    connection.execute(f"CREATE VIRTUAL TABLE sections USING fts5({columns}, tokenize = '{tokenizer}')")
    connection.executemany(
        f"INSERT INTO sections ({', '.join(FTS5_COLUMNS)}) VALUES ({', '.join('?' * len(FTS5_COLUMNS))})",
        [tuple(getattr(doc, name) for name in FTS5_COLUMNS) for doc in load_documents(content_dir, lang)],
    )
    connection.commit()
    bm25 = f"bm25(sections, {', '.join(str(w) for w in FTS5_WEIGHTS)})"
    sql = f"SELECT id FROM sections WHERE sections MATCH ? ORDER BY {bm25}, rowid LIMIT {DEPTH}"

    def rank(text: str) -> list[str]:
        expression = fts5_query(text)
        if expression is None:
            return []
        return [row[0] for row in connection.execute(sql, (expression,))]

    return rank


def baseline_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT())
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for doc in load_documents(content_dir, lang):
        writer.add_document(id=doc.id, body=doc.body)
    writer.commit()
    parser = QueryParser("body", schema)
    searcher = index.searcher()

    def rank(text: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(text), limit=DEPTH)]

    return rank


FTS5_LABEL = (
    "SQLite FTS5 (bm25 over all fields, weights title 5, tags 3, summary 2, body 1, key points and actions 1,"
    " examples 0.5; porter stemmer in English, whole words in Russian; words joined with OR)"
)
BASELINE_LABEL = "plain Whoosh (BM25F over section bodies, default parser, no synonyms, boosts or correction)"


@dataclass(frozen=True)
class Peer:
    short: str
    label: str
    make: Callable[[Path, str], Ranker]


# -- the browser: the built site's search.js in headless Chromium -------------------------------------------

BROWSER_LABEL = "iduit site (search.js with MiniSearch, in headless Chromium)"


def browser_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    """The offline site's own search: the site is built, opened once in Chromium, and every query ranked there.

    Needs Debian's chromium and chromium-driver and selenium (the test extra);
    the browser closes when the process ends.
    """
    import atexit
    import shutil

    from iduit.content.loader import load_content
    from iduit.language.messages import use
    from iduit.site.build import build_site
    from tests import browser

    needed = browser.missing()
    if needed:
        raise SystemExit(f"--browser needs {', '.join(needed)}")
    use(lang)
    work = Path(tempfile.mkdtemp(prefix="iduit-bench-browser-"))
    site = build_site(load_content(content_dir, lang), work / "site").path
    driver = browser.start(work / "profile")

    def close() -> None:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)

    atexit.register(close)
    driver.get((site / "search.html").as_uri())  # one page load for every query

    def rank(text: str) -> list[str]:
        ids = driver.execute_script("return window.iduitSearch.rank(arguments[0]).ids.slice(0, 10)", text)
        return [str(i) for i in ids]

    return rank


# -- the rankers, side by side -------------------------------------------------------------------------------
# One entry per ranker; optional ones run only when asked for on the command line.

RANKERS: dict[str, Peer] = {
    "iduit": Peer("iduit", "iduit", iduit_ranker),
    "browser": Peer("browser", BROWSER_LABEL, browser_ranker),
    "FTS5": Peer("FTS5", FTS5_LABEL, fts5_ranker),
    "Whoosh": Peer("Whoosh", BASELINE_LABEL, baseline_ranker),
}
OPTIONAL = {"browser"}


# -- Kiwix: the ZIM iduit exports, searched by the reader people open it in ---------------------------


def _scratch(prefix: str) -> Path:
    """A temporary folder for a ZIM, removed when the bench exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _kiwix_searcher(zim: Path, paths: dict[str, str]) -> Ranker:
    """kiwix-search (Debian's kiwix-tools) on a ZIM, its hits mapped back to section and job-aid ids.

    kiwix-search prints the titles of the hits, best first; ``paths`` maps each title to its entry's
    path, which is the section's or job aid's id. A hit on another page (a chapter, the contents, the
    glossary) keeps its place in the ranking: it is what a reader would see there.
    """
    import subprocess

    program = shutil.which("kiwix-search")
    if program is None:
        raise SystemExit("kiwix-search is not installed (Debian: kiwix-tools)")

    def rank(text: str) -> list[str]:
        found = subprocess.run([program, str(zim), text], capture_output=True, text=True, timeout=60, check=False)
        return [paths.get(title, title) for title in found.stdout.splitlines()][:DEPTH]

    return rank


def kiwix_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    """iduit's own ZIM (export --all --format zim) of the packaged content, searched by kiwix-search."""
    from iduit import outline
    from iduit.content.loader import load_content
    from iduit.formats import zim
    from iduit.language import messages

    content = load_content(content_dir, lang)
    messages.use(lang)
    book = outline.book_document(content)
    data = zim.render(book, outline.Linker())
    path = _scratch("iduit-bench-zim-") / "iduit.zim"
    path.write_bytes(data)
    return _kiwix_searcher(path, {page.title: page.path for page in zim.pages(book, outline.Linker())})


def plain_zim_ranker(content_dir: Path, lang: str = "en") -> Ranker:
    """A plain ZIM of the same sections: one simple HTML page each, indexed by libzim as it comes."""
    import html

    from libzim.writer import Creator, Hint, Item, StringProvider

    from iduit.formats.zim import LANGUAGES, _quiet_stdout

    class Page(Item):  # type: ignore[misc]
        def __init__(self, doc: Document) -> None:
            super().__init__()
            self.doc = doc

        def get_path(self) -> str:
            return self.doc.id

        def get_title(self) -> str:
            return f"{self.doc.id} {self.doc.title}"

        def get_mimetype(self) -> str:
            return "text/html"

        def get_contentprovider(self) -> StringProvider:
            text = (self.doc.summary, self.doc.body, self.doc.points, self.doc.examples, self.doc.tags)
            paragraphs = "".join(f"<p>{html.escape(part)}</p>" for part in text if part)
            title = html.escape(self.get_title())
            head = f"<head><title>{title}</title></head>"
            return StringProvider(f"<html>{head}<body><h1>{title}</h1>{paragraphs}</body></html>")

        def get_hints(self) -> dict[Hint, int]:
            return {Hint.FRONT_ARTICLE: True}

    documents = load_documents(content_dir, lang)
    path = _scratch("iduit-bench-plain-zim-") / "plain.zim"
    with _quiet_stdout():  # libzim prints its progress on file descriptor 1 whatever its verbosity
        creator = Creator(path).config_indexing(True, LANGUAGES[lang]).config_verbose(False)
        creator.set_mainpath(documents[0].id)
        with creator:
            for name, value in {"Name": "plain", "Title": "plain", "Language": LANGUAGES[lang]}.items():
                creator.add_metadata(name, value)
            for doc in documents:
                creator.add_item(Page(doc))
    return _kiwix_searcher(path, {f"{doc.id} {doc.title}": doc.id for doc in documents})


KIWIX_LABEL = "iduit's ZIM in Kiwix (kiwix-search from kiwix-tools on export --all --format zim)"
PLAIN_ZIM_LABEL = "a plain ZIM in Kiwix (the same sections as simple HTML pages, libzim's own indexing)"
RANKERS["Kiwix"] = Peer("Kiwix", KIWIX_LABEL, kiwix_ranker)
RANKERS["plainZIM"] = Peer("plainZIM", PLAIN_ZIM_LABEL, plain_zim_ranker)


def percent(value: float) -> str:
    return f"{value:.1%}".replace("%", " %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the queries iduit misses (not in top 3)")
    parser.add_argument("--lang", choices=sorted(QUERY_SETS), default="en", help="the language to rank in")
    parser.add_argument("--set", choices=sorted(SETS), default="main", dest="which", help="the query set")
    parser.add_argument("--browser", action="store_true", help="also rank with the site's search in Chromium")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    content_dir = ROOT / "data"
    queries = SETS[args.which][args.lang]
    cases = load_cases(queries)
    wanted = {"browser"} if args.browser else set()
    peers = [peer for name, peer in RANKERS.items() if name not in OPTIONAL or name in wanted]
    with tempfile.TemporaryDirectory() as cache:
        os.environ["IDUIT_CACHE_DIR"] = cache
        results = {peer.short: score(cases, peer.make(content_dir, args.lang)) for peer in peers}
    print(f"{len(cases)} queries in {queries.relative_to(ROOT)}\n")
    print("| ranker | MRR | right answer first | in top 3 |")
    print("| --- | --- | --- | --- |")
    for peer in peers:
        overall = results[peer.short][0]
        print(f"| {peer.label} | {overall.mrr:.3f} | {percent(overall.hit1)} | {percent(overall.hit3)} |")
    print(f"\nMRR by kind of query\n\n{'kind':10} {'n':>4}" + "".join(f" {peer.short:>7}" for peer in peers))
    for kind, mine in results["iduit"][1].items():
        row = "".join(f" {results[peer.short][1][kind].mrr:7.3f}" for peer in peers)
        print(f"{kind:10} {mine.count:4}{row}")
    if args.misses:
        print("\nNot in iduit's top 3:")
        for case, top in results["iduit"][2]:
            print(f"  {case.query!r}: want {','.join(case.relevant)}, got {','.join(top)}")
        if "browser" in results:
            print("\nNot in the browser's top 3:")
            for case, top in results["browser"][2]:
                print(f"  {case.query!r}: want {','.join(case.relevant)}, got {','.join(top)}")


if __name__ == "__main__":
    main()
