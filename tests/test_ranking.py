"""Search ranks each kind of query the relevance sets measure, one query of each kind, on the packaged content.

The store is built once per run in the session's packaged cache (the slow
relevance tests reuse it). Each test names the kind of ranking it guards; the
figures over whole sets are in tests/test_relevance.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iduit.search.query import search
from iduit.search.store import Store, open_store
from tests.conftest import PACKAGED_CONTENT


@pytest.fixture(scope="module")
def store(packaged_cache: Path) -> Store:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
        return open_store(PACKAGED_CONTENT)


def ranked(store: Store, text: str, limit: int = 10) -> list[str]:
    return [hit.id for hit in search(store, text, limit=limit).hits]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("CAB", "T12"),  # the community advisory board, not CAB-LA
        ("CAB-LA", "3.6"),  # injectable PrEP, not the board
        ("OST", "3.3"),  # the section about it, not T6 (take-home OST) or 5.3 (OST coverage)
        ("MOU", "5.10"),  # partnerships, not the police MOU's model clauses
    ],
)
def test_an_acronym_finds_the_section_about_it_before_one_that_starts_alike_or_applies_it(
    store: Store, text: str, first: str
) -> None:
    assert ranked(store, text)[0] == first


@pytest.mark.parametrize(
    ("text", "first"),
    [("OST take-home checklist", "T6"), ("MOU model clauses", "T4")],
)
def test_a_named_form_or_checklist_still_puts_the_job_aid_first(store: Store, text: str, first: str) -> None:
    assert ranked(store, text)[0] == first


def test_a_job_aid_ranks_lower_for_a_bare_term_than_for_a_described_situation(store: Store) -> None:
    assert ranked(store, "OST").index("T6") > ranked(store, "OST take-home checklist").index("T6")


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("pricked by a needle while clearing a site", "T8"),
        ("someone is not breathing after using, what do I do", "T9"),
        ("how many syringes to buy for next quarter", "T11"),
    ],
)
def test_a_job_aid_is_found_by_the_situation_it_is_for(store: Store, text: str, wanted: str) -> None:
    """The when-to-use line of a job aid counts as its summary: the words of the situation find it."""
    assert wanted in ranked(store, text)[:2]


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("VANDU", "1.6"),  # a drug-user union by its acronym: only its source's title says it
        ("Manipur", "5.3"),  # an example's place
        ("Cure and Care Malaysia", "2.7"),  # an example's title and place
    ],
)
def test_an_example_is_found_by_its_name_place_or_source(store: Store, text: str, section: str) -> None:
    assert ranked(store, text)[0] == section


def test_a_common_word_found_everywhere_does_not_outweigh_the_rarer_words_typed(store: Store) -> None:
    """3.2 has "needle" in every field; T8 holds more of what was typed and comes first."""
    top = ranked(store, "pricked by a needle while clearing a site")
    assert top[0] == "T8" and top.index("T8") < top.index("3.2")


def test_one_everyday_word_keeps_its_synonyms_but_they_count_for_less(store: Store) -> None:
    result = search(store, "detox")
    assert "detoxification" in result.expansions
    assert "2.7" in [hit.id for hit in result.hits[:3]]  # forced detoxification, found through the group


def test_a_since_2017_update_is_found_by_its_document_title(store: Store) -> None:
    assert ranked(store, "Global AIDS Strategy 2021-2026")[0] in {"2.1", "2.5"}


@pytest.mark.parametrize(
    ("text", "corrected", "first"),
    [
        ("abcess", "abscess", "3.13"),  # one edit from access too: the one that starts alike wins
        ("buprenorfin", "buprenorphine", "3.3"),  # three edits out, in a long word
    ],
)
def test_a_misspelled_word_is_corrected_to_the_nearest_word_that_starts_alike(
    store: Store, text: str, corrected: str, first: str
) -> None:
    result = search(store, text)
    assert result.corrected and result.suggestion == corrected
    assert result.hits[0].id == first


@pytest.mark.parametrize(
    ("text", "offered", "first"),
    [
        ("cleaner got stuck by a discarded syringe", "cleaner got stock by a discarded syringe", "T8"),
        ("harm reduction in north-east India", "harm reduction in worth-east India", "5.3"),
    ],
)
def test_an_everyday_word_in_a_longer_query_is_offered_a_correction_not_searched_as_one(
    store: Store, text: str, offered: str, first: str
) -> None:
    # "stuck" and "north" are not in the guidance, and a letter away from words that are; the user meant them.
    result = search(store, text)
    assert result.suggestion == offered
    assert not result.corrected
    assert result.hits[0].id == first


@pytest.fixture(scope="module")
def russian_store(packaged_cache: Path) -> Store:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
        return open_store(PACKAGED_CONTENT, lang="ru")


def test_a_word_the_guidance_never_uses_weighs_as_the_topic_its_synonyms_name(russian_store: Store) -> None:
    # "нарыв" is nowhere in the Russian guidance, only in the abscess group: the section on abscesses comes
    # before those about a needle-stick ("укол иглой"), which only share "укол".
    assert any(m["unused"] for group in russian_store.synonyms for m in group if m["text"] == "нарыв")
    assert ranked(russian_store, "нарыв после укола")[0] == "3.13"


def test_a_word_the_guidance_seldom_uses_weighs_as_the_topic_its_synonyms_name(russian_store: Store) -> None:
    # "передоз" is in the overdose card's tags, nowhere else; its group is in most sections on overdose.
    assert any(m["unused"] for group in russian_store.synonyms for m in group if m["text"] == "передоз")
    assert ranked(russian_store, "передоз")[0] == "3.12"


def test_a_longer_query_is_searched_corrected_when_the_correction_only_cuts_an_ending(russian_store: Store) -> None:
    # The stemmer keeps "наркоманами" apart from "наркоман", which 0.4 names as a word to avoid.
    result = search(russian_store, "можно ли называть клиентов наркоманами")
    assert result.corrected
    assert "0.4" in [hit.id for hit in result.hits[:3]]


def test_a_topic_named_among_other_words_weighs_as_one_word(russian_store: Store) -> None:
    # "пункт обмена шприцев" is one thing, and 3.2 says it in every field: as three words it outweighed the
    # police, which is what the question is about (2.3).
    assert ranked(russian_store, "полиция дежурит возле пункта обмена шприцев")[0] == "2.3"


def test_the_words_of_a_named_topic_share_one_words_weight_unless_they_are_the_whole_query() -> None:
    from iduit.search.query import _shares

    named = [("peopl", "who", "inject", "drug")]
    assert _shares(["peopl", "inject", "drug", "citi"], named) == {"peopl": 1 / 3, "inject": 1 / 3, "drug": 1 / 3}
    assert _shares(["peopl", "inject", "drug"], named) == {}  # the topic alone is what is asked about
    assert _shares(["overdos", "citi"], []) == {}


def test_the_russian_stop_words_are_whooshs() -> None:
    """iduit keeps a copy of Snowball's Russian stop list (importing Whoosh's costs every start): it must not drift."""
    from whoosh.lang import stopwords_for_language

    from iduit.language.analysis import RUSSIAN_STOP_WORDS

    assert frozenset(stopwords_for_language("ru")) == RUSSIAN_STOP_WORDS
    assert len(RUSSIAN_STOP_WORDS) > 100
