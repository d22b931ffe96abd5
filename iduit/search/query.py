"""Ranked search over the index: parsing, synonyms, spelling, snippets.

Plain words are the normal case; quotes, ``-word``, ``+word``, AND/OR/NOT
and ``title:``/``tag:``/``chapter:`` fields are there for power users.
Whatever the user types, parsing never fails: unparseable input falls back
to its plain words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from whoosh import query
from whoosh.qparser import MultifieldParser, OrGroup, PlusMinusPlugin

from iduit.content.text import clean_text, edit_distance
from iduit.errors import NotFound, UsageError
from iduit.language.analysis import analyze, remember_terms, stop_words, synonym_label, synonym_terms
from iduit.language.messages import tr
from iduit.search.ranking import (
    ACRONYM_WEIGHT,
    AND_BONUS,
    CORRECTED_WORDS,
    COVERAGE_WEIGHT,
    EXPANSION_WEIGHT,
    FIELD_BOOSTS,
    JOB_AID_BOOST,
    JOB_AID_UNNAMED,
    NAMED_TOPIC_WEIGHT,
    ONE_WORD_WEIGHT,
    PHRASE_FIELDS,
    PHRASE_SLOP,
    PHRASE_WEIGHT,
    PHRASE_WEIGHTS,
    RERANK_DEPTH,
    SEARCH_FIELDS,
    TERM_WORDS,
    TOPIC_EXPANSION_WEIGHT,
    TOPIC_FIELDS,
    UNUSED_WORD_WEIGHT,
)

if TYPE_CHECKING:
    from iduit.content.model import Content
    from iduit.search.store import Store

# Fields a power user may name in a query; anything else before a colon is text.
QUERY_FIELDS = {"title", "summary", "body", "tags", "tag", "chapter"}
MAX_QUERY_CHARS = 500
# A "?" ending a question is punctuation; only inside a word is it a wildcard.
_OPERATOR = re.compile(r'(^|\s)[-+]\S|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|\w:|["*]|\w\?\w')
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_FIELD_PREFIX = re.compile(r"\b(\w+):")
_TYPED_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # a word as typed, hyphenated ones whole (CAB-LA, чек-лист)
_MARK_START, _MARK_END = "\x02", "\x03"


def safe_text(raw: str) -> str:
    """User input as valid, composed Unicode: undecodable bytes become U+FFFD, accents compose (NFC)."""
    import unicodedata

    return unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", raw))


# Hits, results and plans are named tuples, not dataclasses: immutable alike, and made in a tenth of the
# time, which every search pays at start-up.
class Hit(NamedTuple):
    """One ranked match: which section or job aid, how well, and the text around the match."""

    id: str
    kind: str  # "section" or "tool"
    score: float
    title: str = ""
    chapter: int | None = None  # None for a job aid
    chapter_title: str = ""
    # The snippet as (text, matched) pieces, so each front end marks matches its own way.
    fragments: tuple[tuple[str, bool], ...] = ()

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.fragments)


class SearchResult(NamedTuple):
    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    # True when the original query found nothing and these are the suggestion's results.
    corrected: bool = False
    expansions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape scripts rely on."""
        results = [
            {
                "id": hit.id,
                "kind": hit.kind,
                "title": hit.title,
                "chapter": hit.chapter,
                "chapter_title": hit.chapter_title if hit.chapter is not None else None,
                "score": round(hit.score, 3),
                "snippet": hit.snippet,
            }
            for hit in self.hits
        ]
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "results": results,
        }


def _parser(schema: Any) -> MultifieldParser:
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=OrGroup.factory(AND_BONUS))
    parser.add_plugin(PlusMinusPlugin())
    return parser


def _tidy(raw: str) -> str:
    text = clean_text(safe_text(raw)).replace(_MARK_START, "").replace(_MARK_END, "")
    text = " ".join(text.split())[:MAX_QUERY_CHARS]
    # Unknown "word:" prefixes are just words, not fields.
    return _FIELD_PREFIX.sub(lambda m: m.group(0) if m.group(1).lower() in QUERY_FIELDS else m.group(1) + " ", text)


