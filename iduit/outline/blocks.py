"""The blocks every output is made of, and the document that holds them.

A document is a title and blocks in reading order. Builders decide what a
document contains (``iduit.outline.content`` for the digest,
``iduit.outline.programme`` for checklists, reports and coverage); formats
only walk the blocks and style them. Every format handles every block type:
each dispatches with ``match`` and ``unhandled`` as the last case, so mypy names a format
that forgot one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NoReturn

from iduit.content.model import Item, Source, Term


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    item_id: str = ""  # shown before the text when set ("3.12  Overdose ...")
    anchor: str = ""


@dataclass(frozen=True)
class Caption:
    """A small line that places what follows: the chapter a section belongs to."""

    text: str


@dataclass(frozen=True)
class Summary:
    text: str


@dataclass(frozen=True)
class Body:
    """Markdown, its headings already below the heading it sits under."""

    markdown: str


@dataclass(frozen=True)
class Subheading:
    level: int
    text: str


@dataclass(frozen=True)
class Items:
    """A list of one-line texts: key points (bullets) or actions (checkboxes).

    ``ids`` are the actions' ids (``3.2-a1``), one per item, when they are programme actions that a
    checklist counts; empty otherwise (key points, or a section's reading tips).
    """

    items: tuple[str, ...]
    style: Literal["bullets", "checkboxes"] = "bullets"
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExampleBlock:
    title: str
    place: str
    when: str
    text: str
    source: Source | None


@dataclass(frozen=True)
class UpdateBlock:
    date: str
    text: str
    source: Source | None


@dataclass(frozen=True)
class Link:
    """A reference to a section or job aid by id; renderers decide whether it can be a link."""

    id: str
    title: str


@dataclass(frozen=True)
class Links:
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SourceList:
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Definition:
    term: str
    expansion: str
    definition: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Footer:
    note: str
    citation: str


@dataclass(frozen=True)
class Paragraph:
    """A plain paragraph of the document's own words (a report's explanations)."""

    text: str


@dataclass(frozen=True)
class Notice:
    """Something the reader must not miss: an implausible figure, content that changed under an assessment."""

    label: str
    text: str


@dataclass(frozen=True)
class Table:
    """Rows of cells under column headings: scores, coverage figures, sites side by side.

    ``numeric`` marks the columns to align right; ``strong`` rows are totals or chapter rows.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    strong: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a label, a value (None: nothing to show) and the text printed after it."""

    label: str
    value: float | None
    shown: str


@dataclass(frozen=True)
class Zone:
    """A shaded stretch of a chart's scale (a benchmark band), with its name."""

    start: float
    end: float
    name: str


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars on one scale from 0 to ``maximum``, with bands behind them and marked values."""

    title: str
    bars: tuple[Bar, ...]
    maximum: float
    zones: tuple[Zone, ...] = ()
    marks: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class AnswerForm:
    """Actions to answer, on screen or on paper: one box per answer and room for a note."""

    answers: tuple[str, ...]  # the column headings: Done, Partly, Not yet, N/A
    rows: tuple[tuple[str, str], ...]  # (action id, action text)


@dataclass(frozen=True)
class Field:
    """A label and room to write by hand: one line beside the label, or ``lines`` ruled lines under it."""

    label: str
    lines: int = 1
    key: str = ""  # a line's letter or number, shown before the label (A, B, C in a worksheet)
    hint: str = ""  # words after the blank: "(one sheet per item and size)"

    @property
    def caption(self) -> str:
        """The label as printed before a blank: with a colon, unless it already ends in punctuation."""
        return self.label if self.label[-1:] in ":?!.…" else self.label + ":"


@dataclass(frozen=True)
class Boxes:
    """Things to tick on paper, each with an empty box."""

    items: tuple[str, ...]


# A table with this many columns does not fit across a portrait page: it is printed on a landscape page.
WIDE_COLUMNS = 6


@dataclass(frozen=True)
class FillTable:
    """A table to fill in by hand: an empty cell is room to write, every row is of writing height."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def wide(self) -> bool:
        return len(self.columns) >= WIDE_COLUMNS


FormPart = Field | Boxes | FillTable


