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
from tests.conftest import PACKAGED_CONTENT, assert_clean_exit, run

LINK = re.compile(r"\]\(([^)\s]*)\)")


def github_ids(markdown: str) -> set[str]:
    """The places a link can reach on GitHub: the ids it gives headings (repeats get -1, -2 ...) and the
    <a name> anchors it keeps (it strips id attributes)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    seen: dict[str, int] = {}
    ids: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            base = slug(tokens[i + 1].content)
            count = seen.get(base, 0)
            seen[base] = count + 1
            ids.add(base if count == 0 else f"{base}-{count}")
        if token.type == "inline":
            html = "".join(child.content for child in token.children or [] if child.type == "html_inline")
            ids |= set(re.findall(r'<a name="([^"]+)"></a>', html))
    return ids


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    out = tmp_path / "md"
    assert_clean_exit(run("export", "--all", "-o", str(out)), 0)
    assert_clean_exit(run("export", "3.12", "-o", str(out / "single.md")), 0)
    return out


@pytest.fixture
def packaged_content(packaged_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))


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
    assert "Overdose prevention and naloxone" in headings  # the heading is its title alone
    assert "[3.12 Overdose prevention and naloxone](#section-3-12)" in chapter
    assert '<a name="section-3-12"></a><span id="section-3-12"></span>\n\n## Overdose prevention' in chapter


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


def test_links_use_short_stable_anchors_whatever_the_title(exported: Path) -> None:
    """Word cuts bookmarks at 40 characters: no link may need a longer one, and none follows a title."""
    fragments = {fragment for page in exported.glob("*.md") for _, fragment in _links(page) if fragment}
    assert "section-3-3" in fragments and "tool-t1" in fragments
    assert all(re.fullmatch(r"(section|tool)-[a-z0-9-]+", f) and len(f) <= 40 for f in fragments), fragments


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pandoc_word_document_has_bookmarks_for_the_links(lang: str, packaged_content: None, tmp_path: Path) -> None:
    """The packaged digest, whose long section titles (in Russian longer still) made bookmarks Word cannot hold."""
    out, docx = tmp_path, tmp_path / "out.docx"
    assert_clean_exit(run("--lang", lang, "export", "chapter", "3", "-o", str(out / "chapter-3.md")), 0)
    subprocess.run(["pandoc", "-o", str(docx), str(out / "chapter-3.md")], check=True)  # .md: pandoc's own reader
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    bookmarks = set(re.findall(r'w:bookmarkStart[^>]*w:name="([^"]+)"', document))
    anchors = set(re.findall(r'w:hyperlink[^>]*w:anchor="([^"]+)"', document))
    assert anchors and anchors <= bookmarks, anchors - bookmarks
    assert all(len(name) <= 40 for name in anchors), anchors
    # Sub-headings are real headings in Word too, never bold text.
    assert 'w:val="Heading' in document
