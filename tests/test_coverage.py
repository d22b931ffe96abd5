"""iduit coverage: strict numbers, indicators from content, bands, targets, plans, sites and every output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import Result

from iduit.content.loader import load_content
from iduit.content.model import Content
from iduit.errors import UsageError
from iduit.programme.coverage import Inputs, compute, parse_count, result_data
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run
from tests.programme_support import GOLDEN, golden, module_cache, warm_cache  # noqa: F401

INDICATORS = Path(__file__).parent / "fixtures" / "programme" / "indicators.yaml"
FIGURES = ["--pwid", "12 000", "--syringes", "1,500,000", "--ost", "900", "--opioid-dependent", "8000"]
FIGURES += ["--naloxone-kits", "600"]


@pytest.fixture(scope="module")
def programme_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content with test indicators (made-up bands): the shared fixture itself stays as it is."""
    target = tmp_path_factory.mktemp("programme") / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    shutil.copyfile(INDICATORS, target / "indicators.yaml")
    return target


@pytest.fixture(autouse=True)
def use_programme_content(programme_content: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(programme_content))
    yield


def inputs_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inputs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SITES = """\
area: Example City
year: 2024
target_year: 2027
ost_clients: 900
opioid_dependent_pwid: 8000
sites:
  - name: North
    pwid: 4 000
    syringes: 700000
  - name: South
    pwid: 8000
    syringes: 300000
    naloxone_kits: 80
"""

