"""What people ask to show or export: '3.12', 'chapter 3', 'section 3.2', '3', 'intro'."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import get_close_matches

from iduit.errors import NotFound, UsageError

_SECTION = re.compile(r"^\d+\.\d+$")
_CHAPTER = re.compile(r"^\d+$")
_INTRO = {"intro", "introduction"}


def parse_targets(words: Sequence[str]) -> list[tuple[str, str]]:
    """``("chapter", "3")`` and ``("section", "3.12")`` pairs, in the order given."""
    targets: list[tuple[str, str]] = []
    tokens = [w.strip() for w in words if w.strip()]
    i = 0
    while i < len(tokens):
        word = tokens[i].lower().rstrip(",")
        if word in ("chapter", "section", "ch", "sec") and i + 1 < len(tokens):
            value = tokens[i + 1].lower().rstrip(",")
            kind = "chapter" if word in ("chapter", "ch") else "section"
            i += 2
        else:
            value, kind = word, ""
            i += 1
        if value in _INTRO:
            value = "0"
        if _CHAPTER.match(value) and kind in ("", "chapter"):
            targets.append(("chapter", str(int(value))))
        elif _SECTION.match(value) and kind in ("", "section"):
            chapter, number = value.split(".")
            targets.append(("section", f"{int(chapter)}.{int(number)}"))
        else:
            given = " ".join(tokens[i - (2 if kind else 1) : i])
            expected = {
                "chapter": "a chapter number (0-5 or 'intro')",
                "section": "a section id like 3.12",
                "": "a section id like 3.12, or 'chapter 3'",
            }[kind]
            raise UsageError(f"'{given}' is not {expected}")
    if not targets:
        raise UsageError("say what to use: a section id like 3.12, or 'chapter 3'")
    return targets


def missing(kind: str, value: str, section_ids: Sequence[str], chapters: Sequence[int]) -> NotFound:
    """A NotFound that names the nearest existing ids."""
    if kind == "chapter":
        numbers = ", ".join(str(n) for n in chapters)
        return NotFound(f"there is no chapter {value} (chapters: {numbers})")
    near = get_close_matches(value, list(section_ids), n=3, cutoff=0.6)
    prefix = value.split(".")[0] + "."
    near += [s for s in section_ids if s.startswith(prefix) and s not in near][: max(0, 3 - len(near))]
    return NotFound(f"there is no section {value}", near)
