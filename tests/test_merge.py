"""A team's answers meeting without loss: who and when per answer, imports in turn, and iduit assess merge."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iduit.content.loader import load_content
from iduit.programme import assessment as assess
from iduit.programme.merge import NEWEST, TIE, UNANSWERED, UNTIMED, Source, combine
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run
from tests.programme_support import module_cache, typed, warm_cache  # noqa: F401

CONTENT = load_content(FIXTURE_CONTENT)
IDS = [a.id for a in assess.scope_actions(CONTENT, ())]
JAN_15 = 1768435200  # SOURCE_DATE_EPOCH of every test: 2026-01-15T00:00:00Z


def at(monkeypatch: pytest.MonkeyPatch, hours: int) -> str:
    """Set the clock to 2026-01-15 plus ``hours``; the time as an answer records it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(JAN_15 + hours * 3600))
    return f"2026-01-15T{hours:02d}:00:00Z"


def base(tmp_path: Path, name: str = "review.yaml", *extra: str) -> Path:
    path = tmp_path / name
    assert_clean_exit(run("assess", "start", str(path), "--title", "City review", *extra), 0)
    return path


def copy(path: Path, name: str) -> Path:
    target = path.parent / name
    target.write_bytes(path.read_bytes())
    return target


def answer(path: Path, by: str, answers: dict[str, tuple[str, str]]) -> None:
    """One person answers in their copy (as the walk does, without a terminal: one load and one save)."""
    made, _ = assess.load(path, CONTENT)
    for action, (status, note) in answers.items():
        assess.answer(made, action, status, note, by=by)
    assess.save(made)


