"""What Kiwix's full-text search reads in iduit's ZIM: the text, keywords and snippet of each page.

Kiwix searches a ZIM with the Xapian index libzim writes into it, and wants
every word of a query, stop words too ("how", "what", "I"). Left to itself,
libzim indexes each page's HTML: the digest's citation, the links to related
sections and the list of sources count as much as the section's own words.
iduit gives libzim the index text of each section and job aid itself
(``IndexData``):

- the text: the page's own words (summary, body, key points, actions,
  examples, changes since 2017; a job aid's purpose, use, aid and
  adaptation), without the citation, navigation or links; then, counted
  once each, every name of a synonym group (``synonyms.yaml``) the text
  mentions; in English, the American spelling of each word British English
  spells apart, once per occurrence, so "program" finds "programme"; and
  the stop and question words iduit's own search ignores and those of
  libzim's own lists (``stopwords_iso``, which libzim never loads for a
  three-letter language code), so Kiwix no longer requires a page to hold
  them; in Russian, each word as it is most
  often misspelt (``misspellings``: one unstressed vowel swapped, a doubled
  consonant typed once, ш for щ, цы for ци, no soft sign, a silent consonant
  left out or added, ё typed о), once per occurrence so a slip ranks as the
  word would, but never a slip that stems as a word the book uses: Kiwix
  corrects no spelling, and this finds "налаксон" and "дискриминацыя";
- the keywords, which libzim weighs three times a word of the text: a
  section's tags, the names of the synonym groups its tags, summary, key
  points or actions name, and the glossary terms that point at it with
  their expansions and aliases (acronyms, and the English names in a
  translation); the other names of what its title names weigh as much as
  the title;
- the title, which libzim weighs more the longer the text.

Kiwix's ranking favours short pages, and job aids are short: a job aid's
title and tags count as words of its text, and its keywords are the words
that ask for one (form, card, checklist: ``JOB_AID_WORDS``), so the section
comes first unless the query asks for a form, as in iduit's own search. A
reader who types a job aid's title is offered it by Kiwix's title
suggestions, which this does not touch. In Russian a job aid also holds, once
each, the words of the sections it serves that it does not use itself
(``_section_words``), so a reader who describes the situation finds it
though Kiwix wants every word on one page.

libzim lowercases and strips accents from the text it indexes itself (``й``
becomes ``и``, ``ё`` becomes ``е``), and since version 9 from every query,
but not from text handed to it: ``both_forms()`` gives each word folded and,
for readers with an older libzim, as written.

Kiwix's snippet is not taken from the index but from the page's HTML, as
libzim's HTML parser reads it, and is the window of text with the most query
words; the query's words are stemmed and the page's are not, so it rarely
finds one and shows the end of the text, which was the citation. ``snippet_html``
marks everything but the summary (on the glossary, everything but the terms)
with the ``htdig_noindex`` comments that parser skips, so the snippet is the
section's summary. Browsers ignore the comments: the page looks the same.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from iduit.content.bodies import plain_text
from iduit.content.model import Chapter, Section, Term, Tool
from iduit.language.analysis import americanize, normalize, stop_words, synonym_terms
from iduit.language.messages import tr
from iduit.language.vendor import stopwords_iso
from iduit.outline import Document
from iduit.search.ranking import JOB_AID_WORDS


@dataclass(frozen=True)
class IndexText:
    """What Kiwix's full-text index holds for a page (given to libzim instead of the page's HTML)."""

    title: str
    content: str
    keywords: str
    words: int  # of the text as written


WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")))


def fold(text: str) -> str:
    """Lowercase, accents and other marks removed: what libzim does to a query (``zim::removeAccents``)."""
    return WORD.sub(lambda m: m[0] if m[0].isascii() else _fold_word(m[0]), unicodedata.normalize("NFC", text.lower()))


def both_forms(text: str) -> str:
    """``text`` folded, then each word that folding changes as written (lowercase), once per occurrence.

    libzim folds queries since version 9 (Kiwix's apps); libzim 8 (Debian's kiwix-tools) looks the
    words up as typed. Either finds "заместительной" and "ещё": each sees one form per occurrence.
    """
    changed = [w for w in WORD.findall(text.lower()) if not w.isascii() and _fold_word(w) != w]
    return fold(text) + ("\n" + " ".join(changed) if changed else "")


# The spelling slips Russian readers make most (unstressed vowels, a doubled or silent consonant,
# ш for щ, цы for ци, a dropped soft sign, ё written о): each a pattern and what it may be typed as.
_SLIPS = (
    (re.compile("[оа]"), {"о": "а", "а": "о"}),
    (re.compile("[еи]"), {"е": "и", "и": "е"}),
    (re.compile("ё"), {"ё": "о"}),
    (re.compile(r"([бвгджзклмнпрстфхц])\1"), None),  # doubled: typed once
    (re.compile("щ"), {"щ": "ш"}),
    (re.compile("ци"), {"ци": "цы"}),
    (re.compile("[ьъ]"), {"ь": "", "ъ": ""}),
    (re.compile("(?<=с)т(?=н)|(?<=к)т(?=н)|(?<=з)д(?=н)|с(?=ц)|д(?=ж)"), {"т": "", "д": "", "с": ""}),
    (re.compile("(?<=с)(?=н)"), {"": "т"}),  # a silent т where there is none
)
SLIP_MIN = 5  # shorter words: a slip is too often another word


@functools.lru_cache(maxsize=65536)
def misspellings(word: str) -> tuple[str, ...]:
    """``word`` with each one of the common Russian spelling slips (``_SLIPS``), each once."""
    if len(word) < SLIP_MIN or word.isascii():
        return ()
    found: dict[str, None] = {}
    for pattern, typed in _SLIPS:
        for match in pattern.finditer(word):
            start, end = match.span()
            slip = match[0][0] if typed is None else typed.get(match[0], match[0])
            variant = word[:start] + slip + word[end:]
            if variant != word:
                found[variant] = None
    return tuple(found)


def _slips(text: str, real: frozenset[str]) -> str:
    """Every slip of every word of ``text``, once per occurrence, but those that stem as a word the book uses."""
    slips = (v for w in WORD.findall(text.lower()) for v in misspellings(w))
    return " ".join(v for v in slips if normalize(v, "ru") not in real)


class Book:
    """The whole document a ZIM is written from, with what every page's index text reads of it, worked out once."""

    def __init__(self, document: Document) -> None:
        self.document = document

    @functools.cached_property
    def items(self) -> dict[str, Section | Tool]:
        """Every section and job aid, by id."""
        found: dict[str, Section | Tool] = {}
        book = self.document
        for part in (book, *book.parts, *(sub for top in book.parts for sub in top.parts)):
            for item in (s for i in part.items for s in (i.sections if isinstance(i, Chapter) else (i,))):
                found[item.id] = item
        return found

    @functools.cached_property
    def stems(self) -> frozenset[str]:
        """The stem of every word of the sections, job aids and glossary: a slip that stems as one is a real word."""
        texts: list[str] = []
        for item in self.items.values():
            topic, text = _section_texts(item) if isinstance(item, Section) else _tool_texts(item)
            texts += topic + text
        texts += [t for term in self.document.glossary for t in _term_texts(term)]
        return frozenset(normalize(w, "ru") for w in WORD.findall(" ".join(texts).lower()))


