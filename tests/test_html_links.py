"""Every internal reference in every HTML export is a working link."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import assert_clean_exit, run


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.viewport = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "meta" and found.get("name") == "viewport":
            self.viewport = True


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_link_in_every_html_export_resolves(tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert_clean_exit(run("export", "--all", "-o", str(out), "--format", "html"), 0)
    for args in (["3.12"], ["chapter", "3"], ["T1"], ["glossary"], ["3.2", "3.12"]):
        assert_clean_exit(run("export", *args, "-o", str(out / f"single-{'-'.join(args)}.html")), 0)
    pages = {path.name: _parse(path) for path in out.glob("*.html")}
    checked = 0
    for name, page in pages.items():
        assert page.viewport, name
        for href in page.hrefs:
            if href.startswith(("http://", "https://")):
                continue
            target, _, fragment = href.partition("#")
            other = pages[target] if target else page
            assert not fragment or fragment in other.ids, (name, href)
            checked += 1
        if not name.startswith(("index", "single")):
            assert "index.html" in page.hrefs, name  # every page of a full export links home
    assert checked > 20
