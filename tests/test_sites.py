"""iduit assess report with several sites: scores side by side, the gaps most sites share, every output."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import pytest

from iduit.content.loader import load_content
from iduit.content.model import Content
from iduit.programme import assessment as assess
from iduit.programme.sites import sites_report
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run
from tests.programme_support import golden, module_cache, warm_cache  # noqa: F401

CONTENT = load_content(FIXTURE_CONTENT)

# Three small sites, answered so that every score below can be worked out by hand.
SITES = {
    "north.yaml": (
        "North clinic",
        [],
        [("0.1-a1", "done"), ("3.2-a1", "partly"), ("3.2-a2", "not yet"), ("3.3-a1", "n/a")],
    ),
    "south.yaml": (
        "South outreach",
        [3],
        [
            ("3.2-a1", "partly"),
            ("3.2-a2", "not yet"),
            ("3.3-a1", "not yet"),
            ("3.3-a2", "done"),
            ("3.12-a1", "not yet"),
        ],
    ),
    "van.yaml": ("Mobile van", [], [("0.1-a1", "not yet"), ("3.2-a1", "not yet"), ("3.12-a1", "partly")]),
}


def make_site(path: Path, title: str, chapters: list[int], answers: list[tuple[str, str]]) -> Path:
    made = assess.start(CONTENT, path, chapters, title)
    for action, status in answers:
        assess.answer(made, action, status)
    assess.save(made)
    return path


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The three sites' files in a folder of their own, which is the working folder (so paths read the same)."""
    folder = tmp_path / "sites"
    folder.mkdir()
    for name, (title, chapters, answers) in SITES.items():
        make_site(folder / name, title, chapters, answers)
    monkeypatch.chdir(tmp_path)
    return [f"sites/{name}" for name in SITES]


def report_json(*args: str) -> dict[str, object]:
    result = run("assess", "report", *args, "--json")
    assert_clean_exit(result, 0)
    return dict(json.loads(result.stdout))


# -- the figures ---------------------------------------------------------------------


def test_scores_per_site_and_chapter_are_the_ones_worked_out_by_hand(sites: list[str]) -> None:
    data = report_json(*sites)
    rows = {
        s["title"]: (
            s["score"],
            s["answered"],
            s["total"],
            [(c["chapter"], c["score"], c["answered"]) for c in s["chapters"]],
        )
        for s in data["sites"]  # type: ignore[attr-defined]
    }
    assert rows == {
        # 0.1 done (1); 3.2-a1 partly (0.5), 3.2-a2 not yet (0); 3.3-a1 n/a is left out.
        "North clinic": (0.5, 4, 7, [(0, 1.0, 1), (3, 0.25, 3)]),
        # (0.5 + 0 + 0 + 1 + 0) / 5, chapter 3 only.
        "South outreach": (0.3, 5, 6, [(3, 0.3, 5)]),
        # (0 + 0 + 0.5) / 3 overall; chapter 3: (0 + 0.5) / 2.
        "Mobile van": (0.167, 3, 7, [(0, 0.0, 1), (3, 0.25, 2)]),
    }


def test_common_gaps_come_most_sites_first_then_in_action_order(sites: list[str]) -> None:
    gaps = report_json(*sites)["common_gaps"]
    # 3.2-a1 is a gap at all three; 3.2-a2 and 3.12-a1 at two each, in the content's order (3.2 before 3.12);
    # 3.3-a1 (South only: North said n/a) and 0.1-a1 (the van only) are not shared.
    assert [(g["action"], g["sites"], g["not_yet"], g["partly"]) for g in gaps] == [  # type: ignore[attr-defined]
        ("3.2-a1", 3, 1, 2),
        ("3.2-a2", 2, 2, 0),
        ("3.12-a1", 2, 1, 1),
    ]
    assert gaps[2]["at"] == ["South outreach", "Mobile van"]  # type: ignore[index]


