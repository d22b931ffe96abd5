"""Reports' charts and tables in headless Chromium: bars as long as their values, labels whole, every width.

The single-site report, the several-sites report and the coverage report by
site, opened from file:// at a phone's width (360 px) and a desktop's (1280
px). Screenshots of each go to $IDUIT_SCREENSHOTS, else a folder under
pytest's temporary directory; their paths are printed. Skipped where Chromium
is not installed and CI is not set.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import pytest

from iduit.content.loader import load_content
from tests import browser, test_site_browser
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit
from tests.test_sites import twenty_sites

pytestmark = pytest.mark.slow
driver = test_site_browser.driver  # one headless Chromium per module, as the site's browser tests have
shots = test_site_browser.shots

PROGRAMME_INDICATORS = Path(__file__).parent / "fixtures" / "programme" / "indicators.yaml"
SHARES = (25.0, 45.0, 50.8, 52.8)  # OST coverage at four sites, in per cent: close values must not look alike

# Every bar of every chart: its label cell, the scale it is drawn on, its fill, and the value after it.
BARS = """
return [...document.querySelectorAll('figure.chart')].flatMap((figure, chart) =>
  [...figure.querySelectorAll('table.bars tbody')].map(row => {
    const box = e => e ? e.getBoundingClientRect() : null;
    const label = row.querySelector('th'), value = row.querySelector('td.value');
    const scale = box(row.querySelector('rect.scale')), fill = box(row.querySelector('rect.fill'));
    return {chart, label: label.textContent, labelClipped: label.scrollWidth > label.clientWidth + 1,
            labelLeft: box(label).left, labelRight: box(label).right, scaleWidth: scale.width, scaleLeft: scale.left,
            fillWidth: fill ? fill.width : null, value: value.textContent, valueBox: box(value)};
  }));
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three reports as HTML, made by the real command: the assessments from the packaged content (long
    titles, six chapters), the coverage from the test content with made-up bands, so bands are drawn."""
    from typer.testing import CliRunner

    from iduit.cli import app

    work = tmp_path_factory.mktemp("reports")
    content = load_content(PACKAGED_CONTENT)
    folder = twenty_sites(work / "sites", content)
    single = folder / "site-02.yaml"  # every chapter
    with_bands = work / "content"
    shutil.copytree(FIXTURE_CONTENT, with_bands)
    shutil.copyfile(PROGRAMME_INDICATORS, with_bands / "indicators.yaml")  # made-up bands, so zones are drawn
    inputs = work / "inputs.yaml"
    sites = "".join(
        f"  - name: {name}\n    ost_clients: {round(share * 10)}\n    opioid_dependent_pwid: 1000\n"
        for name, share in zip(("North district harm reduction centre", "South", "East", "West"), SHARES, strict=True)
    )
    inputs.write_text(f"area: Example City\npwid: 12000\nsyringes: 1000000\nsites:\n{sites}", encoding="utf-8")
    out = {name: work / f"{name}.html" for name in ("single", "sites", "coverage")}
    cache = str(tmp_path_factory.mktemp("cache"))
    for name, data, args in (
        ("single", PACKAGED_CONTENT, ["assess", "report", str(single)]),
        ("sites", PACKAGED_CONTENT, ["assess", "report", str(folder)]),
        ("coverage", with_bands, ["coverage", str(inputs)]),
    ):
        result = CliRunner().invoke(
            app, ["--data-dir", str(data), *args, "-o", str(out[name])], env={"IDUIT_CACHE_DIR": cache}
        )
        assert_clean_exit(result, 0)
    return out


clean = test_site_browser.clean  # its console checked after each test


def open_at(driver: Any, page: Path, width: int) -> list[dict[str, Any]]:
    browser.viewport(driver, width)
    driver.get(page.as_uri())
    return list(driver.execute_script(BARS))


def save_page(driver: Any, folder: Path, name: str, width: int, capsys: pytest.CaptureFixture[str]) -> Path:
    """The whole page (up to 6000 px of it), not only what the window shows."""
    height = min(int(driver.execute_script("return document.scrollingElement.scrollHeight")), 6000)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path = folder / f"{name}-{width}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    with capsys.disabled():
        print(f"\nscreenshot: {path}")
    return path


@pytest.mark.parametrize("width", [browser.PHONE, browser.DESKTOP])
def test_bars_are_as_long_as_their_values_on_one_scale(clean: Any, reports: dict[str, Path], width: int) -> None:
    bars = open_at(clean, reports["coverage"], width)
    by_site = [b for b in bars if b["label"] in ("North district harm reduction centre", "South", "East", "West")]
    ost = by_site[-4:]  # the OST chart by site: the last of the by-site charts
    # A percentage keeps its sign on its line (a no-break space), read here as a plain one.
    assert [b["value"].replace("\xa0", " ") for b in ost] == [
        "25.0 % (medium)",
        "45.0 % (high)",
        "50.8 % (high)",
        "52.8 % (high)",
    ]
    for bar, share in zip(ost, SHARES, strict=True):
        assert bar["fillWidth"] == pytest.approx(bar["scaleWidth"] * share / 100, abs=0.6), bar
    # 50.8 % and 52.8 % differ by two points of a hundred: their bars, by 2 % of the scale, never the same.
    assert ost[3]["fillWidth"] - ost[2]["fillWidth"] == pytest.approx(ost[3]["scaleWidth"] * 0.02, abs=0.6)
    # One scale per page: every chart's bars start at one place and are as long, so charts compare too.
    assert len({round(b["scaleWidth"]) for b in bars}) == 1 and len({round(b["scaleLeft"]) for b in bars}) == 1


@pytest.mark.parametrize("name", ["single", "sites", "coverage"])
@pytest.mark.parametrize("width", [browser.PHONE, browser.DESKTOP])
def test_reports_fit_the_width_with_labels_and_scores_whole(
    clean: Any, reports: dict[str, Path], shots: Path, name: str, width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    bars = open_at(clean, reports[name], width)
    save_page(clean, shots, f"report-{name}", width, capsys)
    assert clean.execute_script("return document.scrollingElement.scrollWidth") <= width
    assert bars
    for bar in bars:
        assert not bar["labelClipped"] and bar["labelLeft"] >= 0 and bar["labelRight"] <= width, bar
        box = bar["valueBox"]
        assert box["width"] > 20 and box["right"] <= width and box["height"] < 60, bar  # whole, on screen
    labels = [b["label"] for b in bars]
    if name == "single":  # section titles, long ones included, with their numbers
        assert "3.1 The comprehensive package at a glance" in labels
        assert "Chapter 2: Legal reform, human rights, stigma and discrimination" in labels
    if name == "sites":
        assert "Chisinau needle and syringe programme" in labels and len(labels) == 20
        # The overall figures sit beside each site's name in the table, in view without scrolling it.
        seen = clean.execute_script(
            "const t = document.querySelector('table.data'); return [...t.rows].slice(1).map(r => "
            "[r.cells[1].getBoundingClientRect().right, r.cells[2].getBoundingClientRect().right])"
        )
        assert len(seen) == 20 and all(right <= width for row in seen for right in row)
    if name == "coverage":  # every site has its name over its bar
        assert {"North district harm reduction centre", "South", "East", "West"} <= set(labels)
