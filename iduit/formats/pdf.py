"""PDF handouts: the HTML format's own page and print styles, laid out on A4 by WeasyPrint.

WeasyPrint is the optional ``pdf`` extra: importing this module without it
raises ImportError, which the format registry turns into a message naming
the extra. WeasyPrint draws text with the Pango libraries of the system;
when they are missing the message says which to install.
"""

from __future__ import annotations

import logging

from iduit.errors import UsageError
from iduit.formats import html
from iduit.outline import Document, Linker

try:
    import weasyprint
except OSError as exc:  # the Python package is there, the system libraries it loads are not
    raise UsageError(
        "the pdf format needs the Pango text libraries that WeasyPrint uses "
        "(on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core); "
        f"{' '.join(str(exc).split())[:200]}"
    ) from exc

PAPER = "A4"  # a module constant: change it to "letter" for US Letter
PAGE_CSS = f"""
@page {{ size: {PAPER}; margin: 18mm 16mm 20mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font: 8pt "DejaVu Sans", sans-serif; color: #555 }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt }}
ul.actions input {{ display: inline-block; box-sizing: border-box }}
@page landscape {{ size: {PAPER} landscape; margin: 14mm 14mm 16mm }}
"""

# WeasyPrint reports CSS it does not support as warnings; a library prints nothing.
logging.getLogger("weasyprint").addHandler(logging.NullHandler())
logging.getLogger("weasyprint").propagate = False
logging.getLogger("fontTools").addHandler(logging.NullHandler())


# WeasyPrint's layout grows much faster than the text with very long tables, thousands of
# headings and deeply nested lists (a 40,000-row table ran for minutes in gigabytes). A
# printed handout is far inside these bounds (the whole packaged digest: a few hundred rows
# and headings, lists two deep); beyond them the PDF is refused, naming where and what.
MAX_ROWS = 5000  # table rows, list items and answer rows in one PDF
MAX_HEADINGS = 2000
MAX_LIST_DEPTH = 6


def check_bounds(document: Document) -> None:
    """Refuse, before any layout, a document the PDF could not lay out in bounded time and memory."""
    from iduit.content.bodies import parser
    from iduit.language.messages import tr
    from iduit.outline.blocks import AnswerForm, Body, Boxes, FillTable, Form, Heading, Items, Table

    rows = headings = 0
    where = document.title
    too_many = tr("{where}: a PDF holds at most {limit} {what}; export fewer sections, or use HTML or EPUB")
    for block in (b for part in (document, *document.parts) for b in part.blocks):
        if isinstance(block, Heading):
            headings += 1
            where = block.item_id or block.text
        elif isinstance(block, Table | AnswerForm):
            rows += len(block.rows)
        elif isinstance(block, Items):
            rows += len(block.items)
        elif isinstance(block, Form):
            for part in block.parts:
                rows += (
                    len(part.rows) if isinstance(part, FillTable) else len(part.items) if isinstance(part, Boxes) else 1
                )
        elif isinstance(block, Body):
            depth = 0
            for token in parser().parse(block.markdown):
                if token.type in ("bullet_list_open", "ordered_list_open"):
                    depth += 1
                    if depth > MAX_LIST_DEPTH:
                        raise UsageError(
                            tr(
                                "{where}: a PDF takes lists nested at most {limit} deep; export it as HTML or EPUB"
                            ).format(where=where, limit=MAX_LIST_DEPTH)
                        )
                elif token.type in ("bullet_list_close", "ordered_list_close"):
                    depth -= 1
                elif token.type in ("tr_open", "list_item_open"):
                    rows += 1
                elif token.type == "heading_open":
                    headings += 1
        if rows > MAX_ROWS:
            raise UsageError(too_many.format(where=where, limit=f"{MAX_ROWS:,}", what=tr("rows and list items")))
        if headings > MAX_HEADINGS:
            raise UsageError(too_many.format(where=where, limit=f"{MAX_HEADINGS:,}", what=tr("headings")))


def render(document: Document, linker: Linker) -> bytes:
    check_bounds(document)
    # A PDF links only inside itself: WeasyPrint would turn a link to another file of a multi-file
    # export into an absolute file:// address on the machine that made it. References to other
    # files stay as text (the section id and title).
    page = html.render(document, Linker(here=linker.here))
    result = weasyprint.HTML(string=page, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[weasyprint.CSS(string=PAGE_CSS)]
    )
    return bytes(result)


def _fetcher() -> object:
    """WeasyPrint would fetch images and styles from anywhere a page names: a PDF is made from iduit's own page
    alone, with no network and no files, so a shared content folder cannot learn who printed what, or probe a
    network. Only data: addresses (made by iduit itself) are read."""
    from weasyprint import urls

    fetcher_class = getattr(urls, "URLFetcher", None)
    if isinstance(fetcher_class, type):  # WeasyPrint 66 and later
        return fetcher_class(allowed_protocols=("data",), timeout=5, allow_redirects=False)
    return _data_only  # earlier versions take a function


def _data_only(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    if url.lower().startswith("data:"):
        return dict(weasyprint.default_url_fetcher(url, *args, **kwargs))
    raise ValueError(f"iduit makes PDFs without fetching anything ({url[:60]})")