def test_json_has_the_documented_shape(sites: list[str]) -> None:
    data = report_json(*sites)
    assert list(data) == ["made", "iduit_version", "content_version", "sites", "common_gaps"]
    assert data["made"] == "2026-01-15" and data["content_version"] == assess.actions_version(CONTENT)
    site = data["sites"][0]  # type: ignore[index]
    assert list(site) == ["title", "file", "score", "answered", "total", "chapters"]
    assert site["file"] == "sites/north.yaml"
    assert list(site["chapters"][0]) == ["chapter", "title", "score", "answered", "total"]
    assert site["chapters"][1]["title"] == "Health and support services"
    gap = data["common_gaps"][0]  # type: ignore[index]
    assert list(gap) == ["action", "section", "text", "sites", "not_yet", "partly", "at"]
    assert (gap["section"], gap["text"]) == ("3.2", "Remove caps on syringes per visit.")


def test_the_library_gives_the_same_figures_as_the_command(sites: list[str]) -> None:
    loaded = [(assess.load(Path(f), CONTENT)[0], f) for f in sites]
    rep = sites_report(CONTENT, loaded)
    assert [s.score for s in rep.sites] == [0.5, 0.3, 0.167]
    assert [c.number for c in rep.chapters] == [0, 3]
    assert rep.sites[1].chapter(0) is None  # South did not assess chapter 0: no column value, not a zero


# -- every output ------------------------------------------------------------------------


OUTPUTS = {
    "sites-report.txt": ["--plain"],
    "sites-report.md": ["--format", "markdown"],
    "sites-report.html": ["--format", "html"],
    "sites-report.json": ["--json"],
    "sites-report.csv": ["--format", "csv"],
}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_sites_report_matches_golden_file(sites: list[str], name: str) -> None:
    result = run("assess", "report", *sites, *OUTPUTS[name])
    assert_clean_exit(result, 0)
    golden(name, result.stdout)


def test_the_table_has_a_row_per_site_and_a_column_per_chapter(sites: list[str]) -> None:
    text = run("assess", "report", *sites, "--plain").stdout
    assert re.search(r"North clinic +\| +0\.50 \| +4/7 \| +1\.00 \| +0\.25", text), text
    assert re.search(r"South outreach +\| +0\.30 \| +5/6 \| +\| +0\.30", text), text  # no chapter 0: empty
    assert "Ch. 3: Health and support services" in text
    assert "3 of 3 sites (1 not yet, 2 partly): 3.2-a1 Remove caps on syringes per visit." in " ".join(text.split())
    rows = list(csv.reader(io.StringIO(run("assess", "report", *sites, "-f", "csv").stdout)))
    assert rows[0][:5] == ["site", "file", "score", "answered", "total"]
    assert rows[2] == ["South outreach", "sites/south.yaml", "0.3", "5", "6", "", "", "", "0.3", "5", "6"]


def test_the_output_file_s_extension_picks_the_format(sites: list[str]) -> None:
    for name, check in (
        ("out.html", "<!DOCTYPE html>"),
        ("out.md", "# Self-assessment of 3 sites"),
        ("out.csv", "site,file,score"),
        ("out.json", "{"),
    ):
        assert_clean_exit(run("assess", "report", *sites, "-o", name), 0)
        assert Path(name).read_text(encoding="utf-8").startswith(check), name


def test_a_folder_stands_for_its_assessment_files(sites: list[str]) -> None:
    Path("sites/notes.txt").write_text("not an assessment", encoding="utf-8")
    from_folder = report_json("sites")
    from_files = report_json("sites/north.yaml", "sites/south.yaml", "sites/van.yaml")
    assert from_folder == from_files
    assert [s["title"] for s in from_folder["sites"]] == ["North clinic", "South outreach", "Mobile van"]  # type: ignore[attr-defined]


def test_one_file_keeps_the_single_site_report(sites: list[str]) -> None:
    data = report_json(sites[0])
    assert list(data) == ["title", "made", "content_version", "answered", "total", "chapters", "gaps"]


