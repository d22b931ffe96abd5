"""Translations beside their source: loading, fallbacks, fingerprints, the checks, and every command in Russian.

The fixture content has a small Russian translation (tests/fixtures/content/locales/ru): 3.2 and 3.3
and two glossary terms are translated, 3.12, the introduction and the job aid are not.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from iduit.content.loader import check_content
from iduit.content.translation import english_figures, translated_figures
from iduit.language import messages
from tests.conftest import FIXTURE_CONTENT, run

LOCALE = Path("locales") / "ru"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    yield None
    messages.use("en")


def test_translated_units_replace_the_english_and_the_rest_is_marked() -> None:
    result = check_content(FIXTURE_CONTENT, "ru")
    assert result.content is not None and result.problems == []
    content = result.content
    assert content.lang == "ru"
    assert content.section("3.2").title == "Программы обмена игл и шприцев"
    assert content.section("3.12").title == "Overdose prevention and naloxone"  # shown in English...
    assert {"3.12", "0.1", "T1", "chapter-0", "term:naloxone"} <= content.fallbacks  # ...and said so
    assert "3.2" not in content.fallbacks
    # What a translation never repeats comes from the English: links, sources, ids.
    assert content.section("3.2").see_also == ("3.12", "3.3") and content.section("3.2").sources
    ost = next(t for t in content.glossary if t.term == "ОЗТ")
    assert ost.aliases[:1] == ("OST",) and ost.sections == ("3.3",)


def test_show_in_russian_marks_what_is_still_english() -> None:
    shown = run("--lang", "ru", "show", "3.12", "--plain").stdout
    messages.use("ru")
    assert messages.tr("Not translated yet: this part is shown in English.") in shown
    assert "Overdose prevention and naloxone" in shown
    translated = run("--lang", "ru", "show", "3.2", "--plain").stdout
    assert "Программы обмена игл и шприцев" in translated
    assert messages.tr("Not translated yet: this part is shown in English.") not in translated


def test_the_language_comes_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_LANG", "ru")
    assert "Опиоидная заместительная терапия" in run("show", "3.3", "--plain").stdout
    monkeypatch.delenv("IDUIT_LANG")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert "Опиоидная заместительная терапия" in run("show", "3.3", "--plain").stdout
    monkeypatch.setenv("LC_ALL", "C")
    assert "Opioid substitution therapy" in run("show", "3.3", "--plain").stdout


def test_russian_search_stems_folds_yo_and_knows_acronyms() -> None:
    assert run("--lang", "ru", "search", "шприцев", "--json").exit_code == 0
    for query, expected in [("шприцев", "3.2"), ("шприцы", "3.2"), ("ОЗТ", "3.3"), ("метадоном", "3.3")]:
        found = run("--lang", "ru", "search", query, "--plain").stdout
        assert found.split()[0] == expected, (query, found[:200])
    # A synonym: "обмен шприцев" names the needle and syringe programme.
    assert run("--lang", "ru", "search", "обмен", "шприцев", "--plain").stdout.split()[0] == "3.2"


def test_define_finds_the_russian_term_by_its_english_acronym() -> None:
    russian = run("--lang", "ru", "define", "OST", "--plain").stdout
    assert "ОЗТ" in russian and "метадоном" in russian
    assert "ОЗТ" in run("--lang", "ru", "define", "ОЗТ", "--plain").stdout


def test_exports_are_marked_as_russian() -> None:
    page = run("--lang", "ru", "export", "3.2", "--format", "html").stdout
    assert '<html lang="ru">' in page and "Программы обмена игл и шприцев" in page
    # The citation stays the original's, in English; the note says the original is in English only.
    assert "The iduit test suite. Test toolkit. Nowhere; 2017." in page
    assert "Оригинал существует только на английском языке." in page
    english = run("export", "3.2", "--format", "html").stdout
    assert '<html lang="en">' in english and "Needle and syringe programmes" in english


# -- the checks ----------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_english_section_makes_its_translation_stale(content_copy: Path) -> None:
    _edit(content_copy / "chapters" / "03-services.yaml", "Give out as many syringes", "Hand out as many syringes")
    result = run("validate", str(content_copy))
    assert result.exit_code == 0
    assert re.search(r"03-services.yaml:\d+:\d+: warning: section 3.2 is stale", result.stderr), result.stderr
    assert "section 3.3 is stale" not in result.stderr
    # Brought up to date, its fingerprint is renewed, and the warning goes.
    renewed = run("validate", str(content_copy), "--renew", "3.2")
    assert "recorded fingerprints" in renewed.stderr
    assert "is stale" not in run("validate", str(content_copy)).stderr


def test_stamping_records_fingerprints_only_where_missing(content_copy: Path) -> None:
    chapter = content_copy / LOCALE / "chapters" / "03-services.yaml"
    _edit(chapter, '  - id: "3.3"\n    from: 22149e39ff21\n', '  - id: "3.3"\n')
    before = run("validate", str(content_copy)).stderr
    assert "section 3.3 has no 'from:' fingerprint" in before
    run("validate", str(content_copy), "--stamp")
    text = chapter.read_text(encoding="utf-8")
    assert '  - id: "3.3"\n    from: 22149e39ff21\n' in text
    assert text.count("from:") == 3
    assert "fingerprint" not in run("validate", str(content_copy)).stderr


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("больше 200", "больше двухсот", "figures of the English missing from the translation: 200"),
        ('  - id: "3.3"', '  - id: "3.9"', "translated section '3.9' has no English section"),
        ("      - Организуйте безопасную утилизацию.\n", "", "section 3.2: 2 actions in English, 1 translated"),
        ("    tags: [шприцы", "    colour: red\n    tags: [шприцы", "unknown field 'colour' in a translated section"),
        (  # unquoted, "Word: more words" is a pair to YAML: never shown as {'Организуйте': '...'}
            "      - Организуйте безопасную утилизацию.",
            "      - Организуйте: безопасную утилизацию.",
            "section 3.2, actions: item 2 is not a line of text (a colon and a space make YAML read a pair: quote it)",
        ),
    ],
)
def test_a_translation_that_loses_the_english_is_refused(content_copy: Path, old: str, new: str, error: str) -> None:
    _edit(content_copy / LOCALE / "chapters" / "03-services.yaml", old, new)
    result = run("validate", str(content_copy))
    assert result.exit_code == 2, result.output
    assert error in result.stderr, result.stderr
    # The English is still fine, and the Russian cannot be used until it is fixed.
    assert run("--data-dir", str(content_copy), "show", "3.2").exit_code == 0
    assert run("--data-dir", str(content_copy), "--lang", "ru", "show", "3.2").exit_code == 2


def test_a_changed_address_is_refused(content_copy: Path) -> None:
    _edit(
        content_copy / "chapters" / "03-services.yaml",
        "Give out as many",
        "See https://example.org/nsp. Give out as many",
    )
    _edit(
        content_copy / LOCALE / "chapters" / "03-services.yaml",
        "Выдавайте столько",
        "См. https://example.org/other. Выдавайте столько",
    )
    result = run("validate", str(content_copy))
    assert (
        result.exit_code == 2
        and "web addresses of the English missing or changed: https://example.org/nsp" in result.stderr
    )


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("11.7 million", "11,7 млн"),
        ("10,000 syringes", "10 000 шприцев"),
        ("1.6", "1.6"),
        ("in 2017", "в 2017 году"),
        ("69 000", "69 000"),
    ],
)
def test_figures_are_read_the_way_each_language_writes_them(english: str, russian: str) -> None:
    assert english_figures(english) <= translated_figures(russian)


def test_an_assessment_started_in_english_reports_in_russian(tmp_path: Path) -> None:
    review = tmp_path / "review.yaml"
    assert run("assess", "start", str(review), "--chapter", "3").exit_code == 0
    text = review.read_text(encoding="utf-8").replace('status: ""', "status: done", 1)
    review.write_text(text, encoding="utf-8")
    report = run("--lang", "ru", "assess", "report", str(review), "--plain")
    assert report.exit_code == 0, report.output
    assert "Программы обмена игл и шприцев" in report.stdout
    messages.use("ru")
    assert messages.tr("Gaps, most important first") in report.stdout
    # And back: the answers are keyed by action id, not by wording.
    assert "Needle and syringe programmes" in run("assess", "report", str(review), "--plain").stdout
