"""Validation: every kind of content error is reported as file:line:col, exit 2, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iduit.content.loader import check_content, load_content
from iduit.content.model import Content
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run

BROKEN = Path(__file__).parent / "fixtures" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def broken_copy(case: str, target: Path) -> Path:
    """The fixture content with the case's files laid over it."""
    shutil.copytree(FIXTURE_CONTENT, target)
    for path in (BROKEN / case).rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            destination = target / path.relative_to(BROKEN / case)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    return target


def test_fixture_content_is_valid() -> None:
    checked = check_content(FIXTURE_CONTENT)
    content, problems = checked.content, checked.problems
    assert problems == []
    assert content is not None and [c.number for c in content.chapters] == [0, 3]


def test_corpus_has_every_kind_of_error() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_exact_positions(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = broken_copy(case, tmp_path / case)
    monkeypatch.chdir(content)  # messages show paths relative to here
    result = run("validate", ".")
    assert_clean_exit(result, 2)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.stderr.splitlines()[:-1] == expected
    assert result.stderr.splitlines()[-1].startswith("iduit: the content is invalid")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", [["search", "overdose"], ["show", "3.12"], ["toc"], ["export", "3.2"]])
def test_every_command_refuses_broken_content(
    case: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = broken_copy(case, tmp_path / case)
    monkeypatch.setenv("IDUIT_DATA_DIR", str(content))
    monkeypatch.chdir(content)
    result = run(*command)
    assert_clean_exit(result, 2)
    first_expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first_expected in result.stderr.splitlines()


def test_huge_file_is_refused_quickly(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (content_copy / "glossary.yaml").write_bytes(b"terms:\n" + b"  - term: x\n" * 900_000)  # ~10 MB
    monkeypatch.chdir(content_copy)
    result = run("validate", ".")
    assert_clean_exit(result, 2)
    assert "glossary.yaml:1:1: file is too large (10.3 MB; the limit is 5 MB)" in result.stderr


def test_missing_file(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (content_copy / "sources.yaml").unlink()
    monkeypatch.chdir(content_copy)
    result = run("validate", ".")
    assert_clean_exit(result, 2)
    assert "sources.yaml:1:1: file not found" in result.stderr


def test_all_problems_reported_at_once(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chapter = content_copy / "chapters" / "00-introduction.yaml"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace('see_also: ["3.2"]', 'see_also: ["8.8"]').replace("tags: [about, fixture]", "tags: []")
    chapter.write_text(text, encoding="utf-8")
    (content_copy / "glossary.yaml").write_text("terms: {}\n", encoding="utf-8")
    monkeypatch.chdir(content_copy)
    lines = run("validate", ".").stderr.splitlines()
    assert lines == [
        "chapters/00-introduction.yaml:20:11: 'tags' of section 0.1 is an empty list",
        "glossary.yaml:1:8: terms must be a list",
        "chapters/00-introduction.yaml:21:16: section 0.1 refers to section '8.8', which does not exist",
        "iduit: the content is invalid (3 problems)",
    ]


def test_escape_sequences_are_stripped_at_load(content_copy: Path) -> None:
    chapter = content_copy / "chapters" / "00-introduction.yaml"
    text = chapter.read_text(encoding="utf-8").replace(
        "title: About this toolkit", 'title: "About \\e[31mthis\\e[0m \\e]0;pwned\\a toolkit\\x07"'
    )
    chapter.write_text(text, encoding="utf-8")
    content = load_content(content_copy)
    assert content.section("0.1").title == "About this  toolkit"  # type: ignore[union-attr]


def test_json_round_trip_is_lossless() -> None:
    content = load_content(FIXTURE_CONTENT)
    assert Content.from_dict(content.to_dict()) == content
