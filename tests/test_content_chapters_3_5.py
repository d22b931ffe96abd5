"""Pins the corrections, examples and updates made to chapters 3-5 of the digest.

Each test names the reviewer's finding it guards against, so that a later edit
that brings a mistake back fails loudly here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iduit.content.loader import load_content

DATA = Path(__file__).resolve().parents[1] / "data"
URL_FILE = Path(__file__).resolve().parent / "fixtures" / "urls" / "chapters-3-5.tsv"
OUR_CHAPTERS = (3, 4, 5)
OPIOID_DENOMINATOR = "opioid-dependent people who inject drugs"


@pytest.fixture(scope="module")
def content():
    return load_content(DATA)


def section(content, section_id):
    found = content.section(section_id)
    assert found is not None, f"section {section_id} is missing"
    return found


def our_sections(content):
    return [s for n in OUR_CHAPTERS for s in content.chapter(n).sections]


def all_text(sec) -> str:
    """Everything a reader sees in a section, as one lower-case string."""
    parts = [sec.title, sec.summary, sec.body, *sec.key_points, *sec.actions]
    parts += [f"{e.title} {e.place} {e.text}" for e in sec.examples]
    parts += [u.text for u in sec.updates]
    return " ".join(parts).lower()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def source_with_url(content, source_id):
    src = content.sources.get(source_id)
    assert src is not None, f"source {source_id} is not in sources.yaml"
    assert src.url, f"source {source_id} has no url"
    return src


# -- corrections ---------------------------------------------------------------


def test_hepatitis_b_booster_is_attributed_to_product_labelling(content):
    body = flat(section(content, "3.10").body).lower()
    assert "0, 7 and 21" in body
    assert "product labelling" in body
    assert "not part of who's recommendation" in body
    # the old wording folded the 12-month dose into WHO's schedule
    assert "this schedule includes a fourth" not in body


def test_ost_coverage_uses_one_denominator_in_3_3_and_5_3(content):
    s33, s53 = section(content, "3.3"), section(content, "5.3")
    for sec in (s33, s53):
        text = flat(all_text(sec))
        assert OPIOID_DENOMINATOR in text, sec.id
        assert "people dependent on opioids" not in text, sec.id
    ost_points = [p for p in (*s33.key_points, *s53.key_points) if "ost coverage" in p.lower()]
    assert len(ost_points) == 2
    assert all(OPIOID_DENOMINATOR in p.lower() for p in ost_points)
    ost_actions = [a for a in s33.actions if "coverage" in a.lower()]
    assert ost_actions and all(OPIOID_DENOMINATOR in a.lower() for a in ost_actions)
    assert "2012 revision" in flat(s33.body)


def test_naloxone_second_dose_interval_is_practice_not_who(content):
    body = flat(section(content, "3.12").body)
    assert "or as the product's instructions say" in body
    assert "not wording from the WHO guidelines" in body


def test_gipa_dates_from_the_1994_paris_summit(content):
    body = flat(section(content, "4.3").body)
    assert "1994 Paris AIDS Summit" in body
    assert "restated it in a 2007 policy brief" in body
    assert "set out in a 2007 policy brief" not in body


def test_incb_estimates_cite_the_incb(content):
    s56 = section(content, "5.6")
    assert "30 June" in flat(s56.body)
    incb = [sid for sid in s56.sources if "INCB" in content.sources[sid].publisher]
    assert incb, "5.6 must cite an INCB source for the estimates system"
    for sid in incb:
        source_with_url(content, sid)


@pytest.mark.parametrize(
    ("section_id", "marker", "title_words"),
    [
        ("5.10", "Country Coordinating Mechanism", "Country Coordinating Mechanism"),
        ("5.9", "Sustainability, Transition and Co-financing Policy", "sustainability, transition and co-financing"),
        ("5.3", "90-90-90", "90-90-90"),
        ("3.6", "Bangkok Tenofovir Study", "Bangkok Tenofovir Study"),
    ],
)
def test_named_facts_have_a_source(content, section_id, marker, title_words):
    sec = section(content, section_id)
    assert marker in flat(sec.body)
    titles = [content.sources[sid].title.lower() for sid in sec.sources]
    assert any(title_words.lower() in t for t in titles), f"{section_id} cites nothing on {marker}"


def test_vending_machine_claim_is_sourced_or_softened(content):
    s45 = section(content, "4.5")
    if "New South Wales" in s45.body:
        pytest.fail("4.5 names New South Wales again; give it a source or leave it out")
    assert "hrj-sdm-melbourne-2022" in s45.sources


def test_needle_stick_procedure_lives_in_3_6(content):
    s36 = section(content, "3.6")
    assert "T8" in s36.body and "72 hours" in s36.body
    # every other section of chapters 3-5 points to 3.6 instead of repeating the procedure
    others = [s for s in our_sections(content) if s.id != "3.6"]
    assert not [s.id for s in others if "72 hours" in s.body]
    for sid in ("4.2", "5.4", "5.5"):
        body = flat(section(content, sid).body)
        assert "3.6" in body and "T8" in body, sid


def test_burnout_advice_lives_in_5_5(content):
    assert "burnout" in section(content, "5.5").body.lower()
    for sec in our_sections(content):
        if sec.id != "5.5" and "burnout" in sec.body.lower():
            assert "5.5" in sec.body, f"{sec.id} discusses burnout without pointing to 5.5"


def test_tokenism_warning_signs_point_to_1_5(content):
    body = flat(section(content, "5.1").body)
    assert "1.5" in body
    assert "night before a decision" not in body


@pytest.mark.parametrize(
    "phrase",
    ["stimulant users", "injectors", "injecting drug users", "addict", "junkie", "idus", "drug users", "prep users"],
)
def test_no_language_slips(content, phrase):
    pattern = re.compile(rf"\b{re.escape(phrase)}\b")
    slips = [s.id for s in our_sections(content) if pattern.search(flat(all_text(s)))]
    assert not slips, f"'{phrase}' in {slips}"


def test_clean_and_dirty_are_not_used_for_equipment(content):
    pattern = re.compile(r"\b(clean|dirty) (needle|syringe|equipment)")
    assert not [s.id for s in our_sections(content) if pattern.search(all_text(s))]


@pytest.mark.parametrize(("source_id", "target"), [("4.9", "5.2"), ("5.9", "2.2"), ("3.12", "4.3")])
def test_weak_see_also_links_removed(content, source_id, target):
    assert target not in section(content, source_id).see_also


def test_see_also_within_chapters_3_to_5_is_reciprocal(content):
    ours = {s.id: s for s in our_sections(content)}
    one_way = [
        f"{sid}->{target}"
        for sid, sec in ours.items()
        for target in sec.see_also
        if target in ours and sid not in ours[target].see_also
    ]
    assert not one_way


# -- examples, updates, resources ---------------------------------------------------


@pytest.mark.parametrize("number", OUR_CHAPTERS)
def test_each_chapter_has_two_sourced_examples(content, number):
    examples = [e for s in content.chapter(number).sections for e in s.examples]
    assert len(examples) >= 2
    for example in examples:
        assert example.title and example.place and example.when
        source_with_url(content, example.source)
        words = len(example.text.split())
        assert 60 <= words <= 150, f"{example.title}: {words} words"


def test_at_least_six_dated_sourced_updates(content):
    updates = [(s.id, u) for s in our_sections(content) for u in s.updates]
    assert len(updates) >= 6
    for sid, update in updates:
        assert re.fullmatch(r"\d{4}(-\d{2})?", update.date), sid
        assert int(update.date[:4]) >= 2017, sid
        source_with_url(content, update.source)
        assert 40 <= len(update.text.split()) <= 120, sid


def test_updates_stay_out_of_the_2017_text(content):
    # the 2022 hepatitis C and PrEP changes must sit in updates, not in the digest body
    assert "cabotegravir" not in section(content, "3.6").body.lower()
    assert "lenacapavir" not in section(content, "3.6").body.lower()
    assert "point-of-care" not in section(content, "3.10").body.lower()
    assert any("cabotegravir" in u.text for u in section(content, "3.6").updates)
    assert any("lenacapavir" in u.text for u in section(content, "3.6").updates)


def test_resources_have_urls(content):
    resources = [(s.id, r) for s in our_sections(content) for r in s.resources]
    assert resources
    for _sid, rid in resources:
        source_with_url(content, rid)


def test_cited_urls_are_recorded_with_their_provenance(content):
    lines = [line for line in URL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all("\t" in line for line in lines)
    recorded = set()
    for tsv in URL_FILE.parent.glob("*.tsv"):
        recorded |= {line.split("\t", 1)[0] for line in tsv.read_text(encoding="utf-8").splitlines() if line.strip()}
    cited = {
        sid
        for s in our_sections(content)
        for sid in (*s.resources, *(e.source for e in s.examples), *(u.source for u in s.updates))
    }
    missing = sorted(sid for sid in cited if content.sources[sid].url not in recorded)
    assert not missing
