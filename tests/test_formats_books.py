"""EPUB, ZIM and PDF in the format registry: structure checks that need no external program.

The validators (epubcheck, zimcheck, kiwix-search, pdftotext) run in
test_formats_books_slow.py. Golden files: tests/golden/books/, regenerated
with UPDATE_GOLDEN=1 (read the diff).
"""

from __future__ import annotations

import html
import importlib
import io
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from iduit import __version__, formats, outline
from iduit.content.loader import load_content
from iduit.formats.output import render_all
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run

GOLDEN = Path(__file__).parent / "golden" / "books"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPOCH = "1700000000"  # 2023-11-14: exports made with it are the same byte for byte


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def _needs(module: str) -> None:
    """Skip when an optional extra is not installed, except in CI, where the test extra must bring it."""
    try:
        importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is missing; CI installs '.[test]', which must bring it")
        pytest.skip(f"{module} is not installed")


# -- the registry ------------------------------------------------------------------


def test_the_book_formats_are_registered_as_binary() -> None:
    epub, zim, pdf = formats.get("epub"), formats.get("zim"), formats.get("pdf")
    assert all(f.binary for f in (epub, zim, pdf))
    assert (epub.extra, zim.extra, pdf.extra) == ("", "zim", "pdf")
    assert (epub.single_file, zim.single_file, pdf.single_file) == (True, True, False)
    assert formats.for_path(Path("book.EPUB")) == epub
    assert formats.for_path(Path("iduit.zim")) == zim
    assert formats.for_path(Path("handout.pdf")) == pdf


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["export", "3.12", "--format", "epub"], "-o 3.12.epub"),
        (["export", "3.12", "--format", "pdf", "-o", "-"], "-o 3.12.pdf"),
        (["export", "--all", "--format", "zim"], "-o iduit.zim"),
        (["export", "--all", "--format", "epub", "-o", "-"], "-o iduit.epub"),
        (["export", "glossary", "--format", "pdf"], "-o glossary.pdf"),
    ],
)
def test_binary_formats_refuse_standard_output(args: list[str], hint: str) -> None:
    result = run(*args)
    assert_clean_exit(result, 2)
    assert "binary format: give a file with -o" in result.stderr
    assert hint in result.stderr
    assert result.stdout == ""


