"""Glossary look-up: exact term, then expansion, then partial matches."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from iduit.errors import NotFound, UsageError
from iduit.model import Term


def lookup(terms: Sequence[Term], query: str) -> list[Term]:
    """Entries for ``query`` (case-insensitive); NotFound names the nearest terms."""
    wanted = " ".join(query.split()).casefold()
    if not wanted:
        raise UsageError("say which term to define, e.g. iduit define OST")
    for key in (lambda t: t.term, lambda t: t.expansion):
        exact = [t for t in terms if key(t).casefold() == wanted]
        if exact:
            return exact
    partial = [t for t in terms if wanted in t.term.casefold() or wanted in t.expansion.casefold()]
    if partial and len(wanted) >= 3:
        return partial
    names = {t.term.casefold(): t.term for t in terms}
    names.update({t.expansion.casefold(): t.term for t in terms if t.expansion})
    near = get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[n] for n in near))
    raise NotFound(f"'{query}' is not in the glossary", suggestions)
