"""The content model: small frozen dataclasses built by the loader.

Every other module works with these objects, never with raw YAML dicts.
``to_dict``/``from_dict`` give the JSON form used by exports and the cache.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from iduit.text import chapter_heading


@dataclass(frozen=True)
class Example:
    title: str
    place: str
    text: str


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

    @property
    def chapter(self) -> int:
        return int(self.id.split(".", 1)[0])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.examples:
            del data["examples"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            id=data["id"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            key_points=tuple(data["key_points"]),
            actions=tuple(data["actions"]),
            tags=tuple(data["tags"]),
            see_also=tuple(data["see_also"]),
            sources=tuple(data["sources"]),
            examples=tuple(Example(**e) for e in data.get("examples", ())),
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
            number=data["number"],
            title=data["title"],
            summary=data["summary"],
            sections=tuple(Section.from_dict(s) for s in data["sections"]),
        )


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Toolkit:
        return cls(
            **{
                **data,
                "publishers": tuple(data["publishers"]),
                "chapters": tuple(data["chapters"]),
            }
        )


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int

    def cite(self) -> str:
        return f"{self.publisher}. {self.title}. {self.year}."


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    sections: tuple[str, ...]
    expansion: str = ""


@dataclass(frozen=True)
class Content:
    """Everything in a content directory, validated."""

    toolkit: Toolkit
    chapters: tuple[Chapter, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: tuple[Term, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()

    def sections(self) -> list[Section]:
        return [s for c in self.chapters for s in c.sections]

    def section(self, section_id: str) -> Section | None:
        for s in self.sections():
            if s.id == section_id:
                return s
        return None

    def chapter(self, number: int) -> Chapter | None:
        for c in self.chapters:
            if c.number == number:
                return c
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "toolkit": self.toolkit.to_dict(),
            "chapters": [c.to_dict() for c in self.chapters],
            "sources": [asdict(s) for s in self.sources.values()],
            "glossary": [asdict(t) for t in self.glossary],
            "synonyms": [list(g) for g in self.synonyms],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Content:
        return cls(
            toolkit=Toolkit.from_dict(data["toolkit"]),
            chapters=tuple(Chapter.from_dict(c) for c in data["chapters"]),
            sources={s["id"]: Source(**s) for s in data["sources"]},
            glossary=tuple(Term(**{**t, "sections": tuple(t["sections"])}) for t in data["glossary"]),
            synonyms=tuple(tuple(g) for g in data["synonyms"]),
        )
