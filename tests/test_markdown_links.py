"""Links in Markdown exports resolve wherever people open them: GitHub-style renderers, markdown-it, pandoc."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from iduit.formats.markdown import slug
from tests.conftest import assert_clean_exit, run

LINK = re.compile(r"\]\(([^)\s]*)\)")


def github_ids(markdown: str) -> set[str]:
    """The ids GitHub gives the headings of a document (repeats get -1, -2 ...)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            base = slug(tokens[i + 1].content)
            count = seen.get(base, 0)
            seen[base] = count + 1
            ids.add(base if count == 0 else f"{base}-{count}")
    return ids


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    out = tmp_path / "md"
    assert_clean_exit(run("export", "--all", "-o", str(out)), 0)
    assert_clean_exit(run("export", "3.12", "-o", str(out / "single.md")), 0)
    return out


def _links(path: Path) -> list[tuple[Path, str]]:
    targets = []
    for href in LINK.findall(path.read_text(encoding="utf-8")):
        if href.startswith(("http://", "https://")):
            continue
        where, _, fragment = href.partition("#")
        targets.append((path.parent / where if where else path, fragment))
    return targets


def test_every_internal_link_resolves_to_a_heading(exported: Path) -> None:
    checked = 0
    for page in sorted(exported.glob("*.md")):
        for target, fragment in _links(page):
            assert target.is_file(), (page.name, target)
            if fragment:
                assert fragment in github_ids(target.read_text(encoding="utf-8")), (page.name, target.name, fragment)
            checked += 1
    assert checked > 10


def test_markdown_it_sees_the_same_headings_the_links_name(exported: Path) -> None:
    chapter = (exported / "chapter-3.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(chapter)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Overdose prevention and naloxone" in headings
    assert "[3.12 Overdose prevention and naloxone](#overdose-prevention-and-naloxone)" in chapter


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["markdown", "gfm"])
def test_pandoc_html_has_every_linked_id(reader: str, exported: Path) -> None:
    for page in sorted(exported.glob("*.md")):
        html = subprocess.run(
            ["pandoc", "-f", reader, "-t", "html", str(page)], capture_output=True, text=True, check=True
        ).stdout
        ids = set(re.findall(r'id="([^"]+)"', html))
        for target, fragment in _links(page):
            if fragment and target == page:
                assert fragment in ids, (reader, page.name, fragment)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_word_document_has_bookmarks_for_the_links(exported: Path, tmp_path: Path) -> None:
    docx = tmp_path / "chapter-3.docx"
    subprocess.run(["pandoc", "-f", "markdown", "-o", str(docx), str(exported / "chapter-3.md")], check=True)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    bookmarks = set(re.findall(r'w:bookmarkStart[^>]*w:name="([^"]+)"', document))
    anchors = set(re.findall(r'w:hyperlink[^>]*w:anchor="([^"]+)"', document))
    assert anchors and anchors <= bookmarks
    # Sub-headings are real headings in Word too, never bold text.
    assert "Key points" in document and 'w:val="Heading' in document
