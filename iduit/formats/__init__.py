"""The output formats, in one table, for every kind of output: exports, checklists, reports, coverage.

Each format is a module with ``render(document, linker) -> str`` (or bytes,
for a binary format such as EPUB); this table drives the ``--format``
choices, the help text, choosing a format from a file name's extension,
messages and file naming. Adding a format is one module and one line here.
A format that needs an optional extra names it, and the message for a
missing library says how to install it. A format that fits only some
documents says so (``needs``): CSV writes a document's rows, so it serves
checklists and answers, not sections.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, cast

from iduit.errors import UsageError
from iduit.language.messages import tr

if TYPE_CHECKING:
    from iduit.outline import Document, Linker


Rendered = str | bytes


class Renderer(Protocol):
    def render(self, document: Document, linker: Linker) -> Rendered: ...


class Format(NamedTuple):  # a named tuple: immutable, and made at start-up in a tenth of a dataclass's time
    name: str
    extensions: tuple[str, ...]  # the first is used for file names
    summary: str
    module: str
    binary: bool = False  # written to files only, never to a terminal
    extra: str = ""  # the optional dependency group it needs: pip install 'iduit[extra]'
    single_file: bool = False  # --all bundles the whole toolkit into one file (EPUB, ZIM), not a folder
    needs: Literal["", "rows"] = ""  # what a document must carry for this format: "rows" for a table of data

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def renderer(self) -> Renderer:
        """The format's module, imported on use: a command pays only for the format it writes."""
        try:
            return cast("Renderer", importlib.import_module(self.module))
        except ImportError as exc:
            if not self.extra:
                raise
            raise UsageError(
                tr(
                    "the {name} format needs the optional '{extra}' extra: pip install "
                    "'iduit[{extra}]' ({value} is missing)"
                ).format(name=self.name, extra=self.extra, value=exc.name or exc)
            ) from exc

    def render(self, document: Document, linker: Linker) -> Rendered:
        return self.renderer().render(document, linker)


FORMATS: tuple[Format, ...] = (
    Format("markdown", ("md", "markdown"), "Markdown (CommonMark) for handouts and editors", "iduit.formats.markdown"),
    Format("html", ("html", "htm"), "a standalone web page to open or print", "iduit.formats.html"),
    Format("json", ("json",), "the content as data, for scripts", "iduit.formats.json"),
    Format(
        "epub",
        ("epub",),
        "an e-book (EPUB 3) for phones and e-readers",
        "iduit.formats.epub",
        binary=True,
        single_file=True,
    ),
    Format(
        "zim",
        ("zim",),
        "an offline file for Kiwix readers",
        "iduit.formats.zim",
        binary=True,
        extra="zim",
        single_file=True,
    ),
    Format("pdf", ("pdf",), "a printable A4 PDF handout", "iduit.formats.pdf", binary=True, extra="pdf"),
    Format("text", ("txt",), "plain text, as the terminal shows it", "iduit.formats.terminal"),
    Format("csv", ("csv",), "a spreadsheet: one row per action or indicator", "iduit.formats.csv", needs="rows"),
)
NAMES = tuple(f.name for f in FORMATS)


def names_text() -> str:
    return ", ".join(NAMES)


def get(name: str) -> Format:
    """The format called ``name`` (or by one of its extensions: 'md')."""
    wanted = name.strip().lower().lstrip(".")
    for fmt in FORMATS:
        if wanted == fmt.name or wanted in fmt.extensions:
            return fmt
    raise UsageError(tr("unknown format '{name}' (choose {names_text})").format(name=name, names_text=names_text()))


# Extensions people try that no format writes, and what to do instead.
_INSTEAD = {
    "docx": "for Word, write .html and open it in Word, or turn the .md into .docx with pandoc",
    "doc": "for Word, write .html and open it in Word, or turn the .md into .docx with pandoc",
    "odt": "for LibreOffice, write .html and open it in Writer, or turn the .md into .odt with pandoc",
    "rtf": "write .html and open it in a word processor",
    "xlsx": "for a spreadsheet, write .csv and open it in Excel or LibreOffice",
    "xls": "for a spreadsheet, write .csv and open it in Excel or LibreOffice",
    "ods": "for a spreadsheet, write .csv and open it in LibreOffice",
}


def for_path(path: Path) -> Format | None:
    """The format a file name asks for by its extension; None when it has none.

    An extension that no format writes is refused: a file called .docx that holds Markdown
    would only be refused later by Word.
    """
    suffix = path.suffix.lower().lstrip(".")
    if not suffix:
        return None
    found = next((f for f in FORMATS if suffix in f.extensions), None)
    if found is None:
        instead = _INSTEAD.get(suffix, "give the file one of those extensions, or choose with --format")
        raise UsageError(
            tr("iduit cannot write .{suffix} files ({path}); it writes {extensions_text}: {instead}").format(
                suffix=suffix, path=path, extensions_text=extensions_text(), instead=instead
            )
        )
    return found


def extensions_text() -> str:
    return ", ".join(f".{f.extension}" for f in FORMATS)


def fitting(document: Document) -> list[Format]:
    """The formats this document can be written in."""
    return [f for f in FORMATS if not f.needs or (f.needs == "rows" and document.rows is not None)]


def check_fits(fmt: Format, document: Document) -> None:
    if fmt not in fitting(document):
        names = ", ".join(f.name for f in fitting(document))
        raise UsageError(
            tr("{name} does not fit this output (it needs {needs}); choose {names}").format(
                name=fmt.name, needs=fmt.needs, names=names
            )
        )


def choose(name: str | None, path: Path | None) -> Format:
    """The format from ``--format`` and the output file's extension; they must agree when both are given."""
    by_path = for_path(path) if path is not None else None
    if name is None:
        return by_path or FORMATS[0]
    fmt = get(name)
    if by_path is not None and by_path != fmt:
        raise UsageError(
            tr(
                "--format {name} does not match the file name {path} ({name2}); change one of them, e.g. -o {value}"
            ).format(
                name=fmt.name,
                path=path,
                name2=by_path.name,
                value=path.with_suffix("." + fmt.extension) if path else "",
            )
        )
    return fmt
