"""Search quality on the packaged content: the right section near the top, whatever the wording."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bench.relevance import Scores, baseline_ranker, iduit_ranker, load_cases, score
from tests.conftest import PACKAGED_CONTENT

pytestmark = pytest.mark.slow  # builds the packaged store and ranks 214 queries three ways


@pytest.fixture(scope="module")
def results(packaged_cache: Path) -> dict[str, tuple[Scores, dict[str, Scores], list]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
        cases = load_cases()
        return {
            "iduit": score(cases, iduit_ranker(PACKAGED_CONTENT)),
            "baseline": score(cases, baseline_ranker(PACKAGED_CONTENT)),
        }


def test_relevance_set_is_broad() -> None:
    cases = load_cases()
    assert len(cases) >= 80
    kinds = {case.kind for case in cases}
    assert kinds == {"term", "acronym", "synonym", "american", "typo", "question", "multi"}
    chapters = {case.relevant[0].split(".")[0] for case in cases if not case.relevant[0].startswith("T")}
    assert chapters == {"0", "1", "2", "3", "4", "5"}
    assert any(case.relevant[0].startswith("T") for case in cases)  # job aids are searched for too


def test_iduit_finds_the_right_section(results: dict) -> None:
    overall, by_kind, misses = results["iduit"]
    assert overall.mrr >= 0.85, misses
    assert overall.hit3 >= 0.90, misses
    assert all(kind.mrr >= 0.6 for kind in by_kind.values()), by_kind


@pytest.mark.parametrize("words", ["OAT", "medication-assisted treatment", "opioid agonist therapy"])
def test_the_section_about_a_term_beats_the_one_that_lists_it(
    results: dict, packaged_cache: Path, monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """0.4 (language and terminology) names OAT and MAT among many terms; 3.3 is about the treatment."""
    from iduit.search.query import search
    from iduit.search.store import open_store

    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))  # the store the relevance set was ranked with
    assert [hit.id for hit in search(open_store(PACKAGED_CONTENT), words).hits[:1]] == ["3.3"]


def test_iduit_beats_plain_whoosh(results: dict) -> None:
    assert results["iduit"][0].mrr > results["baseline"][0].mrr + 0.3


def test_russian_relevance_set_is_broad() -> None:
    from bench.relevance import QUERY_SETS

    cases = load_cases(QUERY_SETS["ru"])
    assert len(cases) >= 150
    assert {"term", "acronym", "synonym", "typo", "question", "multi", "colloquial", "jobaid"} <= {
        c.kind for c in cases
    }
    answers = {case.relevant[0] for case in cases}
    assert len(answers) >= 60  # nearly every section and job aid is someone's first answer


def test_iduit_finds_the_right_section_in_russian(tmp_path_factory: pytest.TempPathFactory) -> None:
    from bench.relevance import QUERY_SETS, fts5_ranker

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDUIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache-ru")))
        cases = load_cases(QUERY_SETS["ru"])
        overall, _, misses = score(cases, iduit_ranker(PACKAGED_CONTENT, "ru"))
        fts5 = score(cases, fts5_ranker(PACKAGED_CONTENT, "ru"))[0]
    # Measured 0.908 / 95.4 % (FTS5: 0.781 / 83.9 %); a little room for content changes.
    assert overall.mrr >= 0.88 and overall.hit3 >= 0.93, misses
    assert overall.mrr > fts5.mrr


def test_kiwix_finds_the_right_section_in_iduit_s_zim(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The packaged ZIM in kiwix-search (Debian's kiwix-tools), against a plain ZIM of the same sections."""
    import os
    import shutil

    from bench.relevance import kiwix_ranker, plain_zim_ranker

    if shutil.which("kiwix-search") is None or importlib.util.find_spec("libzim") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("kiwix-search (kiwix-tools) or libzim is missing; CI must rank the ZIM")
        pytest.skip("kiwix-search (kiwix-tools) or libzim is not installed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDUIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache-kiwix")))
        cases = load_cases()
        overall, _, misses = score(cases, kiwix_ranker(PACKAGED_CONTENT))
        plain = score(cases, plain_zim_ranker(PACKAGED_CONTENT))[0]
    # Measured 0.770 / 79.9 % (FTS5 0.767, the plain ZIM 0.654); a little room for content changes.
    assert overall.mrr >= 0.75 and overall.hit3 >= 0.78, misses
    assert overall.mrr > plain.mrr + 0.08