def entries(path: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {e["action"]: e for e in data["actions"]}


def who(path: Path) -> dict[str, tuple[str, str, str, str]]:
    """Each answered action: status, note, by and answered."""
    return {
        k: (e["status"], e["note"], e.get("by", ""), e.get("answered", ""))
        for k, e in entries(path).items()
        if e["status"] or e["note"]
    }


# -- who and when -------------------------------------------------------------------------------


def test_the_walk_records_who_answered_and_when(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = base(tmp_path)
    when = at(monkeypatch, 9)
    assert_clean_exit(typed("assess", "walk", str(path), "--by", "Anna", keys="d\nkits\nq\n"), 0)
    assert who(path) == {"0.1-a1": ("done", "kits", "Anna", when)}
    text = path.read_text(encoding="utf-8")
    assert '    by: "Anna"\n    answered: "2026-01-15T09:00:00Z"\n' in text  # readable, and editable by hand
    # Without --by: IDUIT_USER (set to Aigerim for every test).
    assert_clean_exit(typed("assess", str(path), keys="p\n\nq\n"), 0)
    assert who(path)["3.2-a1"] == ("partly", "", "Aigerim", when)
    # Going through again, each answer says who gave it and on which day.
    again = typed("assess", str(path), "--from", "0.1-a1", keys="q\n")
    assert "Answered: done (Anna, 2026-01-15); note: kits (Enter keeps it)" in again.stdout


def test_without_a_name_the_account_s_is_used_and_none_is_quietly_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    path = base(tmp_path)
    monkeypatch.delenv("IDUIT_USER")
    monkeypatch.setattr(getpass, "getuser", lambda: "outreach1")
    assert_clean_exit(typed("assess", str(path), keys="d\n\nq\n"), 0)
    assert who(path)["0.1-a1"][2] == "outreach1"

    def nobody() -> str:
        raise OSError("no such account")

    monkeypatch.setattr(getpass, "getuser", nobody)
    result = typed("assess", str(path), keys="n\n\nq\n")
    assert_clean_exit(result, 0)
    assert who(path)["3.2-a1"][2:] == ("", "2026-01-15T00:00:00Z")
    assert "by:" not in entries(path)["3.2-a1"]


def test_a_cleared_answer_forgets_who_gave_it(tmp_path: Path) -> None:
    path = base(tmp_path)
    answer(path, "Anna", {"0.1-a1": ("done", "")})
    answer(path, "Boris", {"0.1-a1": ("", "")})
    assert who(path) == {}
    assert set(entries(path)["0.1-a1"]) == {"action", "section", "text", "status", "note"}


def test_an_old_file_without_who_and_when_still_loads_and_exports(tmp_path: Path) -> None:
    path = base(tmp_path)
    text = path.read_text(encoding="utf-8").replace('status: ""\n', 'status: "done"\n', 1)
    path.write_text(text, encoding="utf-8")
    loaded, _ = assess.load(path, CONTENT)
    assert (loaded.entries[0].status, loaded.entries[0].by, loaded.entries[0].answered) == ("done", "", "")
    exported = run("assess", "export", str(path))
    assert_clean_exit(exported, 0)
    assert exported.stdout.splitlines()[:2] == [
        "action,section,text,status,note,by,answered",
        "0.1-a1,0.1,Keep this fixture small.,done,,,",
    ]


def test_a_time_that_is_not_one_is_refused_with_its_place(tmp_path: Path) -> None:
    path = base(tmp_path)
    text = path.read_text(encoding="utf-8").replace('note: ""\n', 'note: ""\n    answered: "yesterday"\n', 1)
    path.write_text(text, encoding="utf-8")
    result = run("assess", "report", str(path))
    assert_clean_exit(result, 2)
    assert "review.yaml:18:15: 'answered' for 0.1-a1 is not a time such as 2026-01-15T09:30:00Z" in result.stderr
    # Any ISO 8601 time is taken, and kept in UTC to the second.
    path.write_text(text.replace('"yesterday"', '"2026-01-15 12:30:00+03:00"'), encoding="utf-8")
    loaded, _ = assess.load(path, CONTENT)
    assert loaded.entries[0].answered == "2026-01-15T09:30:00Z"


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_two_colleagues_spreadsheets_imported_in_turn_keep_every_answer_and_its_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One answers chapter 0 in a copy of the CSV, the other chapter 3 in theirs; each is imported in turn."""
    path = base(tmp_path)
    rows = list(csv.reader(io.StringIO(run("assess", "export", str(path)).stdout)))
    assert rows[0] == ["action", "section", "text", "status", "note", "by", "answered"]

    def colleague(chapter: str, status: str, note: str) -> Path:
        mine = [[*r[:3], status, note, *r[5:]] if r[0].startswith(f"{chapter}.") else r for r in rows[1:]]
        return _sheet(tmp_path / f"chapter-{chapter}.csv", [rows[0], *mine])

    first, second = colleague("0", "done", "by the first"), colleague("3", "p", "by the second")
    at(monkeypatch, 10)
    assert_clean_exit(run("assess", "import", str(path), str(first), "--by", "Anna"), 0)
    at(monkeypatch, 11)
    monkeypatch.setenv("IDUIT_USER", "Boris")
    result = run("assess", "import", str(path), str(second))
    assert_clean_exit(result, 0)
    assert "6 answers changed" in result.stderr
    answers = who(path)
    assert answers["0.1-a1"] == ("done", "by the first", "Anna", "2026-01-15T10:00:00Z")
    assert {answers[i] for i in IDS if i.startswith("3.")} == {
        ("partly", "by the second", "Boris", "2026-01-15T11:00:00Z")
    }
    assert len(answers) == len(IDS)  # nothing of the first was lost to the second's empty cells


@pytest.mark.slow
def test_on_the_packaged_guidance_chapter_2_and_chapter_3_sheets_meet_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packaged_cache: Path
) -> None:
    """The real digest: one colleague answers chapter 2 in a CSV copy, another chapter 3 in theirs; imported in
    turn, and merged from their own files, both give every answer with its author."""
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
    path = tmp_path / "review.yaml"
    assert_clean_exit(run("assess", "start", str(path), "--chapter", "2", "--chapter", "3"), 0)
    rows = list(csv.reader(io.StringIO(run("assess", "export", str(path)).stdout)))
    chapter_2 = [r[0] for r in rows[1:] if r[0].startswith("2.")]
    chapter_3 = [r[0] for r in rows[1:] if r[0].startswith("3.")]
    assert len(chapter_2) >= 10 and len(chapter_3) >= 10

    def colleague(chapter: str, status: str) -> Path:
        mine = [[*r[:3], status, f"seen by {chapter}", *r[5:]] if r[0].startswith(chapter) else r for r in rows[1:]]
        return _sheet(tmp_path / f"{chapter}csv", [rows[0], *mine])

    at(monkeypatch, 9)
    assert_clean_exit(run("assess", "import", str(path), str(colleague("2.", "done")), "--by", "Aliya"), 0)
    at(monkeypatch, 10)
    assert_clean_exit(run("assess", "import", str(path), str(colleague("3.", "partly")), "--by", "Dmitri"), 0)
    answers = who(path)
    assert {answers[i] for i in chapter_2} == {("done", "seen by 2.", "Aliya", "2026-01-15T09:00:00Z")}
    assert {answers[i] for i in chapter_3} == {("partly", "seen by 3.", "Dmitri", "2026-01-15T10:00:00Z")}
    # The same two colleagues, each answering in a copy of the file, then merged: the same answers.
    aliya, dmitri = copy(path, "aliya.yaml"), copy(path, "dmitri.yaml")
    for mine, theirs in ((aliya, "3."), (dmitri, "2.")):
        text = mine.read_text(encoding="utf-8")
        kept = [b for b in text.split("\n  - action: ") if not b.startswith(f'"{theirs}')]
        mine.write_text("\n  - action: ".join(kept), encoding="utf-8")  # only their own answers left
    out = tmp_path / "merged.yaml"
    assert_clean_exit(run("assess", "merge", str(out), str(aliya), str(dmitri)), 0)
    assert who(out) == answers


def test_a_teammate_s_export_keeps_their_name_and_a_change_made_in_the_sheet_is_the_importer_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base(tmp_path)
    theirs = copy(path, "boris.yaml")
    at(monkeypatch, 8)
    answer(theirs, "Boris", {"3.2-a1": ("done", "ok"), "3.2-a2": ("partly", "")})
    sheet = tmp_path / "boris.csv"
    assert_clean_exit(run("assess", "export", str(theirs), "-o", str(sheet)), 0)
    at(monkeypatch, 9)
    assert_clean_exit(run("assess", "import", str(path), str(sheet), "--by", "Anna"), 0)
    assert who(path)["3.2-a1"] == ("done", "ok", "Boris", "2026-01-15T08:00:00Z")
    # Anna exports her file, changes Boris's answer in the spreadsheet and leaves his name in the row:
    # the stamp is the old answer's, so the new answer is hers.
    mine = tmp_path / "mine.csv"
    assert_clean_exit(run("assess", "export", str(path), "-o", str(mine)), 0)
    mine.write_text(mine.read_text(encoding="utf-8").replace(",done,ok,Boris,", ",not yet,ok,Boris,"), encoding="utf-8")
    at(monkeypatch, 10)
    assert_clean_exit(run("assess", "import", str(path), str(mine), "--by", "Anna"), 0)
    assert who(path)["3.2-a1"] == ("not yet", "ok", "Anna", "2026-01-15T10:00:00Z")
    assert who(path)["3.2-a2"] == ("partly", "", "Boris", "2026-01-15T08:00:00Z")  # unchanged: still his


def test_a_bad_time_in_a_spreadsheet_is_refused_with_its_column(tmp_path: Path) -> None:
    path = base(tmp_path)
    before = path.read_text(encoding="utf-8")
    sheet = _sheet(tmp_path / "a.csv", [["action", "status", "by", "answered"], ["3.2-a1", "done", "Anna", "soon"]])
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 2)
    assert "a.csv:2:4: column D (answered): 'soon' for 3.2-a1 is not a time such as 2026-01-15T09:30:00Z" in (
        result.stderr
    )
    assert path.read_text(encoding="utf-8") == before


# -- merge ---------------------------------------------------------------------------------------


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Anna answers chapter 0 and 3.2-a1 at 09:00, Boris chapter 3 at 10:00, each in a copy of one file."""
    path = base(tmp_path)
    anna, boris = copy(path, "anna.yaml"), copy(path, "boris.yaml")
    at(monkeypatch, 9)
    answer(anna, "Anna", {"0.1-a1": ("done", ""), "3.2-a1": ("done", "all good")})
    at(monkeypatch, 10)
    answer(boris, "Boris", {"3.2-a1": ("done", "all good"), "3.3-a1": ("not yet", "no funds"), "3.12-a1": ("n/a", "")})
    return anna, boris


def test_disjoint_answers_join_and_the_same_answer_twice_is_one(tmp_path: Path, team: tuple[Path, Path]) -> None:
    anna, boris = team
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris))
    assert_clean_exit(result, 0)
    assert result.stderr.strip().endswith("Wrote " + str(out) + " from 2 files: 4 of 7 actions answered")
    assert who(out) == {
        "0.1-a1": ("done", "", "Anna", "2026-01-15T09:00:00Z"),
        "3.2-a1": ("done", "all good", "Anna", "2026-01-15T09:00:00Z"),  # both gave it: the first to answer
        "3.3-a1": ("not yet", "no funds", "Boris", "2026-01-15T10:00:00Z"),
        "3.12-a1": ("n/a", "", "Boris", "2026-01-15T10:00:00Z"),
    }
    merged, changes = assess.load(out, CONTENT)
    assert merged.title == "City review" and not changes.changed
    assert [e.action for e in merged.entries] == IDS