CASES = {
    "coverage.txt": [*FIGURES, "--plain"],
    "coverage.json": [*FIGURES, "--json"],
    "coverage.md": [*FIGURES, "--format", "markdown"],
    "coverage.html": [*FIGURES, "--format", "html"],
    "coverage-plan.txt": [*FIGURES, "--year", "2024", "--target-year", "2027", "--plain"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_coverage_output_matches_golden_file(name: str) -> None:
    result = run("coverage", *CASES[name])
    assert_clean_exit(result, 0)
    golden(name, result.stdout)


@pytest.mark.parametrize("name", ["coverage-sites.txt", "coverage-sites.json", "coverage-sites.html"])
def test_sites_and_a_plan_from_an_inputs_file(tmp_path: Path, name: str) -> None:
    path = inputs_file(tmp_path, SITES)
    extra = {"txt": ["--plain"], "json": ["--json"], "html": ["--format", "html"]}[name.rsplit(".", 1)[1]]
    result = run("coverage", str(path), *extra)
    assert_clean_exit(result, 0)
    golden(name, result.stdout)


def test_template_matches_golden_file_and_reads_back(tmp_path: Path) -> None:
    result = run("coverage", "template")
    assert_clean_exit(result, 0)
    golden("coverage-template.yaml", result.stdout)
    out = tmp_path / "inputs.yaml"
    assert_clean_exit(run("coverage", "template", "-o", str(out)), 0)
    filled = out.read_text(encoding="utf-8").replace("pwid:          ", "pwid: 1000 ", 1)
    filled = filled.replace("syringes:      ", "syringes: 150000 ", 1)
    out.write_text(filled, encoding="utf-8")
    data = json.loads(run("coverage", str(out), "--json").stdout)
    assert [(i["id"], i["value"], i["band"]) for i in data["indicators"]] == [("syringes_per_pwid", 150.0, "medium")]


def test_json_has_the_documented_shape() -> None:
    data = json.loads((GOLDEN / "coverage.json").read_text(encoding="utf-8"))
    keys = ["id", "name", "value", "unit", "band", "next_band", "gap_to_next", "numerator", "denominator", "source"]
    assert all(list(i) == [*keys, "codes"] for i in data["indicators"])
    by_id = {i["id"]: i for i in data["indicators"]}
    assert by_id["syringes_per_pwid"] | {"source": None, "codes": None} == {
        "id": "syringes_per_pwid",
        "name": "Syringes per person who injects drugs",
        "value": 125.0,
        "unit": "syringes per person per year",
        "band": "medium",
        "next_band": "high",
        "gap_to_next": 75.0,
        "numerator": 1500000,
        "denominator": 12000,
        "source": None,
        "codes": None,
    }
    assert by_id["syringes_per_pwid"]["codes"]["smart"]["code"] == "HIV.IND.999"
    assert by_id["syringes_per_pwid"]["codes"]["gam"]["checked"] == "https://example.org/test-gam"
    assert by_id["ost_coverage"]["codes"] == {"gam": None, "smart": None}
    assert by_id["syringes_per_pwid"]["source"]["url"] == "https://example.org/test-source"
    assert (by_id["ost_coverage"]["band"], by_id["ost_coverage"]["value"]) == ("low", 11.25)
    assert by_id["naloxone_per_100"]["band"] is None and by_id["naloxone_per_100"]["source"] is None
    assert data["targets"] == [
        {
            "indicator": "syringes_per_pwid",
            "label": "a test target",
            "year": 2030,
            "value": 300.0,
            "met": False,
            "gap": 175.0,
            "source": by_id["syringes_per_pwid"]["source"],
        }
    ]


def test_an_indicator_without_a_benchmark_says_so() -> None:
    text = (GOLDEN / "coverage.txt").read_text(encoding="utf-8")
    assert "no published" in text  # the table's cell, wrapped at 80 columns
    assert "No published benchmark is given for this indicator" in text
    assert "no published benchmark" in (GOLDEN / "coverage.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("syringes", "band", "next_band", "gap"),
    [
        ("0", "low", "medium", 100.0),
        ("99999", "low", "medium", 0.0),
        ("100000", "medium", "high", 100.0),
        ("200000", "medium", "high", 0.0),
        ("200001", "high", None, None),
    ],
)
def test_bands_have_their_published_edges(syringes: str, band: str, next_band: str | None, gap: float | None) -> None:
    data = json.loads(run("coverage", "--pwid", "1000", "--syringes", syringes, "--json").stdout)
    found = data["indicators"][0]
    assert (found["band"], found["next_band"], found["gap_to_next"]) == (band, next_band, gap)


def test_html_draws_a_bar_per_indicator_against_its_bands() -> None:
    page = (GOLDEN / "coverage.html").read_text(encoding="utf-8")
    assert page.count('<figure class="chart">') == 3
    assert page.count('<rect class="fill"') == 3
    legend = re.findall(r'<p class="legend">(.*?)</p>', page)[0]
    assert "</svg> low</span>" in legend and "</svg> high</span>" in legend and "300 by 2030" in legend
    assert "<script" not in page and "src=" not in page


def test_a_part_larger_than_its_whole_is_worked_out_and_flagged() -> None:
    result = run("coverage", "--ost", "900", "--opioid-dependent", "600", "--json")
    assert_clean_exit(result, 0)
    data = json.loads(result.stdout)
    assert data["indicators"][0]["value"] == 150.0
    assert "larger than the denominator" in data["warnings"][0]["message"]
    text = " ".join(run("coverage", "--ost", "900", "--opioid-dependent", "600", "--plain").stdout.split())
    assert "Implausible: OST coverage: the numerator (900) is larger than the denominator (600)" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--pwid", "-5", "--syringes", "10"], "--pwid: '-5' is negative"),
        (["--pwid", "0", "--syringes", "10"], "--pwid: pwid is zero, so Syringes per person who injects drugs"),
        (
            ["--syringes", "10"],
            "--syringes: syringes is given, but Syringes per person who injects drugs also needs pwid",
        ),
        (["--pwid", "lots", "--syringes", "10"], "--pwid: 'lots' is not a number"),
        (["--pwid", "1,500", "--syringes", "10"], "--pwid: '1,500' is ambiguous"),
        (["--pwid", "1.500", "--syringes", "10"], "--pwid: '1.500' is ambiguous"),
        (["--pwid", "1,500 000", "--syringes", "10"], "--pwid: '1,500 000' mixes or misplaces separators"),
        (["--pwid", "12.5", "--syringes", "10"], "--pwid: '12.5' is not a whole number"),
        (["--pwid", "1e6", "--syringes", "10"], "scientific notation"),
        ([], "nothing to work out"),
        (["--pwid", "100", "--syringes", "10", "--target-year", "2027"], "needs the year the figures are for"),
        (["--pwid", "100", "--syringes", "10", "--year", "2027", "--target-year", "2026"], "must come after"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_2(args: list[str], words: str) -> None:
    result = run("coverage", "compute", *args)
    assert_clean_exit(result, 2)
    assert words in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("pwid: 1,500\nsyringes: 3000\n", "inputs.yaml:1:7: pwid: '1,500' is ambiguous"),
        ("pwid: 1000\nneedles: 3000\n", "inputs.yaml:2:1: unknown input 'needles'"),
        ("pwid: 1000\npwid: 10\n", "inputs.yaml:2:1: 'pwid' is given twice"),
        ("pwid: [1]\n", "inputs.yaml:1:7: pwid must be a number"),
        ("pwid: 0o17\nsyringes: 3\n", "inputs.yaml:1:7: pwid: '0o17' is not a number"),
        ("pwid: 010\nsyringes: 3\n", "starts with a zero"),
        ("sites:\n  - pwid: 10\n    syringes: 5\n", "inputs.yaml:2:5: each site needs a name"),
        ("syringes: 100\nsites:\n  - {name: A, pwid: 10}\n  - {name: B}\n", "syringes is given, but"),
        ("pwid: [\n", "YAML syntax error"),
    ],
)
def test_an_inputs_file_s_problems_name_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    inputs_file(tmp_path, text)
    result = run("coverage", "inputs.yaml")
    assert_clean_exit(result, 2)
    assert words in result.output


def test_options_take_precedence_over_the_file(tmp_path: Path) -> None:
    path = inputs_file(tmp_path, "pwid: 1000\nsyringes: 50000\n")
    data = json.loads(run("coverage", str(path), "--syringes", "250000", "--json").stdout)
    assert (data["indicators"][0]["value"], data["indicators"][0]["band"]) == (250.0, "high")


def test_coverage_can_be_added_to_an_assessment_report(tmp_path: Path) -> None:
    review = tmp_path / "review.yaml"
    assert_clean_exit(run("assess", "start", str(review), "--chapter", "3"), 0)
    figures = inputs_file(tmp_path, "pwid: 1000\nsyringes: 150000\n")
    data = json.loads(run("assess", "report", str(review), "--coverage", str(figures), "--json").stdout)
    assert data["coverage"]["indicators"][0]["band"] == "medium"
    markdown = run("assess", "report", str(review), "--coverage", str(figures), "--format", "markdown").stdout
    assert "## Coverage" in markdown and "### Definitions, benchmarks and sources" in markdown


# -- the packaged indicators -------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged() -> Content:
    return load_content(PACKAGED_CONTENT)


def test_packaged_indicators_cite_checked_sources_with_urls(packaged: Content) -> None:
    content = packaged
    indicators = {i.id: i for i in content.indicators}
    assert set(indicators) >= {
        "syringes_per_pwid",
        "nsp_reach",
        "ost_coverage",
        "hiv_testing",
        "art_coverage",
        "hcv_testing",
        "hcv_treatment",
        "naloxone_per_100",
    }
    syringes = indicators["syringes_per_pwid"]
    assert [(t.value, t.year, t.source) for t in syringes.targets] == [
        (200, 2020, "who-hep-strategy-2016"),
        (300, 2030, "who-hep-strategy-2016"),
    ]
    assert [(t.value, t.year, t.source) for t in indicators["ost_coverage"].targets] == [(50, 2025, "unaids-pwid-2024")]
    assert (indicators["ost_coverage"].numerator, indicators["ost_coverage"].denominator) == (
        "ost_clients",
        "opioid_dependent_pwid",
    )
    raw = yaml.safe_load((PACKAGED_CONTENT / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    for indicator in raw:
        for target in indicator.get("targets", []):
            assert content.sources[target["source"]].url and target["checked"].startswith("https://")
        if "bands" in indicator:
            assert content.sources[indicator["bands"]["source"]].url


def test_packaged_figures_without_a_checked_band_say_no_benchmark_is_given(packaged: Content) -> None:
    content = packaged
    result = compute(content.indicators, Inputs({"pwid": 1000, "syringes": 150000}), content)
    (value,) = result.values
    assert (value.value, value.level, value.next_level) == (150.0, None, None)
    assert sorted(result.sources) == ["unaids-pwid-2024", "who-hep-strategy-2016", "who-smart-hiv"]


# -- validation of the indicators file ----------------------------------------------------


def _validate_edited_indicators(programme_content: Path, tmp_path: Path, edit: Callable[[str], str]) -> Result:
    """``iduit validate`` on a copy of the content whose indicators.yaml ``edit`` has changed."""
    target = tmp_path / "content"
    shutil.copytree(programme_content, target)
    path = target / "indicators.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return run("validate", str(target))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("input: pwid", "input: people"), r"indicators\.yaml:\d+:\d+: unknown input 'people' in the denominator"),
        (
            ("{name: medium, from: 100, to: 200}", "{name: medium, from: 120, to: 200}"),
            "must start where the band before it ends (100)",
        ),
        (
            ("source: test-source\n      checked", "source: nowhere\n      checked"),
            "cites source 'nowhere', which is not in sources.yaml",
        ),
        (('section: "3.12"', 'section: "3.99"'), "refers to section '3.99', which does not exist"),
        (("id: ost_coverage", "id: OST coverage"), "must be lowercase words joined by _"),
        (("{name: high, above: 200}", "{name: top, above: 200}"), "band 'top' must be one of low, medium, high"),
        (
            ("per: 100\n    share: true", "per: 7\n    share: true"),
            "'per' of indicator ost_coverage must be 1, 100 or 1000",
        ),
    ],
)
def test_validate_checks_the_indicators_file(
    programme_content: Path, tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    assert change[0] in (programme_content / "indicators.yaml").read_text(encoding="utf-8")
    result = _validate_edited_indicators(programme_content, tmp_path, lambda text: text.replace(*change, 1))
    assert_clean_exit(result, 2)
    assert re.search(words, result.stderr) or words in result.stderr, result.stderr


# -- help and documentation -------------------------------------------------------------


@pytest.mark.parametrize("words", [["coverage"], ["coverage", "template"], ["coverage", "compute"]])
def test_every_coverage_command_has_an_example_in_help_and_readme(words: list[str]) -> None:
    result = run(*words, "--help")
    assert_clean_exit(result, 0)
    assert re.search(rf"Examples?: iduit {' '.join(words)}\b", " ".join(result.stdout.split())), result.stdout
    assert f"iduit {' '.join(words)}" in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


# -- reading numbers ------------------------------------------------------------------------

COUNTS = st.integers(min_value=0, max_value=10**12)


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(COUNTS, st.sampled_from(["", " ", "\u00a0", "\u202f", "'", "_", ","]))
@settings(max_examples=300, deadline=None)
def test_numbers_people_write_are_read_or_refused_never_misread(n: int, sep: str) -> None:
    text = str(n) if not sep else grouped(n, sep)
    groups = text.count(sep) if sep else 0
    if sep in (",", ".") and groups == 1:
        with pytest.raises(UsageError, match="ambiguous"):
            parse_count(text, "x")
    else:
        assert parse_count(text, "x") == n


@given(COUNTS)
@settings(max_examples=200, deadline=None)
def test_dots_as_thousands_separators_are_read_when_unambiguous(n: int) -> None:
    text = grouped(n, ".")
    if text.count(".") >= 2 or "." not in text:
        assert parse_count(text, "x") == n
    else:
        with pytest.raises(UsageError, match="ambiguous"):
            parse_count(text, "x")


@given(st.text(max_size=30))
@settings(max_examples=400, deadline=None)
def test_any_text_is_a_count_or_a_clear_refusal(text: str) -> None:
    try:
        value = parse_count(text, "--pwid")
    except UsageError as exc:
        assert str(exc).startswith("--pwid")
    else:
        assert isinstance(value, int) and 0 <= value <= 10**12
        assert int(re.sub(r"[^0-9]", "", re.sub(r"\.0+\s*$", "", text))) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
@settings(max_examples=50, deadline=None)
def test_a_single_group_after_a_comma_or_dot_is_never_guessed(head: int, tail: int) -> None:
    for sep in (",", "."):
        with pytest.raises(UsageError):
            parse_count(f"{head}{sep}{tail:03d}", "x")


def test_bars_are_as_long_as_their_values() -> None:
    """Shares are drawn on one 0-100 % scale: 25 % is half as long as 50 %, whatever chart they are in."""
    import re

    def width(ost: str) -> float:
        page = run("coverage", "--opioid-dependent", "1000", "--ost", ost, "--format", "html").stdout
        found = re.findall(r'<rect class="fill" y="3" width="([\d.]+)" height="10" fill="#3d6fb6"/>', page)
        assert len(found) == 1, page[-2000:]
        return float(found[0])

    assert abs(width("500") / width("250") - 2.0) < 0.01


# -- reporting codes, percentage points, past targets, sites that disagree ---------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_every_output_names_each_indicator_s_reporting_codes(fmt: str) -> None:
    extra = ["--plain"] if fmt == "text" else ["--format", fmt]
    result = run("coverage", *FIGURES, *extra)
    assert_clean_exit(result, 0)
    out = result.stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        codes = {r["Indicator"]: (r["UNAIDS Global AIDS Monitoring code"], r["WHO SMART HIV code"]) for r in rows}
        assert codes == {
            "Syringes per person who injects drugs": ("9.99", "HIV.IND.999"),
            "OST coverage": ("no code checked", "no code checked"),
            "Naloxone kits": ("no code checked", "no code checked"),
        }
        return
    if fmt == "json":
        by_id = {i["id"]: i["codes"] for i in json.loads(out)["indicators"]}
        assert by_id["syringes_per_pwid"]["gam"]["code"] == "9.99"
        assert by_id["syringes_per_pwid"]["smart"]["code"] == "HIV.IND.999"
        assert by_id["naloxone_per_100"] == {"gam": None, "smart": None}
        return
    flat = " ".join(out.split())
    assert "9.99 (Test syringes indicator), read at https://example.org/test-gam" in flat
    assert "HIV.IND.999 (Test syringes measure), read at https://example.org/test-smart" in flat
    # every indicator says what it has, or that no code has been checked
    assert flat.count("Reporting codes:") == 3
    assert flat.count("WHO SMART HIV: no indicator code checked") == 2


def test_the_loader_refuses_a_code_without_its_source_or_page_and_an_unknown_field(
    programme_content: Path, tmp_path: Path
) -> None:
    result = _validate_edited_indicators(
        programme_content,
        tmp_path,
        lambda text: (
            text.replace(", checked: https://example.org/test-smart}", "}")
            .replace("gam: {code:", "gam: {colour: red, code:")
            .replace('"9.99"', '"HIV.IND.9"')
        ),
    )
    assert_clean_exit(result, 2)
    assert "missing key 'checked' in the smart code of indicator syringes_per_pwid" in result.stderr
    assert "unknown key 'colour' in the gam code" in result.stderr
    assert "'HIV.IND.9' is not a gam code" in result.stderr


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "8.8 percentage points to medium"), ("ru", "8,8 процентного пункта до уровня")],
)
def test_a_gap_between_percentages_is_in_percentage_points(lang: str, words: str) -> None:
    result = run("--lang", lang, "coverage", *FIGURES, "--format", "markdown")
    assert_clean_exit(result, 0)
    assert words in result.stdout


