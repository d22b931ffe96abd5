"""How search ranks, in one place: the terminal's weights, and the website's, which it reads from here.

The terminal scores with Whoosh's BM25F: each field's length is normalised,
so one word in a five-word title already counts far more than one in a
500-word body, and equal field weights ranked best on the relevance set
(``tests/relevance/queries.tsv``; measure with ``bench/relevance.py``).
The browser's MiniSearch scores every field with plain BM25 and no field
normalisation across fields, so it needs the order of the fields said
outright; ``BROWSER`` gives it, and ``iduit site`` writes it into the site's
search index, so search.js holds no numbers of its own
(``bench/site.py`` ranks the same queries in Chromium beside the terminal).
"""

from __future__ import annotations

from typing import Any

# Query-time field weights for BM25F. Title and tag matches already weigh most:
# BM25F normalises by field length, so one word in a five-word title counts
# far more than one in a 500-word body, and the candidate pass repeats titles
# and tags. Tags weigh a little more: they say what a section is *about*, so
# the section about a term beats one that lists it (OAT: 3.3 before 0.4 on
# terminology). On the relevance sets tags at 1.5 moved English MRR from 0.924
# to 0.929 and Russian from 0.910 to 0.907; boosting titles made both worse
# (measure with bench/relevance.py and --lang ru).
FIELD_BOOSTS: dict[str, float] = {
    "title": 1.0,
    "tags": 1.5,
    "summary": 1.0,
    "body": 1.0,
    "points": 1.0,
    # Examples are real programmes: a place or a network's name typed is looked for here (0.5 -> 1.0 moved
    # the grown English set from 0.903 to 0.909).
    "examples": 1.0,
    # The titles of the documents behind examples and updates (a union's full name, a strategy's title):
    # names people know, weighted low because a title's other words are general.
    "sources": 0.3,
}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)
# A synonym in the body counts for less than the word the user typed; in a
# title or tags it says what the section is about, whatever word was used.
EXPANSION_WEIGHT = 0.2
TOPIC_EXPANSION_WEIGHT = 0.6
TOPIC_FIELDS = frozenset({"title", "tags"})
# The words side by side, as typed, count extra. Less in Russian: its word order is free and the stemmer
# folds cases, so words side by side there often belong to different thoughts ("клиентов, которых
# задержали" in a line on ART is no answer to "клиента задержали"). Russian at 1.0 (0.5 measures alike)
# moved its set from 0.949 to 0.953 with the held-out set unchanged; English at 1.0 fell from 0.961 to 0.959.
PHRASE_WEIGHTS = {"en": 2.0, "ru": 1.0}
PHRASE_WEIGHT = PHRASE_WEIGHTS["en"]
# Named things (an example's title, an update's document) are phrases: they count in every field they are in.
PHRASE_FIELDS = ("title", "summary", "body", "points", "examples", "sources")
PHRASE_SLOP = 2  # how far apart the typed words may stand and still count as the phrase
RERANK_DEPTH = 50  # candidates of the cheap first pass that the field-weighted second pass scores
# Scores add up field by field, so one common word found in every field of a section can outweigh
# three rarer words that describe a situation: each score is scaled by the share of the typed words the
# item holds, to this power (0 turns it off). At 1 it moved the grown sets from 0.926 to 0.942 (English)
# and 0.910 to 0.929 (Russian); 0.5 to 3 all land within 0.01 of that.
COVERAGE_WEIGHT = 1.0
AND_BONUS = 0.9  # Whoosh's OrGroup factor for power-user queries: more of the words found ranks higher
NAMED_TOPIC_WEIGHT = 2.0  # a synonym of several words, typed in full, weighs more than a one-word one
# One everyday word ("needle", "detox") already finds itself; its one-word synonyms only widen the search.
ONE_WORD_WEIGHT = 0.5
# A one-word member the guidance never or seldom uses ("cops", "нарыв", "передоз") does not find the topic by
# itself: its group is the way there, so it weighs as a topic named in full. Seldom: in fewer than one item in
# RARE_SHARE of those its group is in (2 and 4 measure alike). Worked out when the store is built. Never used
# alone moved English 0.960 -> 0.961 and Russian 0.933 -> 0.936; seldom used, Russian 0.937 -> 0.942 and the
# English held-out set 0.955 -> 0.962.
UNUSED_WORD_WEIGHT = NAMED_TOPIC_WEIGHT
RARE_SHARE = 2
# An acronym typed as itself (OST, ОЗТ) is the topic's own name: a section with the topic in its title or
# tags counts as if the acronym were written there, so the section about OST beats a job aid or section
# that has "OST" in a title or tag of its own (T6, take-home OST; 5.3, OST coverage).
ACRONYM_WEIGHT = 1 / TOPIC_EXPANSION_WEIGHT