def _plain_words_query(terms: list[str], shares: dict[str, float] | None = None) -> query.Query:
    if not terms:
        return query.NullQuery
    unique = dict.fromkeys(terms)
    share = shares or {}
    return query.Or(
        [
            query.Term(name, term, boost=boost * share.get(term, 1.0))
            for term in unique
            for name, boost in FIELD_BOOSTS.items()
        ]
    )


def _shares(terms: list[str], named: list[tuple[str, ...]]) -> dict[str, float]:
    """The weight of each word of a synonym member of several words typed among other words: one word's, shared.

    "люди, употребляющие наркотики" in a longer question is one thing named, and the guidance names it in
    nearly every section: counted as three words it would outweigh the words that say what is asked about it
    ("сколько людей в мире ..."). A query that is the member alone ("harm reduction") keeps every word whole.
    """
    inside: dict[str, int] = {}
    for member in sorted(named, key=len, reverse=True):
        own = [term for term in dict.fromkeys(member) if term in terms]
        for term in own:
            inside.setdefault(term, len(own))
    if not inside or all(term in inside for term in terms):
        return {}
    return {term: 1 / count for term, count in inside.items() if count > 1}


def parse(schema: Any, text: str, lang: str = "en") -> query.Query:
    """The user's query as Whoosh understands it, or its plain words if it cannot.

    Exclusions always exclude: "naloxone NOT prison" finds naloxone without
    prison (an OR group would otherwise also take everything without prison),
    and a query of exclusions alone is refused rather than inverted.
    """
    try:
        parsed = _parser(schema).parse(text)
        parsed = _exclusions_last(parsed.normalize())
    except UsageError:
        raise
    except Exception:  # noqa: BLE001 - malformed syntax is the user's right; use plain words
        return _plain_words_query(analyze(text, lang))
    if parsed is query.NullQuery:
        if _ONLY_EXCLUSIONS.match(text):
            raise UsageError(tr("the query only says what to leave out: add a word to look for"))
        return _plain_words_query(analyze(text, lang))
    return parsed


_ONLY_EXCLUSIONS = re.compile(r"^\s*(?:(?:-|NOT\s+)\S+\s*)+$")


def _exclusions_last(q: query.Query) -> query.Query:
    if isinstance(q, query.Not):
        raise UsageError(tr("the query only says what to leave out: add a word to look for"))
    if isinstance(q, query.AndNot) and q.a is query.NullQuery:
        raise UsageError(tr("the query only says what to leave out: add a word to look for"))
    if isinstance(q, query.Or):
        negatives = [sub.query for sub in q.subqueries if isinstance(sub, query.Not)]
        positives = [sub for sub in q.subqueries if not isinstance(sub, query.Not)]
        if negatives:
            if not positives:
                raise UsageError(tr("the query only says what to leave out: add a word to look for"))
            kept = positives[0] if len(positives) == 1 else query.Or(positives, boost=q.boost)
            return query.AndNot(kept, negatives[0] if len(negatives) == 1 else query.Or(negatives))
    return q


def _is_acronym(member: dict[str, Any]) -> bool:
    text = str(member["text"])
    return text.isupper() and text.isalpha()


def _acronym_typed(member: dict[str, Any], typed: set[str]) -> bool:
    """An acronym member (AIDS, ОЗТ) counts only when typed as itself (or its plural): stemmed, AIDS would be
    "aid", and "legal aid" would search for acquired immunodeficiency syndrome."""
    text = str(member["text"])
    if not (text.isupper() and text.isalpha()):
        return True
    return text.lower() in typed or text.lower() + "s" in typed


