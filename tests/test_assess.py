"""iduit assess: the file, the walk-through, resuming, reports, the CSV round trip, and content that moved on."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iduit.content.loader import load_content
from iduit.programme import assessment as assess
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run
from tests.programme_support import GOLDEN, golden, module_cache, typed, warm_cache  # noqa: F401

CONTENT = load_content(FIXTURE_CONTENT)


def started(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "review.yaml"
    assert_clean_exit(run("assess", "start", str(path), "--title", "City review", *extra), 0)
    return path


def statuses(path: Path) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {e["action"]: e["status"] for e in data["actions"]}


def answered(tmp_path: Path) -> Path:
    """An assessment of chapter 3 with four answers and two notes (what the walk-through test types in)."""
    path = tmp_path / "review.yaml"
    made = assess.start(CONTENT, path, [3], "City review")
    for action, status, note in ANSWERS:
        assess.answer(made, action, status, note or None)
    assess.save(made)
    return path


ANSWERS = [("3.2-a1", "done", "all good"), ("3.2-a2", "partly", ""), ("3.3-a1", "not yet", "needs funding")]
ANSWERS.append(("3.3-a2", "n/a", ""))


# -- start ------------------------------------------------------------------------


def test_start_writes_every_action_of_the_chapters_unanswered(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["iduit_assessment"] == 1 and data["title"] == "City review" and data["chapters"] == [3]
    assert [e["action"] for e in data["actions"]] == ["3.2-a1", "3.2-a2", "3.3-a1", "3.3-a2", "3.12-a1", "3.12-a2"]
    assert all(e["status"] == "" and e["note"] == "" for e in data["actions"])
    assert data["content_version"] == assess.actions_version(CONTENT)
    golden("assessment-start.yaml", path.read_text(encoding="utf-8"))


def test_start_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    path = started(tmp_path)
    again = run("assess", "start", str(path))
    assert_clean_exit(again, 2)
    assert "already exists" in again.output
    assert_clean_exit(run("assess", "start", str(path), "--chapter", "0", "--force"), 0)
    assert list(statuses(path)) == ["0.1-a1"]


def test_counts_of_one_are_singular_in_english_and_russian(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    result = run("assess", "start", str(path), "--chapter", "0")
    assert_clean_exit(result, 0)
    assert f"Wrote {path} with 1 action. Answer it with" in result.stderr
    walked = typed("assess", str(path), keys="d\n\n")
    assert "Programme self-assessment: 0 of 1 action answered." in " ".join(walked.stdout.split())
    assert "Done: 1 of 1 action answered in" in walked.stderr
    assert f"The 1 action of {path} is answered." in " ".join(typed("assess", str(path), keys="").stdout.split())
    russian = typed("--lang", "ru", "assess", str(path), keys="")
    assert f"На 1 действие в {path} уже есть ответ." in " ".join(russian.stdout.split())
    report = run("--lang", "ru", "assess", "report", str(path), "--format", "markdown").stdout
    assert "Отвечено: 1 из 1 действия." in report
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "chapter-0.md").write_text("mine\n", encoding="utf-8")
    clash = run("--lang", "ru", "export", "--all", "-o", str(tmp_path / "out"))
    assert_clean_exit(clash, 2)
    assert "(будет заменён 1 файл)" in clash.output


def test_start_names_the_chapters_there_are(tmp_path: Path) -> None:
    result = run("assess", "start", str(tmp_path / "r.yaml"), "--chapter", "7")
    assert_clean_exit(result, 1)
    assert "there is no chapter 7 (chapters: 0, 3)" in result.output
    assert not (tmp_path / "r.yaml").exists()


# -- the walk-through -------------------------------------------------------------------


def test_walk_saves_each_answer_and_note(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    assert_clean_exit(typed("assess", str(path), keys="d\nall good\np\n\nn\nneeds funding\nx\n\nq\n"), 0)
    (tmp_path / "same").mkdir()
    assert path.read_text(encoding="utf-8") == answered(tmp_path / "same").read_text(encoding="utf-8")
    assert statuses(path) == {
        "3.2-a1": "done",
        "3.2-a2": "partly",
        "3.3-a1": "not yet",
        "3.3-a2": "n/a",
        "3.12-a1": "",
        "3.12-a2": "",
    }
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e["note"] for e in data["actions"]][:3] == ["all good", "", "needs funding"]
    assert data["resume_at"] == "3.12-a1"


def test_walk_shows_the_section_title_summary_and_action(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    result = typed("assess", str(path), keys="q\n")
    assert_clean_exit(result, 0)
    golden("assess-walk-first.txt", result.stdout.replace(str(path), "review.yaml"))
    assert "[1/6] 3.2 Needle and syringe programmes" in result.stdout
    assert "Programmes that give out sterile needles and syringes" in result.stdout
    assert "3.2-a1  Remove caps on syringes per visit." in result.stdout
    assert "Carry on with: iduit assess" in result.stderr


def test_walk_resumes_where_it_stopped_and_comes_back_to_skipped_ones(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    assert_clean_exit(typed("assess", str(path), keys="s\nd\n\nq\n"), 0)  # skip 3.2-a1, answer 3.2-a2
    assert statuses(path)["3.2-a1"] == "" and statuses(path)["3.2-a2"] == "done"
    second = typed("assess", str(path), keys="n\n\nn\n\nn\n\nn\n\nd\n\n")
    assert_clean_exit(second, 0)
    asked = re.findall(r"\[\d/6\] \S+ [^\n]*\n[^\n]*\n  (\S+)", second.stdout)
    assert asked == ["3.3-a1", "3.3-a2", "3.12-a1", "3.12-a2", "3.2-a1"]
    assert set(statuses(path).values()) == {"done", "not yet"}
    assert "Done: 6 of 6 actions answered" in second.stderr
    nothing_left = typed("assess", str(path), keys="")
    assert_clean_exit(nothing_left, 0)
    assert "All 6 actions" in nothing_left.stdout


def test_walk_understands_words_view_and_retries(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    result = typed("assess", str(path), keys="maybe\nv\nNot Yet\n\nq\n")
    assert_clean_exit(result, 0)
    assert "'maybe' is not an answer" in result.stdout
    assert "Key points" in result.stdout and "Distribute by need" in result.stdout  # the section itself
    assert statuses(path)["3.2-a1"] == "not yet"


def test_end_of_input_stops_cleanly_with_everything_saved(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    result = typed("assess", str(path), keys="d\nfirst note\np")  # no Enter after the last reply
    assert_clean_exit(result, 0)
    assert statuses(path)["3.2-a1"] == "done" and statuses(path)["3.2-a2"] == "partly"
    assert "1 of 6" not in result.stderr and "2 of 6 answers are saved" in result.stderr


def test_walk_from_an_action_revisits_answered_ones(tmp_path: Path) -> None:
    path = answered(tmp_path)
    result = typed("assess", "walk", str(path), "--from", "3.2-a1", keys="\np\n\n-\nq\n")
    assert_clean_exit(result, 0)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["actions"]
    assert (data[0]["status"], data[0]["note"]) == ("done", "all good")  # Enter kept it
    assert (data[1]["status"], data[1]["note"]) == ("partly", "")
    assert "Answered: done (Aigerim, 2026-01-15); note: all good (Enter keeps it)" in result.stdout
    unknown = typed("assess", str(path), "--from", "9.9-a1", keys="")
    assert_clean_exit(unknown, 1)
    assert "action 9.9-a1 is not in this assessment" in unknown.output


def test_ctrl_c_keeps_every_answer_and_a_valid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import iduit.cli.walk as commands

    path = started(tmp_path, "--chapter", "3")
    replies = iter(["d", "", "p", ""])

    def read() -> str:
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(commands, "_read_line", read)
    result = run("assess", str(path))
    assert_clean_exit(result, 130)
    assert "interrupted; 2 of 6 answers are saved" in result.stderr
    loaded, _ = assess.load(path, CONTENT)
    assert [e.status for e in loaded.entries][:3] == ["done", "partly", ""]
    assert loaded.resume_at == "3.3-a1"


# -- reading the file -----------------------------------------------------------------


def test_every_problem_in_a_hand_edited_file_has_its_place(tmp_path: Path) -> None:
    path = started(tmp_path, "--chapter", "3")
    text = path.read_text(encoding="utf-8")
    text = text.replace('status: ""', 'status: "maybe"', 1)  # 3.2-a1: unknown answer
    text = text.replace('action: "3.3-a1"', 'action: "3.2-a2"', 1)  # a duplicate
    text = text.replace('action: "3.3-a2"', 'action: "3.2-a9"', 1)  # unknown action
    text = text.replace('action: "3.12-a1"', 'action: "overdose"', 1)  # not an id
    path.write_text(text, encoding="utf-8")
    result = run("assess", "report", str(path))
    assert_clean_exit(result, 2)
    lines = result.stderr.strip().splitlines()
    assert re.match(r".*review\.yaml:\d+:13: unknown answer 'maybe' for 3\.2-a1", lines[0])
    found = "\n".join(lines)
    assert re.search(r"review\.yaml:\d+:13: 'overdose' is not an action id", found)
    assert re.search(r"review\.yaml:\d+:13: duplicate action 3\.2-a2 \(first at .*review\.yaml:\d+:13\)", found)
    assert lines[-1] == "iduit: 3 problems; fix them and run the command again"
    fixed = path.read_text(encoding="utf-8").replace('"maybe"', '""').replace('"overdose"', '"3.12-a1"')
    path.write_text(fixed.replace('action: "3.2-a2"\n    section: "3.3"', 'action: "3.3-a1"\n    section: "3.3"'))
    unknown = run("assess", "report", str(path))
    assert_clean_exit(unknown, 2)
    assert re.search(r"review\.yaml:\d+:13: unknown action 3\.2-a9 \(section 3\.2 has 2 actions\)", unknown.stderr)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: [\n", "YAML syntax error"),
        ("- a list\n", "must be a mapping"),
        ("iduit_assessment: 1\ntitle: x\ncontent_version: x\nactions: []\ncolour: red\n", "unknown key 'colour'"),
        ("iduit_assessment: 2\ntitle: x\ncontent_version: x\nactions: []\n", "this iduit reads format 1"),
    ],
)
def test_broken_files_are_refused_with_a_place(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("assess", "report", str(path))
    assert_clean_exit(result, 2)
    assert re.search(r"r\.yaml:\d+:\d+: .*" + re.escape(words), result.stderr)


def test_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    result = run("assess", str(tmp_path / "none.yaml"))
    assert_clean_exit(result, 2)
    assert "create it with: iduit assess start" in result.output


def test_a_file_filled_in_by_hand_loads(tmp_path: Path) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(
        f"iduit_assessment: 1\ntitle: By hand\ncontent_version: {assess.actions_version(CONTENT)}\nchapters: all\n"
        "actions:\n  - action: 3.3-a1\n    status: Not yet\n    note: no\n  - {action: 0.1-a1, status: N/A}\n",
        encoding="utf-8",
    )
    loaded, changes = assess.load(path, CONTENT)
    assert not changes.changed
    assert len(loaded.entries) == 7
    assert (loaded.entry("3.3-a1").status, loaded.entry("3.3-a1").note) == ("not yet", "no")  # 'no' stays text
    assert loaded.entry("0.1-a1").status == "n/a"


# -- content that moved on ------------------------------------------------------------


def test_answers_follow_their_action_when_the_content_changes(tmp_path: Path, content_copy: Path) -> None:
    path = answered(tmp_path)
    chapter = content_copy / "chapters" / "03-services.yaml"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace(
        "      - Remove caps on syringes per visit.\n",
        "      - Count every channel.\n      - Remove caps on syringes per visit.\n",
    )
    text = text.replace("- Allow take-home doses.", "- Allow take-home doses for stable clients.")
    chapter.write_text(text, encoding="utf-8")
    result = typed("assess", str(path), keys="q\n")
    assert_clean_exit(result, 0)
    assert "the content has changed since this assessment was made" in result.stderr
    assert "new actions, not answered yet: 3.2-a1, 3.3-a2" in result.stderr
    assert "moved, answers kept: 3.2-a1 is now 3.2-a2, 3.2-a2 is now 3.2-a3" in result.stderr
    assert "gone or reworded: 3.3-a2; their answers are kept under 'retired': 3.3-a2" in result.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    now = {e["action"]: (e["text"], e["status"]) for e in data["actions"]}
    assert now["3.2-a1"] == ("Count every channel.", "")
    assert now["3.2-a2"] == ("Remove caps on syringes per visit.", "done")
    assert now["3.2-a3"] == ("Offer safe disposal.", "partly")
    assert now["3.3-a2"] == ("Allow take-home doses for stable clients.", "")
    assert data["retired"] == [
        {
            "action": "3.3-a2",
            "section": "3.3",
            "text": "Allow take-home doses.",
            "status": "n/a",
            "note": "",
            "by": "Aigerim",  # a retired answer keeps who gave it and when
            "answered": "2026-01-15T00:00:00Z",
        }
    ]
    assert (
        data["content_version"] == assess.actions_version(load_content(content_copy)) != assess.actions_version(CONTENT)
    )
    again = run("assess", "report", str(path))
    assert_clean_exit(again, 0)
    assert "changed" not in again.stderr


def _answered_then_undone(tmp_path: Path, content_copy: Path) -> Path:
    """An assessment whose 3.3-a2 (answered n/a) was reworded, walked once (the answer retired), then the
    wording put back."""
    path = answered(tmp_path)
    chapter = content_copy / "chapters" / "03-services.yaml"
    before = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        before.replace("- Allow take-home doses.", "- Allow take-home doses for stable clients."), encoding="utf-8"
    )
    assert_clean_exit(typed("assess", str(path), keys="q\n"), 0)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["retired"][0]["status"] == "n/a"
    chapter.write_text(before, encoding="utf-8")
    return path


def test_undoing_a_content_change_brings_the_answers_back(tmp_path: Path, content_copy: Path) -> None:
    path = _answered_then_undone(tmp_path, content_copy)
    result = typed("assess", str(path), keys="q\n")
    assert_clean_exit(result, 0)
    assert "back in the content, answers restored: 3.3-a2" in result.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "retired" not in data
    now = {e["action"]: (e["text"], e["status"]) for e in data["actions"]}
    assert now["3.3-a2"] == ("Allow take-home doses.", "n/a")
    assert data["content_version"] == assess.actions_version(CONTENT)


def test_a_retired_answer_never_overwrites_a_newer_one(tmp_path: Path, content_copy: Path) -> None:
    path = _answered_then_undone(tmp_path, content_copy)
    text = path.read_text(encoding="utf-8")  # meanwhile a colleague answered the action as it reads again
    old = 'text: "Allow take-home doses for stable clients."\n    status: ""'
    assert old in text
    path.write_text(text.replace(old, 'text: "Allow take-home doses."\n    status: "done"'), encoding="utf-8")
    assert_clean_exit(typed("assess", str(path), keys="q\n"), 0)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    now = {e["action"]: e["status"] for e in data["actions"]}
    assert now["3.3-a2"] == "done"  # the newer answer stays; the old one stays retired
    assert [e["status"] for e in data["retired"]] == ["n/a"]


# -- reports ---------------------------------------------------------------------------


REPORTS = {
    "assess-report.txt": ["--plain"],
    "assess-report.md": ["--format", "markdown"],
    "assess-report.html": ["--format", "html"],
    "assess-report.json": ["--json"],
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_report_matches_golden_file(tmp_path: Path, name: str) -> None:
    path = answered(tmp_path)
    result = run("assess", "report", str(path), *REPORTS[name])
    assert_clean_exit(result, 0)
    golden(name, result.stdout)


@pytest.mark.parametrize("columns", [34, 44, 60])
def test_report_gaps_hang_under_their_text_and_keep_the_reference_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run("assess", "report", str(answered(tmp_path)), "--plain")
    assert_clean_exit(result, 0)
    gaps = result.stdout.split("Gaps, most important first\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert all(line.startswith(("  * ", "    ")) and len(line) <= columns for line in gaps), gaps
    assert sum(line.startswith("  * ") for line in gaps) == 2 and len(gaps) > 2  # wrapped, and hanging
    assert any("Read 3.3 Opioid" in line for line in gaps) and any("Read 3.2 Needle" in line for line in gaps)


def test_json_report_has_the_documented_shape_and_scores() -> None:
    data = json.loads((GOLDEN / "assess-report.json").read_text(encoding="utf-8"))
    assert list(data) == ["title", "made", "content_version", "answered", "total", "chapters", "gaps"]
    assert data["made"] == "2026-01-15"  # SOURCE_DATE_EPOCH, set for every test
    assert (data["answered"], data["total"]) == (4, 6)
    chapter = data["chapters"][0]
    assert list(chapter) == ["number", "title", "score", "answered", "total", "sections"]
    assert chapter["score"] == 0.5  # (1 + 0.5 + 0) / 3: n/a is left out
    assert [(s["id"], s["score"], s["answered"]) for s in chapter["sections"]] == [
        ("3.2", 0.75, 2),
        ("3.3", 0.0, 2),
        ("3.12", None, 0),
    ]
    assert [list(g) for g in data["gaps"]] == [["action", "section", "status", "text", "note"]] * 2
    assert [(g["action"], g["status"], g["note"]) for g in data["gaps"]] == [
        ("3.3-a1", "not yet", "needs funding"),
        ("3.2-a2", "partly", ""),
    ]


def test_html_report_draws_charts_without_scripts() -> None:
    page = (GOLDEN / "assess-report.html").read_text(encoding="utf-8")
    assert page.count('<figure class="chart">') == 2  # the chapters, then the sections of chapter 3
    assert page.count('<rect class="fill"') == 3  # 3.12, with no answers yet, has no bar at all
    assert "<script" not in page and "http://www.w3.org/2000/svg" in page
    assert "https://" not in page and "src=" not in page


def test_gaps_rank_not_yet_first_then_health_services_then_enablers(tmp_path: Path) -> None:
    path = started(tmp_path)
    assert_clean_exit(typed("assess", str(path), keys="p\n\nn\n\np\n\nq\n"), 0)  # 0.1, 3.2-a1, 3.2-a2
    gaps = json.loads(run("assess", "report", str(path), "--json").stdout)["gaps"]
    assert [g["action"] for g in gaps] == ["3.2-a1", "3.2-a2", "0.1-a1"]


def test_report_can_be_written_to_a_file(tmp_path: Path) -> None:
    path = answered(tmp_path)
    out = tmp_path / "review.html"
    result = run("assess", "report", str(path), "-o", str(out))
    assert_clean_exit(result, 0)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    json_out = tmp_path / "review.json"
    assert_clean_exit(run("assess", "report", str(path), "-o", str(json_out)), 0)
    assert json.loads(json_out.read_text(encoding="utf-8"))["answered"] == 4


# -- the spreadsheet round trip -----------------------------------------------------------


def test_export_matches_golden_file_and_imports_back_unchanged(tmp_path: Path) -> None:
    path = answered(tmp_path)
    exported = run("assess", "export", str(path))
    assert_clean_exit(exported, 0)
    golden("assess-export.csv", exported.stdout)
    before = path.read_text(encoding="utf-8")
    sheet = tmp_path / "answers.csv"
    sheet.write_text(exported.stdout, encoding="utf-8")
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 0)
    assert "0 answers changed" in result.stderr
    assert path.read_text(encoding="utf-8") == before


def test_import_takes_a_spreadsheet_s_answers(tmp_path: Path) -> None:
    path = answered(tmp_path)
    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        "\ufeffAction;Status;Note\n3.12-a1;Done;=kits ordered\n3.2-a1;-;\n\n",  # Excel: BOM, semicolons; - clears
        encoding="utf-8",
    )
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 0)
    assert "2 answers changed" in result.stderr
    loaded, _ = assess.load(path, CONTENT)
    assert (loaded.entry("3.12-a1").status, loaded.entry("3.12-a1").note) == ("done", "=kits ordered")
    assert (loaded.entry("3.2-a1").status, loaded.entry("3.2-a1").note) == ("", "")
    exported = run("assess", "export", str(path)).stdout
    assert "3.12-a1,3.12,Give naloxone kits to people leaving prison.,done,'=kits ordered" in exported


def test_a_bad_spreadsheet_changes_nothing_and_says_where(tmp_path: Path) -> None:
    path = answered(tmp_path)
    before = path.read_text(encoding="utf-8")
    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        'action,section,text,status,note\n3.2-a1,3.2,"two\nlines",maybe,\n3.9-a1,,,done,\n3.2-a2,,,done,\n3.2-a2,,,done,\n',
        encoding="utf-8",
    )
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 2)
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith(
        "answers.csv:2:4: column D (status): unknown answer 'maybe' for 3.2-a1 "
        "(use done, partly, not yet, n/a (or d, p, n, x), - to clear an answer, or leave it empty)"
    )
    assert lines[1].endswith("answers.csv:4:1: column A (action): '3.9-a1' is not in this assessment")
    assert lines[2].endswith("answers.csv:6:1: duplicate action 3.2-a2 (first on line 5)")
    assert path.read_text(encoding="utf-8") == before
    no_status = tmp_path / "plain.csv"
    no_status.write_text("action,note\n3.2-a1,x\n", encoding="utf-8")
    missing = run("assess", "import", str(path), str(no_status))
    assert_clean_exit(missing, 2)
    assert "plain.csv:1:1: no 'status' column" in missing.stderr


# -- help and documentation -------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        ["assess"],
        ["assess", "start"],
        ["assess", "walk"],
        ["assess", "report"],
        ["assess", "export"],
        ["assess", "import"],
        ["assess", "merge"],
    ],
)
def test_every_assess_command_has_an_example_in_help_and_readme(words: list[str]) -> None:
    result = run(*words, "--help")
    assert_clean_exit(result, 0)
    assert re.search(rf"Examples?: iduit {' '.join(words)}\b", " ".join(result.stdout.split())), result.stdout
    assert f"iduit {' '.join(words)}" in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


# -- properties ----------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
REPLY = st.sampled_from(["done", "partly", "not yet", "n/a", ""])
IDS = [e.id for e in assess.scope_actions(CONTENT, ())]


@given(st.lists(st.tuples(st.sampled_from(IDS), REPLY, TEXT), max_size=12), TEXT)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_answers_survive_saving_and_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: list[tuple[str, str, str]], title: str
) -> None:
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # durability has its own test below; this one is about content
    path = tmp_path / "p.yaml"
    path.unlink(missing_ok=True)
    made = assess.start(CONTENT, path, [], title or "t")
    for action, status, note in answers:
        assess.answer(made, action, status, note)
        assess.save(made)
    loaded, changes = assess.load(path, CONTENT)
    assert not changes.changed
    assert [(e.action, e.status, e.note) for e in loaded.entries] == [
        (e.action, e.status, e.note) for e in made.entries
    ]
    assert loaded.title == made.title
    rep = assess.report(loaded, CONTENT)
    assert rep.score is None or 0 <= rep.score <= 1
    assert (rep.score is None) == all(e.status in ("", "n/a") for e in loaded.entries)


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_any_text_is_written_as_yaml_that_reads_back_the_same(text: str) -> None:
    assert yaml.safe_load(f"value: {assess._quote(text)}")["value"] == text


@given(st.lists(st.tuples(st.sampled_from(IDS), REPLY), min_size=1, max_size=12), st.integers(0, 40), st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_interrupted_save_leaves_the_last_saved_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: list[tuple[str, str]], fail_at: int, data: Any
) -> None:
    """A crash or Ctrl-C anywhere in a save leaves the file as it was before that save, whole."""
    import iduit.files as programme

    path = tmp_path / "i.yaml"
    path.unlink(missing_ok=True)
    made = assess.start(CONTENT, path, [], "t")
    saved: list[tuple[str, str]] = [(e.action, e.status) for e in made.entries]
    calls = {"n": 0}
    real_replace, real_fsync = os.replace, os.fsync
    error = data.draw(st.sampled_from([KeyboardInterrupt, OSError]))

    def flaky(real: Any) -> Any:
        def call(*args: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise error()
            return real(*args)

        return call

    monkeypatch.setattr(programme.os, "replace", flaky(real_replace))
    monkeypatch.setattr(programme.os, "fsync", flaky(real_fsync))
    attempted = saved
    for action, status in answers:
        assess.answer(made, action, status)
        attempted = [(e.action, e.status) for e in made.entries]
        try:
            assess.save(made)
        except (KeyboardInterrupt, programme.ExportError):
            break
        saved = attempted
    monkeypatch.undo()
    loaded, _ = assess.load(path, CONTENT)
    # The save that was cut short either happened whole (the rename was done) or not at all.
    assert [(e.action, e.status) for e in loaded.entries] in (saved, attempted)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".i.yaml")] == []


def test_two_colleagues_spreadsheets_imported_in_turn_keep_both_sets_of_answers(tmp_path: Path) -> None:
    """One answers chapter 0 in a copy of the CSV, another chapter 3 in theirs: an empty cell never erases."""
    import csv
    import io

    path = tmp_path / "review.yaml"
    assert_clean_exit(run("assess", "start", str(path)), 0)
    rows = list(csv.reader(io.StringIO(run("assess", "export", str(path)).stdout)))

    def colleague(chapter: str, status: str, note: str) -> Path:
        sheet = tmp_path / f"chapter-{chapter}.csv"
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(rows[0])
        for row in rows[1:]:
            writer.writerow([*row[:3], status, note] if row[0].startswith(f"{chapter}.") else row)
        sheet.write_text(out.getvalue(), encoding="utf-8")
        return sheet

    assert_clean_exit(run("assess", "import", str(path), str(colleague("0", "done", "by the first"))), 0)
    assert_clean_exit(run("assess", "import", str(path), str(colleague("3", "p", "by the second"))), 0)
    loaded, _ = assess.load(path, CONTENT)
    answers = {e.action: (e.status, e.note) for e in loaded.entries}
    assert all(v == ("done", "by the first") for k, v in answers.items() if k.startswith("0."))
    assert all(v == ("partly", "by the second") for k, v in answers.items() if k.startswith("3."))
