"""Job aids printed as paper forms, checked on the pages themselves: WeasyPrint's PDF and Chromium's print of the site.

pdfinfo, pdftotext and pdftoppm (poppler-utils) read the PDFs; the writing
rows are measured on the rendered page, from its ruled lines. Pages are saved
as PNG to $IDUIT_SCREENSHOTS, else a temporary folder, and their paths
printed for a reviewer to look at. Skipped only where a program is missing
and CI is not set.
"""

from __future__ import annotations

import base64
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iduit.cli import app
from tests import browser, test_site_browser
from tests.conftest import PACKAGED_CONTENT, assert_clean_exit, run
from tests.test_formats_books_slow import _module, _program, _tool

pytestmark = pytest.mark.slow

MM_PER_INCH = 25.4
WRITING_ROW_MM = 8.0
LAST_COLUMN = {"en": "Follow-up needed", "ru": "Что сделать дальше"}
T8_HEADING = {"en": "2. Report now, not at the end of the shift", "ru": "2. Сообщите сразу, а не в конце смены"}
T8_NEXT = {"en": "Call by day:", "ru": "Звонить днём:"}


@pytest.fixture(autouse=True)
def packaged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return browser.screenshot_dir(tmp_path_factory.mktemp("forms"))


def _pdf(folder: Path, tool_id: str, lang: str) -> Path:
    _module("weasyprint")
    path = folder / f"{tool_id}-{lang}.pdf"
    result = run("--lang", lang, "export", tool_id, "-o", str(path), "--force")
    assert_clean_exit(result, 0)
    return path


def _pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    info = _tool(_program("pdfinfo"), "-f", "1", "-l", "999", str(pdf)).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def _page_text(pdf: Path, page: int) -> str:
    return _tool(_program("pdftotext"), "-f", str(page), "-l", str(page), str(pdf), "-").stdout