def _synonym_expansions(
    groups: list[list[dict[str, Any]]], words: list[str], typed: set[str] | None = None
) -> tuple[list[query.Query], list[str], list[str], list[tuple[str, ...]]]:
    """For every synonym group the query names in full, its group term in each field, and the other members' names;
    and the members of several words the query names.

    ``words`` are all the query's words, stop words kept, so a member matches
    only when every one of its words was typed: "hepatitis" alone names no
    hepatitis A group. The index marks each member occurrence with the
    group's term (see ``SynonymFilter``), so one term per field finds every member.
    """
    matches: list[query.Query] = []
    labels: list[str] = []
    names: list[str] = []
    named_members: list[tuple[str, ...]] = []
    joined = " " + " ".join(words) + " "
    for number, group in enumerate(groups):
        matched = {
            tuple(m["terms"])
            for m in group
            if m["terms"] and " " + " ".join(m["terms"]) + " " in joined and (typed is None or _acronym_typed(m, typed))
        }
        if not matched:
            continue
        label = synonym_label(number)
        labels.append(label)
        named_members += [m for m in matched if len(m) > 1]
        # A member of several words typed in full names the topic itself ("needle stick injury"): it counts more.
        longest = max(len(m) for m in matched)
        if longest > 1:
            named = NAMED_TOPIC_WEIGHT
        elif any(_is_acronym(m) for m in group if tuple(m["terms"]) in matched):
            named = ACRONYM_WEIGHT
        elif all(m.get("unused") for m in group if tuple(m["terms"]) in matched):
            # A word the guidance never uses ("cops", "нарыв") reaches it only through its group: the topic it names.
            named = UNUSED_WORD_WEIGHT
        else:
            # One everyday word ("needle", "detox") already finds itself; its synonyms only widen the search.
            named = ONE_WORD_WEIGHT
        for name, boost in FIELD_BOOSTS.items():
            weight = TOPIC_EXPANSION_WEIGHT if name in TOPIC_FIELDS else EXPANSION_WEIGHT
            matches.append(query.Term(name, label, boost=boost * weight * named))
        for member in group:
            if tuple(member["terms"]) not in matched:
                matched.add(tuple(member["terms"]))  # spelling variants analyse alike: name each once
                names.append(member["text"])
    return matches, labels, names, named_members


def _group_words(groups: list[list[dict[str, Any]]], label: str) -> frozenset[str]:
    """Every analysed word of a synonym group's members: a typed word among them is covered by the group."""
    number = int(label.removeprefix("syn").rstrip("_"))
    return frozenset(term for member in groups[number] for term in member["terms"])


def _phrase_bonus(terms: list[str], lang: str = "en") -> list[query.Query]:
    if len(terms) < 2:
        return []
    weight = PHRASE_WEIGHTS.get(lang, PHRASE_WEIGHT)
    return [query.Phrase(name, terms, slop=PHRASE_SLOP, boost=weight * FIELD_BOOSTS[name]) for name in PHRASE_FIELDS]


class Plan(NamedTuple):
    """How to run a query, in two passes for plain words.

    ``retrieve`` finds and counts the matches cheaply (one field); the best
    of them are then scored by ``core`` (field-weighted BM25F) plus
    ``bonus`` (phrases). Power-user syntax runs ``core`` alone.
    """

    core: query.Query
    retrieve: query.Query | None = None
    bonus: query.Query | None = None
    expansions: tuple[str, ...] = ()
    # Each typed word with the synonym-group terms that stand for it: what coverage counts.
    words: tuple[tuple[str, ...], ...] = ()


def build_query(store: Store, text: str) -> Plan:
    """The user's words, widened by synonyms, with phrase bonuses for plain queries.

    Phrase matching is slow over many documents, so phrases never decide what
    matches: they re-rank the best candidates of the cheap term query.
    """
    if _OPERATOR.search(text):
        return Plan(parse(store.index.schema, text, store.lang))
    # Plain words need no parser: every word, in every field.
    terms = analyze(text, store.lang)
    typed = {word.lower() for word in re.findall(r"[^\W\d_]+", text)}
    matches, labels, names, named = _synonym_expansions(store.synonyms, synonym_terms(text, store.lang), typed)
    parsed = _plain_words_query(terms, _shares(terms, named))
    labelled = [(label, _group_words(store.synonyms, label)) for label in labels]
    required = [q for q in (parsed, *matches) if q is not query.NullQuery]
    if not required:
        return Plan(query.NullQuery, expansions=tuple(names))
    core = required[0] if len(required) == 1 else query.Or(required)
    retrieve = query.Or(
        [query.Term("all", t) for t in dict.fromkeys(terms)]
        + [query.Term("all", label, boost=EXPANSION_WEIGHT) for label in labels]
    )
    bonuses = _phrase_bonus(terms, store.lang)
    words = tuple((term, *(label for label, members in labelled if term in members)) for term in dict.fromkeys(terms))
    return Plan(core, retrieve, query.Or(bonuses) if bonuses else None, tuple(names), words)