@dataclass(frozen=True)
class Form:
    """A job aid's part that works as a paper form: fields to write in, boxes to tick, tables to fill in."""

    parts: tuple[FormPart, ...]

    @property
    def wide(self) -> bool:
        """Whether it holds a table that needs a landscape page."""
        return any(isinstance(p, FillTable) and p.wide for p in self.parts)

    def to_dict(self) -> list[dict[str, Any]]:
        """The form's parts as the JSON format writes them, for a program that prints or fills in the form."""
        out: list[dict[str, Any]] = []
        for part in self.parts:
            if isinstance(part, Field):
                out.append({"field": part.label, "lines": part.lines, "key": part.key, "hint": part.hint})
            elif isinstance(part, Boxes):
                out.append({"boxes": list(part.items)})
            else:
                out.append({"columns": list(part.columns), "rows": [list(r) for r in part.rows], "wide": part.wide})
        return out


def unhandled(block: NoReturn) -> NoReturn:
    """The last case of every format's ``match`` over blocks: mypy reports a block type that reaches it."""
    raise AssertionError(f"no rendering for {type(block).__name__}")


Block = (
    Heading
    | Caption
    | Summary
    | Body
    | Subheading
    | Items
    | ExampleBlock
    | UpdateBlock
    | Links
    | SourceList
    | Definition
    | Footer
    | Paragraph
    | Notice
    | Table
    | BarChart
    | AnswerForm
    | Form
)

SINCE_2017 = "Since 2017"
SINCE_2017_NOTE = "Changes after the 2017 guidance, kept apart from the digest's own text."


@dataclass(frozen=True)
class Document:
    """What one output contains: a title, the blocks in order, and the model items (for JSON)."""

    title: str
    blocks: tuple[Block, ...]
    items: tuple[Item, ...] = ()
    # Ids of everything in this document: a renderer can link to them inside it.
    ids: frozenset[str] = frozenset()
    data: Any = None  # what the JSON format writes
    brand: str = "IDUIT digest"  # what the content calls itself, for page titles
    lang: str = "en"  # the language of the document's text (HTML lang, EPUB dc:language, ZIM Language)
    # In a whole-toolkit export: the part's file name without extension, as Linker addresses it
    # ("index", "chapter-3", "tools", "glossary"; "3.12" or "T1" inside them), and the parts it bundles.
    name: str = ""
    parts: tuple[Document, ...] = ()
    # What the CSV format writes: a header and rows, for documents that are a list (checklists, answers).
    rows: Table | None = None
    # The content's synonym groups and glossary, for a format that builds its own full-text index
    # (ZIM), so a search finds a section by any name the content knows for its topic.
    synonyms: tuple[tuple[str, ...], ...] = ()
    glossary: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Linker:
    """Where a reference to a section, job aid or the glossary points from a document.

    Inside the document, to its anchor; in a multi-file export (``extension``
    set), to the file that holds it; otherwise nowhere (plain text).
    """

    here: frozenset[str] = frozenset()
    extension: str | None = None

    def href(self, item_id: str) -> str | None:
        if item_id in self.here:
            return "#" + anchor(item_id)
        if self.extension is None:
            return None
        if item_id == "glossary":
            return f"glossary.{self.extension}"
        if item_id[:1].upper() == "T":
            return f"tools.{self.extension}#{anchor(item_id)}"
        return f"{chapter_file_name(int(item_id.split('.', 1)[0]), self.extension)}#{anchor(item_id)}"

    def home(self) -> str | None:
        """The contents page of a multi-file export, if this document is part of one."""
        return f"index.{self.extension}" if self.extension else None


def chapter_file_name(number: int, extension: str) -> str:
    return f"chapter-{number}.{extension}"


def anchor(item_id: str) -> str:
    """The HTML/Markdown anchor of a section or job aid."""
    prefix = "tool-" if item_id[:1].upper() == "T" else "section-"
    return prefix + item_id.replace(".", "-").lower()


__all__ = [
    "SINCE_2017",
    "SINCE_2017_NOTE",
    "WIDE_COLUMNS",
    "AnswerForm",
    "Bar",
    "BarChart",
    "Block",
    "Body",
    "Boxes",
    "Caption",
    "Definition",
    "Document",
    "ExampleBlock",
    "Field",
    "FillTable",
    "Footer",
    "Form",
    "FormPart",
    "Heading",
    "Item",
    "Items",
    "Link",
    "Linker",
    "Links",
    "Notice",
    "Paragraph",
    "SourceList",
    "Subheading",
    "Summary",
    "Table",
    "UpdateBlock",
    "Zone",
    "anchor",
    "chapter_file_name",
    "unhandled",
]