def _words(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word on a page, from pdftotext -bbox."""
    out = _tool(_program("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-").stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    return [(float(a), float(b), w) for a, b, w in found]


def _last_column_pages(pdf: Path, pages: list[tuple[float, float]], lang: str) -> list[int]:
    """The pages where every word of T2's last column heading is printed whole, at the right of the page."""
    found = []
    for n, (width, _) in enumerate(pages, 1):
        words = _words(pdf, n)
        if words:
            assert max(x for _, x, _ in words) <= width, f"a word on page {n} runs off the page"
        right = {w for x0, _, w in words if x0 > width * 0.75}
        if set(LAST_COLUMN[lang].split()) <= right:
            found.append(n)
    return found


def _png(pdf: Path, page: int, folder: Path, name: str, capsys: pytest.CaptureFixture[str]) -> Path:
    made = _tool(
        _program("pdftoppm"),
        "-png",
        "-r",
        "60",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(folder / name),
    )
    assert made.returncode == 0, made.stderr
    with capsys.disabled():
        print(f"\nform page: {folder / name}.png")
    return folder / f"{name}.png"


def _ruled_lines(pdf: Path, page: int, dpi: int = 100) -> list[float]:
    """The y (in mm from the top) of the long horizontal lines that start at the page's left margin.

    Those are a table's rules and the lines of a field written under its label; a field's line beside its
    label starts after the label, and is left out.
    """
    command = [_program("pdftoppm"), "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf)]
    raw = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout
    magic, size, maxval, data = raw.split(b"\n", 3)
    assert magic == b"P5" and maxval == b"255", (magic, maxval)
    width, height = map(int, size.split())
    found: list[tuple[int, int]] = []  # (y, x where the line starts)
    for y in range(height):
        row = data[y * width : (y + 1) * width]
        run_length = 0
        for x, value in enumerate(row):
            run_length = run_length + 1 if value < 200 else 0
            if run_length >= width * 0.4:
                found.append((y, x - run_length + 1))
                break
    if not found:
        return []
    margin = min(x for _, x in found)
    lines: list[float] = []
    previous = -2
    for y, x in found:
        if x <= margin + dpi / MM_PER_INCH:  # within a millimetre of the margin
            if y != previous + 1:  # a line a few pixels thick is one line
                lines.append(y / dpi * MM_PER_INCH)
            previous = y
    return lines


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_t2s_wide_table_is_on_a_landscape_page_with_no_column_cut(
    tmp_path: Path, shots: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = _pdf(tmp_path, "T2", lang)
    pages = _pages(pdf)
    holding = _last_column_pages(pdf, pages, lang)
    assert holding, f"T2's last column heading is on no page ({lang})"
    for n in holding:
        width, height = pages[n - 1]
        assert width > height, f"page {n} of T2 ({lang}) is not landscape: {width} x {height}"
    _png(pdf, holding[0], shots, f"pdf-T2-{lang}", capsys)
    # The table's blank rows, one ruled line under another: at least six in a row of writing height on a page.
    assert max(_writing_rows(pdf, n) for n in range(1, len(pages) + 1)) >= 6


def _writing_rows(pdf: Path, page: int, low: float = WRITING_ROW_MM, high: float = 15.0) -> int:
    """The most ruled lines one after another on a page with a hand's height (8 to 15 mm) between each two."""
    best = count = 0
    for a, b in itertools.pairwise(_ruled_lines(pdf, page)):
        count = count + 1 if low <= b - a <= high else 0
        best = max(best, count)
    return best


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_t5_gives_room_to_write_and_real_boxes(
    tmp_path: Path, shots: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = _pdf(tmp_path, "T5", lang)
    _png(pdf, 1, shots, f"pdf-T5-{lang}", capsys)
    # "What happened, in the person's own words" has six full-width lines, each a hand's height under the last.
    assert max(_writing_rows(pdf, n) for n in range(1, len(_pages(pdf)) + 1)) >= 5


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("tool_id", ["T5", "T6", "T7"])
def test_no_literal_brackets_are_printed_for_boxes(tmp_path: Path, tool_id: str, lang: str) -> None:
    pdf = _pdf(tmp_path, tool_id, lang)
    text = _tool(_program("pdftotext"), str(pdf), "-").stdout
    assert "[ ]" not in text and "[]" not in text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_t8s_headings_stand_apart_from_the_text_after_them(
    tmp_path: Path, shots: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = _pdf(tmp_path, "T8", lang)
    _png(pdf, 1, shots, f"pdf-T8-{lang}", capsys)
    lines = [line.strip() for line in _tool(_program("pdftotext"), str(pdf), "-").stdout.splitlines() if line.strip()]
    assert T8_HEADING[lang] in lines, "the heading is not a line of its own"
    after = lines[lines.index(T8_HEADING[lang]) + 1]
    assert after.startswith(T8_NEXT[lang]), after


# -- the site, printed by Chromium --------------------------------------------------


driver = test_site_browser.driver  # one headless Chromium per module, as the site's browser tests have


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_sites_job_aids_print_without_horizontal_overflow(
    driver: Any, tmp_path: Path, shots: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["--lang", lang, "--data-dir", str(PACKAGED_CONTENT), "site", "-o", str(site)])
    assert_clean_exit(result, 0)
    for width in (browser.PHONE, browser.DESKTOP):
        browser.media(driver)
        browser.viewport(driver, width)
        driver.get((site / "tools" / "T5.html").as_uri())
        driver.execute_script("document.querySelector('.form').scrollIntoView()")
        driver.save_screenshot(str(shots / f"site-T5-{lang}-{width}.png"))
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    # Print media at an A4 page's width (210 mm at 96 px an inch): nothing wider than the page, rows a hand high.
    # Each job aid prints from its own page: T2 holds the wide fill-in table, T5 the fields and boxes.
    browser.viewport(driver, 794)
    browser.media(driver, print_=True)
    measured: dict[str, Any] = {}
    for aid in ("T2", "T5"):
        driver.get((site / "tools" / f"{aid}.html").as_uri())
        measured[aid] = driver.execute_script(
            "const px = 96 / 25.4; const wide = document.querySelector('.form.wide');"
            "return {wide: wide ? getComputedStyle(wide).page : '',"
            " overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,"
            " rows: [...document.querySelectorAll('table.fill td')].map(td => td.getBoundingClientRect().height / px),"
            " lines: [...document.querySelectorAll('.form .blank')].map(b => b.getBoundingClientRect().height / px),"
            " ticks: [...document.querySelectorAll('.form .tick')].map(t => getComputedStyle(t).borderTopStyle)}"
        )
        if aid == "T2":
            printed = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    browser.media(driver)
    t2, t5 = measured["T2"], measured["T5"]
    assert t2["wide"] == "landscape" and t2["overflow"] <= 0 and t5["overflow"] <= 0, measured
    assert min(t2["rows"]) >= WRITING_ROW_MM and min(t5["lines"]) >= WRITING_ROW_MM
    assert t5["ticks"] and set(t5["ticks"]) == {"solid"}
    pdf = tmp_path / "tools.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    pages = _pages(pdf)
    holding = _last_column_pages(pdf, pages, lang)
    assert holding, f"the site's print of T2 has no last column ({lang})"
    for n in holding:
        width, height = pages[n - 1]
        assert width > height, f"the site prints T2's table on a portrait page ({lang})"
    _png(pdf, holding[0], shots, f"site-print-T2-{lang}", capsys)
    assert "[ ]" not in _tool(_program("pdftotext"), str(pdf), "-").stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_a_real_terminal_shows_a_forms_boxes_and_lines(tmp_path: Path) -> None:
    session = f"iduit-forms-{os.getpid()}"
    command = (
        f"env -u LINES -u COLUMNS IDUIT_DATA_DIR={PACKAGED_CONTENT} IDUIT_CACHE_DIR={tmp_path} PAGER=cat "
        f"{sys.executable} -m iduit show T5; sleep 30"
    )
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "40", command], check=True)
    try:
        screen = ""
        for _ in range(100):
            time.sleep(0.2)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-S", "-400", "-t", session], capture_output=True, text=True, check=True
            ).stdout
            if "Adapting it" in screen:
                break
        assert "☐ to record what happened" in screen and "[ ]" not in screen
        assert "What happened, in the person's own words" in screen and "_" * 60 in screen
        assert "\x1b" not in screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