@pytest.mark.parametrize(
    ("lang", "gap", "words"),
    [
        ("en", 1.0, "1 percentage point"),
        ("en", 2.0, "2 percentage points"),
        ("en", 0.5, "0.5 percentage points"),
        ("ru", 1.0, "1 процентный пункт"),
        ("ru", 3.0, "3 процентных пункта"),
        ("ru", 5.0, "5 процентных пунктов"),
        ("ru", 21.0, "21 процентный пункт"),
        ("ru", 38.8, "38,8 процентного пункта"),
    ],
)
def test_percentage_points_take_the_right_form(lang: str, gap: float, words: str) -> None:
    from iduit.language.messages import current, use
    from iduit.outline.programme import gap_text

    before = current()
    use(lang)
    try:
        assert gap_text("% of people who inject drugs", gap) == words
        assert gap_text("syringes per person per year", gap) != words  # not a percentage: no points
    finally:
        use(before)


def test_a_target_whose_year_has_passed_is_not_the_plan_s_goal(packaged: Content) -> None:
    from iduit.language.messages import use
    from iduit.outline.blocks import Paragraph
    from iduit.outline.programme import coverage_document

    use("en")  # an earlier command may have left another language in place
    figures = {"pwid": 12000, "syringes": 1500000, "ost_clients": 900, "opioid_dependent_pwid": 8000}
    result = compute(packaged.indicators, Inputs(dict(figures), year=2024, target_year=2027), packaged)
    goals = {s.indicator.id: (s.goal, s.threshold) for s in result.plan}
    # 200 a year was the 2020 target: the plan aims at the 2030 one instead, and says why
    assert goals["syringes_per_pwid"][1] == 300 and "2030" in goals["syringes_per_pwid"][0]
    passed = [(ind.id, t.year) for ind, t in result.passed]
    assert ("syringes_per_pwid", 2020) in passed
    # the clock says 2026: the 2025 OST target has passed too, and no later one is given
    assert "ost_coverage" not in goals and ("ost_coverage", 2025) in passed
    said = [b.text for b in coverage_document(packaged, result).blocks if isinstance(b, Paragraph)]
    assert any("the 2020 target (200, " in t and "has passed. The plan aims at 300 by 2030" in t for t in said)
    assert any(
        t.startswith("Opioid substitution therapy coverage: the 2025 target") and "sets no goal" in t for t in said
    )
    data = result_data(result)
    assert {
        "indicator": "syringes_per_pwid",
        "label": "WHO global hepatitis strategy, 2020 target",
        "year": 2020,
        "value": 200.0,
    } in data["plan"]["passed_targets"]


