"""iduit checklist: stable action ids, the terminal view and every export format (golden files)."""

from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from iduit.content.loader import load_content
from iduit.errors import UsageError
from iduit.programme.actions import ACTION_ID, all_actions, select
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run
from tests.programme_support import GOLDEN, golden, module_cache, warm_cache  # noqa: F401

CASES = {
    "checklist.txt": ["checklist", "--plain"],
    "checklist-chapter-3.md": ["checklist", "chapter", "3", "--format", "markdown"],
    "checklist-chapter-3.txt": ["checklist", "chapter", "3", "--format", "text"],
    "checklist-chapter-3.html": ["checklist", "chapter", "3", "--format", "html"],
    "checklist-3.2-3.12.csv": ["checklist", "3.2", "3.12", "--format", "csv"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_checklist_output_matches_golden_file(name: str) -> None:
    result = run(*CASES[name])
    assert_clean_exit(result, 0)
    golden(name, result.stdout)


def test_every_action_has_an_id_from_its_section_and_position() -> None:
    content = load_content(FIXTURE_CONTENT)
    ids = [a.id for a in all_actions(content)]
    assert ids == ["0.1-a1", "3.2-a1", "3.2-a2", "3.3-a1", "3.3-a2", "3.12-a1", "3.12-a2"]
    assert all(ACTION_ID.match(i) for i in ids)


def test_ids_survive_other_sections_moving(content_copy: Path) -> None:
    before = {a.text: a.id for a in all_actions(load_content(content_copy))}
    path = content_copy / "chapters" / "03-services.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    added = dict(
        copy.deepcopy(data["sections"][1]), id="3.4", title="A new section", actions=["Do the new thing."], see_also=[]
    )
    data["sections"] = [added, data["sections"][2], data["sections"][0], data["sections"][1]]  # reordered, one more
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = {a.text: a.id for a in all_actions(load_content(content_copy))}
    assert after == {**before, "Do the new thing.": "3.4-a1"}


def test_the_packaged_digest_has_unique_well_formed_action_ids() -> None:
    actions = all_actions(load_content(PACKAGED_CONTENT))
    ids = [a.id for a in actions]
    assert len(ids) == len(set(ids)) > 100
    assert all(ACTION_ID.match(i) for i in ids)


def test_validate_warns_about_an_action_listed_twice_in_a_section(content_copy: Path) -> None:
    path = content_copy / "chapters" / "03-services.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- Offer safe disposal.", "- Remove caps on syringes per visit."), encoding="utf-8")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 0)
    assert re.search(r"03-services\.yaml:\d+:\d+: warning: section 3\.2 lists the action 'Remove caps", result.output)


def test_select_takes_sections_and_chapters_in_content_order() -> None:
    content = load_content(FIXTURE_CONTENT)
    assert [a.id for a in select(content, ["3.12", "0.1"])] == ["0.1-a1", "3.12-a1", "3.12-a2"]
    assert [a.section for a in select(content, ["chapter", "3"])] == ["3.2", "3.2", "3.3", "3.3", "3.12", "3.12"]
    with pytest.raises(UsageError, match="job aid T1 has no actions"):
        select(content, ["T1"])


def test_csv_has_the_documented_columns_and_blank_answers() -> None:
    result = run("checklist", "--format", "csv")
    assert_clean_exit(result, 0)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["action", "chapter", "section", "section_title", "text", "status", "note"]
    assert len(rows) == 7
    assert rows[1] == {
        "action": "3.2-a1",
        "chapter": "3",
        "section": "3.2",
        "section_title": "Needle and syringe programmes",
        "text": "Remove caps on syringes per visit.",
        "status": "",
        "note": "",
    }


def test_markdown_is_a_task_list_grouped_by_chapter_and_section() -> None:
    markdown = (GOLDEN / "checklist-chapter-3.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag != "h1"]
    assert headings[:2] == ["Chapter 3: Health and support services", "3.2 Needle and syringe programmes"]
    assert "- [ ] 3.2-a1 Remove caps on syringes per visit." in markdown.splitlines()
    assert markdown.count("- [ ] ") == 6


def test_a_text_file_draws_every_box_as_paper_does_and_plain_output_as_ascii() -> None:
    """A text file is for printing and reading: its boxes are ☐, as a job aid's form already draws them, not the
    "[ ]" of typing; --plain output (any terminal, pipe or old printer) keeps every box in ASCII alike."""
    checklist = (GOLDEN / "checklist-chapter-3.txt").read_text(encoding="utf-8")
    section = (GOLDEN.parent / "export-3.12.txt").read_text(encoding="utf-8")
    assert "[ ]" not in checklist + section
    assert checklist.count("☐ 3.") == 6 and "    ☐ 3.2-a1 Remove caps on syringes per visit." in checklist
    assert "  ☐ Give naloxone kits to people leaving prison." in section.splitlines()
    for plain in ((GOLDEN / "checklist.txt").read_text(encoding="utf-8"), run("show", "3.12", "--plain").stdout):
        assert "☐" not in plain and "[ ] " in plain


def test_html_is_a_printable_form_with_a_page_per_chapter() -> None:
    page = run("checklist", "--format", "html").stdout
    assert page.count('<h2 id="chapter-') == 2
    assert 'h2[id^="chapter-"]~h2[id^="chapter-"]{break-before:page}' in page
    assert page.count('<td class="box"><span></span></td>') == 7 * 4
    assert page.count('<td class="note"></td>') == 7
    assert "<script" not in page and "Content-Security-Policy" in page and "http://" not in page.split("<body>")[1]


def test_output_file_follows_its_extension_and_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    first = run("checklist", "3.2", "-o", str(out))
    assert_clean_exit(first, 0)
    assert out.read_text(encoding="utf-8").startswith("action,chapter,section")
    again = run("checklist", "3.2", "-o", str(out))
    assert_clean_exit(again, 2)
    assert "already exists" in again.output
    assert_clean_exit(run("checklist", "3.3", "-o", str(out), "--force"), 0)
    assert "3.3-a1" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["checklist", "T1"], 2, "job aid T1 has no actions"),
        (["checklist", "3.99"], 1, "there is no section 3.99"),
        (["checklist", "--format", "pdf"], 2, "pdf is a binary format: give a file with -o"),
        (["checklist", "-o", "x.md", "--format", "csv"], 2, "does not match the file name"),
    ],
)
def test_bad_requests_get_one_clear_line(
    args: list[str], code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert_clean_exit(result, code)
    assert words in result.output
    assert list(tmp_path.glob("x.*")) == []


def test_help_has_an_example_and_the_readme_mentions_it() -> None:
    result = run("checklist", "--help")
    assert "Example: iduit checklist" in result.stdout
    assert "iduit checklist" in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
