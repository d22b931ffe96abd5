"""Job aids as paper forms: what becomes a form, how each text format draws it, and the content rule behind it.

The PDF pages and the site's print are checked in test_forms_slow.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iduit.content.checker import markdown_problems
from iduit.content.loader import load_content
from iduit.content.model import Content
from iduit.formats import html, markdown, terminal
from iduit.outline import Body, Boxes, Document, Field, FillTable, Form, Linker, tool_blocks
from iduit.outline.forms import aid_blocks
from tests.conftest import PACKAGED_CONTENT

AID = """\
**Case code:** ______ **Date:** ______ (day, month)

Read this first.

- [ ] to record what happened
- [ ] to be contacted by: ______

| Item | Entry |
|---|---|
| What happened | ___ ___ ___ ___ ___ ___ |
| Where | |

| Part | What |
|---|---|
| 1-2 | Letters |

| A | B | C | D | E | F |
|---|---|---|---|---|---|
| x | | | | | |
| | | | | | |
"""


def _forms(blocks: list[object]) -> list[Form]:
    return [b for b in blocks if isinstance(b, Form)]


def test_an_aid_splits_into_bodies_and_forms_in_the_order_written() -> None:
    blocks = aid_blocks(AID)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Form", "Body", "Form", "Body", "Form"]
    first, second, third = _forms(blocks)
    assert first.parts == (Field("Case code"), Field("Date", hint="(day, month)"))
    assert blocks[1] == Body("Read this first.")
    boxes, happened, where = second.parts
    assert boxes == Boxes(("to record what happened", "to be contacted by: ______"))
    # A two-column table to fill in is fields: the label above full-width lines, as many as the cell asks.
    assert happened == Field("What happened", lines=6) and where == Field("Where", lines=1)
    assert blocks[3] == Body("| Part | What |\n|---|---|\n| 1-2 | Letters |")  # nothing to fill in: read as written
    (table,) = third.parts
    assert isinstance(table, FillTable) and table.wide and third.wide
    assert table.rows == (("x", "", "", "", "", ""), ("", "", "", "", "", ""))


def test_a_three_column_worksheet_keeps_its_line_letters() -> None:
    (form,) = _forms(aid_blocks("| Line | What | Value |\n|---|---|---|\n| A | People reached | |\n"))
    assert form.parts == (Field("People reached", key="A"),)


def test_prose_with_a_blank_stays_prose() -> None:
    assert aid_blocks("Call ______ by day.\n\n- Not a [ ] box\n") == [Body("Call ______ by day.\n\n- Not a [ ] box")]


@pytest.mark.parametrize(
    "text",
    [
        "**2. Report now, not at the end of the shift**\nCall ______ (day).",
        "Text before.\n\n**Heading**\nand its text run together.",
    ],
)
def test_a_bold_line_run_into_the_next_is_refused(text: str) -> None:
    assert any("runs into the next line" in p for p in markdown_problems(text))


@pytest.mark.parametrize(
    "text",
    [
        "### 2. Report now\n\nCall ______ (day).",
        "**Heading**\n\nIts text.",
        "**Before you start:** talk somewhere private,\nand explain the form.",  # a run-in lead, on purpose
        "**Weekly review**\n- [ ] Whom to look for",
        "**Programme phone:** ______ **Refills:** ______\n**Your rights:** ______",
    ],
)
def test_headings_on_their_own_and_bold_leads_are_accepted(text: str) -> None:
    assert markdown_problems(text) == []


@pytest.fixture(scope="module")
def english() -> Content:
    return load_content(PACKAGED_CONTENT)


@pytest.fixture(scope="module")
def russian() -> Content:
    return load_content(PACKAGED_CONTENT, "ru")


def _tool_forms(content: Content, tool_id: str) -> list[Form]:
    tool = content.tool(tool_id)
    assert tool is not None
    return _forms(list(tool_blocks(content, tool)))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_job_aids_that_are_forms_have_room_to_write(lang: str, english: Content, russian: Content) -> None:
    content = english if lang == "en" else russian
    t2 = _tool_forms(content, "T2")
    (grid,) = [p for f in t2 for p in f.parts if isinstance(p, FillTable)]
    assert len(grid.columns) == 9 and grid.wide and len(grid.rows) == 10
    t5 = [p for f in _tool_forms(content, "T5") for p in f.parts]
    assert [p.lines for p in t5 if isinstance(p, Field)][3] == 6  # what happened, in the person's own words
    assert sum(len(p.items) for p in t5 if isinstance(p, Boxes)) == 5
    for tool_id in ("T1", "T5", "T11"):  # no more slivers of a column: every entry is a field
        assert not any(isinstance(p, FillTable) for f in _tool_forms(content, tool_id) for p in f.parts)
    for tool_id in ("T5", "T6", "T7"):
        tool = content.tool(tool_id)
        assert tool is not None
        bodies = [b.markdown for b in tool_blocks(content, tool) if isinstance(b, Body)]
        assert not any("[ ]" in b for b in bodies), tool_id


def test_the_same_job_aids_are_forms_in_both_languages(english: Content, russian: Content) -> None:
    def shape(content: Content, tool_id: str) -> list[tuple[str, int]]:
        return [
            (type(p).__name__, p.lines if isinstance(p, Field) else len(getattr(p, "items", getattr(p, "rows", ()))))
            for f in _tool_forms(content, tool_id)
            for p in f.parts
        ]

    for tool in english.tools:
        assert shape(english, tool.id) == shape(russian, tool.id), tool.id


def _document(content: Content, tool_id: str) -> Document:
    tool = content.tool(tool_id)
    assert tool is not None
    return Document(tool.title, tuple(tool_blocks(content, tool)), lang=content.lang)


def test_text_files_print_real_boxes_and_lines_to_write_on(english: Content) -> None:
    text = terminal.render(_document(english, "T5"), Linker())
    assert "☐ to record what happened" in text and "[ ]" not in text
    assert "What happened, in the person's own words\n\n" + "_" * 60 in text
    assert "Case code: ____" in text
    t2 = terminal.render(_document(english, "T2"), Linker())
    # Nine headings do not fit side by side in 80 columns: numbered, with a key above the table.
    assert "  9 Follow-up needed" in t2
    table = [line for line in t2.splitlines() if line[:1] in "+|"]
    assert len(table) > 20 and max(len(line) for line in table) <= terminal.TEXT_WIDTH


def test_the_terminal_shows_boxes_and_plain_output_keeps_to_ascii(english: Content) -> None:
    from rich.console import Console

    def shown(plain: bool) -> str:
        console = Console(width=80, no_color=True, force_terminal=False)
        with console.capture() as captured:
            console.print(terminal.document_view(_document(english, "T7"), plain=plain))
        return captured.get()

    assert "☐ Client agrees which information" in shown(False)
    assert "[ ] Client agrees which information" in shown(True)


def test_markdown_keeps_task_lists_and_blanks_that_are_not_rules(english: Content) -> None:
    text = markdown.render(_document(english, "T5"), Linker())
    assert "- [ ] to record what happened" in text
    assert "**Case code:** \\_\\_\\_" in text
    assert "\n___" not in text and "\n---\n\n**" not in text  # a blank line never becomes a thematic break


def test_html_draws_boxes_and_marks_a_wide_job_aid_for_a_landscape_page(english: Content) -> None:
    page = html.render(_document(english, "T2"), Linker())
    assert '<section class="section wide" id="tool-t2">' in page
    assert '<div class="form wide">' in page and "@page landscape" in page and "section.wide" in page
    assert page.count('<span class="tick"></span>') == 4
    t8 = html.render(_document(english, "T8"), Linker())
    assert "<h3>2. Report now, not at the end of the shift</h3>" in t8
    assert '<span class="label">Call by day:</span><span class="blank"></span>' in t8
    assert "[ ]" not in html.render(_document(english, "T5"), Linker())


def test_site_css_prints_wide_forms_landscape() -> None:
    css = (Path(html.__file__).parent.parent / "site" / "static" / "site.css").read_text(encoding="utf-8")
    assert "@page landscape { size: landscape; }" in css and ".form.wide { page: landscape; }" in css


def test_json_carries_each_form_for_a_program_that_prints_it(russian: Content) -> None:
    import json

    from iduit.formats import json as json_format
    from iduit.outline import document

    tool = russian.tool("T2")
    assert tool is not None
    forms = json.loads(json_format.render(document(russian, [tool]), Linker()))["forms"]
    first = forms[0]
    assert first[0] == {"field": "Код равного консультанта", "lines": 1, "key": "", "hint": ""}
    table = first[4]
    assert table["wide"] is True and len(table["columns"]) == 9 and table["rows"][0] == [""] * 9
    assert forms[-1] == [{"boxes": [b.removeprefix("- [ ] ") for b in _t2_boxes()]}]


def _t2_boxes() -> list[str]:
    path = next((PACKAGED_CONTENT / "locales" / "ru" / "tools").glob("T2-*.yaml"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("- [ ]")]


def test_the_lines_asked_for_in_a_table_are_not_words_for_search() -> None:
    from iduit.content.bodies import plain_text

    text = plain_text("| Item | Entry |\n|---|---|\n| What happened | ___ ___ ___ |\n| Where | |\n")
    assert "What happened" in text and "_" not in text
