"""Documents of the digest: sections, chapters, job aids, the glossary, the whole book.

The order of a section (heading, summary, body, key points, actions,
examples, since 2017, see also, related, sources) and what each part
contains are decided here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from iduit.content.bodies import shift_headings
from iduit.content.model import Chapter, Content, Section, Term, Tool
from iduit.language.messages import tr
from iduit.outline.blocks import (
    SINCE_2017,
    SINCE_2017_NOTE,
    Block,
    Body,
    Caption,
    Definition,
    Document,
    ExampleBlock,
    Footer,
    Form,
    Heading,
    Item,
    Items,
    Link,
    Links,
    SourceList,
    Subheading,
    Summary,
    UpdateBlock,
    anchor,
)
from iduit.outline.forms import aid_blocks
from iduit.programme.actions import section_actions


def _link(content: Content, item_id: str) -> Link:
    return Link(item_id, content.title_of(item_id))


def section_blocks(
    content: Content,
    section: Section,
    *,
    level: int = 1,
    standalone: bool = True,
    related: Sequence[str] = (),
) -> list[Block]:
    """One section in reading order."""
    sub = level + 1
    blocks: list[Block] = [Heading(level, section.title, section.id, anchor(section.id))]
    chapter = content.chapter(section.chapter)
    if standalone and chapter is not None:
        blocks.append(Caption(chapter.heading))
    blocks += fallback_note(content, section.id)
    blocks += [Summary(section.summary), Body(shift_headings(section.body.strip(), level))]
    blocks += [Subheading(sub, tr("Key points")), Items(section.key_points)]
    ids = tuple(a.id for a in section_actions(section)) if section.checklist else ()
    blocks += [Subheading(sub, tr("Actions")), Items(section.actions, "checkboxes", ids)]
    if section.examples:
        blocks.append(Subheading(sub, tr("Examples")))
        blocks += [
            ExampleBlock(e.title, e.place, e.when, e.text, content.sources.get(e.source)) for e in section.examples
        ]
    if section.updates:
        blocks += [Subheading(sub, tr(SINCE_2017)), Caption(tr(SINCE_2017_NOTE))]
        blocks += [UpdateBlock(u.date, u.text, content.sources.get(u.source)) for u in section.updates]
    if section.see_also:
        blocks += [Subheading(sub, tr("See also")), Links(tuple(_link(content, i) for i in section.see_also))]
    tools = [t for t in content.tools if section.id in t.sections]
    if tools:
        blocks += [Subheading(sub, tr("Job aids")), Links(tuple(Link(t.id, t.title) for t in tools))]
    if related:
        blocks += [Subheading(sub, tr("Related")), Links(tuple(_link(content, i) for i in related))]
    cited = content.cited(section.sources)
    if cited:
        blocks += [Subheading(sub, tr("Sources")), SourceList(tuple(cited))]
    further = content.cited(section.resources)
    if further:
        blocks += [Subheading(sub, tr("Further reading")), SourceList(tuple(further))]
    return blocks


def chapter_blocks(content: Content, chapter: Chapter) -> list[Block]:
    """A whole chapter: title, summary, a contents list, then every section."""
    blocks: list[Block] = [Heading(1, chapter.heading, anchor=f"chapter-{chapter.number}")]
    blocks += [*fallback_note(content, f"chapter-{chapter.number}"), Summary(chapter.summary)]
    blocks += [Subheading(2, tr("Sections")), Links(tuple(Link(s.id, s.title) for s in chapter.sections))]
    for section in chapter.sections:
        blocks += section_blocks(content, section, level=2, standalone=False)
    return blocks


def tool_blocks(content: Content, tool: Tool, *, level: int = 1) -> list[Block]:
    """A job aid: what it is for, when to use it, the aid, how to adapt it, where it fits."""
    sub = level + 1
    blocks: list[Block] = [Heading(level, tool.title, tool.id, anchor(tool.id)), Caption(tr("Job aid"))]
    blocks += fallback_note(content, tool.id)
    blocks += [Summary(tool.purpose), Subheading(sub, tr("When to use it")), Body(tool.when_to_use)]
    blocks += [Subheading(sub, tr("The aid")), *aid_blocks(shift_headings(tool.aid.strip(), sub))]
    blocks += [Subheading(sub, tr("Adapting it")), Body(tool.adapt)]
    blocks += [Subheading(sub, tr("Sections")), Links(tuple(_link(content, i) for i in tool.sections))]
    cited = content.cited(tool.sources)
    if cited:
        blocks += [Subheading(sub, tr("Sources")), SourceList(tuple(cited))]
    return blocks


def term_block(content: Content, term: Term) -> Definition:
    return Definition(term.term, term.expansion, term.definition, tuple(_link(content, i) for i in term.sections))


def fallback_note(content: Content, unit: str) -> list[Block]:
    """A visible note where a translation shows a unit in English: languages are never mixed silently."""
    if unit not in content.fallbacks:
        return []
    return [Caption(tr("Not translated yet: this part is shown in English."))]


def brand(content: Content) -> str:
    """What the content calls itself in page titles: 'IDUIT digest'."""
    return tr("{name} digest").format(name=content.toolkit.short_title)


def footer(content: Content) -> Footer:
    return Footer(content.toolkit.digest_note, content.toolkit.citation)


def item_title(item: Item) -> str:
    if isinstance(item, Chapter):
        return item.heading
    return f"{item.id} {item.title}"


def _item_ids(item: Item) -> set[str]:
    if isinstance(item, Chapter):
        return {s.id for s in item.sections}
    return {item.id}


def _item_data(content: Content, item: Item) -> dict[str, Any]:
    """What JSON writes of an item: the model's own form, and for a job aid, the forms its aid prints as."""
    data = item.to_dict()
    if isinstance(item, Tool):
        blocks = aid_blocks(item.aid.strip())
        data["forms"] = [block.to_dict() for block in blocks if isinstance(block, Form)]
    return data