def test_a_missed_target_whose_year_has_passed_says_so_rather_than_how_far_to_go(packaged: Content) -> None:
    from iduit.language.messages import use
    from iduit.outline.blocks import Items
    from iduit.outline.programme import coverage_document

    use("en")  # an earlier command may have left another language in place
    result = compute(packaged.indicators, Inputs({"pwid": 1000, "syringes": 150000}), packaged)
    lines = [line for b in coverage_document(packaged, result).blocks if isinstance(b, Items) for line in b.items]
    assert any(
        line.startswith("Target 200 by 2020") and "not met, and the target year has passed" in line for line in lines
    )
    assert any(line.startswith("Target 300 by 2030") and ": 150 to go." in line for line in lines)


SITES_DISAGREE = """\
area: Example City
pwid: 12000
syringes: 1500000
sites:
  - name: North
    pwid: 4000
    syringes: 700000
  - name: South
    pwid: 7000
    syringes: 800000
"""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_sites_that_do_not_add_up_to_the_area_figure_are_noted(tmp_path: Path, fmt: str) -> None:
    path = inputs_file(tmp_path, SITES_DISAGREE)
    extra = ["--plain"] if fmt == "text" else ["--format", fmt]
    result = run("coverage", str(path), *extra)
    assert_clean_exit(result, 0)
    if fmt == "csv":
        notes = {(r["Place"], r["Indicator"]): r["Note"] for r in csv.DictReader(io.StringIO(result.stdout))}
        said = "pwid: the figure for the whole area (12,000) is used; the sites add up to 11,000."
        assert notes[("Example City", "Syringes per person who injects drugs")] == said
        assert notes[("North", "Syringes per person who injects drugs")] == ""  # a site's own figures
        return
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["sites_disagree"] == [{"input": "pwid", "area": 12000, "sites_sum": 11000}]
        assert data["indicators"][0]["denominator"] == 12000  # the area's own figure is the one used
        return
    flat = " ".join(result.stdout.split())
    assert flat.count("the figure for the whole area") == 1  # syringes add up: only pwid is noted
    assert "pwid: the figure for the whole area (12,000) is used; the sites add up to 11,000." in flat


