"""The Whoosh schema and how content becomes index documents.

The index holds what search needs and nothing for display: searchable
fields, the section or job aid id, its kind and chapter, and the plain text
that snippets are cut from (summary and body). Titles and text for display come from the
content model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from whoosh import fields

from iduit.content.bodies import plain_text
from iduit.language.analysis import analyzed_synonyms, text_analyzer, word_terms, words_analyzer

if TYPE_CHECKING:
    from whoosh.index import Index

    from iduit.content.model import Content


def schema(synonyms: Sequence[Sequence[str]] = (), lang: str = "en") -> fields.Schema:
    analyzer = text_analyzer(analyzed_synonyms(synonyms, lang) if synonyms else None, lang)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        kind=fields.ID(stored=True),
        chapter=fields.ID(stored=True),
        title=fields.TEXT(analyzer=analyzer),
        # Summary and body are stored as plain text: snippets are cut from them,
        # and "Related" reads the body's key terms.
        summary=fields.TEXT(analyzer=analyzer, stored=True),
        body=fields.TEXT(analyzer=analyzer, stored=True),
        points=fields.TEXT(analyzer=analyzer),
        examples=fields.TEXT(analyzer=analyzer),
        # The titles of the documents an item's examples and updates come from: names people know them by.
        sources=fields.TEXT(analyzer=analyzer),
        tags=fields.TEXT(analyzer=analyzer, stored=True),
        tag=fields.KEYWORD(commas=True, lowercase=True),
        # Everything in one field, title and tags repeated for weight: the cheap
        # first pass of search finds candidates here with one matcher a term.
        all=fields.TEXT(analyzer=analyzer, phrase=False),
        words=fields.TEXT(analyzer=words_analyzer(), phrase=False),
        # The index term of each word a snippet may be cut from (summary and body), worked out once here.
        terms=fields.STORED,
    )


def _document(
    *,
    item_id: str,
    kind: str,
    chapter: str,
    title: str,
    summary: str,
    body: str,
    points: Sequence[str],
    examples: str,
    tags: Sequence[str],
    sources: Sequence[str] = (),
    lang: str = "en",
) -> dict[str, Any]:
    plain_body = plain_text(body)
    return {
        "id": item_id,
        "kind": kind,
        "chapter": chapter,
        "title": title,
        "summary": summary,
        "body": plain_body,
        "points": "\n".join(points),
        "examples": examples,
        "sources": "\n".join(sources),
        "tags": ", ".join(tags),
        "tag": ",".join(tags),
        "all": "\n".join(
            [title] * 3 + [", ".join(tags)] * 2 + [summary] * 2 + [plain_body, *points, examples, *sources]
        ),
        "words": " ".join([title, summary, plain_body, " ".join(tags)]),
        "terms": word_terms(f"{summary}\n{plain_body}", lang),
    }


def documents(content: Content) -> list[dict[str, Any]]:
    """One index document per section and per job aid."""
    docs = []
    for chapter in content.chapters:
        for section in chapter.sections:
            examples = [f"{e.title} {e.place} {e.text}" for e in section.examples]
            updates = [u.text for u in section.updates]
            cited = [e.source for e in section.examples] + [u.source for u in section.updates]
            sources = [content.sources[i].title for i in dict.fromkeys(cited) if i in content.sources]
            docs.append(
                _document(
                    item_id=section.id,
                    kind="section",
                    chapter=str(chapter.number),
                    title=section.title,
                    summary=section.summary,
                    body=section.body,
                    points=[*section.key_points, *section.actions, *updates],
                    examples="\n".join(examples),
                    tags=section.tags,
                    sources=sources,
                    lang=content.lang,
                )
            )
    for tool in content.tools:
        docs.append(
            _document(
                item_id=tool.id,
                kind="tool",
                chapter="",
                title=tool.title,
                # What it is for and when to use it, short and said in a user's words: read as the summary.
                summary=f"{tool.purpose}\n\n{tool.when_to_use}",
                body=f"{tool.aid}\n\n{tool.adapt}",
                points=(),
                examples="",
                tags=("job aid", *tool.tags),
                lang=content.lang,
            )
        )
    return docs


def fill(index: Index, content: Content) -> None:
    """Write every document. Writer errors propagate (never swallowed)."""
    writer = index.writer()
    try:
        for doc in documents(content):
            writer.add_document(**doc)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def similar_sections(index: Index, content: Content, limit: int = 3) -> dict[str, list[str]]:
    """For every section, the sections most like it (more-like-this over body and tags), see-also left out.

    "Related" adds to the hand-written see-also rather than repeating it, and
    offers sections only, not job aids. Worked out once per build.
    """
    from whoosh import query

    similar: dict[str, list[str]] = {}
    with index.searcher() as searcher:
        for section in content.sections():
            docnum = searcher.document_number(id=section.id)
            weighted = [
                (name, term, weight)
                for name, count in (("body", 12), ("tags", 6))
                for term, weight in searcher.key_terms([docnum], name, numterms=count)
            ]
            if not weighted:
                similar[section.id] = []
                continue
            q = query.Or([query.Term(name, term, boost=weight) for name, term, weight in weighted])
            skip = query.Or(
                [query.Term("id", i) for i in (section.id, *section.see_also)] + [query.Term("kind", "tool")]
            )
            similar[section.id] = [str(hit["id"]) for hit in searcher.search(q, limit=limit, mask=skip)]
    return similar