def document(
    content: Content,
    items: Sequence[Item],
    *,
    related: dict[str, list[str]] | None = None,
    title: str | None = None,
) -> Document:
    """Sections, chapters and job aids, in the order asked, each once, with the digest footer."""
    unique = list({id(item): item for item in items}.values())
    # A section asked for beside its whole chapter is shown once, in the chapter.
    whole = {item.number for item in unique if isinstance(item, Chapter)}
    unique = [item for item in unique if not (isinstance(item, Section) and item.chapter in whole)]
    blocks: list[Block] = []
    for item in unique:
        if isinstance(item, Chapter):
            blocks += chapter_blocks(content, item)
        elif isinstance(item, Tool):
            blocks += tool_blocks(content, item)
        else:
            blocks += section_blocks(content, item, related=(related or {}).get(item.id, ()))
    blocks.append(footer(content))
    ids = frozenset(i for item in unique for i in _item_ids(item))
    data = [_item_data(content, item) for item in unique]
    return Document(
        title=title or "; ".join(item_title(i) for i in unique),
        blocks=tuple(blocks),
        items=tuple(unique),
        ids=ids,
        data=data[0] if len(data) == 1 else data,
        brand=brand(content),
        lang=content.lang,
        synonyms=content.synonyms,
        glossary=content.glossary,
    )


def glossary_document(content: Content, terms: Iterable[Term] | None = None) -> Document:
    """Glossary entries, with links to their sections: the whole glossary (a page of its own), or a few looked up."""
    chosen = tuple(content.glossary if terms is None else terms)
    blocks: list[Block] = [Heading(1, tr("Glossary"), anchor="glossary")] if terms is None else []
    blocks += [term_block(content, term) for term in chosen]
    if terms is None:
        blocks.append(footer(content))
    data = {"terms": [t.to_dict() for t in chosen]}
    return Document(tr("Glossary"), tuple(blocks), data=data, brand=brand(content), lang=content.lang)


def tools_document(content: Content) -> Document:
    """Every job aid, in order."""
    return document(content, content.tools, title=tr("Job aids"))


def contents_document(content: Content) -> Document:
    """The home page of a whole-toolkit export: what this is, and every chapter, section and job aid."""
    toolkit = content.toolkit
    blocks: list[Block] = [Heading(1, f"{toolkit.short_title}: {toolkit.translated_title or toolkit.title}")]
    blocks.append(Summary(toolkit.digest_note))
    for chapter in content.chapters:
        blocks.append(Subheading(2, chapter.heading))
        blocks.append(Links(tuple(Link(s.id, s.title) for s in chapter.sections)))
    if content.tools:
        blocks += [Subheading(2, tr("Job aids")), Links(tuple(Link(t.id, t.title) for t in content.tools))]
    if content.glossary:
        blocks += [Subheading(2, tr("Glossary")), Links((Link("glossary", tr("Glossary")),))]
    blocks.append(footer(content))
    return Document(brand(content), tuple(blocks), data=content.to_dict(), brand=brand(content), lang=content.lang)


def book_documents(content: Content) -> list[Document]:
    """The whole toolkit as named parts, in reading order: the contents page, each chapter, job aids, glossary.

    A multi-file export writes one file per part. A chapter's parts are its
    sections, and the job aids' parts each job aid, each on its own, for a
    format that gives every section its own page (ZIM).
    """
    parts = [replace(contents_document(content), name="index")]
    for chapter in content.chapters:
        sections = tuple(replace(document(content, [s]), name=s.id) for s in chapter.sections)
        parts.append(replace(document(content, [chapter]), name=f"chapter-{chapter.number}", parts=sections))
    if content.tools:
        tools = tuple(replace(document(content, [t]), name=t.id) for t in content.tools)
        parts.append(replace(tools_document(content), name="tools", parts=tools))
    if content.glossary:
        parts.append(replace(glossary_document(content), name="glossary"))
    return parts


def book_document(content: Content) -> Document:
    """Everything in one document, for a format that bundles the whole toolkit into one file (EPUB, ZIM).

    Its own blocks are the contents page; its parts are ``book_documents``.
    """
    contents = contents_document(content)
    return replace(contents, parts=tuple(book_documents(content)), synonyms=content.synonyms, glossary=content.glossary)


def toc_data(content: Content) -> dict[str, Any]:
    """The table of contents as data: chapters with section ids and titles, and the job aids."""
    return {
        "chapters": [
            {"number": c.number, "title": c.title, "sections": [{"id": s.id, "title": s.title} for s in c.sections]}
            for c in content.chapters
        ],
        "tools": [{"id": t.id, "title": t.title} for t in content.tools],
    }


__all__ = [
    "book_document",
    "book_documents",
    "brand",
    "chapter_blocks",
    "contents_document",
    "document",
    "footer",
    "glossary_document",
    "item_title",
    "section_blocks",
    "term_block",
    "toc_data",
    "tool_blocks",
    "tools_document",
]
