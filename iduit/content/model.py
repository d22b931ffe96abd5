"""The content model: frozen dataclasses built by the loader, read by everything else.

Every other module works with these objects, never with raw YAML dicts.
``to_dict``/``from_dict`` give the JSON form used by the JSON export and by
the compiled store; they are the only place besides the loader that handles
untyped dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from iduit.content.indicators import Indicator, indicator_from_dict, indicator_to_dict
from iduit.content.text import chapter_heading


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class Example:
    """A real programme or reform, with where and when it happened and the source that reports it."""

    title: str
    place: str
    when: str
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "place": self.place, "when": self.when, "text": self.text, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Example:
        return cls(data["title"], data["place"], data["when"], data["text"], data["source"])


@dataclass(frozen=True)
class Update:
    """Something that changed after the 2017 guidance, dated and sourced; never mixed into the digest text."""

    date: str
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "text": self.text, "source": self.source}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Update:
        return cls(data["date"], data["text"], data["source"])


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    summary: str
    body: str
    key_points: tuple[str, ...]
    actions: tuple[str, ...]
    tags: tuple[str, ...]
    see_also: tuple[str, ...]
    sources: tuple[str, ...]
    examples: tuple[Example, ...] = ()
    updates: tuple[Update, ...] = ()
    resources: tuple[str, ...] = ()
    # False for a section whose actions are about reading this digest (0.5), not about running a
    # programme: checklists and assessments leave them out, so they never dilute a review's score.
    checklist: bool = True

    @property
    def chapter(self) -> int:
        return int(self.id.split(".", 1)[0])

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "key_points": list(self.key_points),
            "actions": list(self.actions),
            "tags": list(self.tags),
            "see_also": list(self.see_also),
            "sources": list(self.sources),
        }
        # Optional lists appear only when present, as in the YAML.
        if self.examples:
            data["examples"] = [e.to_dict() for e in self.examples]
        if self.updates:
            data["updates"] = [u.to_dict() for u in self.updates]
        if self.resources:
            data["resources"] = list(self.resources)
        if not self.checklist:
            data["checklist"] = False
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            id=data["id"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            key_points=_strs(data["key_points"]),
            actions=_strs(data["actions"]),
            tags=_strs(data["tags"]),
            see_also=_strs(data["see_also"]),
            sources=_strs(data["sources"]),
            examples=tuple(Example.from_dict(e) for e in data.get("examples", ())),
            updates=tuple(Update.from_dict(u) for u in data.get("updates", ())),
            resources=_strs(data.get("resources", ())),
            checklist=data.get("checklist", True) is not False,
        )


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    summary: str
    sections: tuple[Section, ...]

    @property
    def heading(self) -> str:
        return chapter_heading(self.number, self.title)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "summary": self.summary,
            "sections": [s.to_dict() for s in self.sections],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chapter:
        return cls(
            number=int(data["number"]),
            title=data["title"],
            summary=data["summary"],
            sections=tuple(Section.from_dict(s) for s in data["sections"]),
        )


@dataclass(frozen=True)
class Tool:
    """A job aid: a form, checklist, script or model clauses a programme can adapt and use."""

    id: str
    title: str
    purpose: str
    when_to_use: str
    aid: str
    adapt: str
    sections: tuple[str, ...]
    sources: tuple[str, ...]
    tags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "purpose": self.purpose,
            "when_to_use": self.when_to_use,
            "aid": self.aid,
            "adapt": self.adapt,
            "sections": list(self.sections),
            "sources": list(self.sources),
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tool:
        return cls(
            id=data["id"],
            title=data["title"],
            purpose=data["purpose"],
            when_to_use=data["when_to_use"],
            aid=data["aid"],
            adapt=data["adapt"],
            sections=_strs(data["sections"]),
            sources=_strs(data["sources"]),
            tags=_strs(data["tags"]),
        )


# What a reader can ask for by id: a whole chapter, a section, a job aid.
Item = Chapter | Section | Tool


@dataclass(frozen=True)
class Toolkit:
    title: str
    short_title: str
    edition: str
    year: int
    publisher: str
    place: str
    publishers: tuple[str, ...]
    citation: str
    digest_note: str
    chapters: tuple[str, ...]
    translated_title: str = ""  # in a translation: the title in that language (the citation stays the original's)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "short_title": self.short_title,
            "edition": self.edition,
            "year": self.year,
            "publisher": self.publisher,
            "place": self.place,
            "publishers": list(self.publishers),
            "citation": self.citation,
            "digest_note": self.digest_note,
            "chapters": list(self.chapters),
            **({"translated_title": self.translated_title} if self.translated_title else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Toolkit:
        return cls(
            title=data["title"],
            short_title=data["short_title"],
            edition=data["edition"],
            year=int(data["year"]),
            publisher=data["publisher"],
            place=data["place"],
            publishers=_strs(data["publishers"]),
            citation=data["citation"],
            digest_note=data["digest_note"],
            chapters=_strs(data["chapters"]),
            translated_title=data.get("translated_title", ""),
        )


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int
    url: str = ""
    isbn: str = ""
    symbol: str = ""

    def cite(self) -> str:
        """The reference as one line of text, with what a reader needs to find it."""
        found = [f"ISBN {self.isbn}" if self.isbn else "", self.symbol]
        tail = "".join(f" {part}." for part in found if part)
        return f"{self.publisher}. {self.title}. {self.year}.{tail}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title, "publisher": self.publisher, "year": self.year}
        for name in ("url", "isbn", "symbol"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            id=data["id"],
            title=data["title"],
            publisher=data["publisher"],
            year=int(data["year"]),
            url=data.get("url", ""),
            isbn=data.get("isbn", ""),
            symbol=data.get("symbol", ""),
        )


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    sections: tuple[str, ...]
    expansion: str = ""
    aliases: tuple[str, ...] = ()  # in a translation: the English term and acronym, so both are looked up

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"term": self.term}
        if self.expansion:
            data["expansion"] = self.expansion
        data.update(definition=self.definition, sections=list(self.sections))
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Term:
        return cls(
            data["term"],
            data["definition"],
            _strs(data["sections"]),
            data.get("expansion", ""),
            _strs(data.get("aliases", ())),
        )


@dataclass(frozen=True)
class Content:
    """Everything in a content directory, validated."""

    toolkit: Toolkit
    chapters: tuple[Chapter, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: tuple[Term, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    tools: tuple[Tool, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    lang: str = "en"  # the language of the text; units not yet translated are in English, listed in fallbacks
    # Ids of what is shown in English in a translation: "3.2", "T8", "chapter-3", "term:ART", "indicator:x".
    fallbacks: frozenset[str] = frozenset()

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        return {s.id: s for c in self.chapters for s in c.sections}

    @cached_property
    def _tools_by_id(self) -> dict[str, Tool]:
        return {t.id.upper(): t for t in self.tools}

    def sections(self) -> list[Section]:
        return list(self._sections_by_id.values())

    def section(self, section_id: str) -> Section | None:
        return self._sections_by_id.get(section_id)

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)

    def tool(self, tool_id: str) -> Tool | None:
        return self._tools_by_id.get(tool_id.upper())

    def title_of(self, item_id: str) -> str:
        """The title of a section or job aid by id ('' when unknown)."""
        found = self.section(item_id) or self.tool(item_id)
        return found.title if found is not None else ""

    def cited(self, ids: tuple[str, ...]) -> list[Source]:
        """The sources for these ids, in order, skipping unknown ones."""
        return [self.sources[i] for i in ids if i in self.sources]

    def to_dict(self) -> dict[str, Any]:
        return {
            "toolkit": self.toolkit.to_dict(),
            "chapters": [c.to_dict() for c in self.chapters],
            "tools": [t.to_dict() for t in self.tools],
            "sources": [s.to_dict() for s in self.sources.values()],
            "glossary": [t.to_dict() for t in self.glossary],
            "synonyms": [list(g) for g in self.synonyms],
            "indicators": [indicator_to_dict(i) for i in self.indicators],
            **({"lang": self.lang, "fallbacks": sorted(self.fallbacks)} if self.lang != "en" else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Content:
        sources = (Source.from_dict(s) for s in data["sources"])
        return cls(
            toolkit=Toolkit.from_dict(data["toolkit"]),
            chapters=tuple(Chapter.from_dict(c) for c in data["chapters"]),
            sources={s.id: s for s in sources},
            glossary=tuple(Term.from_dict(t) for t in data["glossary"]),
            synonyms=tuple(tuple(g) for g in data["synonyms"]),
            tools=tuple(Tool.from_dict(t) for t in data.get("tools", ())),
            indicators=tuple(indicator_from_dict(i) for i in data.get("indicators", ())),
            lang=data.get("lang", "en"),
            fallbacks=frozenset(data.get("fallbacks", ())),
        )
