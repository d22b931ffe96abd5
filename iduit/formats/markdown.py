"""Markdown (CommonMark with GitHub task lists) from the outline.

Links inside and between exported files point at headings by the identifier
that GitHub and pandoc (its markdown and gfm readers) both derive from the
heading's text, so they work on GitHub, through pandoc into Word or HTML,
and in any renderer that numbers headings the GitHub way. That is why a
section's heading is its title alone, with its id on the line below.
"""

from __future__ import annotations

import re

from iduit.model import Source
from iduit.outline import (
    Body,
    Caption,
    Definition,
    Document,
    ExampleBlock,
    Footer,
    Heading,
    Items,
    Linker,
    Links,
    SourceList,
    Subheading,
    Summary,
    UpdateBlock,
)

_SPECIAL = re.compile(r"([\\`*_\[\]])")


def inline(text: str) -> str:
    """Plain text made safe as one line of Markdown: no markup, no raw HTML, no line breaks."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _source(source: Source) -> str:
    cite = inline(source.cite())
    return f"{cite} <{source.url}>" if source.url else cite


def slug(heading: str) -> str:
    """The identifier GitHub and pandoc both give a heading made of words (no periods, starting with a letter)."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _link(linker: Linker, item_id: str, title: str) -> str:
    label = inline(f"{item_id} {title}".strip()) if item_id != "glossary" else inline(title)
    href = linker.href(item_id)
    if href is None:
        return label
    where, _, fragment = href.partition("#")
    return f"[{label}]({where}#{slug(title)})" if fragment else f"[{label}]({where})"


def render(document: Document, linker: Linker) -> str:
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * block.level} {inline(block.text)}", ""]
            if block.item_id:
                kind = "Job aid" if block.item_id.upper().startswith("T") else "Section"
                lines += [f"*{kind} {inline(block.item_id)}*", ""]
        elif isinstance(block, Subheading):
            lines += [f"{'#' * min(6, block.level)} {inline(block.text)}", ""]
        elif isinstance(block, (Caption, Summary)):
            text = inline(block.text)
            lines += [f"*{text}*" if isinstance(block, Caption) else text, ""]
        elif isinstance(block, Body):
            lines += [block.markdown.strip(), ""]
        elif isinstance(block, Items):
            box = "- [ ] " if block.style == "checkboxes" else "- "
            lines += [box + inline(item) for item in block.items] + [""]
        elif isinstance(block, ExampleBlock):
            lines += [f"**{inline(block.title)}** ({inline(block.place)}, {inline(block.when)})", ""]
            lines += [inline(block.text), ""]
            if block.source is not None:
                lines += [f"Source: {_source(block.source)}", ""]
        elif isinstance(block, UpdateBlock):
            source = f" Source: {_source(block.source)}" if block.source is not None else ""
            lines += [f"- **{inline(block.date)}**: {inline(block.text)}{source}", ""]
        elif isinstance(block, Links):
            lines += [f"- {_link(linker, link.id, link.title)}" for link in block.links] + [""]
        elif isinstance(block, SourceList):
            lines += [f"- {_source(source)}" for source in block.sources] + [""]
        elif isinstance(block, Definition):
            name = f"**{inline(block.term)}**" + (f" ({inline(block.expansion)})" if block.expansion else "")
            lines += [name, "", inline(block.definition), ""]
            if block.links:
                lines += ["Sections: " + ", ".join(_link(linker, link.id, link.title) for link in block.links), ""]
        elif isinstance(block, Footer):
            lines += ["---", "", f"*Exported from iduit. {inline(block.note)}*", ""]
            lines += [f"*Original publication: {inline(block.citation)}*"]
    return "\n".join(lines).rstrip("\n") + "\n"
