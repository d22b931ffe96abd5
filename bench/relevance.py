"""Search quality on the relevance set: iduit against a plain Whoosh baseline.

For each query in tests/relevance/queries.tsv (query, the ids that answer it,
kind) it ranks the packaged content and reports mean reciprocal rank (of the
best-placed right answer in the top 10), hit@1 and hit@3, overall and per
kind. The baseline is what Whoosh gives out of the box: BM25F over section
bodies, its standard analyzer and default query parser, no synonyms, field
boosts or spelling correction.

    python bench/relevance.py            # the table
    python bench/relevance.py --misses   # also list the queries iduit gets wrong
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "relevance" / "queries.tsv"
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


def iduit_ranker(content_dir: Path) -> Ranker:
    from iduit.index import open_index
    from iduit.search import search

    index = open_index(content_dir)
    return lambda text: [hit.id for hit in search(index, text, limit=DEPTH).hits]


def baseline_ranker(content_dir: Path) -> Ranker:
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import QueryParser

    from iduit.loader import load_content

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT())
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for section in load_content(content_dir).sections():
        writer.add_document(id=section.id, body=section.body)
    writer.commit()
    parser = QueryParser("body", schema)
    searcher = index.searcher()

    def rank(text: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(text), limit=DEPTH)]

    return rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the queries iduit misses (not in top 3)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    content_dir = ROOT / "data"
    cases = load_cases()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["IDUIT_CACHE_DIR"] = cache
        results = {
            "iduit": score(cases, iduit_ranker(content_dir)),
            "baseline": score(cases, baseline_ranker(content_dir)),
        }
    print(f"{len(cases)} queries in {QUERIES.relative_to(ROOT)}")
    print(f"{'ranker':10} {'MRR':>6} {'hit@1':>6} {'hit@3':>6}")
    for name, (overall, _, _) in results.items():
        print(f"{name:10} {overall.mrr:6.3f} {overall.hit1:6.1%} {overall.hit3:6.1%}")
    print(f"\n{'kind':10} {'n':>4} {'iduit MRR':>10} {'baseline MRR':>13}")
    for kind, mine in results["iduit"][1].items():
        base = results["baseline"][1][kind]
        print(f"{kind:10} {mine.count:4} {mine.mrr:10.3f} {base.mrr:13.3f}")
    if args.misses:
        print("\nNot in iduit's top 3:")
        for case, top in results["iduit"][2]:
            print(f"  {case.query!r}: want {','.join(case.relevant)}, got {','.join(top)}")


if __name__ == "__main__":
    main()