# Someone who names a form, card or checklist wants a job aid: those rank higher for such a query.
# The words are matched as analysed (stemmed), in the language of the index.
JOB_AID_WORDS = {
    "en": "form forms sheet card checklist template record log outline procedure clauses worksheet",
    # Лист (sheet), and the everyday words for a procedure: порядок действий, алгоритм, инструкция.
    "ru": "форма бланк карточка памятка чек-лист шаблон журнал план положение процедура перечень таблица "
    "лист алгоритм инструкция порядок",
}
JOB_AID_BOOST = 1.6
# A bare term of at most TERM_WORDS words as typed (OST, NSP, MOU, detox) asks what it is: the section about
# it answers, not a job aid that applies it (T6 on take-home OST), so job aids count for less. A longer query
# or a question ("how many needles should we buy") describes a situation and may well want the job aid.
JOB_AID_UNNAMED = 0.5
TERM_WORDS = 2
# A query of at most this many words whose word the guidance never uses is searched as corrected ("nalaxone",
# "methadon dose"); a longer one that finds something keeps its words and is offered the correction, since an
# unknown word there is more often an everyday one ("hanging", "cleaner") than a slip. 3 moved the English set
# from 0.954 to 0.960 and the Russian held-out set from 0.913 to 0.920 (2 cost Russian 0.003; 4 is the same).
CORRECTED_WORDS = 3

# The website: the same fields, weighted for MiniSearch's scoring; synonyms as in the terminal
# (a topic synonym counts TOPIC_EXPANSION_WEIGHT of a title match, a mention EXPANSION_WEIGHT).
BROWSER_FIELD_BOOSTS: dict[str, float] = {
    "title": 3.0,
    "tags": 2.0,
    "summary": 1.5,
    "body": 1.0,
    "points": 1.0,
    "examples": 0.5,
    "sources": 0.3,
}


def browser() -> dict[str, Any]:
    """What the site's search.js ranks with: field boosts, synonym weights and the job-aid rule.

    The job-aid words go as search_data.py analyses them for the site (``jobAidWords``).
    """
    return {
        "jobAidBoost": JOB_AID_BOOST,
        "jobAidUnnamed": JOB_AID_UNNAMED,
        "termWords": TERM_WORDS,
        "coverage": COVERAGE_WEIGHT,
        "fields": list(SEARCH_FIELDS),
        "boost": BROWSER_FIELD_BOOSTS,
        # A group named by a member of several words, or by a word the guidance seldom uses (the site's index
        # lists those, ``unused``), weighs as in the terminal. One everyday word keeps its group at 1: MiniSearch
        # already scores a one-word synonym low, and ONE_WORD_WEIGHT there cost English 0.945 -> 0.942.
        # Together these moved the Russian set from 0.941 to 0.952 in the browser (held-out sets unchanged).
        "namedTopic": NAMED_TOPIC_WEIGHT,
        "unusedWord": UNUSED_WORD_WEIGHT,
        "synonymBoost": {
            "topics": TOPIC_EXPANSION_WEIGHT * BROWSER_FIELD_BOOSTS["tags"],
            "titleTopics": TOPIC_EXPANSION_WEIGHT * BROWSER_FIELD_BOOSTS["title"],
            "mentions": EXPANSION_WEIGHT,
            "acronymTopics": TOPIC_EXPANSION_WEIGHT * ACRONYM_WEIGHT * BROWSER_FIELD_BOOSTS["tags"],
            "acronymTitleTopics": TOPIC_EXPANSION_WEIGHT * ACRONYM_WEIGHT * BROWSER_FIELD_BOOSTS["title"],
        },
    }
