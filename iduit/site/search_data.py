"""The site's search index: what the browser's search (MiniSearch) indexes and how it matches words.

Built here, once per site, and written as a script file (``window.IDUIT_INDEX = {...}``)
so it loads from ``file://``, where a page may not ``fetch()`` anything.
The browser should match words as the terminal does, so the rules come from
the terminal's own code rather than a second copy:

- spelling folds (``iduit.language.analysis``'s British -> American rules), shipped as
  regular expressions that the browser applies to the index and to queries alike;
- stop words, the same list;
- synonyms: each document carries the labels of the synonym groups it mentions,
  found with the terminal's own matching (``synonym_terms``: every word of a
  member, folded and stemmed); the browser adds a group's label to a query that
  names one of the group's members in full, so "needle exchange" finds sections
  that only say "needle and syringe programme", and "hepatitis" alone names nothing.

The browser stems Russian words with Snowball's Russian stemmer, as the terminal does; for English words,
prefix and fuzzy matching stand in for a stemmer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from iduit.content.model import Content
from iduit.content.text import chapter_heading
from iduit.language import analysis
from iduit.language.messages import tr
from iduit.search import ranking
from iduit.search.index import documents
from iduit.site.links import SiteLinker

# A word character in Python's Unicode sense, written for a JavaScript regular expression with the u flag.
_JS_WORD = r"[\p{L}\p{M}\p{N}_]"
_BACKREF = re.compile(r"\\(\d)")
# Fields the browser searches, in the order it looks for a snippet: the terminal's own.
TEXT_FIELDS = ranking.SEARCH_FIELDS


def js_pattern(pattern: str) -> str:
    """A Python spelling-rule pattern as a JavaScript one: only ``\\w`` needs translating.

    Anything else with a backslash would need thought, so it is refused
    (a test builds every rule, and the browser test compares the results word by word).
    """
    translated = pattern.replace(r"\w", _JS_WORD)
    if "\\" in translated.replace(_JS_WORD, ""):
        raise ValueError(f"spelling rule needs translating by hand for JavaScript: {pattern}")
    return translated


def js_replacement(replacement: str) -> str:
    r"""``\1`` becomes ``$1``; an unmatched group is empty in both languages."""
    if "$" in replacement:
        raise ValueError(f"spelling replacement contains '$': {replacement}")
    return _BACKREF.sub(r"$\1", replacement)


def spelling_rules() -> dict[str, Any]:
    """The terminal's spelling folds, for the browser."""
    return {
        "words": dict(analysis._SPELLING_WORDS),
        "maybe": js_pattern(analysis._MAYBE_BRITISH.pattern),
        "rules": [[js_pattern(p), js_replacement(r)] for p, r in analysis._SPELLING_RULES],
    }


def synonym_label(group: int) -> str:
    """A group's label in the index: one word, never typed by people (the query side adds it)."""
    return f"syn{group}"


def _groups_in(words: Sequence[str], starts: dict[str, list[tuple[tuple[str, ...], int]]]) -> set[int]:
    """The synonym groups with a member in ``words`` (folded and stemmed), compared word by word."""
    found: set[int] = set()
    for i, word in enumerate(words):
        for terms, group in starts.get(word, ()):
            if group not in found and tuple(words[i : i + len(terms)]) == terms:
                found.add(group)
    return found


def _starts(content: Content) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    starts: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for number, group in enumerate(analysis.analyzed_synonyms(content.synonyms, content.lang)):
        for terms in group:
            if terms:
                starts.setdefault(terms[0], []).append((tuple(terms), number))
    return starts


def _labels(groups: set[int]) -> str:
    return " ".join(synonym_label(g) for g in sorted(groups))


