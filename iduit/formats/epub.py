"""EPUB 3 from the outline, written with the standard library.

An EPUB is a zip of a few small XML files: ``mimetype`` (first, stored
uncompressed), ``META-INF/container.xml`` pointing at the package document,
the package document (metadata, manifest, spine), a navigation document and
one XHTML page per part. The pages are the HTML format's own pages (one
rendering of the content for every format), re-serialised as well-formed
XHTML; the whole toolkit (``export --all``) is one book: a contents and
citation page, one page per chapter, the job aids and the glossary.
"""

from __future__ import annotations

import html
import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser

from iduit.content.model import Chapter
from iduit.formats import html as html_format
from iduit.language.messages import tr
from iduit.outline import Document, Footer, Heading, Linker, anchor

CREATOR = "iduit developers"  # who wrote the digest (the original's publishers are in the citation)
PAGE_EXTENSION = "xhtml"

CSS = """
body{font-family:serif;line-height:1.45;margin:0 .5em}
h1,h2,h3,h4{font-family:sans-serif;line-height:1.25;page-break-after:avoid}
.summary{font-style:italic} .caption{color:#555;font-size:.95em}
table{border-collapse:collapse} td,th{border:1px solid #888;padding:.2em .4em;vertical-align:top}
ul.actions{list-style:none;padding-left:0} .box{font-family:sans-serif;margin-right:.3em}
.example,.update{border:1px solid #888;border-radius:4px;padding:0 .8em;margin:1em 0}
footer{margin-top:2em;font-size:.9em;color:#555;border-top:1px solid #888}
.form .blank{display:block;height:2em;border-bottom:1px solid #888} .form p.field .blank{height:1.6em}
.form .key{font-weight:bold;margin-right:.3em} ul.boxes{list-style:none;padding-left:0}
ul.boxes li{padding-left:1.4em;text-indent:-1.4em}
.tick{display:inline-block;width:.9em;height:.9em;border:1px solid #000;margin-right:.5em;vertical-align:-.1em}
table.fill{width:100%} table.fill td{height:2em} table.fill th{font-size:.85em}
"""

# Elements that never have content: written as <br/> in XHTML.
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _Xhtml(HTMLParser):
    """Re-serialises the <body> of an HTML page as well-formed XHTML.

    Void elements are closed, every other element is closed in order, text and
    attributes are escaped for XML. Checkboxes become a printed box: readers
    cannot tick a form in a book.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.in_body = False
        self.skipping = 0  # depth inside the "Contents" link bar: a reader has its own contents

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
            return
        if not self.in_body:
            return
        if self.skipping or (tag == "nav" and ("class", "home") in attrs):
            self.skipping += tag not in _VOID
            return
        if tag == "input":
            self.out.append('<span class="box">☐</span>')
            return
        if tag == "label":  # it labelled the checkbox: nothing left to label
            return
        text = "".join(f' {name}="{html.escape(value or name, quote=True)}"' for name, value in attrs)
        if tag in _VOID:
            self.out.append(f"<{tag}{text}/>")
        else:
            self.out.append(f"<{tag}{text}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.close_all()
            self.in_body = False
            return
        if self.skipping:
            self.skipping -= 1
            return
        if not self.in_body or tag not in self.open:
            return
        while self.open:
            last = self.open.pop()
            self.out.append(f"</{last}>")
            if last == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_body and not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def close_all(self) -> None:
        while self.open:
            self.out.append(f"</{self.open.pop()}>")


def xhtml_body(page: str) -> str:
    """The body of an HTML page as well-formed XHTML (the inside of <body>)."""
    parser = _Xhtml()
    parser.feed(page)
    parser.close()
    parser.close_all()
    return "".join(parser.out).strip()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str, lang: str) -> str:
    """An XHTML content document; the epub: namespace only where it is used (the navigation document)."""
    namespace = ' xmlns:epub="http://www.idpf.org/2007/ops"' if "epub:type=" in body else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{namespace} xml:lang="{lang}" lang="{lang}">\n'
        f'<head>\n<title>{_e(title)}</title>\n<link rel="stylesheet" type="text/css" href="style.css"/>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


@dataclass(frozen=True)
class _Part:
    file: str
    document: Document
    linker: Linker


def _parts(document: Document, linker: Linker) -> list[_Part]:
    """The pages of the book: the parts of a whole-toolkit document, or the one document asked for."""
    if document.parts:
        return [
            _Part(f"{p.name}.{PAGE_EXTENSION}", p, Linker(here=p.ids, extension=PAGE_EXTENSION)) for p in document.parts
        ]
    return [_Part(f"{document.name or 'content'}.{PAGE_EXTENSION}", document, linker)]


def _nav_title(part: _Part, first: bool) -> str:
    if first and part.document.name == "index":
        return tr("About this digest")
    return part.document.title


def nav(title: str, parts: list[_Part], lang: str = "en") -> str:
    """The navigation document: every page, and under it every section or job aid it holds; landmarks."""
    entries: list[str] = []
    for i, part in enumerate(parts):
        inner = [
            f'<li><a href="{_e(part.file)}#{_e(anchor(b.item_id))}">{_e(f"{b.item_id} {b.text}")}</a></li>'
            for b in part.document.blocks
            if isinstance(b, Heading) and b.item_id
        ]
        items = part.document.items
        if len(parts) == 1 and len(items) == 1 and not isinstance(items[0], Chapter):
            inner = []  # a book of one section or job aid: its own entry is enough
        sub = f"\n<ol>{''.join(inner)}</ol>" if inner else ""
        entries.append(f'<li><a href="{_e(part.file)}">{_e(_nav_title(part, i == 0))}</a>{sub}</li>')
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc">\n<h1>{_e(title)}</h1>\n<ol>\n'
        + "\n".join(entries)
        + "\n</ol>\n</nav>\n"
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<ol>\n'
        f'<li><a epub:type="bodymatter" href="{_e(parts[0].file)}">{_e(_nav_title(parts[0], True))}</a></li>\n'
        "</ol>\n</nav>"
    )
    return page(title, body, lang)


def _modified() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set: the same content then gives the same file, byte for byte."""
    from iduit.clock import now

    return max(now(), datetime.fromtimestamp(315532800, tz=timezone.utc))  # zip dates start in 1980


