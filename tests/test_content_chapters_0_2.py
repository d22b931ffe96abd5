"""Pins the corrections, examples and updates made to chapters 0-2 of the packaged digest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iduit.content.loader import load_content
from iduit.content.model import Content, Section

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DATA)


def section(content: Content, section_id: str) -> Section:
    found = content.section(section_id)
    assert found is not None, section_id
    return found


def chapter_sections(content: Content, *numbers: int) -> list[Section]:
    return [s for s in content.sections() if s.chapter in numbers]


def test_inpud_formal_launch_in_2008(content: Content) -> None:
    s = section(content, "1.3")
    assert "2006" in s.body and "2008" in s.body
    inpud = [e for e in s.examples if "INPUD" in e.title]
    assert len(inpud) == 1
    assert "2008" in inpud[0].text and inpud[0].when


def test_portugal_example_is_dated_and_sourced(content: Content) -> None:
    portugal = [e for e in section(content, "2.2").examples if e.place == "Portugal"]
    assert len(portugal) == 1
    assert "Law 30/2000" in portugal[0].text and "1 July 2001" in portugal[0].text
    assert portugal[0].when == "2001"
    assert content.sources[portugal[0].source].url


def test_flagged_claims_have_sources(content: Content) -> None:
    assert "gf-ccm-2018" in section(content, "1.5").sources  # Global Fund CCM requirements
    s27 = section(content, "2.7")
    assert "unodc-detention-2012" in s27.sources  # the 300,000 estimate
    assert "East and South-East Asia" in s27.body


@pytest.mark.parametrize(
    ("section_id", "repeated"),
    [
        ("0.3", "Count how many of your clients are women"),  # kept in 4.8
        ("0.3", "Remove any rule that makes"),  # kept in 3.1
        ("1.2", "anonymous route"),  # the complaint route stays in 2.5
    ],
)
def test_duplicate_actions_are_gone(content: Content, section_id: str, repeated: str) -> None:
    assert not [a for a in section(content, section_id).actions if repeated.lower() in a.lower()]


def test_introduction_actions_point_to_the_operational_sections(content: Content) -> None:
    actions = " ".join(section(content, "0.3").actions)
    assert {"3.1", "4.8"} <= set(re.findall(r"\b\d\.\d+\b", actions))


def test_weak_link_removed(content: Content) -> None:
    assert "5.2" not in section(content, "0.1").see_also


@pytest.mark.parametrize("number", [1, 2])
def test_chapters_1_and_2_have_two_real_examples(content: Content, number: int) -> None:
    examples = [e for s in chapter_sections(content, number) for e in s.examples]
    assert len(examples) >= 2


def test_every_example_in_chapters_1_2_has_a_source_with_a_url(content: Content) -> None:
    for s in chapter_sections(content, 1, 2):
        for example in s.examples:
            assert example.when, (s.id, example.title)
            assert content.sources[example.source].url, (s.id, example.title)


def test_updates_are_dated_and_sourced(content: Content) -> None:
    updates = [u for s in chapter_sections(content, 0, 1, 2) for u in s.updates]
    assert len(updates) >= 3
    for update in updates:
        assert re.fullmatch(r"\d{4}(-\d{2})?", update.date)
        assert content.sources[update.source].url


def test_resources_have_urls(content: Content) -> None:
    resources = [r for s in chapter_sections(content, 0, 1, 2) for r in s.resources]
    assert resources
    assert all(content.sources[r].url for r in resources)