def _conflicting(tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    anna, boris = team
    at(monkeypatch, 11)
    answer(anna, "Anna", {"3.3-a1": ("partly", "")})  # later than Boris's 10:00 answer
    answer(boris, "Boris", {"0.1-a1": ("done", "kept small")})  # a different note, later than Anna's
    return anna, boris


def test_different_answers_are_listed_and_nothing_is_written(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = _conflicting(tmp_path, team, monkeypatch)
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris))
    assert_clean_exit(result, 2)
    lines = [line.replace(str(tmp_path) + "/", "") for line in result.stderr.splitlines()]
    assert lines == [
        "iduit: 2 actions have different answers in these files; nothing was written:",
        "0.1-a1:",
        "  anna.yaml: done (Anna, 2026-01-15T09:00:00Z)",
        "  boris.yaml: done; note: kept small (Boris, 2026-01-15T11:00:00Z)",
        "3.3-a1:",
        "  anna.yaml: partly (Anna, 2026-01-15T11:00:00Z)",
        "  boris.yaml: not yet; note: no funds (Boris, 2026-01-15T10:00:00Z)",
        "iduit: choose with --prefer newest or --prefer FILE, or make the answers agree, then run the command again",
    ]
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_prefer_newest_takes_the_latest_answer(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = _conflicting(tmp_path, team, monkeypatch)
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris), "--prefer", "newest")
    assert_clean_exit(result, 0)
    assert "2 differences settled by --prefer" in result.stderr
    answers = who(out)
    assert answers["0.1-a1"] == ("done", "kept small", "Boris", "2026-01-15T11:00:00Z")
    assert answers["3.3-a1"] == ("partly", "", "Anna", "2026-01-15T11:00:00Z")
    assert answers["3.12-a1"][2] == "Boris" and len(answers) == 4


