"""EPUB, ZIM and PDF checked by the programs their readers trust, on the packaged content.

epubcheck (Debian `epubcheck`), zimcheck (`zim-tools`), kiwix-search
(`kiwix-tools`), pdftotext and pdftoppm (`poppler-utils`). Skipped only where
a program is missing and CI is not set; in CI (CI=true) a missing program
fails, so .ci/run installs them (.ci/apt-packages.txt). The first page of the
PDF is saved as PNG to $IDUIT_SCREENSHOTS, else a temporary folder; its path
is printed for a reviewer to look at.
"""

from __future__ import annotations

import html
import importlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from iduit import outline
from iduit.content.loader import load_content
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run

pytestmark = pytest.mark.slow

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
TWO_MIB = 2 * 1024 * 1024


def _missing(what: str) -> None:
    reason = f"{what} is not installed (see .ci/apt-packages.txt and the test extra)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run these checks")
    pytest.skip(reason)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        _missing(name)
    assert found is not None
    return found


def _module(name: str) -> None:
    try:
        importlib.import_module(name)
    except ImportError:
        _missing(f"the Python package {name}")


def _epubcheck() -> list[str]:
    """Debian's /usr/bin/epubcheck is the jar itself, run through binfmt: call Java directly where we can."""
    java = shutil.which("java")
    if java and EPUBCHECK_JAR.is_file():
        return [java, "-jar", str(EPUBCHECK_JAR)]
    return [_program("epubcheck")]


@pytest.fixture(autouse=True)
def packaged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))


def _export(path: Path, *args: str) -> Path:
    result = run("export", *args, "-o", str(path))
    assert_clean_exit(result, 0)
    return path


def _tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


# -- EPUB ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [("iduit.epub", ["--all"]), ("3.12.epub", ["3.12"]), ("glossary.epub", ["glossary"])],
)
def test_epubcheck_finds_no_errors_or_warnings(tmp_path: Path, name: str, args: list[str]) -> None:
    command = _epubcheck()
    book = _export(tmp_path / name, *args)
    checked = _tool(*command, str(book))
    report = checked.stdout + checked.stderr
    summary = [line for line in report.splitlines() if line.startswith(("Messages:", "No errors"))]
    print(f"{name}: {book.stat().st_size} bytes; epubcheck: {summary}")
    assert checked.returncode == 0, report
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report or "No errors or warnings detected" in report, report
    assert book.stat().st_size < TWO_MIB


