"""The packaged digest itself: complete, sized, linked, respectful, not repetitive."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

import pytest

from iduit.content.loader import check_content
from iduit.content.model import Content, Section
from tests.conftest import PACKAGED_CONTENT

# The outline the digest follows: ids and exact titles.
OUTLINE = {
    "0.1": "About this toolkit",
    "0.2": "The comprehensive package and critical enablers",
    "0.3": "Guiding principles",
    "0.4": "Language and terminology",
    "0.5": "How to use this toolkit",
    "1.1": "What community empowerment means",
    "1.2": "Why it matters",
    "1.3": "Organizations and networks of people who use drugs",
    "1.4": "Building organizational capacity",
    "1.5": "Meaningful involvement in programmes and policy",
    "1.6": "Community-led advocacy and monitoring",
    "1.7": "Safety, security and wellbeing",
    "2.1": "The legal and policy environment",
    "2.2": "Law and policy reform",
    "2.3": "Working with police and law enforcement",
    "2.4": "Access to justice and legal services",
    "2.5": "Addressing stigma and discrimination",
    "2.6": "Violence against people who inject drugs",
    "2.7": "Compulsory detention and coerced treatment",
    "2.8": "Groups facing multiple discrimination",
    "3.1": "The comprehensive package at a glance",
    "3.2": "Needle and syringe programmes",
    "3.3": "Opioid substitution therapy and other drug dependence treatment",
    "3.4": "HIV testing services",
    "3.5": "Antiretroviral therapy",
    "3.6": "Pre-exposure and post-exposure prophylaxis",
    "3.7": "Prevention and treatment of sexually transmitted infections",
    "3.8": "Condom programmes",
    "3.9": "Targeted information, education and communication",
    "3.10": "Viral hepatitis",
    "3.11": "Tuberculosis",
    "3.12": "Overdose prevention and naloxone",
    "3.13": "Other health needs",
    "4.1": "Principles of accessible, acceptable services",
    "4.2": "Community-based outreach",
    "4.3": "Employing people who inject drugs as staff and peer workers",
    "4.4": "Drop-in centres and fixed sites",
    "4.5": "Mobile services, pharmacies and vending machines",
    "4.6": "Integrated services, referral and case management",
    "4.7": "Prisons and other closed settings",
    "4.8": "Services for women who inject drugs",
    "4.9": "Young people who inject drugs",
    "4.10": "Digital and remote approaches",
    "5.1": "Managing programmes with communities",
    "5.2": "Assessment, mapping and population size estimation",
    "5.3": "Planning, target-setting and coverage",
    "5.4": "Governance and organizational management",
    "5.5": "Recruiting, training and supporting staff",
    "5.6": "Procurement and supply management",
    "5.7": "Monitoring and evaluation",
    "5.8": "Quality assurance and improvement",
    "5.9": "Financing, sustainability and transition",
    "5.10": "Partnerships and coordination",
}

STIGMATISING = re.compile(
    r"\b(addicts?|junkies?|junky|IDUs?|drug abusers?|(clean|dirty) (syringes?|needles?|equipment))\b", re.I
)
# Acronyms: two or more capitals (digits allowed, plural s), or mixed forms like PrEP.
ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*|[A-Z][a-z][A-Z][A-Za-z]*)s?\b")
NOT_ACRONYMS = {"I", "A"}


@pytest.fixture(scope="module")
def content() -> Content:
    checked = check_content(PACKAGED_CONTENT)
    loaded, problems = checked.content, checked.problems
    assert problems == []
    assert loaded is not None
    return loaded


def section_text(section: Section) -> str:
    examples = [f"{e.title} {e.place} {e.text}" for e in section.examples]
    return "\n".join([section.title, section.summary, section.body, *section.key_points, *section.actions, *examples])


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def test_outline_is_complete_with_exact_titles(content: Content) -> None:
    assert {s.id: s.title for s in content.sections()} == OUTLINE
    assert [c.number for c in content.chapters] == [0, 1, 2, 3, 4, 5]


def test_section_order_follows_the_outline(content: Content) -> None:
    assert [s.id for s in content.sections()] == list(OUTLINE)


def test_body_lengths(content: Content) -> None:
    counts = {s.id: words(s.body) for s in content.sections()}
    assert min(counts.values()) >= 200, {k: v for k, v in counts.items() if v < 200}
    assert max(counts.values()) <= 750, {k: v for k, v in counts.items() if v > 750}
    assert statistics.median(counts.values()) >= 300


def test_total_words(content: Content) -> None:
    total = sum(words(section_text(s)) for s in content.sections())
    total += sum(words(c.summary) for c in content.chapters)
    assert total >= 20_000


@pytest.mark.parametrize(
    ("field", "low", "high"), [("key_points", 3, 6), ("actions", 3, 8), ("tags", 3, 12), ("sources", 1, 8)]
)
def test_list_sizes(content: Content, field: str, low: int, high: int) -> None:
    wrong = {s.id: len(getattr(s, field)) for s in content.sections() if not low <= len(getattr(s, field)) <= high}
    assert wrong == {}


def test_every_section_links_elsewhere_and_cites_the_iduit(content: Content) -> None:
    assert [s.id for s in content.sections() if not s.see_also] == []
    assert [s.id for s in content.sections() if "iduit-2017" not in s.sources] == []


def test_summaries_are_two_or_three_sentences(content: Content) -> None:
    long = {s.id: words(s.summary) for s in content.sections() if not 15 <= words(s.summary) <= 90}
    assert long == {}


def test_every_acronym_is_in_the_glossary(content: Content) -> None:
    # An acronym counts as covered when it is a glossary term or part of one ("Xpert MTB/RIF").
    glossary = {word.casefold() for t in content.glossary for word in [t.term, *re.split(r"[\s/]+", t.term)]}
    missing = defaultdict(set)
    for section in content.sections():
        text = section_text(section)
        if section.id == "0.4":
            text = STIGMATISING.sub("", text)
        for match in ACRONYM.finditer(text):
            token = match.group(1)
            if token not in NOT_ACRONYMS and token.casefold() not in glossary:
                missing[token].add(section.id)
    assert dict(missing) == {}


def test_glossary_has_the_required_terms(content: Content) -> None:
    required = "ART DAA HBV HCV HIV HTS IEC INPUD NSP OST PEP PrEP PWID STI TB UNAIDS UNODC WHO".split()
    terms = {t.term for t in content.glossary}
    assert [r for r in required if r not in terms] == []
    assert len(content.glossary) >= 40


def test_synonym_groups_cover_the_spec(content: Content) -> None:
    groups = [{t.casefold() for t in g} for g in content.synonyms]

    def together(*terms: str) -> bool:
        return any({t.casefold() for t in terms} <= g for g in groups)

    assert together("OST", "opioid substitution therapy", "opioid agonist therapy", "OAT", "MAT")
    assert together("NSP", "needle and syringe programme", "needle exchange", "syringe services program", "SSP")
    assert together("HCV", "hepatitis C")
    assert together("TB", "tuberculosis")
    assert together("PrEP", "pre-exposure prophylaxis")
    # Spelling variants are folded by the analyzer, not listed as synonyms.
    from iduit.language.analysis import analyze

    for british, american in [
        ("programme", "program"),
        ("decriminalisation", "decriminalization"),
        ("centre", "center"),
    ]:
        assert analyze(british) == analyze(american)
        assert not together(british, american)


def test_no_stigmatising_terms_outside_the_terminology_section(content: Content) -> None:
    hits = {s.id: STIGMATISING.findall(section_text(s)) for s in content.sections() if s.id != "0.4"}
    assert {k: v for k, v in hits.items() if v} == {}
    assert not any(STIGMATISING.search(c.summary) for c in content.chapters)


def test_no_long_sentence_appears_in_two_sections(content: Content) -> None:
    seen: dict[str, str] = {}
    repeated = []
    for section in content.sections():
        for sentence in set(re.split(r"(?<=[.!?])\s+|\n+", section_text(section))):
            sentence = " ".join(sentence.split())
            if len(sentence) > 60:
                if sentence in seen and seen[sentence] != section.id:
                    repeated.append((seen[sentence], section.id, sentence))
                seen.setdefault(sentence, section.id)
    assert repeated == []


@pytest.mark.parametrize(
    ("section_id", "facts"),
    [
        ("0.1", ["2017", "INPUD", "UNODC", "UNAIDS", "UNDP", "UNFPA", "WHO", "USAID", "SWIT", "MSMIT", "TRANSIT"]),
        ("2.2", ["Portugal", "2001"]),
        ("2.7", ["2012"]),
        ("3.2", ["200", "300", "2020", "2030", "UNAIDS"]),
        ("3.3", ["60", "120 mg", "8 mg", "50 %", "2025", "methadone", "buprenorphine"]),
        ("3.10", ["95"]),
        ("3.12", ["2014", "naloxone", "prison"]),
    ],
)
def test_required_facts_are_present(content: Content, section_id: str, facts: list[str]) -> None:
    section = content.section(section_id)
    assert section is not None
    text = section_text(section)
    assert [f for f in facts if f not in text] == []


def test_no_placeholders(content: Content) -> None:
    for section in content.sections():
        assert not re.search(r"\b(TODO|TBD|FIXME|lorem ipsum|XXX)\b", section_text(section)), section.id


def test_checklists_hold_programme_actions_only(content: Content) -> None:
    """A review scores what a programme does, never how to use a terminal tool."""
    from iduit.programme.actions import all_actions
    from iduit.site.pages import checklist_page

    actions = all_actions(content)
    assert len(actions) > 250
    tool_words = re.compile(r"\biduit [a-z]|--[a-z]|\b[Ss]earch with\b")  # the command, its options
    assert [a.id for a in actions if tool_words.search(a.text)] == []
    assert not [a for a in actions if a.section == "0.5"]
    assert [s.id for c in content.chapters for s in c.sections if not s.checklist] == ["0.5"]
    groups = checklist_page(content).values["groups"]
    assert "0.5" not in {s.id for g in groups for s, _ in g.sections}
