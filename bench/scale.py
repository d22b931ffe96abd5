"""How iduit scales: synthetic content at 1×, 10× and 100× the packaged size.

The synthetic sections follow the real schema and draw their words, titles,
tags and sources from the packaged content. Each one is seeded by a real
section and takes most of its words from it, the rest from the whole digest,
so sections keep a topic the way real ones do (uniformly random word soup
would make every section match every query, which no real corpus does). For each size it reports the index
build time (load and validate YAML, then index), the index size on disk and
search latency (median and p95 over 200 queries in one process, snippets
included).

    python bench/scale.py                 # 1, 10, 100
    python bench/scale.py --sizes 1 10    # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iduit.content.loader import load_content  # noqa: E402
from iduit.search.query import search  # noqa: E402
from iduit.search.store import build_store  # noqa: E402

SECTIONS_PER_CHAPTER = 100
TOPICAL = 0.8  # share of a synthetic section's words taken from its seed section


def synthesize(real: Path, factor: int, target: Path, rng: random.Random) -> int:
    """Write a content directory ``factor`` times the size of ``real``; return its section count."""
    content = load_content(real)
    sections = content.sections()
    words_of = {s.id: re.findall(r"[A-Za-z][a-z'-]+", f"{s.title} {s.summary} {s.body}") for s in sections}
    words = [w for ws in words_of.values() for w in ws]
    total = len(sections) * factor
    chapter_count = -(-total // SECTIONS_PER_CHAPTER)
    ids = [f"{c}.{n}" for c in range(chapter_count) for n in range(1, SECTIONS_PER_CHAPTER + 1)][:total]

    def sentence(low: int, high: int, seed: list[str]) -> str:
        count = rng.randint(low, high)
        local = sum(rng.random() < TOPICAL for _ in range(count))
        chosen = rng.choices(seed, k=local) + rng.choices(words, k=count - local)
        rng.shuffle(chosen)
        return " ".join(chosen).capitalize() + "."

    (target / "chapters").mkdir(parents=True)
    names = []
    seeds = {section_id: rng.choice(sections) for section_id in ids}
    glossary = yaml.safe_load((real / "glossary.yaml").read_text(encoding="utf-8"))
    # Each term links to one section, which names it, as the validator requires of real content.
    linked: dict[str, list[str]] = {}
    for term in glossary["terms"]:
        term["sections"] = [rng.choice(ids)]
        linked.setdefault(term["sections"][0], []).append(term["term"])

    def section(section_id: str) -> dict[str, object]:
        seed = seeds[section_id]
        vocabulary = words_of[seed.id]
        return {
            "id": section_id,
            "title": seed.title,
            "summary": sentence(20, 40, vocabulary),
            "body": "\n\n".join(sentence(12, 30, vocabulary) for _ in range(rng.randint(15, 30))),
            "key_points": [sentence(6, 14, vocabulary) for _ in range(4)]
            + [f"About {term}." for term in linked.get(section_id, [])],
            "actions": [sentence(6, 14, vocabulary) for _ in range(5)],
            "tags": list(seed.tags),
            "see_also": rng.sample([i for i in ids if i != section_id], 3),
            "sources": list(seed.sources),
        }

    for chapter in range(chapter_count):
        chapter_ids = [i for i in ids if i.split(".")[0] == str(chapter)]
        data = {
            "number": chapter,
            "title": rng.choice(sections).title,
            "summary": sentence(20, 40, words),
            "sections": [section(section_id) for section_id in chapter_ids],
        }
        name = f"{chapter:03d}.yaml"
        names.append(name)
        (target / "chapters" / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    toolkit = yaml.safe_load((real / "toolkit.yaml").read_text(encoding="utf-8"))
    toolkit["chapters"] = names
    (target / "toolkit.yaml").write_text(yaml.safe_dump(toolkit), encoding="utf-8")
    for name in ("sources.yaml", "synonyms.yaml"):
        (target / name).write_bytes((real / name).read_bytes())
    (target / "glossary.yaml").write_text(yaml.safe_dump(glossary), encoding="utf-8")
    return total


def queries(rng: random.Random, count: int) -> list[str]:
    """The relevance set's queries where present, topped up with content words."""
    tsv = ROOT / "tests" / "relevance" / "queries.tsv"
    found = []
    if tsv.exists():
        found = [line.split("\t")[0] for line in tsv.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    content = load_content(ROOT / "data")
    vocabulary = sorted({t for s in content.sections() for t in s.tags})
    while len(found) < count:
        found.append(rng.choice(vocabulary))
    return found[:count]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(2017)
    sample = queries(rng, args.queries)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {len(sample)} queries per size")
    print(f"{'size':>5} {'sections':>9} {'build s':>8} {'index MiB':>10} {'median ms':>10} {'p95 ms':>8}")
    for factor in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            content_dir = Path(work) / "content"
            total = synthesize(ROOT / "data", factor, content_dir, rng)
            os.environ["IDUIT_CACHE_DIR"] = str(Path(work) / "cache")
            started = time.perf_counter()
            index = build_store(content_dir)
            build = time.perf_counter() - started
            assert index.location is not None
            size = folder_size(index.location) / 1024 / 1024
            search(index, "warm up")
            latencies = []
            for text in sample:
                started = time.perf_counter()
                search(index, text)
                latencies.append((time.perf_counter() - started) * 1000)
            median = statistics.median(latencies)
            p95 = statistics.quantiles(latencies, n=20)[-1]
            print(f"{factor:>4}× {total:>9} {build:>8.1f} {size:>10.1f} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