class _Refuse(MetaPathFinder):
    """Makes importing some modules fail as it does where they are not installed, or their libraries are not."""

    def __init__(self, names: set[str], error: type[Exception]) -> None:
        self.names, self.error = names, error

    def find_spec(self, name: str, path: Any = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name.split(".")[0] in self.names:
            if self.error is ImportError:
                raise ModuleNotFoundError(f"No module named '{name}'", name=name)
            raise self.error(f"cannot load library '{name}': simulated")
        return None


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Call with module names (and an error type) to make them unimportable for the test."""

    def hide(*names: str, error: type[Exception] = ImportError) -> None:
        for loaded in list(sys.modules):
            if loaded.split(".")[0] in names or loaded in ("iduit.formats.zim", "iduit.formats.pdf"):
                monkeypatch.delitem(sys.modules, loaded)
        monkeypatch.setattr(sys, "meta_path", [_Refuse(set(names), error), *sys.meta_path])

    yield hide


@pytest.mark.parametrize(
    ("module", "args", "extra"),
    [
        ("libzim", ["export", "--all", "--format", "zim", "-o", "iduit.zim"], "zim"),
        ("weasyprint", ["export", "3.12", "--format", "pdf", "-o", "x.pdf"], "pdf"),
    ],
)
def test_a_missing_extra_is_named(
    module: str, args: list[str], extra: str, without: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    without(module)
    result = run(*args)
    assert_clean_exit(result, 2)
    assert f"the {extra} format needs the optional '{extra}' extra: pip install 'iduit[{extra}]'" in result.stderr
    assert module in result.stderr
    assert list(out.iterdir()) == []


def test_missing_pango_libraries_are_named(without: Any, tmp_path: Path) -> None:
    without("weasyprint", error=OSError)  # what WeasyPrint raises when it cannot load Pango
    result = run("export", "3.12", "-o", str(tmp_path / "x.pdf"))
    assert_clean_exit(result, 2)
    assert "Pango" in result.stderr and "libpango-1.0-0" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_search_does_not_import_the_book_formats() -> None:
    code = (
        "import sys; from iduit.cli import main; sys.argv=['iduit','search','naloxone','--plain']\n"
        "try: main()\nexcept SystemExit: pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('libzim','weasyprint')"
        " or m.startswith(('iduit.formats.epub', 'iduit.formats.zim', 'iduit.formats.pdf', 'iduit.formats.html'))]\n"
        "print('LOADED', bad)"
    )
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout[-500:]


# -- EPUB --------------------------------------------------------------------------


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _export_once(factory: pytest.TempPathFactory, name: str, *args: str) -> Path:
    """One export of the fixture content shared by a module's tests (it is only read)."""
    path = factory.mktemp("export") / name
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IDUIT_DATA_DIR", str(FIXTURE_CONTENT))
        patch.setenv("IDUIT_CACHE_DIR", str(factory.mktemp("cache")))
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run("export", *args, "-o", str(path))
    assert_clean_exit(result, 0)
    assert result.stderr.strip() == f"Wrote {path}"
    return path


@pytest.fixture(scope="module")
def epub_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export_once(tmp_path_factory, "iduit.epub", "--all")


@pytest.fixture(scope="module")
def zim_all(tmp_path_factory: pytest.TempPathFactory) -> Any:
    _needs("libzim")
    from libzim.reader import Archive

    return Archive(_export_once(tmp_path_factory, "iduit.zim", "--all", "--format", "zim"))


def _export(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    result = run("export", *args, "-o", str(path))
    assert_clean_exit(result, 0)
    assert result.stderr.strip() == f"Wrote {path}"
    return path


def _pages(book: zipfile.ZipFile) -> dict[str, ET.Element]:
    """Every XHTML file, parsed as XML: a page that is not well-formed fails here."""
    return {name: ET.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")}


def test_epub_of_everything_is_one_well_formed_book(epub_all: Path) -> None:
    path = epub_all
    raw = path.read_bytes()
    # mimetype first, stored, no extra field: the bytes readers sniff at offset 30 and 38.
    assert raw[:4] == b"PK\x03\x04" and raw[30:38] == b"mimetype" and raw[38:58] == b"application/epub+zip"
    assert struct.unpack("<H", raw[8:10])[0] == 0 and struct.unpack("<H", raw[28:30])[0] == 0
    book = zipfile.ZipFile(path)
    assert book.testzip() is None
    container = ET.fromstring(book.read("META-INF/container.xml"))
    rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    assert rootfile is not None and rootfile.get("full-path") == "EPUB/package.opf"
    package = ET.fromstring(book.read("EPUB/package.opf"))
    assert package.get("version") == "3.0"
    meta = package.find(f"{OPF}metadata")
    assert meta is not None
    assert meta.findtext(f"{DC}title") == "TESTKIT digest"
    assert meta.findtext(f"{DC}language") == "en"
    assert (meta.findtext(f"{DC}identifier") or "").startswith("urn:uuid:")
    assert meta.findtext(f"{DC}description") == "This is test content for iduit's own tests, not guidance."
    assert "Test toolkit. Nowhere; 2017." in (meta.findtext(f"{DC}source") or "")
    assert meta.findtext(f"{OPF}meta[@property='dcterms:modified']") == "2023-11-14T22:13:20Z"
    items = {i.get("id"): i.get("href") for i in package.iter(f"{OPF}item")}
    spine = [items[ref.get("idref")] for ref in package.iter(f"{OPF}itemref")]
    assert spine == ["index.xhtml", "chapter-0.xhtml", "chapter-3.xhtml", "tools.xhtml", "glossary.xhtml"]
    assert sorted(book.namelist()) == sorted(
        ["mimetype", "META-INF/container.xml", "EPUB/package.opf"] + [f"EPUB/{h}" for h in items.values()]
    )
    pages = _pages(book)
    assert len(pages) == 6
    text = {name: "".join(page.itertext()) for name, page in pages.items()}
    assert "3.12 Overdose prevention and naloxone" in text["EPUB/chapter-3.xhtml"]
    assert "Naloxone kit checklist" in text["EPUB/tools.xhtml"]
    assert "OST" in text["EPUB/glossary.xhtml"]
    # The citation page: the digest note and the original's citation.
    assert "not guidance" in text["EPUB/index.xhtml"] and "Original publication" in text["EPUB/index.xhtml"]
    assert not [e for page in pages.values() for e in page.iter(f"{XHTML}input")]  # checkboxes are printed boxes


def test_epub_navigation_lists_chapters_and_their_sections(epub_all: Path) -> None:
    book = zipfile.ZipFile(epub_all)
    nav = ET.fromstring(book.read("EPUB/nav.xhtml"))
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
    first_links = [li.find(f"{XHTML}a") for li in toc.findall(f"{XHTML}ol/{XHTML}li")]
    top = [(a.get("href"), a.text) for a in first_links if a is not None]
    assert top == [
        ("index.xhtml", "About this digest"),
        ("chapter-0.xhtml", "Introduction"),
        ("chapter-3.xhtml", "Chapter 3: Health and support services"),
        ("tools.xhtml", "Job aids"),
        ("glossary.xhtml", "Glossary"),
    ]
    links = {a.text: a.get("href") for a in toc.iter(f"{XHTML}a")}
    assert links["3.12 Overdose prevention and naloxone"] == "chapter-3.xhtml#section-3-12"
    assert links["T1 Naloxone kit checklist"] == "tools.xhtml#tool-t1"


def test_every_link_inside_the_epub_reaches_a_page_and_an_anchor(epub_all: Path) -> None:
    book = zipfile.ZipFile(epub_all)
    pages = _pages(book)
    ids = {name: {e.get("id") for e in page.iter() if e.get("id")} for name, page in pages.items()}
    checked = 0
    for name, page in pages.items():
        for link in page.iter(f"{XHTML}a"):
            href = link.get("href") or ""
            if href.startswith(("http://", "https://")):
                continue
            file, _, fragment = href.partition("#")
            target = f"EPUB/{file}" if file else name
            assert target in pages, (name, href)
            assert not fragment or fragment in ids[target], (name, href)
            checked += 1
    assert checked > 25


def test_epub_golden_files(epub_all: Path, tmp_path: Path, epoch: None) -> None:
    book = zipfile.ZipFile(epub_all)
    for name in ("package.opf", "nav.xhtml", "chapter-3.xhtml"):
        _golden(f"epub-all/{name}", book.read(f"EPUB/{name}").decode("utf-8"))
    single = zipfile.ZipFile(_export(tmp_path, "3.12.epub", "3.12"))
    _golden("epub-3.12/content.xhtml", single.read("EPUB/content.xhtml").decode("utf-8"))


def test_epub_is_the_same_byte_for_byte_with_source_date_epoch(epub_all: Path, tmp_path: Path, epoch: None) -> None:
    assert _export(tmp_path, "again.epub", "--all").read_bytes() == epub_all.read_bytes()


@pytest.mark.parametrize(
    ("args", "title", "pages"),
    [
        (["3.12"], "3.12 Overdose prevention and naloxone — TESTKIT digest", 1),
        (["chapter", "3"], "Chapter 3: Health and support services — TESTKIT digest", 1),
        (["T1"], "T1 Naloxone kit checklist — TESTKIT digest", 1),
        (["glossary"], "Glossary — TESTKIT digest", 1),
    ],
)
def test_epub_of_any_target(tmp_path: Path, args: list[str], title: str, pages: int) -> None:
    book = zipfile.ZipFile(_export(tmp_path, "x.epub", *args))
    package = ET.fromstring(book.read("EPUB/package.opf"))
    assert package.findtext(f"{OPF}metadata/{DC}title") == title
    assert len(list(package.iter(f"{OPF}itemref"))) == pages
    assert len(_pages(book)) == pages + 1  # and the navigation document


def test_epub_into_a_folder_and_never_over_a_file_without_force(tmp_path: Path) -> None:
    assert_clean_exit(run("export", "--all", "--format", "epub", "-o", f"{tmp_path}/books/"), 0)
    written = tmp_path / "books" / "iduit.epub"
    assert zipfile.is_zipfile(written)
    again = run("export", "--all", "-o", str(written))
    assert_clean_exit(again, 2)
    assert "already exists; use --force" in again.stderr
    assert_clean_exit(run("export", "--all", "-o", str(written), "--force"), 0)
    assert sorted(p.name for p in (tmp_path / "books").iterdir()) == ["iduit.epub"]


def test_epub_escapes_hostile_text(content_copy: Path, tmp_path: Path) -> None:
    chapter = content_copy / "chapters" / "03-services.yaml"
    hostile = 'Overdose <script>alert(1)</script> & "naloxone" ]]> &amp; <!-- x'
    text = chapter.read_text(encoding="utf-8").replace(
        "title: Overdose prevention and naloxone", "title: '" + hostile.replace("'", "''") + "'"
    )
    chapter.write_text(text, encoding="utf-8")
    book = zipfile.ZipFile(_export(tmp_path, "x.epub", "--all"))
    pages = _pages(book)  # still well-formed
    assert not [e for page in pages.values() for e in page.iter(f"{XHTML}script")]
    assert any(hostile in "".join(page.itertext()) for page in pages.values())
    nav = "".join(pages["EPUB/nav.xhtml"].itertext())
    assert f"3.12 {hostile}" in nav


def test_render_all_gives_a_single_file_format_one_file() -> None:
    content = load_content(FIXTURE_CONTENT)
    files = render_all(content, formats.get("epub"))
    assert list(files) == ["iduit.epub"]
    assert zipfile.is_zipfile(io.BytesIO(files["iduit.epub"]))  # type: ignore[arg-type]
    assert list(render_all(content, formats.get("markdown"))) == [
        "index.md",
        "chapter-0.md",
        "chapter-3.md",
        "tools.md",
        "glossary.md",
    ]


# -- ZIM ---------------------------------------------------------------------------


def _zim(tmp_path: Path, *args: str) -> Any:
    _needs("libzim")
    from libzim.reader import Archive

    return Archive(_export(tmp_path, "x.zim", *args))


def _entries(archive: Any) -> dict[str, Any]:
    return {e.path: e for e in (archive._get_entry_by_id(i) for i in range(archive.entry_count))}


def test_zim_of_everything_has_a_page_per_section_and_kiwix_metadata(zim_all: Any) -> None:
    archive = zim_all
    assert archive.check()
    assert archive.main_entry.get_item().path == "index"
    assert archive.has_fulltext_index and archive.has_title_index
    entries = _entries(archive)
    titles = {path: e.title for path, e in entries.items()}
    assert titles == {
        "index": "TESTKIT digest",
        "chapter-0": "Introduction",
        "0.1": "0.1 About this toolkit",
        "chapter-3": "Chapter 3: Health and support services",
        "3.2": "3.2 Needle and syringe programmes",
        "3.3": "3.3 Opioid substitution therapy",
        "3.12": "3.12 Overdose prevention and naloxone",
        "tools": "Job aids",
        "T1": "T1 Naloxone kit checklist",
        "glossary": "Glossary",
    }
    required = ["Name", "Title", "Creator", "Publisher", "Date", "Description", "Language", "Illustration_48x48@1"]
    assert set(required) <= set(archive.metadata_keys)
    assert archive.get_metadata("Date") == b"2023-11-14"
    assert len(archive.get_metadata("Title")) <= 30 and len(archive.get_metadata("Description").decode()) <= 80
    assert archive.get_illustration_item(48).content.tobytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = [f"{path}\t{title}" for path, title in sorted(titles.items())]
    for key in sorted(set(archive.metadata_keys) - {"Illustration_48x48@1"}):
        lines.append(f"{key}: {archive.get_metadata(key).decode().replace(__version__, '<version>')}")
    links = re.findall(r'href="([^"]+)"', bytes(entries["3.12"].get_item().content).decode("utf-8"))
    _golden("zim-all.txt", "\n".join([*lines, "links from 3.12: " + " ".join(links)]) + "\n")


def test_zim_search_finds_the_section_not_the_pages_that_repeat_it(zim_all: Any) -> None:
    archive = zim_all
    from libzim.search import Query, Searcher
    from libzim.suggestion import SuggestionSearcher

    found = list(Searcher(archive).search(Query().set_query("naloxone")).getResults(0, 20))
    assert found[0] == "3.12"
    assert not {"index", "chapter-3", "tools"} & set(found)  # contents and whole chapters stay out of full text
    assert "3.12" in list(SuggestionSearcher(archive).suggest("overdose").getResults(0, 10))


def test_zim_index_finds_a_section_by_a_synonym_of_its_title_and_never_by_the_citation(zim_all: Any) -> None:
    from libzim.search import Query, Searcher

    def search(text: str) -> list[str]:
        return list(Searcher(zim_all).search(Query().set_query(text)).getResults(0, 20))

    assert {"3.12", "T1"} <= set(search("narcan"))  # synonyms.yaml: naloxone, narcan
    assert search("OAT")[:1] == ["3.3"]  # an acronym for the title's words
    assert search("what is OAT")[:1] == ["3.3"]  # Kiwix wants every word: each page answers to "what" and "is"
    assert search("OAT accordingly")[:1] == ["3.3"]  # a word of libzim's stop list, on no page of the fixture
    assert search("suite") == []  # a word of the citation, on every page but not in the index


def test_zim_index_text_is_the_page_s_own_words_folded_as_kiwix_folds_a_query() -> None:
    _needs("libzim")
    from iduit.formats import zim
    from iduit.formats.zim_search import both_forms, fold

    assert fold("Заместительной ТЕРАПИИ, ещё Café") == "заместительнои терапии, еще cafe"
    assert both_forms("ещё заместительной, café") == "еще заместительнои, cafe\nещё заместительной café"
    content = load_content(FIXTURE_CONTENT)
    book = outline.book_document(content)
    pages = {page.path: page for page in zim.pages(book, outline.Linker())}
    assert {p for p, page in pages.items() if not page.indexed} == {"index", "chapter-0", "chapter-3", "tools"}
    section = pages["3.12"].index
    assert section is not None and section.title == "3.12 overdose prevention and naloxone"
    assert "narcan" in section.keywords.split() and "suite" not in section.content
    # libzim's own stop lists, which it never loads for "eng" or "rus": Kiwix no longer wants them on the page
    assert {"accordingly", "afterwards"} <= set(section.content.split())
    assert pages["T1"].index is not None and "checklist" in pages["T1"].index.keywords.split()


def test_zim_index_holds_the_spelling_slips_russian_readers_make() -> None:
    from iduit.formats.zim_search import misspellings

    assert {"програма", "праграмма", "прогромма"} <= set(misspellings("программа"))  # doubled, а/о
    assert {"сообшества", "сообщиства"} <= set(misspellings("сообщества"))  # ш for щ, и for е
    assert {"дискриминацыя", "безопастность", "менежмент", "абцесс", "тюрмы", "туберкулоз"} <= {
        slip
        for word in ("дискриминация", "безопасность", "менеджмент", "абсцесс", "тюрьмы", "туберкулёз")
        for slip in misspellings(word)
    }
    assert misspellings("доза") == () and misspellings("naloxone") == ()  # short words, Latin letters


def test_kiwix_s_snippet_parser_sees_only_the_summary_and_a_browser_sees_the_same_page() -> None:
    _needs("libzim")
    from iduit.formats import zim

    content = load_content(FIXTURE_CONTENT)
    book = outline.book_document(content)
    page = next(p for p in zim.pages(book, outline.Linker()) if p.path == "3.12").html
    seen = re.sub(r"<!--htdig_noindex-->.*?<!--/htdig_noindex-->", "", page.split("<body>", 1)[1], flags=re.S)
    section = content.section("3.12")
    assert section is not None
    assert html.unescape(re.sub(r"<[^>]+>", "", seen)).strip() == section.summary
    part = next(sub for chapter in book.parts for sub in chapter.parts if sub.name == "3.12")
    assert re.sub(r"<!--/?htdig_noindex-->", "", page) == zim._html(part, zim.ZimLinker(here=part.ids))
    glossary = next(p for p in zim.pages(book, outline.Linker()) if p.path == "glossary").html  # no summary
    seen = re.sub(r"<!--htdig_noindex-->.*?<!--/htdig_noindex-->", "", glossary.split("<body>", 1)[1], flags=re.S)
    assert content.glossary[0].definition in html.unescape(seen) and "Original publication" not in seen


def test_every_link_inside_the_zim_reaches_an_entry(zim_all: Any) -> None:
    archive = zim_all
    entries = _entries(archive)
    checked = 0
    for path, entry in entries.items():
        page = bytes(entry.get_item().content).decode("utf-8")
        assert "Content-Security-Policy" not in page  # the reader serves the pages and may add its scripts
        ids = set(re.findall(r'id="([^"]+)"', page))
        for href in re.findall(r'href="([^"]+)"', page):
            if href.startswith(("http://", "https://")):
                continue
            target, _, fragment = href.partition("#")
            assert not target or target in entries, (path, href)
            if fragment:
                target_page = bytes(entries[target].get_item().content).decode() if target else page
                assert f'id="{fragment}"' in target_page if target else fragment in ids, (path, href)
            checked += 1
    assert checked > 20


def test_zim_of_one_section_is_one_page(tmp_path: Path) -> None:
    archive = _zim(tmp_path, "3.12", "--format", "zim")
    assert archive.check()
    assert list(_entries(archive)) == ["index"]
    assert archive.main_entry.get_item().title == "3.12 Overdose prevention and naloxone"
    assert archive.get_metadata("Title") == b"3.12 Overdose prevention and\xe2\x80\xa6"


def test_zim_of_one_chapter_is_one_page_kiwix_finds_by_its_sections_other_names(tmp_path: Path) -> None:
    archive = _zim(tmp_path, "chapter", "3", "--format", "zim")
    from libzim.search import Query, Searcher

    assert list(_entries(archive)) == ["index"]
    assert list(Searcher(archive).search(Query().set_query("narcan")).getResults(0, 5)) == ["index"]
    assert list(Searcher(archive).search(Query().set_query("suite")).getResults(0, 5)) == []  # the citation


def test_zim_illustration_is_a_valid_48_pixel_png() -> None:
    _needs("libzim")
    from iduit.formats.zim import illustration

    png = illustration(48)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = []
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + data)
        chunks.append((kind, data))
        at += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBB", chunks[0][1][:10]) == (48, 48, 8, 6)  # 48 x 48, 8-bit RGBA
    assert len(zlib.decompress(chunks[1][1])) == 48 * (1 + 48 * 4)


def test_libzim_progress_lines_stay_off_standard_output(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    _needs("libzim")
    content = load_content(FIXTURE_CONTENT)
    formats.get("zim").render(outline.book_document(content), outline.Linker())
    assert capfd.readouterr().out == ""


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_search_on_a_fresh_store_reads_no_yaml_and_renders_no_markdown(lang: str) -> None:
    """The start-up rule: search loads the index and search.json, never the YAML, the model, Markdown or outputs."""
    import subprocess

    assert_clean_exit(run("--lang", lang, "index"), 0)  # the store, built once
    code = (
        f"import sys; from iduit.cli import main; sys.argv=['iduit','--lang','{lang}','search','naloxone','--plain']\n"
        "try: main()\nexcept SystemExit: pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'markdown_it', 'jinja2', 'libzim')"
        " or m.startswith(('iduit.content.loader', 'iduit.content.model', 'iduit.outline', 'iduit.programme',"
        " 'iduit.formats.html'))]\n"
        "print('LOADED', bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout[-500:]