def test_prefer_newest_will_not_choose_between_equal_or_missing_times(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = team
    at(monkeypatch, 12)
    answer(anna, "Anna", {"3.12-a2": ("done", "")})
    answer(boris, "Boris", {"3.12-a2": ("partly", "")})  # the same second
    carla = copy(anna, "carla.yaml")
    text = carla.read_text(encoding="utf-8").replace(
        'status: "done"\n    note: ""\n', 'status: "partly"\n    note: ""\n', 1
    )
    carla.write_text(text.replace('    answered: "2026-01-15T09:00:00Z"\n', "", 1), encoding="utf-8")  # by hand
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris), str(carla), "--prefer", "newest")
    assert_clean_exit(result, 2)
    assert "0.1-a1: --prefer newest cannot choose: an answer has no time" in result.stderr
    assert "3.12-a2: --prefer newest cannot choose: two different answers have the same latest time" in result.stderr
    assert "carla.yaml: partly (Anna, no time recorded)" in result.stderr
    assert not out.exists()


def test_prefer_file_takes_that_file_s_answers(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = _conflicting(tmp_path, team, monkeypatch)
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris), "--prefer", str(anna))
    assert_clean_exit(result, 0)
    answers = who(out)
    assert answers["0.1-a1"] == ("done", "", "Anna", "2026-01-15T09:00:00Z")
    assert answers["3.3-a1"] == ("partly", "", "Anna", "2026-01-15T11:00:00Z")
    assert answers["3.12-a1"][2] == "Boris"  # what only Boris answered joins as ever
    # A third file that differs where the preferred one says nothing is still a conflict.
    carla = copy(boris, "carla.yaml")
    answer(carla, "Carla", {"3.12-a2": ("done", "")})
    answer(boris, "Boris", {"3.12-a2": ("partly", "")})
    again = run("assess", "merge", str(tmp_path / "m2.yaml"), str(anna), str(boris), str(carla), "--prefer", str(anna))
    assert_clean_exit(again, 2)
    assert "3.12-a2: --prefer cannot choose: the preferred file has no answer here" in again.stderr
    wrong = run("assess", "merge", str(tmp_path / "m3.yaml"), str(anna), str(boris), "--prefer", "carla.yaml")
    assert_clean_exit(wrong, 2)
    assert wrong.stderr == "iduit: --prefer takes newest or one of the files being merged; carla.yaml is neither\n"