@pytest.mark.slow
def test_the_pdf_names_the_reporting_codes_and_percentage_points(tmp_path: Path) -> None:
    import subprocess

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path / "coverage.pdf"
    assert_clean_exit(run("coverage", *FIGURES, "-o", str(out)), 0)
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "HIV.IND.999" in flat and "Monitoring 9.99 (Test syringes indicator)" in flat
    assert flat.count("no indicator code checked") == 4  # both schemes, for OST and naloxone
    assert "8.8 percentage" in flat and "points to medium" in flat  # a table cell, wrapped


# -- the digest's text and indicators.yaml agree on bands ----------------------------------


@pytest.mark.parametrize(
    ("text", "bands"),
    [
        (
            "Coverage benchmarks: low below 100, medium 100-200, high above 200 syringes.",
            {("low", 100), ("medium", 100), ("high", 200)},
        ),
        (
            "| Low | fewer than 100 |\n| Medium | 100 to 200 |\n| High | more than 200 |",
            {("low", 100), ("medium", 100), ("high", 200)},
        ),
        (
            "OST coverage: low < 20 %, medium 20-40 %, high > 40 % of people.",
            {("low", 20), ("medium", 20), ("high", 40)},
        ),
        (
            "The guide counts below 100 as low, 100 to 200 as medium and above 200 as high.",
            {("low", 100), ("medium", 200), ("high", 200)},
        ),
        ("UNAIDS recommends more than 200; low dead-space syringes hold less blood; aim past 200.", set()),
    ],
)
def test_band_figures_are_found_in_the_ways_the_digest_writes_them(text: str, bands: set[tuple[str, int]]) -> None:
    from iduit.content.indicator_file import stated_bands

    assert stated_bands(text) == {(b, float(n)) for b, n in bands}