def unused_members(content: Content, items: Sequence[dict[str, Any]]) -> list[str]:
    """The one-word members the guidance never or seldom uses ("cops", "нарыв"), as the terminal's store marks them.

    Seldom: in fewer than one item in ``RARE_SHARE`` of those the member's group is in. Such a word finds its
    topic through the group, which then weighs as a topic named in full.
    """
    starts = _starts(content)
    words: list[set[str]] = []
    present: list[set[int]] = []
    for doc in items:
        words.append(set(analysis.analyze(str(doc["all"]), content.lang)))
        present.append(_groups_in(analysis.synonym_terms(str(doc["all"]), content.lang), starts))
    unused = []
    for number, group in enumerate(content.synonyms):
        in_group = sum(number in found for found in present)
        for member in group:
            terms = analysis.analyze(member, content.lang)
            if len(analysis.synonym_terms(member, content.lang)) != 1 or not terms:
                continue
            own = max(sum(term in held for held in words) for term in terms)
            if own * ranking.RARE_SHARE < in_group:
                unused.append(member)
    return sorted(unused)


def index_data(content: Content) -> dict[str, Any]:
    """Everything the browser's search needs: documents, synonym groups, stop words, spelling folds."""
    linker = SiteLinker()  # from the search page, in the site's top folder
    starts = _starts(content)
    docs: list[dict[str, Any]] = []
    items = documents(content)
    for doc in items:
        item_id = str(doc["id"])
        section = content.section(item_id)
        chapter = content.chapter(section.chapter) if section is not None else None
        where = chapter_heading(chapter.number, chapter.title) if chapter is not None else tr("Job aid")
        fields = {name: str(doc[name]) for name in TEXT_FIELDS}
        # Synonyms in a title or tags say what the item is about; elsewhere they only mention it.
        topics = _groups_in(analysis.synonym_terms(f"{fields['title']}\n{fields['tags']}", content.lang), starts)
        # The title's own, apart: as in the terminal, a topic in the title and tags counts in both.
        title_topics = _groups_in(analysis.synonym_terms(fields["title"], content.lang), starts)
        mentions = set()
        for name in ("summary", "body", "points", "examples"):
            mentions |= _groups_in(analysis.synonym_terms(fields[name], content.lang), starts)
        docs.append(
            {
                "id": item_id,
                "kind": str(doc["kind"]),
                "url": linker.href(item_id),
                "where": where,
                **fields,
                "topics": _labels(topics),
                "titleTopics": _labels(title_topics),
                "mentions": _labels(mentions),
            }
        )
    return {
        "docs": docs,
        "synonyms": [list(group) for group in content.synonyms],
        "unused": unused_members(content, items),
        "stop": sorted(analysis.stop_words(content.lang)),
        "spelling": spelling_rules(),
        "ranking": {**ranking.browser(), "jobAidWords": ranking.JOB_AID_WORDS.get(content.lang, "").split()},
        "lang": content.lang,
        "messages": browser_messages(),
    }


def browser_messages() -> dict[str, Any]:
    """The words search.js shows, in the site's language; counts in every plural form the language has."""
    from iduit.language.messages import plural_forms

    return {
        "typeMore": tr("Type a word or two: results appear as you type."),
        "results": plural_forms("{n} result for “{query}”.", "{n} results for “{query}”."),
        "nothing": tr("Nothing matches “{query}”. Try fewer or other words, or look in the glossary or tags."),
        "also": tr("Also searched for: {words}."),
        "andMore": tr("{words} and {n} more"),
    }


def index_script(content: Content) -> str:
    """The index as a script that sets ``window.IDUIT_INDEX`` (ASCII only: safe whatever the page's encoding)."""
    data = json.dumps(index_data(content), ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    return f"window.IDUIT_INDEX = {data};\n"


def parse_index_script(text: str) -> dict[str, Any]:
    """The data in an index script (for tests and benchmarks)."""
    prefix, suffix = "window.IDUIT_INDEX = ", ";\n"
    if not (text.startswith(prefix) and text.endswith(suffix)):
        raise ValueError("not an iduit search index script")
    data: dict[str, Any] = json.loads(text[len(prefix) : -len(suffix)])
    return data