def test_out_is_never_replaced_without_force_and_is_an_input_only_when_listed(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = team
    out = copy(anna, "merged.yaml")
    before = out.read_text(encoding="utf-8")
    refused = run("assess", "merge", str(out), str(boris))
    assert_clean_exit(refused, 2)
    assert "merged.yaml already exists; use --force to replace it" in refused.stderr
    assert out.read_text(encoding="utf-8") == before
    assert_clean_exit(run("assess", "merge", str(out), str(out), str(boris), "--force"), 0)
    assert set(who(out)) == {"0.1-a1", "3.2-a1", "3.3-a1", "3.12-a1"}  # its own answers kept, Boris's joined
    assert_clean_exit(run("assess", "merge", str(out), str(boris), "--force"), 0)
    assert set(who(out)) == {"3.2-a1", "3.3-a1", "3.12-a1"}  # not listed: replaced by Boris's alone
    as_csv = run("assess", "merge", str(tmp_path / "merged.csv"), str(boris))
    assert_clean_exit(as_csv, 2)
    assert "merge writes an assessment file (YAML)" in as_csv.stderr and not (tmp_path / "merged.csv").exists()


BAD_INPUTS = [
    ("gone.yaml", None, "gone.yaml does not exist; create it with: iduit assess start"),
    ("gone.csv", None, "gone.csv does not exist"),
    ("folder.yaml", "folder", "folder.yaml is not an assessment file"),
    ("nowhere.csv", "link", "nowhere.csv is a link that leads to no file"),
    ("latin1.csv", "latin1", "latin1.csv is not UTF-8 text; save it from the spreadsheet as CSV UTF-8"),
]


def test_an_input_that_cannot_be_read_is_one_line_and_exit_2(tmp_path: Path) -> None:
    good = base(tmp_path)
    out = tmp_path / "merged.yaml"
    for name, make, words in BAD_INPUTS:
        bad = tmp_path / name
        if make == "folder":
            bad.mkdir()
        elif make == "link":
            bad.symlink_to(tmp_path / "missing.csv")
        elif make == "latin1":
            bad.write_bytes("action,status,note\n3.2-a1,done,caf\xe9\n".encode("latin-1"))
        result = run("assess", "merge", str(out), str(good), str(bad))
        assert_clean_exit(result, 2)
        assert len(result.stderr.splitlines()) == 1 and words in result.stderr, (name, result.stderr)
        assert not out.exists()


def test_a_broken_input_has_its_problems_placed(tmp_path: Path, team: tuple[Path, Path]) -> None:
    broken = copy(team[1], "broken.yaml")
    broken.write_text(broken.read_text(encoding="utf-8").replace('"not yet"', '"maybe"'), encoding="utf-8")
    result = run("assess", "merge", str(tmp_path / "merged.yaml"), str(team[0]), str(broken))
    assert_clean_exit(result, 2)
    assert "broken.yaml:" in result.stderr and "unknown answer 'maybe' for 3.3-a1" in result.stderr
    assert not (tmp_path / "merged.yaml").exists()


def test_csv_inputs_merge_with_assessment_files(
    tmp_path: Path, team: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, boris = team
    exported = tmp_path / "boris.csv"
    assert_clean_exit(run("assess", "export", str(boris), "-o", str(exported)), 0)
    by_hand = _sheet(tmp_path / "carla.csv", [["Action", "Status", "Note"], ["3.3-a2", "x", "no clients"]])
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(exported), str(by_hand), str(anna))
    assert_clean_exit(result, 0)
    answers = who(out)
    assert answers["3.3-a1"] == ("not yet", "no funds", "Boris", "2026-01-15T10:00:00Z")  # from his export
    assert answers["3.3-a2"] == ("n/a", "no clients", "", "")  # who and when not known: never the merger's
    assert answers["0.1-a1"][2] == "Anna"
    merged, _ = assess.load(out, CONTENT)
    assert merged.title == "City review"  # an assessment file's title, even when a CSV comes first
    only_csv = run("assess", "merge", str(tmp_path / "m2.yaml"), str(by_hand))
    assert_clean_exit(only_csv, 0)
    assert who(tmp_path / "m2.yaml") == {"3.3-a2": ("n/a", "no clients", "", "")}
    assert yaml.safe_load((tmp_path / "m2.yaml").read_text(encoding="utf-8"))["chapters"] == [3]


def test_answers_made_against_older_content_follow_their_action(
    tmp_path: Path, team: tuple[Path, Path], content_copy: Path
) -> None:
    anna, boris = team
    chapter = content_copy / "chapters" / "03-services.yaml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(
            "      - Remove caps on syringes per visit.\n",
            "      - Count every channel.\n      - Remove caps on syringes per visit.\n",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "merged.yaml"
    result = run("assess", "merge", str(out), str(anna), str(boris))
    assert_clean_exit(result, 0)
    assert "note: " + str(anna) + ": moved, answers kept: 3.2-a1 is now 3.2-a2" in result.stderr
    answers = who(out)
    assert "3.2-a1" not in answers  # the new action, unanswered
    assert answers["3.2-a2"] == ("done", "all good", "Anna", "2026-01-15T09:00:00Z")


def test_the_conflict_message_speaks_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "obzor.yaml"
    assert_clean_exit(run("--lang", "ru", "assess", "start", str(path), "--chapter", "3"), 0)
    anna, boris = copy(path, "anna.yaml"), copy(path, "boris.yaml")
    at(monkeypatch, 9)
    assert_clean_exit(typed("--lang", "ru", "assess", str(anna), "--by", "Анна", keys="в\n\nq\n"), 0)
    assert_clean_exit(typed("--lang", "ru", "assess", str(boris), "--by", "Борис", keys="з\nнет шприцев\nq\n"), 0)
    out = tmp_path / "itog.yaml"
    result = run("--lang", "ru", "assess", "merge", str(out), str(anna), str(boris), "--prefer", "newest")
    assert_clean_exit(result, 2)
    lines = [line.replace(str(tmp_path) + "/", "") for line in result.stderr.splitlines()]
    assert lines[0] == "iduit: в этих файлах разные ответы на 1 действие; ничего не записано:"
    assert lines[1] == "3.2-a1: --prefer newest не может выбрать: у двух разных ответов одно и то же последнее время"
    assert lines[2] == "  anna.yaml: сделано (Анна, 2026-01-15T09:00:00Z)"
    assert lines[3] == "  boris.yaml: частично; заметка: нет шприцев (Борис, 2026-01-15T09:00:00Z)"
    assert lines[4].startswith("iduit: выберите --prefer newest или --prefer FILE")
    assert not out.exists()


def test_merge_help_has_an_example_and_the_docs_explain_team_review() -> None:
    result = run("assess", "merge", "--help")
    assert_clean_exit(result, 0)
    assert "Example: iduit assess merge review.yaml anna.yaml" in " ".join(result.stdout.split())
    # The arguments' words line up in one column (their type names, of different lengths, are taken out).
    rows = result.stdout.split("Arguments:\n")[1].split("\n\n")[0].splitlines()
    assert rows[0].startswith("  OUT   The assessment file") and rows[1].startswith("  FILE  Assessment files")
    assert rows[2].strip() == "[required]" and rows[2].index("[") == rows[1].index("Assessment")
    docs = (Path(__file__).parent.parent / "docs" / "team-review.md").read_text(encoding="utf-8")
    assert "iduit assess merge" in docs and "--prefer newest" in docs and "--by" in docs


# -- property: without conflicts, the order of the files does not matter ------------------------------

STATUS = st.sampled_from(["done", "partly", "not yet", "n/a"])
NOTE = st.sampled_from(["", "funds", "peers"])
TIME = st.sampled_from(["", "2026-01-15T09:00:00Z", "2026-01-15T10:00:00Z", "2026-02-01T00:00:00Z"])
PERSON = st.sampled_from(["", "Anna", "Boris", "Aigerim"])


@st.composite
def team_files(draw: st.DrawFn) -> list[Source]:
    """Two to four people's copies that agree wherever two of them answer the same action."""
    truth = draw(st.dictionaries(st.sampled_from(IDS), st.tuples(STATUS, NOTE), max_size=len(IDS)))
    sources = []
    for n in range(draw(st.integers(2, 4))):
        entries = [assess.Entry(a.id, a.section, a.text) for a in assess.scope_actions(CONTENT, ())]
        for entry in entries:
            if entry.action in truth and draw(st.booleans()):
                entry.status, entry.note = truth[entry.action]
                entry.by, entry.answered = draw(PERSON), draw(TIME)
        chapters = draw(st.sampled_from([None, frozenset({0, 3})]))
        made = assess.Assessment(Path(f"p{n}.yaml"), f"title {n}", "v", (), entries)
        made.retired = [assess.Entry("9.9-a1", "9.9", "old", draw(STATUS), draw(NOTE), draw(PERSON), draw(TIME))]
        sources.append(Source(f"p{n}.yaml", made, chapters))
    return sources


@given(team_files(), st.sampled_from([None, NEWEST]), st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_merging_without_conflicts_does_not_depend_on_the_order_of_the_files(
    sources: list[Source], prefer: str | None, rnd: random.Random
) -> None:
    first = combine(CONTENT, sources, prefer)
    assert first.ok and first.settled == 0
    shuffled = list(sources)
    rnd.shuffle(shuffled)
    for order in (shuffled, list(reversed(sources))):
        again = combine(CONTENT, order, prefer)
        assert again.assessment.entries == first.assessment.entries
        assert again.assessment.retired == first.assessment.retired
        assert again.assessment.chapters == first.assessment.chapters
    # Nothing is lost: every answer any file gave is in the result, once.
    given_answers = {(e.action, e.status, e.note) for s in sources for e in s.assessment.entries if e.status}
    assert given_answers == {(e.action, e.status, e.note) for e in first.assessment.entries if e.status}
    # Merging a file with itself changes nothing.
    alone = combine(CONTENT, [sources[0]])
    assert combine(CONTENT, [sources[0], sources[0]]).assessment.entries == alone.assessment.entries


def test_conflict_reasons_are_named_for_each_rule() -> None:
    def source(name: str, status: str, answered: str) -> Source:
        entries = [assess.Entry(a.id, a.section, a.text) for a in assess.scope_actions(CONTENT, ())]
        entries[0].status, entries[0].by, entries[0].answered = status, name, answered
        return Source(name, assess.Assessment(Path(name), name, "v", (), entries), None)

    a, b = source("a", "done", "2026-01-15T09:00:00Z"), source("b", "partly", "2026-01-15T09:00:00Z")
    assert combine(CONTENT, [a, b], NEWEST).conflicts[0].reason == TIE
    assert combine(CONTENT, [a, source("c", "partly", "")], NEWEST).conflicts[0].reason == UNTIMED
    assert combine(CONTENT, [a, b, source("c", "n/a", "")], "d").conflicts[0].reason == UNANSWERED
    assert combine(CONTENT, [a, b], "b").assessment.entries[0].status == "partly"


@given(st.one_of(st.text(max_size=40), st.datetimes().map(str), st.datetimes().map(lambda d: d.isoformat() + "+14:00")))
@settings(max_examples=150, deadline=None)
def test_any_time_written_is_refused_or_kept_in_one_spelling(text: str) -> None:
    kept = assess.normal_time(text)
    assert kept is None or kept == "" or (len(kept) == 20 and assess.normal_time(kept) == kept)


@pytest.mark.slow  # starts eight processes
def test_a_merge_into_a_file_being_imported_into_loses_nothing(tmp_path: Path, team: tuple[Path, Path]) -> None:
    """OUT listed among the inputs is read and written under its lock: an import into it at the same moment
    lands either before the merge reads it or after the merge wrote it, never in between."""
    import subprocess
    import sys

    _, boris = team
    sheet = _sheet(tmp_path / "a.csv", [["action", "status", "note"], ["3.12-a2", "done", "peers trained"]])
    for _ in range(4):
        out = base(tmp_path, "shared.yaml")
        merge = [sys.executable, "-m", "iduit", "assess", "merge", str(out), str(out), str(boris), "--force"]
        imports = [sys.executable, "-m", "iduit", "assess", "import", str(out), str(sheet)]
        both = [subprocess.Popen(c, stderr=subprocess.PIPE) for c in (merge, imports)]
        assert [p.wait(timeout=120) for p in both] == [0, 0]
        answers = who(out)
        assert answers["3.12-a2"][:3] == ("done", "peers trained", "Aigerim")
        assert answers["3.3-a1"][:3] == ("not yet", "no funds", "Boris")
        out.unlink()


# -- one review, two languages --------------------------------------------------------------------


def test_answers_given_in_english_stay_with_their_actions_when_a_teammate_works_in_russian(tmp_path: Path) -> None:
    russian = load_content(FIXTURE_CONTENT, "ru")
    translated = [a for a in assess.scope_actions(russian, ()) if a.section == "3.2"]
    english = {a.id: a.text for a in assess.scope_actions(CONTENT, ())}
    assert translated and all(english[a.id] != a.text for a in translated)  # the wording really differs
    path = base(tmp_path)
    answer(path, "Anna", {translated[0].id: ("done", "kits"), translated[-1].id: ("partly", "")})
    assert "language: en\n" in path.read_text(encoding="utf-8")
    made, changes = assess.load(path, russian)
    assert not changes.changed and made.retired == []
    assert {e.action: e.status for e in made.entries if e.status} == {
        translated[0].id: "done",
        translated[-1].id: "partly",
    }
    assess.save(made)  # now in Russian: the wording and the language line follow
    text = path.read_text(encoding="utf-8")
    assert "language: ru\n" in text and translated[0].text.split()[0] in text
    back, _ = assess.load(path, CONTENT)
    assert back.entry(translated[0].id).note == "kits" and back.retired == []


def test_a_file_made_before_the_language_line_is_read_in_the_content_s_language(tmp_path: Path) -> None:
    path = base(tmp_path)
    answer(path, "Anna", {IDS[0]: ("done", "")})
    path.write_text(path.read_text(encoding="utf-8").replace("language: en\n", ""), encoding="utf-8")
    made, changes = assess.load(path, CONTENT)
    assert made.entry(IDS[0]).status == "done" and not changes.changed


def test_a_language_line_that_is_not_a_code_is_refused_with_its_place(tmp_path: Path) -> None:
    path = base(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("language: en\n", "language: English!\n"), encoding="utf-8"
    )
    with pytest.raises(assess.AssessmentFileError, match=r"review\.yaml:\d+:\d+: 'language' is a language code"):
        assess.load(path, CONTENT)


def test_an_assessment_started_in_russian_has_a_russian_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_LANG", "ru")
    path = tmp_path / "review.yaml"
    assert_clean_exit(run("assess", "start", str(path)), 0)
    text = path.read_text(encoding="utf-8")
    assert 'title: "Самооценка программы"' in text and "language: ru\n" in text
