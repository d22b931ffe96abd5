"""What people ask to show or export: '3.12', 'chapter 3', 'ch3', 'intro', 'T3', 'glossary'."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import get_close_matches
from typing import TYPE_CHECKING

from iduit.errors import NotFound, UsageError
from iduit.language.messages import tr

if TYPE_CHECKING:
    from iduit.content.model import Content, Item

# Ids are short: a long run of digits is a typo, never a section (and never worth int()).
_SECTION = re.compile(r"^([0-9]{1,4})\.([0-9]{1,4})$")
_CHAPTER = re.compile(r"^([0-9]{1,4})$")
_JOINED_CHAPTER = re.compile(r"^(?:chapter|ch)\.?([0-9]{1,4})$")
_TOOL = re.compile(r"^t([0-9]{1,4})$")
_INTRO = {"intro", "introduction"}
_CHAPTER_WORDS = ("chapter", "ch")
_SECTION_WORDS = ("section", "sec")

Target = tuple[str, str]  # ("chapter", "3"), ("section", "3.12"), ("tool", "T3")


def _hint(given: str) -> str:
    # A decimal comma (3,12 where many countries write 3.12) or another separator: name the id meant.
    meant = re.fullmatch(r"(\d{1,2})\s*[,;:/_-]\s*(\d{1,2})", given.strip())
    if meant:
        return tr("; did you mean {id}?").format(id=f"{int(meant.group(1))}.{int(meant.group(2))}")
    if re.search(r"[^\W\d_]{3,}", given):
        return tr("; to look for a topic, try: iduit search {given}").format(given=given)
    return ""


def parse_targets(words: Sequence[str]) -> list[Target]:
    """``("chapter", "3")``, ``("section", "3.12")`` and ``("tool", "T3")`` pairs, in the order given."""
    targets: list[Target] = []
    tokens = [w.strip().rstrip(",") for w in words if w.strip().rstrip(",")]
    i = 0
    while i < len(tokens):
        word = tokens[i].lower()
        kind = ""
        if word in (*_CHAPTER_WORDS, *_SECTION_WORDS) and i + 1 < len(tokens):
            kind = "chapter" if word in _CHAPTER_WORDS else "section"
            value = tokens[i + 1].lower()
            i += 2
        else:
            value = word
            joined = _JOINED_CHAPTER.match(value)
            if joined:
                value, kind = joined.group(1), "chapter"
            i += 1
        if value in _INTRO:
            value = "0"
        section, chapter, tool = _SECTION.match(value), _CHAPTER.match(value), _TOOL.match(value)
        if chapter and kind in ("", "chapter"):
            targets.append(("chapter", str(int(chapter.group(1)))))
        elif section and kind in ("", "section"):
            targets.append(("section", f"{int(section.group(1))}.{int(section.group(2))}"))
        elif tool and not kind:
            targets.append(("tool", f"T{int(tool.group(1))}"))
        else:
            given = " ".join(tokens[i - (2 if kind and not _JOINED_CHAPTER.match(word) else 1) : i])
            expected = {
                "chapter": tr("a chapter number (0-5 or 'intro')"),
                "section": tr("a section id like 3.12"),
                "": tr("a section id like 3.12, 'chapter 3' or a job aid like T3"),
            }[kind]
            raise UsageError(
                tr("'{given}' is not {expected}{hint}").format(given=given, expected=expected, hint=_hint(given))
            )
    if not targets:
        raise UsageError(tr("say what to use: a section id like 3.12, 'chapter 3' or a job aid like T3"))
    return targets


def missing(content: Content, kind: str, value: str) -> NotFound:
    """A NotFound that names the nearest existing ids."""
    if kind == "chapter":
        numbers = ", ".join(str(c.number) for c in content.chapters)
        return NotFound(tr("there is no chapter {value} (chapters: {numbers})").format(value=value, numbers=numbers))
    if kind == "tool":
        ids = ", ".join(t.id for t in content.tools) or "none"
        return NotFound(
            tr("there is no job aid {value} (job aids: {ids}; iduit tools lists them)").format(value=value, ids=ids)
        )
    section_ids = [s.id for s in content.sections()]
    near = get_close_matches(value, section_ids, n=3, cutoff=0.6)
    prefix = value.split(".")[0] + "."
    near += [s for s in section_ids if s.startswith(prefix) and s not in near][: max(0, 3 - len(near))]
    return NotFound(tr("there is no section {value}").format(value=value), near)


def resolve(content: Content, targets: Sequence[Target]) -> list[Item]:
    """The content items for parsed targets, each once, in the order asked."""
    items: list[Item] = []
    for kind, value in targets:
        found: Item | None
        if kind == "chapter":
            found = content.chapter(int(value))
        elif kind == "tool":
            found = content.tool(value)
        else:
            found = content.section(value)
        if found is None:
            raise missing(content, kind, value)
        if found not in items:
            items.append(found)
    return items
