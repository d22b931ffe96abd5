"""Glossary look-up: exact term, then expansion, then synonyms, then partial matches."""

from __future__ import annotations

from difflib import get_close_matches
from typing import TYPE_CHECKING

from iduit.errors import NotFound, UsageError
from iduit.language.messages import tr

if TYPE_CHECKING:
    from iduit.content.model import Content, Term


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def lookup(content: Content, query: str) -> list[Term]:
    """Entries for ``query`` (case-insensitive); NotFound names the nearest terms and what to try next."""
    terms = content.glossary
    wanted = _fold(query)
    if not wanted:
        raise UsageError(tr("say which term to define, e.g. iduit define OST (or iduit define --list)"))
    by_alias = [t for t in terms if any(_fold(alias) == wanted for alias in t.aliases)]  # ART finds АРТ
    for exact in (
        [t for t in terms if _fold(t.term) == wanted],
        [t for t in terms if _fold(t.expansion) == wanted],
        by_alias,
    ):
        if exact:
            return exact
    # A synonym of a glossary term ("needle exchange" for NSP) finds that term.
    for group in content.synonyms:
        folded = {_fold(member) for member in group}
        if wanted in folded:
            found = [t for t in terms if _fold(t.term) in folded or _fold(t.expansion) in folded]
            if found:
                return found

    def part_of(text: str) -> bool:
        # A short query (an acronym) must start a word: OTS is not in "hotspot".
        folded = _fold(text)
        return wanted in folded if len(wanted) > 4 else any(w.startswith(wanted) for w in folded.split())

    partial = [t for t in terms if part_of(t.term) or part_of(t.expansion)]
    if partial and len(wanted) >= 3:
        return partial
    names = {_fold(t.term): t.term for t in terms}
    names.update({_fold(t.expansion): t.term for t in terms if t.expansion})
    near = get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    if len(wanted) <= 4:
        # Short words are mostly acronyms, and two acronyms that share letters (DCR, DIC) mean unrelated
        # things: only a one-letter slip is worth suggesting.
        from iduit.content.text import edit_distance

        near = [n for n in near if edit_distance(wanted, n) <= 1]
    suggestions = list(dict.fromkeys(names[n] for n in near))
    if suggestions:
        raise NotFound(tr("'{query}' is not in the glossary").format(query=query), suggestions)
    raise NotFound(
        tr("'{query}' is not in the glossary; to find where the guidance talks about it: iduit search {words}").format(
            query=query, words=query.strip()
        )
    )
