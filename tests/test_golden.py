"""Golden files for every output mode; regenerate with UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.conftest import assert_clean_exit, run

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "show-3.12.txt": ["show", "3.12", "--plain"],
    "show-chapter-0.txt": ["show", "intro", "--plain"],
    "search-overdose.txt": ["search", "overdose", "--plain"],
    "toc.txt": ["toc", "--plain"],
    "define-ost.txt": ["define", "OST", "--plain"],
    "export-3.12.md": ["export", "3.12"],
    "export-chapter-3.md": ["export", "chapter", "3"],
    "export-3.12.json": ["export", "3.12", "--format", "json"],
    "export-3.12.html": ["export", "3.12", "--format", "html"],
    "export-3.12.txt": ["export", "3.12", "--format", "text"],
    "show-T1.txt": ["show", "T1", "--plain"],
    "export-glossary.md": ["export", "glossary"],
    "search-overdose-color.txt": ["--color", "always", "search", "overdose"],
    "toc.json": ["toc", "--json"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(name: str) -> None:
    result = run(*CASES[name])
    assert_clean_exit(result, 0)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_plain_output_has_no_escape_codes_or_trailing_spaces() -> None:
    for name in ("show-3.12.txt", "search-overdose.txt", "toc.txt"):
        text = (GOLDEN / name).read_text(encoding="utf-8")
        assert "\x1b" not in text
        assert all(line == line.rstrip() for line in text.splitlines())


def _tokens(markdown: str) -> list[tuple[str, str]]:
    """(tag, inline text) for every heading and list item, in order."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    found = []
    for i, token in enumerate(tokens):
        if token.type in ("heading_open", "list_item_open"):
            inline = next(t for t in tokens[i:] if t.type == "inline")
            found.append((token.tag, inline.content))
    return found


def test_exported_markdown_has_the_expected_commonmark_structure() -> None:
    parsed = _tokens((GOLDEN / "export-3.12.md").read_text(encoding="utf-8"))
    headings = [text for tag, text in parsed if tag.startswith("h")]
    assert headings[0] == "Overdose prevention and naloxone"  # the id is on the line below: links use the title
    assert next(tag for tag, _ in parsed if tag.startswith("h")) == "h1"
    h2 = [text for tag, text in parsed if tag == "h2"]
    assert h2 == ["Key points", "Actions", "Examples", "Since 2017", "See also", "Job aids", "Sources"]
    items = [text for tag, text in parsed if tag == "li"]
    assert "[ ] Give naloxone kits to people leaving prison." in items
    assert "[ ] Train peers to respond to an overdose." in items


def test_exported_chapter_nests_sections_under_the_chapter() -> None:
    parsed = _tokens((GOLDEN / "export-chapter-3.md").read_text(encoding="utf-8"))
    levels = [(tag, text) for tag, text in parsed if tag.startswith("h")]
    assert levels[0] == ("h1", "Chapter 3: Health and support services")
    assert ("h2", "Needle and syringe programmes") in levels
    assert ("h3", "Key points") in levels
    assert ("h3", "How much is enough") in levels  # the body's own heading, under its section
    assert all(tag != "h1" for tag, _ in levels[1:])


def test_single_section_export_lifts_body_headings() -> None:
    levels = [(tag, text) for tag, text in _tokens(run("export", "3.2").stdout) if tag.startswith("h")]
    assert levels[:2] == [("h1", "Needle and syringe programmes"), ("h2", "How much is enough")]


def test_markup_in_content_is_shown_literally(content_copy: Path) -> None:
    chapter = content_copy / "chapters" / "03-services.yaml"
    text = chapter.read_text(encoding="utf-8").replace(
        "Naloxone reverses opioid overdose.", "[bold red]Naloxone[/] reverses \\e[31mopioid\\e[0m overdose."
    )
    chapter.write_text(text.replace("- [bold red]", '- "[bold red]').replace("overdose.\n", 'overdose."\n', 1), "utf-8")
    shown = run("show", "3.12", "--plain")
    assert_clean_exit(shown, 0)
    assert "[bold red]Naloxone[/] reverses opioid overdose." in shown.stdout
    assert "\x1b" not in shown.stdout
    exported = run("export", "3.12").stdout
    assert "\x1b" not in exported and "reverses opioid overdose" in exported


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_escape_sequences_never_reach_the_terminal(content_copy: Path) -> None:
    hostile = "Naloxone \x1b]0;owned\x07[red]in[/red] \x1b[2Jthe hands of people who witness an overdose."

    def set_summary(data: Any) -> None:
        data["sections"][2]["summary"] = hostile

    def set_definition(data: Any) -> None:
        data["terms"][2]["definition"] = "A medicine \x1b[31mthat[/] reverses overdose.\x9b2J"

    _edit_yaml(content_copy / "chapters" / "03-services.yaml", set_summary)
    _edit_yaml(content_copy / "glossary.yaml", set_definition)
    # Colour on, as on a real terminal: iduit's own styles are allowed, the content's escapes are not.
    for args in (["search", "naloxone"], ["show", "3.12"], ["define", "naloxone"]):
        result = run("--color", "always", *args)
        assert_clean_exit(result, 0)
        # iduit's own hyperlinks to sources (OSC 8) are allowed; nothing else of that kind.
        text = re.sub(r"\x1b\]8;[^\x1b]*;https://example\.org/[^\x1b]*\x1b\\|\x1b\]8;;\x1b\\", "", result.stdout)
        assert "owned" not in text and "\x1b]" not in text
        assert "\x1b[2J" not in result.stdout and "\x1b[31m" not in result.stdout and "\x9b" not in result.stdout
    assert "[red]in[/red]" in run("search", "naloxone").stdout
    assert "that[/] reverses" in run("define", "naloxone").stdout
    exported = run("export", "3.12").stdout
    # Markdown escapes the brackets, so they show as typed instead of becoming a link.
    assert "\x1b" not in exported and "\\[red\\]in\\[/red\\] the hands" in exported