# -- ZIM -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zim_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _module("libzim")
    path = tmp_path_factory.mktemp("zim") / "iduit.zim"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
        patch.setenv("IDUIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        result = run("export", "--all", "--format", "zim", "-o", str(path))
    assert_clean_exit(result, 0)
    return path


def test_zimcheck_passes(zim_file: Path) -> None:
    checked = _tool(_program("zimcheck"), "-A", "-D", str(zim_file))
    report = checked.stdout + checked.stderr
    print(f"{zim_file.name}: {zim_file.stat().st_size} bytes; zimcheck: {report.strip().splitlines()[-2:]}")
    assert checked.returncode == 0, report
    assert "Overall Test Status: Pass" in report, report
    assert "[ERROR]" not in report and "[WARNING]" not in report, report


def test_kiwix_search_lists_the_naloxone_section_first(zim_file: Path) -> None:
    searched = _tool(_program("kiwix-search"), str(zim_file), "naloxone")
    assert searched.returncode == 0, searched.stderr
    found = searched.stdout.splitlines()
    print("kiwix-search naloxone:", found[:5])
    assert found[0] == "3.12 Overdose prevention and naloxone", found
    assert not {"IDUIT digest", "Chapter 3: Health and support services"} & set(found)


def test_kiwix_search_finds_a_job_aid_and_a_glossary_term(zim_file: Path) -> None:
    aid = _tool(_program("kiwix-search"), str(zim_file), "needle-stick")
    assert "T8 Needle-stick injury and PEP procedure" in aid.stdout.splitlines(), aid.stdout
    term = _tool(_program("kiwix-search"), str(zim_file), "buprenorphine")
    assert term.stdout.strip(), term.stderr


# -- Kiwix search: what a reader finds, in the order and with the snippet Kiwix shows --------------------


@pytest.fixture
def speaking(request: pytest.FixtureRequest) -> Iterator[None]:
    """The interface language the test's ``lang`` names, for the words iduit adds (headings, labels)."""
    from iduit.language import messages

    before = messages.current()
    messages.use(request.getfixturevalue("lang"))
    yield
    messages.use(before)


def _kiwix_titles(zim: Path, query: str, *options: str) -> list[str]:
    searched = _tool(_program("kiwix-search"), *options, str(zim), query)
    assert searched.returncode == 0, searched.stderr
    return searched.stdout.splitlines()


@pytest.mark.parametrize(
    ("lang", "query", "first"),
    [
        ("en", "OAT", "3.3 "),  # an acronym the section never uses: a synonym of its title
        ("en", "narcan", "3.12 "),  # a brand name, from the synonym groups
        ("en", "needle exchange program", "3.2 "),  # other words, and the American spelling
        ("en", "what is a needle exchange", "3.2 "),  # Kiwix wants every word, "what", "is" and "a" too
        ("ru", "ЗПТ", "3.3 "),  # a Russian acronym the section's title does not use
        ("ru", "заместительной терапии", "3.3 "),  # a word form, with й: Debian's Kiwix does not fold queries
        ("ru", "налоксона", "3.12 "),
    ],
)
def test_kiwix_search_lists_the_section_first(
    lang: str, query: str, first: str, request: pytest.FixtureRequest
) -> None:
    zim = request.getfixturevalue("zim_file" if lang == "en" else "russian_zim")
    found = _kiwix_titles(zim, query)
    print(f"kiwix-search {query!r}:", found[:3])
    assert found and found[0].startswith(first), found


@pytest.mark.parametrize(("lang", "query"), [("en", "naloxone"), ("ru", "налоксон")])
def test_chapter_pages_never_rank_above_their_sections_but_kiwix_suggests_them(
    lang: str, query: str, request: pytest.FixtureRequest, speaking: None
) -> None:
    from libzim.reader import Archive

    from iduit.language.messages import tr

    zim = request.getfixturevalue("zim_file" if lang == "en" else "russian_zim")
    content = load_content(PACKAGED_CONTENT, lang)
    chapter = content.chapter(3)
    assert chapter is not None
    archive = Archive(zim)
    page = bytes(archive.get_entry_by_path("chapter-3").get_item().content).decode()
    assert page.lower().count(query) > 10  # the chapter page holds its sections' text, the word many times
    found = _kiwix_titles(zim, query)
    assert found[0].startswith("3.12 "), found
    repeating = {c.heading for c in content.chapters} | {tr("Job aids"), archive.main_entry.get_item().title}
    assert chapter.heading in repeating and not repeating & set(found), found
    suggested = _kiwix_titles(zim, chapter.title, "--suggestion")  # still found by its title
    assert chapter.heading in suggested, suggested


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _kiwix_serve_search(zim: Path, query: str) -> list[tuple[str, str]]:
    """(title, snippet) of each hit on kiwix-serve's search page, as Kiwix's readers show them."""
    import time
    import urllib.parse
    import urllib.request
    import xml.etree.ElementTree as ET

    port = _free_port()
    server = subprocess.Popen(
        [_program("kiwix-serve"), "--address", "127.0.0.1", "--port", str(port), str(zim)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode({"pattern": query, "format": "xml"})
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    feed = ET.fromstring(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return [(item.findtext("title", ""), item.findtext("description", "")) for item in feed.iter("item")]


@pytest.mark.parametrize(("lang", "query"), [("en", "naloxone"), ("ru", "налоксон")])
def test_kiwix_serve_shows_the_section_s_summary_as_its_snippet_not_the_citation(
    lang: str, query: str, request: pytest.FixtureRequest, speaking: None
) -> None:
    from iduit.language.messages import tr

    zim = request.getfixturevalue("zim_file" if lang == "en" else "russian_zim")
    content = load_content(PACKAGED_CONTENT, lang)
    hits = _kiwix_serve_search(zim, query)
    print(f"kiwix-serve {query!r}:", hits[:2])
    assert hits and hits[0][0].startswith("3.12 "), hits
    citation = tr("Original publication:")
    assert any(not title[:1].isdigit() and title[:1] != "T" for title, _ in hits)  # the glossary too
    for title, snippet in hits:
        text = " ".join(re.sub(r"<[^>]+>", "", snippet).split())
        assert text and citation not in text and content.toolkit.title not in text, (title, snippet)
    section = content.section("3.12")
    assert section is not None
    summary = " ".join(section.summary.split())
    first = " ".join(html.unescape(re.sub(r"<[^>]+>", "", hits[0][1])).split())
    pieces = [piece.strip() for piece in first.split("...") if piece.strip()]  # Kiwix elides with "..."
    assert sum(map(len, pieces)) > 100 and all(piece in summary for piece in pieces), (first, summary)


# -- PDF -----------------------------------------------------------------------------


def test_pdf_handout_has_the_text_and_renders_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _module("weasyprint")
    pdftotext, pdftoppm, pdfinfo = _program("pdftotext"), _program("pdftoppm"), _program("pdfinfo")
    pdf = _export(tmp_path / "overdose.pdf", "3.12", "--format", "pdf")
    text = _tool(pdftotext, str(pdf), "-").stdout
    flat = " ".join(text.split())
    assert "3.12 Overdose prevention and naloxone" in flat
    assert "Overdose risk is very high in the weeks after release from prison" in flat  # a key point
    assert "Original publication:" in flat  # the digest footer
    info = _tool(pdfinfo, str(pdf)).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    folder = Path(os.environ.get("IDUIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    made = _tool(pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / "pdf-3.12"))
    assert made.returncode == 0, made.stderr
    png = folder / "pdf-3.12.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with capsys.disabled():
        print(f"\nPDF page 1 of iduit export 3.12 --format pdf: {png}")


@pytest.mark.parametrize("args", [["chapter", "3"], ["T9"], ["glossary"]])
def test_pdf_of_any_target(tmp_path: Path, args: list[str]) -> None:
    _module("weasyprint")
    pdf = _export(tmp_path / "x.pdf", *args, "--format", "pdf")
    text = " ".join(_tool(_program("pdftotext"), str(pdf), "-").stdout.split())
    expected = {"chapter": "Chapter 3: Health and support services", "T9": "T9 Overdose response card"}
    assert expected.get(args[0], "Glossary") in text


def test_pdf_links_stay_inside_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint would make a link to another file absolute (file:///where/it/was/made): none are made."""
    _module("weasyprint")
    from iduit.formats import html, pdf

    content = load_content(PACKAGED_CONTENT)
    document = outline.document(content, [content.chapter(3)])  # type: ignore[list-item]
    seen: list[str] = []
    real = html.render

    def spy(document: outline.Document, linker: outline.Linker) -> str:
        seen.append(real(document, linker))
        return seen[-1]

    monkeypatch.setattr(html, "render", spy)
    pdf.render(document, outline.Linker(here=document.ids, extension="pdf"))  # as in export --all
    hrefs = re.findall(r'href="([^"]+)"', seen[0])
    assert "#section-3-12" in hrefs  # inside the chapter: a link
    assert not [h for h in hrefs if ".pdf" in h or h.startswith("file:")]
    assert "2.3 Working with police and law enforcement" in seen[0]  # in another file: the id and title, as text


def test_pdf_export_of_everything_is_a_folder_of_handouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _module("weasyprint")
    monkeypatch.setenv("IDUIT_DATA_DIR", str(FIXTURE_CONTENT))  # the small content: a PDF per file takes time
    result = run("export", "--all", "--format", "pdf", "-o", str(tmp_path / "handouts"))
    assert_clean_exit(result, 0)
    names = sorted(p.name for p in (tmp_path / "handouts").iterdir())
    assert "index.pdf" in names and "chapter-3.pdf" in names and "glossary.pdf" in names
    assert all((tmp_path / "handouts" / n).read_bytes().startswith(b"%PDF-") for n in names)


# -- in Russian ------------------------------------------------------------------------


def test_the_russian_epub_passes_epubcheck_and_says_it_is_russian(tmp_path: Path) -> None:
    import zipfile

    command = _epubcheck()
    book = tmp_path / "iduit-ru.epub"
    result = run("--lang", "ru", "export", "--all", "-o", str(book))
    assert_clean_exit(result, 0)
    checked = _tool(*command, str(book))
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report or "No errors or warnings detected" in report, report
    with zipfile.ZipFile(book) as archive:
        package = archive.read("EPUB/package.opf").decode("utf-8")
        chapter = archive.read("EPUB/chapter-3.xhtml").decode("utf-8")
    assert "<dc:language>ru</dc:language>" in package
    assert 'xml:lang="ru"' in chapter and "Медицинская помощь и поддержка" in chapter


@pytest.fixture(scope="module")
def russian_zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _module("libzim")
    path = tmp_path_factory.mktemp("zim-ru") / "iduit-ru.zim"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
        patch.setenv("IDUIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache-ru")))
        result = run("--lang", "ru", "export", "--all", "--format", "zim", "-o", str(path))
    assert_clean_exit(result, 0)
    return path


def test_the_russian_zim_passes_zimcheck_and_kiwix_finds_russian_words(russian_zim: Path) -> None:
    from libzim.reader import Archive

    checked = _tool(_program("zimcheck"), "-A", "-D", str(russian_zim))
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0 and "Overall Test Status: Pass" in report, report
    assert bytes(Archive(russian_zim).get_metadata("Language")).decode() == "rus"
    searched = _tool(_program("kiwix-search"), str(russian_zim), "налоксон")
    found = searched.stdout.splitlines()
    print("kiwix-search налоксон:", found[:5])
    assert found and found[0].startswith("3.12 "), found
    # Kiwix corrects no spelling: the index holds the slips a reader makes (о for а, ш for щ), as often as the word.
    for typed, meant in (("нолоксон", "налоксон"), ("сообшества", "сообщества")):
        slipped = _tool(_program("kiwix-search"), str(russian_zim), typed).stdout.splitlines()
        right = _tool(_program("kiwix-search"), str(russian_zim), meant).stdout.splitlines()
        assert right and slipped[:1] == right[:1], (typed, slipped, right)
    # A job aid holds the words of the sections it serves: "антиретровирусные" is in 3.6, not in T8's own text.
    situation = _tool(_program("kiwix-search"), str(russian_zim), "травма иглой антиретровирусные").stdout.splitlines()
    assert any(title.startswith("T8 ") for title in situation), situation


def test_the_russian_pdf_carries_cyrillic_text(tmp_path: Path) -> None:
    _module("weasyprint")
    pdf = tmp_path / "3.12-ru.pdf"
    assert_clean_exit(run("--lang", "ru", "export", "3.12", "-o", str(pdf)), 0)
    text = _tool(_program("pdftotext"), str(pdf), "-").stdout
    assert "Профилактика передозировок и налоксон" in " ".join(text.split())


# -- content that is valid but hostile: every output still passes its validator -----------------------


@pytest.fixture(scope="module")
def hostile_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content with what validate accepts and a careless writer would break on."""
    target = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    shutil.rmtree(target / "locales")  # the English alone: its translation would (rightly) be out of date
    services = target / "chapters" / "03-services.yaml"
    text = services.read_text(encoding="utf-8")
    odd = (
        "Tom & Jerry \"quoted\" 'single' R&amp;D 5 < 6 > 4; ]]> --> &#0; &nbsp; "
        "[a link with & and ;](https://example.org/a?b=1&c=2;d=(3)#part) "
        "[percent](https://example.org/a%20b%7Bc%7D) <https://example.org/x?y=z&w=v> "
        "emoji 💉, combining é, right-to-left שלום, a very long word " + "x" * 300 + "."
    )
    text = text.replace(
        "Give out as many syringes as people need.", "Give out as many syringes as people need. " + odd, 1
    )
    text = text.replace("title: Needle and syringe programmes", 'title: "Needles & syringes: <the> \\"basics\\""', 1)
    services.write_text(text, encoding="utf-8")
    result = run("validate", str(target))
    assert_clean_exit(result, 0)
    return target


def test_hostile_but_valid_content_makes_an_epub_that_passes_epubcheck(
    hostile_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(hostile_content))
    book = _export(tmp_path / "odd.epub", "--all")
    checked = _tool(*_epubcheck(), str(book))
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report or "No errors or warnings detected" in report, report


def test_hostile_but_valid_content_makes_a_zim_that_passes_zimcheck(
    hostile_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _module("libzim")
    monkeypatch.setenv("IDUIT_DATA_DIR", str(hostile_content))
    zim = _export(tmp_path / "odd.zim", "--all", "--format", "zim")
    checked = _tool(_program("zimcheck"), "-A", "-D", str(zim))
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "[ERROR]" not in report and "[WARNING]" not in report, report