def test_the_packaged_digest_states_exactly_the_bands_indicators_yaml_lists(packaged: Content) -> None:
    from iduit.content.indicator_file import stated_bands
    from iduit.content.loader import section_text

    stated = {b for c in packaged.chapters for s in c.sections for b in stated_bands(section_text(s))}
    stated |= {b for t in packaged.tools for b in stated_bands(f"{t.purpose}\n{t.aid}\n{t.adapt}")}
    listed = {
        (level.name, edge)
        for ind in packaged.indicators
        for level in ind.levels
        for edge in (level.lower, level.upper)
        if edge is not None
    }
    assert stated <= listed
    # and every band in the file is one the digest's text states (none, while no level has been checked)
    assert {name for name, _ in listed} <= {name for name, _ in stated}


def test_the_checker_refuses_a_band_the_digest_states_but_indicators_yaml_does_not(
    programme_content: Path, tmp_path: Path
) -> None:
    result = _validate_edited_indicators(
        programme_content,
        tmp_path,
        lambda text: text.replace("{name: low, below: 100}", "{name: low, below: 120}").replace(
            "{name: medium, from: 100, to: 200}", "{name: medium, from: 120, to: 200}"
        ),
    )
    assert_clean_exit(result, 2)
    assert re.search(
        r"03-services\.yaml:\d+:\d+: section 3\.\d+ states a 'low' coverage band at 100, which no indicator's",
        result.stderr,
    ), result.stderr
    assert "band at 200" not in result.stderr  # the text's 'high' edge is still the file's