def test_two_sites_with_one_title_are_told_apart_by_file(sites: list[str]) -> None:
    make_site(Path("sites/north-2.yaml"), "North clinic", [], [("0.1-a1", "done")])
    titles = [s["title"] for s in report_json("sites")["sites"]]  # type: ignore[attr-defined]
    assert titles[:2] == ["North clinic (north-2.yaml)", "North clinic (north.yaml)"]


def test_a_site_made_against_older_content_is_reconciled_and_said_so(sites: list[str]) -> None:
    path = Path("sites/van.yaml")
    path.write_text(re.sub(r'content_version: "\w+"', 'content_version: "0ld0ld0ld0ld"', path.read_text()), "utf-8")
    result = run("assess", "report", *sites, "--plain")
    assert_clean_exit(result, 0)
    assert "iduit: note: sites/van.yaml: the content has changed since this assessment was made" in result.stderr
    assert "Note: Mobile van: the content has changed since this assessment was made" in result.stdout
    # Every answer followed its action (the wording is the same): the van's figures are unchanged.
    van = report_json(*sites)["sites"][2]  # type: ignore[index]
    assert (van["score"], van["answered"]) == (0.167, 3)
    assert path.read_text().count("0ld0ld0ld0ld") == 1  # a report never rewrites a site's file


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: [\n", "sites/south.yaml:2:1: YAML syntax error"),
        (
            "iduit_assessment: 1\ntitle: x\ncontent_version: y\nactions:\n  - action: 3.2-a1\n    status: maybe\n",
            "sites/south.yaml:6:13: unknown answer 'maybe'",
        ),
        (None, "sites/south.yaml does not exist"),
    ],
)
def test_a_bad_site_file_stops_the_report_in_one_line_naming_it(sites: list[str], text: str | None, words: str) -> None:
    if text is None:
        Path("sites/south.yaml").unlink()
    else:
        Path("sites/south.yaml").write_text(text, encoding="utf-8")
    result = run("assess", "report", *sites)
    assert_clean_exit(result, 2)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr


def test_a_folder_without_assessments_and_coverage_for_several_sites_are_refused(sites: list[str]) -> None:
    Path("empty").mkdir()
    empty = run("assess", "report", "empty", sites[0])
    assert_clean_exit(empty, 2)
    assert "empty holds no assessment files (*.yaml)" in empty.stderr
    both = run("assess", "report", *sites, "--coverage", "inputs.yaml")
    assert_clean_exit(both, 2)
    assert "--coverage goes with one assessment file, not several sites" in both.stderr


def test_the_sites_report_speaks_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    russian = load_content(FIXTURE_CONTENT, "ru")  # files started in Russian, as a Russian team would
    monkeypatch.chdir(tmp_path)
    names = []
    for name, (title, chapters, answers) in SITES.items():
        made = assess.start(russian, tmp_path / name, chapters, title)
        for action, status in answers:
            assess.answer(made, action, status)
        assess.save(made)
        names.append(name)
    result = run("--lang", "ru", "assess", "report", *names, "--plain")
    assert_clean_exit(result, 0)
    text = " ".join(result.stdout.split())
    for words in (
        "Самооценка: 3 площадки",
        "Оценки по площадкам",
        "Гл. 3: Медицинская помощь и поддержка",
        "3 из 3 площадок (1 — пока нет, 2 — частично): 3.2-a1",
        "0,50",  # the decimal comma
    ):
        assert words in text, result.stdout
    english = ("Self-assessment", "sites", "Overall", "Gaps", "not yet", "partly", "Answered", "Ch. ", "of 3")
    assert [w for w in english if w in text] == []
    assert result.stderr == ""  # made in Russian, reported in Russian: nothing to reconcile


# -- twenty sites --------------------------------------------------------------------------