KEYWORD_WEIGHT = 3  # libzim counts a keyword three times a word of the text


def _section_texts(section: Section) -> tuple[list[str], list[str]]:
    """Where the section names its topic (title, tags, summary, key points, actions), and its words."""
    topic = [section.title, *section.tags, section.summary, *section.key_points, *section.actions]
    text = [section.summary, *section.key_points, *section.actions, plain_text(section.body)]
    text += [f"{e.title}\n{e.place}\n{e.text}" for e in section.examples]
    text += [u.text for u in section.updates]
    return topic, text


def _tool_texts(tool: Tool) -> tuple[list[str], list[str]]:
    topic = [tool.title, *tool.tags, tool.purpose, tool.when_to_use]
    return topic, [tool.purpose, tool.when_to_use, plain_text(tool.aid), tool.adapt]


def _term_texts(term: Term) -> list[str]:
    return [term.term, term.expansion, *term.aliases, term.definition]


def _american(text: str) -> str:
    """The American spelling of every word British English spells apart, once per occurrence."""
    return " ".join(a for w in WORD.findall(text.lower()) if (a := americanize(w)) != w)


@functools.lru_cache(maxsize=4)
def _analysed(groups: tuple[tuple[str, ...], ...], lang: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    return tuple(tuple(tuple(synonym_terms(name, lang)) for name in group) for group in groups)


def synonym_names(text: str, groups: tuple[tuple[str, ...], ...], lang: str) -> list[str]:
    """Every name of each synonym group one of whose names ``text`` contains (in any word form)."""
    words = synonym_terms(text, lang)
    starts: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        starts.setdefault(word, []).append(i)

    def named(terms: tuple[str, ...]) -> bool:
        return bool(terms) and any(tuple(words[i : i + len(terms)]) == terms for i in starts.get(terms[0], ()))

    names: list[str] = []
    for group, analysed in zip(groups, _analysed(groups, lang), strict=True):
        if any(named(terms) for terms in analysed):
            names += group
    return names


def index_text(part: Document, whole: Book) -> IndexText | None:
    """The index text of one page of the book, or None where libzim should read the page's HTML itself."""
    book = whole.document
    topic: list[str] = []
    text: list[str] = []
    keywords: list[str] = []
    # A whole chapter is one page only when exported on its own (in --all it stays out of the index).
    items = [s for item in part.items for s in (item.sections if isinstance(item, Chapter) else (item,))]
    sections = [item for item in items if isinstance(item, Section)]
    for item in items:
        if isinstance(item, Section):
            more_topic, more_text = _section_texts(item)
            keywords += item.tags
        else:
            more_topic, more_text = _tool_texts(item)
            more_text.append("\n".join(item.tags))
            if part.lang == "ru":
                more_text.append(_section_words(item, whole, more_text))
            keywords += [tr("Job aids"), JOB_AID_WORDS.get(part.lang, "")]
        topic += more_topic
        text += more_text
        keywords += [name for term in book.glossary if item.id in term.sections for name in _term_names(term)]
    for term in _glossary(part, book):
        text += _term_texts(term)
    if not text:
        return None
    words = "\n\n".join(t for t in text if t)
    count = len(WORD.findall(words))
    named = synonym_names(part.title, book.synonyms, part.lang)
    keywords += named * (-(-(len(words) // 500 + 1) // KEYWORD_WEIGHT) if sections else 1)  # as the title weighs
    topical = synonym_names("\n".join(topic), book.synonyms, part.lang)
    keywords += [n for n in topical if n not in named]
    words += "\n\n" + "\n".join(n for n in synonym_names(words, book.synonyms, part.lang) if n not in topical)
    if part.lang == "en":
        words += "\n\n" + _american(words) + "\n" + _american(" ".join(keywords))
    if part.lang == "ru":  # Kiwix corrects no spelling: the slips a reader makes find the page
        real = whole.stems
        words += "\n\n" + _slips(words, real) + "\n" + _slips(" ".join(keywords), real)
    words += "\n\n" + " ".join(sorted(stop_words(part.lang) | stopwords_iso.words(part.lang)))
    title = part.title
    if not sections:  # a job aid, the glossary: the title counts as text
        words, title = f"{title}\n\n{words}", ""
    return IndexText(
        title=both_forms(title), content=both_forms(words), keywords=both_forms(" ".join(keywords)), words=count
    )


def _section_words(tool: Tool, whole: Book, own: list[str]) -> str:
    """The words of the sections a job aid serves that it does not use itself, once each.

    Kiwix wants every word of a query on one page, and a Russian reader describes the situation
    ("укололся иглой когда убирал территорию") in the words of the section rather than the form's.
    Once each, on a page already short, they let the job aid be found without outranking its
    section, which holds them many times. In English this cost more than it gained (bench).
    """
    every = whole.items
    words = set(WORD.findall("\n".join(own).lower()))
    more: list[str] = []
    for section in (every.get(i) for i in tool.sections):
        if isinstance(section, Section):
            new = set(WORD.findall("\n".join(_section_texts(section)[1]).lower())) - words
            more += sorted(new)
            words |= new
    return " ".join(more)


def _term_names(term: Term) -> list[str]:
    return [term.term, term.expansion, *term.aliases]


def _glossary(part: Document, book: Document) -> tuple[Term, ...]:
    if part.name == "glossary":
        return book.glossary
    if not part.items and isinstance(part.data, dict) and "terms" in part.data:
        return tuple(Term.from_dict(t) for t in part.data["terms"])
    return ()


SUMMARY = re.compile(r'<p class="summary">.*?</p>\n?', re.S)
MAIN = re.compile(r"<main>.*</main>\n?", re.S)
SKIP, RESUME = "<!--htdig_noindex-->", "<!--/htdig_noindex-->"


def snippet_html(page: str) -> str:
    """The page with all but its summary (else its main text) hidden from Kiwix's snippet (see the notes above)."""
    head, body = page.split("<body>", 1) if "<body>" in page else ("", page)
    if "</body>" not in body:
        return page
    body, tail = body.rsplit("</body>", 1)
    found = SUMMARY.search(body) or MAIN.search(body)
    if found is None:
        return page
    start, end = found.span()
    body = f"{SKIP}{body[:start]}{RESUME}{body[start:end]}{SKIP}{body[end:]}{RESUME}"
    return f"{head}<body>{body}</body>{tail}"
