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
    partial = [t for t in terms if wanted in _fold(t.term) or wanted in _fold(t.expansion)]
    if partial and len(wanted) >= 3:
        return partial
    names = {_fold(t.term): t.term for t in terms}
    names.update({_fold(t.expansion): t.term for t in terms if t.expansion})
    near = get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[n] for n in near))
    hint = "" if suggestions else f"; to find where the guidance talks about it: iduit search {query.strip()}"
    raise NotFound(tr("'{query}' is not in the glossary{hint}").format(query=query, hint=hint), suggestions)
