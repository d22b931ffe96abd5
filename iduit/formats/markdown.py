"""Markdown (CommonMark with GitHub task lists) from the outline."""

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


def _link(linker: Linker, item_id: str, title: str) -> str:
    label = inline(f"{item_id} {title}".strip()) if item_id != "glossary" else inline(title)
    href = linker.href(item_id)
    return f"[{label}]({href})" if href else label


def render(document: Document, linker: Linker) -> str:
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.anchor:
                lines += [f'<a id="{block.anchor}"></a>', ""]
            text = f"{block.item_id} {block.text}" if block.item_id else block.text
            lines += [f"{'#' * block.level} {inline(text)}", ""]
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