NAMES = [
    "Almaty outreach", "Bishkek harm reduction centre", "Chisinau needle and syringe programme", "Dushanbe OST clinic",
    "Kyiv mobile van", "Minsk peer network", "Odesa drop-in", "Osh trust point", "Tbilisi community centre",
    "Tashkent friendly cabinet", "Yerevan outreach", "Vilnius low-threshold service", "Riga HIV prevention point",
    "Tallinn syringe exchange", "Karaganda trust point", "Shymkent outreach", "Batumi drop-in", "Balti peer outreach",
    "Kharkiv OST site", "Lviv community clinic",
]  # fmt: skip


def twenty_sites(folder: Path, content: Content = CONTENT, seed: int = 7) -> Path:
    """Twenty sites' files, answered at random (the same each run), a third of them of chapter 3 only."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    ids = [a.id for a in assess.scope_actions(content, [])]
    for i, name in enumerate(NAMES):
        chapters = [3] if i % 3 == 0 else []
        made = assess.start(content, folder / f"site-{i + 1:02d}.yaml", chapters, name)
        for a in ids:
            if (not chapters or a.startswith("3.")) and rnd.random() < 0.8:
                assess.answer(made, a, rnd.choice(assess.STATUSES))
        assess.save(made)
    return folder


def test_twenty_sites_read_at_eighty_columns(tmp_path: Path) -> None:
    folder = twenty_sites(tmp_path / "national")
    result = run("assess", "report", str(folder))
    assert_clean_exit(result, 0)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Self-assessment of 20 sites" in result.stdout
    for name in NAMES:  # every site's whole name, in the chart under the table
        assert any(line.strip().startswith(name) for line in lines), name
    table = result.stdout.split("Scores by site")[1].split("Ch. 0:")[0]
    assert len(re.findall(r"\d/\d", table)) == 20  # a row per site, answered of total in each


@pytest.mark.slow
def test_twenty_sites_as_a_pdf_fit_the_page(
    tmp_path: Path, packaged_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF's text, read back by pdftotext, holds every site and every column; its first page, drawn by pdftoppm,
    is not blank."""
    from tests.test_formats_books_slow import _module, _program

    _module("weasyprint")
    pdftotext, pdftoppm = _program("pdftotext"), _program("pdftoppm")
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))  # six chapters: the widest table there is
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
    folder = twenty_sites(tmp_path / "national", load_content(PACKAGED_CONTENT))
    pdf = tmp_path / "national.pdf"
    assert_clean_exit(run("assess", "report", str(folder), "-o", str(pdf)), 0)
    import subprocess

    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("Site"))
    # Every column is on the page: the chapters' headings wrap in their cells, "Ch." above the number.
    assert lines[at].split() == ["Site", "Overall", "Answered", *["Ch."] * 6], lines[at]
    assert lines[at + 1].split() == ["0", "1", "2", "3", "4", "5"], lines[at + 1]
    assert re.search(r"Bishkek harm +0\.\d\d +\d+/300( +[01]\.\d\d){6}$", text, re.M), text[:2000]
    for name in NAMES:  # each whole name, in the chart's labels
        assert name in text, name
    assert "Gaps most sites share" in text and "sites (" in text
    subprocess.run([pdftoppm, "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 5000  # a drawn page, not an empty one


def test_a_long_list_of_common_gaps_shows_the_first_fifteen_and_counts_the_rest() -> None:
    from iduit.outline.blocks import Items, Paragraph
    from iduit.outline.programme import COMMON_GAPS_SHOWN, sites_document
    from iduit.programme.sites import CommonGap, SitesReport

    gaps = tuple(CommonGap(f"3.2-a{i}", "3.2", "NSP", f"Action {i}.", 2, 1, 1, ("A", "B")) for i in range(1, 18))
    document = sites_document(CONTENT, SitesReport((), (), gaps, "v", "2026-01-15"))
    shown = [b for b in document.blocks if isinstance(b, Items)][-1].items
    assert COMMON_GAPS_SHOWN == 15 and len(shown) == 15 and "3.2-a15 Action 15." in shown[-1]
    more = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "2 more actions are gaps at two sites or more; the JSON output lists every one." in more
    assert len(document.data["common_gaps"]) == 17
