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
"""

# WeasyPrint reports CSS it does not support as warnings; a library prints nothing.
logging.getLogger("weasyprint").addHandler(logging.NullHandler())
logging.getLogger("weasyprint").propagate = False
logging.getLogger("fontTools").addHandler(logging.NullHandler())


def render(document: Document, linker: Linker) -> bytes:
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
