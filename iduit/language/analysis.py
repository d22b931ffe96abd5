"""Language rules for search: words, stop and question words, spelling folds, stems, synonyms.

The index and the query side both go through these functions, so a word is
always reduced the same way. Each language has its rules, chosen by code
("en", "ru"): English folds British and American spellings and takes
Porter stems; Russian folds ё into е and takes Snowball stems. Spelling
variants are handled here, in code, and nowhere else: synonym groups
(``data/synonyms.yaml``, ``data/locales/ru/synonyms.yaml``) are for
different words with the same meaning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem

# Words that carry no topic in a question ("how do I ...", "what is ...").
QUESTION_WORDS = frozenset(
    """how what when where why who whom which whose do does did done doing i me my we our you your
    someone somebody anyone something should could would must need needs get got about there here
    their them they its it's is are was were been being much many very also just like into than then s t""".split()
)
STOP = frozenset(STOP_WORDS) | QUESTION_WORDS
# Snowball's Russian stop words as Whoosh ships them, copied: whoosh.lang.stopwords holds twenty languages
# and cost a Russian search its import at every start. A test holds the copy equal to Whoosh's list.
RUSSIAN_STOP_WORDS = frozenset(
    """а без более больше будет будто бы был была были было быть в вам вас вдруг ведь во вот впрочем все
    всегда всего всех всю вы где да даже два для до другой его ее ей ему если есть еще ж же за зачем
    здесь и из или им иногда их к как какая какой когда конечно кто куда ли лучше между меня мне много
    может можно мой моя мы на над надо наконец нас не него нее ней нельзя нет ни нибудь никогда ним них
    ничего но ну о об один он она они опять от перед по под после потом потому почти при про раз разве с
    сам свою себе себя сейчас со совсем так такой там тебя тем теперь то тогда того тоже только том тот
    три тут ты у уж уже хорошо хоть чего чем через что чтоб чтобы чуть эти этого этой этом этот эту я""".split()
)
# Russian: the words of a question ("как ...", "что делать, если ..."), stop words too.
RUSSIAN_QUESTION_WORDS = frozenset(
    """как какой какая какое какие каков что чем чего кто кого кому где куда откуда когда почему зачем
    сколько ли можно нужно надо делать если это этот эта эти есть мне нам вам меня нас вас мой наш ваш
    ещё еще очень также просто который которая которые о об про для""".split()
)


@functools.lru_cache(maxsize=4)
def stop_words(lang: str = "en") -> frozenset[str]:
    """Words that carry no topic in ``lang``: left out of the index and of queries."""
    if lang == "ru":
        return frozenset(w.replace("ё", "е") for w in RUSSIAN_STOP_WORDS) | RUSSIAN_QUESTION_WORDS
    return STOP


@functools.lru_cache(maxsize=1)
def _russian_stem() -> Any:
    from iduit.language.vendor.snowball.russian_stemmer import RussianStemmer

    return RussianStemmer().stemWord  # type: ignore[no-untyped-call]


# British -> American, applied after lowercasing and before stemming, at index
# and query time alike, so either spelling finds both. Over-eager rules are
# harmless: both sides go through the same mapping.
# Patterns as text: re compiles (and caches) one the first time a word needs it, not at every start.
_SPELLING_RULES: tuple[tuple[str, str], ...] = (
    (r"^programme", "program"),
    (r"^(\w{3,})([iy])s(e|es|ed|ing|er|ers|ation|ations)$", r"\1\2z\3"),
    (r"^(\w{3,})our(s|ed|ing|al|able|ite|ites)?$", r"\1or\2"),
    (r"^(\w{2,})tre(s|d)?$", r"\1ter\2"),
    (r"^(h|p|an|orthop)ae", r"\1e"),
    (r"^oe(soph|str)", r"e\1"),
    (r"oea$", "ea"),
    (r"^(\w{3,})ogue(s)?$", r"\1og\2"),
    (r"^(\w{4,}[aeiou])ll(ing|ed|er|ers|or|ors)$", r"\1l\2"),
)
_SPELLING_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "judgement": "judgment",
    "judgements": "judgments",
    "ageing": "aging",
    "enrolment": "enrollment",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "grey": "gray",
    "cheque": "check",
    "tyre": "tire",
}
# Most words match no rule: one cheap test rejects them before the rules run.
_MAYBE_BRITISH = re.compile(r"programme|[iy]s(e|es|ed|ing|er|ers|ation|ations)$|our|tre|^(h|p|an|orthop)ae|oe|ogue|ll")


@functools.lru_cache(maxsize=65536)
def americanize(word: str) -> str:
    """One spelling for words that British and American English spell apart."""
    if word in _SPELLING_WORDS:
        return _SPELLING_WORDS[word]
    if not _MAYBE_BRITISH.search(word):
        return word
    for pattern, replacement in _SPELLING_RULES:
        word = re.sub(pattern, replacement, word)
    return word


# Index terms worked out when the store was built, by language (see ``word_terms``): showing a hit's
# snippet then stems no word afresh, which in Russian is most of a search's own time.
_KNOWN: dict[str, dict[str, str]] = {}


@functools.lru_cache(maxsize=65536)
def normalize(word: str, lang: str = "en") -> str:
    """A lowercase word's index term: one spelling, then its stem (Porter in English, Snowball in Russian)."""
    known = _KNOWN.get(lang)
    if known is not None and word in known:
        return known[word]
    if lang == "ru":
        folded = word.replace("ё", "е")
        # Latin words in Russian text (acronyms, drug names, URLs) keep the English rules.
        return str(_russian_stem()(folded)) if _CYRILLIC.search(folded) else str(stem(americanize(folded)))
    return str(stem(americanize(word)))


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def synonym_label(group: int) -> str:
    """The index term that stands for 'any member of synonym group N'."""
    return f"syn{group}_"