def _footer(document: Document) -> Footer | None:
    blocks = [b for p in (document, *document.parts) for b in p.blocks]
    return next((b for b in blocks if isinstance(b, Footer)), None)


def package(title: str, parts: list[_Part], footer: Footer | None, modified: datetime, lang: str = "en") -> str:
    """The package document: what the book is (metadata), what it holds (manifest), in what order (spine)."""
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iduit:epub:" + title)
    metadata = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{_e(title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f"<dc:creator>{_e(CREATOR)}</dc:creator>",
    ]
    if footer is not None:
        metadata += [
            f"<dc:description>{_e(footer.note)}</dc:description>",
            f"<dc:source>{_e(footer.citation)}</dc:source>",
        ]
    metadata.append(f'<meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>')
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    manifest += [
        f'<item id="page{i}" href="{_e(p.file)}" media-type="application/xhtml+xml"/>' for i, p in enumerate(parts)
    ]
    spine = [f'<itemref idref="page{i}"/>' for i in range(len(parts))]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{lang}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(metadata) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(manifest) + "\n</manifest>\n"
        "<spine>\n" + "\n".join(spine) + "\n</spine>\n</package>\n"
    )


CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)


def book_title(document: Document) -> str:
    """The whole toolkit is the digest itself; anything smaller says whose digest it comes from."""
    return document.title if document.parts else f"{document.title} — {document.brand}"


def render(document: Document, linker: Linker) -> bytes:
    title = book_title(document)
    parts = _parts(document, linker)
    modified = _modified()
    files: list[tuple[str, str]] = [
        ("META-INF/container.xml", CONTAINER),
        ("EPUB/package.opf", package(title, parts, _footer(document), modified, document.lang)),
        ("EPUB/nav.xhtml", nav(title, parts, document.lang)),
        ("EPUB/style.css", CSS.lstrip()),
    ]
    for part in parts:
        body = xhtml_body(html_format.render(part.document, part.linker))
        files.append((f"EPUB/{part.file}", page(part.document.title, body, document.lang)))
    stamp = modified.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype file comes first, uncompressed and without extra fields: readers sniff it at offset 38.
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in files:
            info = zipfile.ZipInfo(name, stamp)
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()
