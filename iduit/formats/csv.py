"""CSV for spreadsheets: a document's rows (a checklist, an assessment's answers), one line each.

Cells that a spreadsheet would run as a formula are kept as text
(``spreadsheet_cell``); reading them back removes exactly what was added.
"""

from __future__ import annotations

import csv
import io

from iduit.content.text import spreadsheet_cell
from iduit.outline.blocks import Document, Linker


def render(document: Document, linker: Linker) -> str:
    if document.rows is None:  # the registry offers CSV only for documents with rows
        raise ValueError("this document has no rows for CSV")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(document.rows.columns)
    for row in document.rows.rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return out.getvalue()
