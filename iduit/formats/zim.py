"""ZIM, the file Kiwix reads offline, written with the openZIM project's own bindings (libzim).

The whole toolkit (``export --all``) becomes a contents page (the main page),
a page per chapter, a page per section, a page per job aid and the glossary,
each with its title for Kiwix's title suggestions. The full-text index holds
the sections, job aids and glossary, so a search lists the section itself
rather than the chapter or contents page that also mention it; what it holds
for each page, and the snippet Kiwix shows, are decided in ``zim_search``. The
pages are the HTML format's own pages. A smaller export (``export 3.12 --format zim``)
is one page. libzim is the optional ``zim`` extra: importing this module
without it raises ImportError, which the format registry turns into a message
naming the extra.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import sys
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from libzim.writer import (
    Creator,
    Hint,
    IndexData,
    Item,
    StringProvider,
)

from iduit import __version__
from iduit.errors import ExportError
from iduit.formats import html as html_format
from iduit.formats import zim_search as search
from iduit.formats.zim_search import IndexText
from iduit.language.messages import tr
from iduit.outline import Document, Footer, Linker, anchor

# ISO 639-3, as ZIM metadata and the full-text index want it, by the document's language.
LANGUAGES = {"en": "eng", "ru": "rus"}


def language(document: Document) -> str:
    return LANGUAGES.get(document.lang, "eng")


CREATOR = "iduit developers"  # who wrote the digest (the original's publishers are in the citation)
PUBLISHER = "iduit"
MAIN = "index"
TITLE_MAX = 30  # Kiwix's limits for the Title and Description metadata
DESCRIPTION_MAX = 80


@dataclass(frozen=True)
class ZimLinker(Linker):
    """Links between the pages of a ZIM: every section, job aid and the glossary is an entry of its own."""

    def href(self, item_id: str) -> str | None:
        if item_id in self.here:
            return "#" + anchor(item_id)
        return item_id  # the entry's path: "3.12", "T1", "glossary"

    def home(self) -> str | None:
        return MAIN


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    html: str
    # In the full-text index: the contents, chapter and job-aids pages are not, as they only repeat
    # their sections' text (Kiwix still suggests them by title), so a search lists the sections.
    indexed: bool
    index: IndexText | None = None  # what the index holds; None: libzim reads the page's HTML itself


class _Index(IndexData):  # type: ignore[misc]
    def __init__(self, index: IndexText | None) -> None:
        super().__init__()
        self.index = index

    def has_indexdata(self) -> bool:
        return self.index is not None

    def get_title(self) -> str:
        return self.index.title if self.index else ""

    def get_content(self) -> str:
        return self.index.content if self.index else ""

    def get_keywords(self) -> str:
        return self.index.keywords if self.index else ""

    def get_wordcount(self) -> int:
        return self.index.words if self.index else 0

    def get_geoposition(self) -> tuple[float, float] | None:
        return None


class _Entry(Item):  # type: ignore[misc]
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        if not page.indexed or page.index is not None:
            # Without this attribute libzim indexes the page's HTML itself; with it, what it returns.
            self.get_indexdata = lambda: _Index(page.index if page.indexed else None)

    def get_path(self) -> str:
        return self.page.path

    def get_title(self) -> str:
        return self.page.title

    def get_mimetype(self) -> str:
        return "text/html"

    def get_contentprovider(self) -> StringProvider:
        return StringProvider(self.page.html)

    def get_hints(self) -> dict[Hint, int]:
        return {Hint.FRONT_ARTICLE: True}


def _html(document: Document, linker: Linker) -> str:
    page = html_format.render(document, linker)
    # The Content-Security-Policy protects pages opened from a folder; inside a ZIM the reader
    # serves every page and may add its own scripts, which that policy would block.
    return page.replace(f'<meta http-equiv="Content-Security-Policy" content="{html_format.CSP}">\n', "")


def pages(document: Document, linker: Linker) -> list[Page]:
    """Every entry: for the whole toolkit, its parts and their sections or job aids; else the one document."""
    book = search.Book(document)  # what every page's index text reads of the whole, worked out once
    if not document.parts:
        return [_page(MAIN, document.title, document, book, linker, True)]
    found: list[Page] = []
    for part in document.parts:
        path = MAIN if part.name == "index" else part.name
        title = document.title if path == MAIN else part.title
        indexed = not part.parts and path != MAIN
        found.append(_page(path, title, part, book, ZimLinker(here=part.ids), indexed))
        for sub in part.parts:
            found.append(_page(sub.name, sub.title, sub, book, ZimLinker(here=sub.ids), True))
    return found


def _page(path: str, title: str, part: Document, book: search.Book, linker: Linker, indexed: bool) -> Page:
    html = _html(part, linker)
    if not indexed:
        return Page(path, title, html, False)
    return Page(path, title, search.snippet_html(html), True, search.index_text(part, book))


def illustration(size: int = 48) -> bytes:
    """The square icon Kiwix shows in its library: a page of text on a rounded teal tile, as PNG."""
    teal, white, clear = b"\x0b\x6e\x75\xff", b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"
    radius = size // 6

    def pixel(x: int, y: int) -> bytes:
        cx = min(max(x, radius), size - 1 - radius)
        cy = min(max(y, radius), size - 1 - radius)
        if (x - cx) ** 2 + (y - cy) ** 2 > radius**2:
            return clear  # outside the rounded corners
        left, right, top, bottom = size * 7 // 24, size * 17 // 24, size * 5 // 24, size * 19 // 24
        if not (left <= x < right and top <= y < bottom):
            return teal
        line = (y - top - 3) % 6 < 2 and y < bottom - 3 and left + 3 <= x < right - 3
        return teal if line else white

    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _footer(document: Document) -> Footer | None:
    blocks = [b for p in (document, *document.parts) for b in p.blocks]
    return next((b for b in blocks if isinstance(b, Footer)), None)


def _date() -> str:
    from iduit.clock import today

    return today()


def metadata(document: Document) -> dict[str, str]:
    """The metadata Kiwix requires (and a few it shows), from the document and its digest footer."""
    footer = _footer(document)
    note = footer.note if footer else document.title
    first_sentence = note.split(". ", 1)[0].rstrip(".") + "."
    slug = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-")[:40] or "export"
    data = {
        "Name": f"iduit_{document.lang}_all" if document.parts else f"iduit_{document.lang}_{slug}",
        "Title": _shorten(document.title, TITLE_MAX),
        "Creator": CREATOR,
        "Publisher": PUBLISHER,
        "Date": _date(),
        "Description": _shorten(first_sentence, DESCRIPTION_MAX),
        "Language": language(document),
        "Scraper": f"iduit {__version__}",
        "Tags": "_category:other;_pictures:no;_videos:no;_details:yes;health;harm reduction",
    }
    if footer is not None:
        data["LongDescription"] = f"{footer.note}\n\n{tr('Original publication:')} {footer.citation}"
    return data


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Keep libzim's progress lines (printed on file descriptor 1 whatever its verbosity) out of our output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 1)
            try:
                yield
            finally:
                os.dup2(saved, 1)
    finally:
        os.close(saved)


def render(document: Document, linker: Linker) -> bytes:
    entries = pages(document, linker)
    with tempfile.TemporaryDirectory(prefix="iduit-zim-") as folder:
        path = Path(folder) / "export.zim"
        try:
            with _quiet_stdout():
                creator = Creator(path).config_indexing(True, language(document)).config_verbose(False)
                creator.set_mainpath(MAIN)
                with creator:
                    creator.add_illustration(48, illustration(48))
                    for name, value in metadata(document).items():
                        creator.add_metadata(name, value)
                    for page in entries:
                        creator.add_item(_Entry(page))
            return path.read_bytes()
        except (RuntimeError, OSError) as exc:
            raise ExportError(f"cannot make the ZIM file: {exc}") from exc