def _names_a_job_aid(store: Store, text: str) -> bool:
    return not store.job_aid_terms.isdisjoint(analyze(text, store.lang))


def _synonym_terms(groups: list[list[dict[str, Any]]]) -> set[str]:
    return {term for group in groups for member in group for term in member["terms"]}


def _max_edits(word: str) -> int:
    return 1 if len(word) <= 6 else 2 if len(word) <= 10 else 3


def _common_start(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def suggest(store: Store, searcher: Any, text: str) -> str | None:
    """The query with misspelled words replaced by the nearest indexed words."""
    reader = searcher.reader()
    stop = stop_words(store.lang)
    known_synonyms = _synonym_terms(store.synonyms)
    corrector = None
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal corrector, changed
        word = match.group(0)
        lower = word.lower()
        if lower in stop or reader.doc_frequency("words", lower):
            return word
        stems = analyze(lower, store.lang)
        if not stems or any(stem in known_synonyms for stem in stems):
            return word
        if any(reader.doc_frequency(name, stem) for stem in stems for name in ("title", "body", "tags")):
            return word
        if corrector is None:
            corrector = searcher.corrector("words")
        # Whoosh orders suggestions by frequency alone: ask for several, take the nearest, then the one that
        # starts most like the word typed (people slip later in a word more often than at its start: "abcess"
        # is abscess, not access), then the most used. Long words may be three edits out ("buprenorfin").
        options = corrector.suggest(lower, limit=12, maxdist=_max_edits(lower))
        options = [o for o in options if o not in stop]
        if not options:
            return word
        changed = True
        return str(
            min(
                options,
                key=lambda option: (edit_distance(lower, option), -_common_start(lower, option), options.index(option)),
            )
        )

    corrected = _WORD.sub(replace, text)
    return corrected if changed else None


def _only_endings(text: str, corrected: str) -> bool:
    """Whether every word the correction changed is the typed word less its ending: the same word, inflected."""
    changed = [
        (typed.lower(), fixed.lower())
        for typed, fixed in zip(_WORD.findall(text), _WORD.findall(corrected), strict=False)
        if typed != fixed
    ]
    return bool(changed) and all(len(fixed) >= 4 and typed.startswith(fixed) for typed, fixed in changed)


SNIPPET_CHARS = 300  # at most this much text around the first match


def _fragments(marked: str) -> tuple[tuple[str, bool], ...]:
    pieces: list[tuple[str, bool]] = []
    for part in re.split(f"({_MARK_START}[^{_MARK_END}]*{_MARK_END})", marked):
        if not part:
            continue
        if part.startswith(_MARK_START):
            pieces.append((part[1:-1], True))
        else:
            pieces.append((re.sub(r"\s+", " ", part), False))
    if pieces and not pieces[0][1]:
        pieces[0] = (pieces[0][0].lstrip(), False)
    return _clip(tuple(pieces))


def _clip(pieces: tuple[tuple[str, bool], ...]) -> tuple[tuple[str, bool], ...]:
    """Keep about SNIPPET_CHARS around the first match, marked with … where text was cut."""
    if sum(len(text) for text, _ in pieces) <= SNIPPET_CHARS:
        return pieces
    first = next((i for i, (_, matched) in enumerate(pieces) if matched), 0)
    before = SNIPPET_CHARS // 3
    out: list[tuple[str, bool]] = []
    lead = "".join(text for text, _ in pieces[:first])
    if len(lead) > before:
        out.append(("…" + lead[len(lead) - before :].lstrip(), False))
    elif lead:
        out.append((lead, False))
    room = SNIPPET_CHARS - len(out[0][0] if out else "")
    for text, matched in pieces[first:]:
        if room <= 0:
            break
        if len(text) > room:
            out.append((text[:room].rstrip() + "…", matched))
            break
        out.append((text, matched))
        room -= len(text)
    return tuple(out)


# Sentence ends and paragraph breaks (the plain text keeps blocks apart with blank lines).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def _marked(text: str, terms: frozenset[str], analyzer: Any) -> str | None:
    """``text`` with the words that become one of ``terms`` marked, or None when none does.

    One pass of the analyzer both decides and marks (stemming is most of a
    search's own time). mode="index" so it also marks synonym-group members,
    which then light up for a query that named another member of the group.
    Where marks overlap, the longest at a position wins, as in Whoosh's highlighter.
    """
    spans = [(t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="index") if t.text in terms]
    if not spans:
        return None
    out: list[str] = []
    index = 0
    for start, end in sorted(spans, key=lambda span: (span[0], span[0] - span[1])):
        if start < index:
            continue
        out += [text[index:start], _MARK_START, text[start:end], _MARK_END]
        index = end
    out.append(text[index:])
    return "".join(out)


def _snippet(
    summary: str, body: str, terms: frozenset[str], hints: tuple[str, ...], analyzer: Any
) -> tuple[tuple[str, bool], ...]:
    """The summary if it matches (it is written to be read in results), else the first matching body sentence.

    ``hints`` are lowercase word beginnings a matching sentence must contain;
    they let most sentences be skipped without running the analyzer.
    """
    for text in (summary, *_SENTENCE_END.split(body)):
        lower = text.lower()
        if not any(hint in lower for hint in hints):
            continue
        marked = _marked(text, terms, analyzer)
        if marked is not None:
            return _fragments(marked)
    return _clip(((summary, False),))


def _hints(terms: frozenset[str], expansions: tuple[str, ...]) -> tuple[str, ...]:
    # Stems and spelling folds change at most a word's last letters, so a
    # stem less its last two letters starts the word as written; synonym
    # group terms stand for members, whose first words are the hints.
    words = [t[: max(3, len(t) - 2)] for t in terms if not t.startswith("syn")]
    words += [member.split()[0].lower()[:4] for member in expansions if member.split()]
    return tuple(dict.fromkeys(words))


def _filter(chapter: int | None, tags: list[str]) -> query.Query | None:
    parts: list[query.Query] = []
    if chapter is not None:
        parts.append(query.Term("chapter", str(chapter)))
    if tags:
        parts.append(query.Or([query.Term("tag", t) for t in tags]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def known_tags(content: Content) -> list[str]:
    """Every tag in use, sections' and job aids' ("job aid" marks the aids)."""
    tags = {t for s in content.sections() for t in s.tags}
    tags |= {t for tool in content.tools for t in tool.tags}
    if content.tools:
        tags.add("job aid")
    return sorted(tags)


def matching_tags(content: Content, tag: str) -> list[str]:
    """The tags ``--tag`` selects: the tag itself, or every tag with it as a word ('hiv': 'tb/hiv')."""
    wanted = " ".join(tag.lower().split())
    tags = known_tags(content)
    if wanted in tags:
        return [wanted]
    return [t for t in tags if wanted in re.split(r"[\s/,()-]+", t)]


def _count(searcher: Any, q: query.Query, allowed: set[int] | None) -> int:
    """Exactly how many documents match (Whoosh's own count ignores filters)."""
    docs = _docs(searcher, q)
    return len(docs & allowed if allowed is not None else docs)


def _docs(searcher: Any, q: query.Query) -> set[int]:
    # Set algebra over posting lists: far cheaper than running scoring
    # matchers over every match of a broad query.
    if isinstance(q, query.Or):
        return set().union(*(_docs(searcher, sub) for sub in q.subqueries))
    if isinstance(q, query.And):
        parts = [_docs(searcher, sub) for sub in q.subqueries]
        return set.intersection(*parts) if parts else set()
    if isinstance(q, query.AndNot):
        return _docs(searcher, q.a) - _docs(searcher, q.b)
    if isinstance(q, query.AndMaybe):
        return _docs(searcher, q.a)
    return set(searcher.docs_for_query(q))


def _leaves(q: query.Query, boost: float = 1.0) -> list[query.Query]:
    """The scoring leaves of a query (terms and phrases), with boosts multiplied down."""
    if isinstance(q, (query.Term, query.Phrase)):
        return [q.with_boost(q.boost * boost)]
    if isinstance(q, query.AndNot):
        return _leaves(q.a, boost * q.boost)
    if isinstance(q, query.CompoundQuery):
        return [leaf for sub in q.subqueries for leaf in _leaves(sub, boost * q.boost)]
    return []


def _rescore(searcher: Any, q: query.Query, docnums: list[int]) -> dict[int, float]:
    """Scores of ``q``'s leaves summed for just these documents.

    Skipping each leaf's postings to a few dozen documents is far cheaper
    than letting Whoosh intersect a big query with a filter.
    """
    scores = dict.fromkeys(docnums, 0.0)
    ordered = sorted(docnums)
    for leaf in _leaves(q):
        matcher = leaf.matcher(searcher)
        for docnum in ordered:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                scores[docnum] += matcher.score()
    return scores


def _weigh_coverage(searcher: Any, scores: dict[int, float], words: tuple[tuple[str, ...], ...]) -> None:
    """Scale each score by the share of the query's words the item holds, to the power COVERAGE_WEIGHT.

    Field-weighted scores add up per field, so one common word found in every
    field of a section ("needle" in 3.2) can outweigh three rarer words that
    describe the situation; an item holding more of what was typed ranks higher.
    A word counts as held when the item has it or a synonym group it belongs to.
    """
    held = [set().union(*(_docs(searcher, query.Term("all", term)) for term in options)) for options in words]
    for docnum in scores:
        share = sum(docnum in docs for docs in held) / len(held)
        scores[docnum] *= share**COVERAGE_WEIGHT


def _query_terms(q: query.Query) -> frozenset[str]:
    return frozenset(text for _, text in q.iter_all_terms() if isinstance(text, str))


def _run(store: Store, searcher: Any, text: str, limit: int, filt: Any) -> tuple[int, list[Hit], list[str]]:
    plan = build_query(store, text)
    if plan.core is query.NullQuery:
        return 0, [], list(plan.expansions)
    allowed = set(searcher.docs_for_query(filt)) if filt is not None else None
    if plan.retrieve is None:
        top = searcher.search(plan.core, limit=limit, filter=allowed).top_n
        scores = {docnum: score for score, docnum in top}
        counted, terms = plan.core, _query_terms(plan.core)
    else:
        # Pass 1: candidates from the one-field query, cheap even when thousands match.
        top = searcher.search(plan.retrieve, limit=max(limit, RERANK_DEPTH), filter=allowed).top_n
        # Pass 2: only they are scored by field-weighted BM25F plus phrase bonuses.
        candidates = [docnum for _, docnum in top]
        scores = _rescore(searcher, plan.core, candidates)
        if plan.bonus is not None:
            for docnum, bonus in _rescore(searcher, plan.bonus, candidates).items():
                scores[docnum] += bonus
        counted, terms = plan.retrieve, _query_terms(plan.core) | _query_terms(plan.retrieve)
        if COVERAGE_WEIGHT and len(plan.words) > 1:
            _weigh_coverage(searcher, scores, plan.words)
    if _names_a_job_aid(store, text):
        factor = JOB_AID_BOOST
    elif len(_TYPED_WORD.findall(text)) <= TERM_WORDS:
        factor = JOB_AID_UNNAMED
    else:
        factor = 1.0
    if factor != 1.0:
        # One posting list names the job aids; reading each candidate's stored fields would cost far more.
        for docnum in _docs(searcher, query.Term("kind", "tool")) & scores.keys():
            scores[docnum] *= factor
    ranked = sorted(scores, key=lambda docnum: (-scores[docnum], docnum))[:limit]
    # The count runs its own query; it can never be below what was ranked (a wildcard can count differently).
    total = max(_count(searcher, counted, allowed), len(ranked)) if ranked else 0
    analyzer = searcher.schema["summary"].analyzer
    hints = _hints(terms, plan.expansions)
    hits = []
    for docnum in ranked:
        stored = searcher.stored_fields(docnum)
        remember_terms(stored.get("terms", ""), store.lang)
        title, chapter, chapter_title = store.titles.get(stored["id"], ("", None, ""))
        hits.append(
            Hit(
                id=stored["id"],
                kind=stored["kind"],
                score=float(scores[docnum]),
                title=title,
                chapter=chapter,
                chapter_title=chapter_title,
                fragments=_snippet(stored["summary"], stored["body"], terms, hints, analyzer),
            )
        )
    return total, hits, list(plan.expansions)


def search(
    store: Store,
    text: str,
    *,
    chapter: int | None = None,
    tag: str | None = None,
    limit: int = 10,
) -> SearchResult:
    """Ranked sections and job aids for ``text``; NotFound only for a filter that matches nothing."""
    if limit < 1:
        raise UsageError(tr("--limit must be at least 1"))
    tidy = _tidy(text)
    if not tidy.strip():
        raise UsageError(tr("say what to look for, e.g. iduit search overdose"))
    if tag is not None and not tag.strip():
        raise UsageError(tr("--tag needs a tag; iduit tags lists them"))
    tags = matching_tags(store.content, tag) if tag else []
    if tag and not tags:
        from difflib import get_close_matches

        near = get_close_matches(tag.strip().lower(), known_tags(store.content), n=3, cutoff=0.5)
        raise NotFound(tr("no section has the tag '{tag}'").format(tag=tag), near)
    filt = _filter(chapter, tags)
    with store.searcher() as searcher:
        total, hits, names = _run(store, searcher, tidy, limit, filt)
        suggestion = suggest(store, searcher, tidy)
        corrected = False
        # A word the guidance never uses is a typo in a short query: its correction is searched, when that
        # finds anything. In a longer one that found something it is more likely an everyday word the guidance
        # has no use for ("cops hanging around…" is not "handing"): the correction is only offered, unless it
        # only cuts an ending the stemmer missed ("наркоманами": "наркоман").
        short = len(_TYPED_WORD.findall(tidy)) <= CORRECTED_WORDS
        if suggestion and (not total or short or _only_endings(tidy, suggestion)):
            fixed = _run(store, searcher, suggestion, limit, filt)
            if fixed[0] > 0:
                total, hits, names = fixed
                corrected = True
    return SearchResult(
        query=safe_text(text),
        total=total,
        hits=tuple(hits),
        suggestion=suggestion,
        corrected=corrected,
        expansions=tuple(names),
    )


def tag_counts(content: Content) -> list[tuple[str, int]]:
    """Every tag with how many sections and job aids carry it, most used first."""
    from collections import Counter

    counts: Counter[str] = Counter(t for s in content.sections() for t in set(s.tags))
    counts.update(t for tool in content.tools for t in {*tool.tags, "job aid"})
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def require_hits(result: SearchResult, *, chapter: int | None = None, tag: str | None = None) -> None:
    """NotFound, naming the filter that emptied the search and what to try next, when nothing was found."""
    if result.total:
        return
    scope = "".join(
        [
            tr(" in chapter {chapter}").format(chapter=chapter) if chapter is not None else "",
            tr(" tagged '{tag}'").format(tag=tag) if tag else "",
        ]
    )
    if result.suggestion:
        hint = tr("; did you mean “{suggestion}”?").format(suggestion=result.suggestion)
    elif scope:
        hint = tr("; try without the filter")
    else:
        hint = tr("; try fewer or other words, or iduit define for an acronym")
    raise NotFound(tr("nothing found for “{query}”{scope}{hint}").format(query=result.query, scope=scope, hint=hint))