class NormalizeFilter(Filter):  # type: ignore[misc]  # Whoosh ships no type hints
    """Folds spellings together, then stems (cached per word), by the rules of the index's language.

    Whoosh's own StemFilter would also load its morphology tables, which
    cost start-up time for nothing here. Synonym markers pass untouched.
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        lang = getattr(self, "lang", "en")
        for token in tokens:
            if not token.stopped and not getattr(token, "synonym", False):
                token.text = normalize(token.text, lang)
            yield token


class SynonymFilter(Filter):  # type: ignore[misc]
    """At index time, marks every synonym-group member found in the text with its group's term.

    "needle and syringe programme" in a body also indexes ``syn12_`` at the
    position of "needle"; a query naming any member of group 12 ("needle
    exchange", "SSP") then needs one cheap term per field instead of a
    phrase per member. It runs before stop words are removed and compares
    every word of a member, so "hepatitis A" marks the hepatitis A group and
    plain "hepatitis" marks nothing. Query-mode text passes through untouched.
    """

    def __init__(self, groups: Sequence[Sequence[Sequence[str]]], lang: str = "en") -> None:
        self.lang = lang
        self.starts: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for number, group in enumerate(groups):
            for terms in group:
                if terms:
                    self.starts.setdefault(terms[0], []).append((tuple(terms), synonym_label(number)))
        for options in self.starts.values():
            options.sort(key=lambda option: -len(option[0]))

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        # Tokenizers reuse one Token object, so looking ahead needs copies.
        buffered = [token.copy() for token in tokens]
        lang = getattr(self, "lang", "en")
        words = [normalize(token.text, lang) for token in buffered]
        for i, token in enumerate(buffered):
            yield token
            if token.mode == "query" or words[i] not in self.starts:
                continue
            added: set[str] = set()
            for terms, label in self.starts[words[i]]:
                end = i + len(terms)
                if label in added or tuple(words[i:end]) != terms:
                    continue
                added.add(label)
                marker = token.copy()
                marker.text = label
                marker.synonym = True
                if hasattr(marker, "endchar"):
                    marker.endchar = buffered[end - 1].endchar
                yield marker


class StopWordFilter(Filter):  # type: ignore[misc]
    """Drops stop words and numbers the remaining words 0, 1, 2 … as Whoosh's StopFilter does.

    Unlike it, a synonym marker takes the position of the word it stands on
    instead of one of its own, so phrases after a synonym still match. Every
    other word, single letters included (hepatitis B and C), is kept.
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        stop = stop_words(getattr(self, "lang", "en"))
        pos: int | None = None
        for token in tokens:
            if getattr(token, "synonym", False):
                if token.positions and pos is not None:
                    token.pos = pos
                token.stopped = False
                yield token
            elif token.text.replace("ё", "е") not in stop:
                if token.positions:
                    pos = token.pos if pos is None else pos + 1
                    token.pos = pos
                token.stopped = False
                yield token


def text_analyzer(synonym_groups: Sequence[Sequence[Sequence[str]]] | None = None, lang: str = "en") -> Any:
    """Words, lowercased, (marked with synonyms,) without stop words, one spelling, stemmed."""
    chain = RegexTokenizer() | LowercaseFilter()
    if synonym_groups:
        chain = chain | SynonymFilter(synonym_groups, lang)
    return chain | StopWordFilter(lang) | NormalizeFilter(lang)


def words_analyzer() -> Any:
    """Unstemmed lowercase words: the vocabulary spelling suggestions come from."""
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


@functools.lru_cache(maxsize=4)
def _plain_analyzer(lang: str = "en") -> Any:
    return text_analyzer(lang=lang)


@functools.lru_cache(maxsize=1)
def _word_splitter() -> Any:
    return RegexTokenizer() | LowercaseFilter()


def analyze(text: str, lang: str = "en") -> list[str]:
    """The index terms a piece of text becomes (what queries are matched on)."""
    return [token.text for token in _plain_analyzer(lang)(text)]


def synonym_terms(text: str, lang: str = "en") -> list[str]:
    """Every word of ``text``, spelling-folded and stemmed, stop words kept: how synonym members are compared."""
    return [normalize(token.text, lang) for token in _word_splitter()(text)]


def word_terms(text: str, lang: str = "en") -> str:
    """Each distinct word of ``text``, tab-separated, then a newline and their index terms in the same order.

    Kept with each indexed document; two lists instead of pairs so reading them back is two splits.
    """
    words = list(dict.fromkeys(token.text for token in _word_splitter()(text)))
    return "\t".join(words) + "\n" + "\t".join(normalize(word, lang) for word in words)


def remember_terms(stored: str, lang: str = "en") -> None:
    """Take the index terms ``word_terms`` worked out at build time, so ``normalize`` need not redo them."""
    words, _, terms = stored.partition("\n")
    listed, found = words.split("\t"), terms.split("\t")
    if terms and len(listed) == len(found):  # anything else is not what a build wrote: stem afresh
        _KNOWN.setdefault(lang, {}).update(zip(listed, found, strict=True))


def analyzed_synonyms(groups: Sequence[Sequence[str]], lang: str = "en") -> list[list[list[str]]]:
    return [[synonym_terms(term, lang) for term in group] for group in groups]
