"""The words iduit itself says, in the reader's language: a gettext catalogue per language.

Every message, label, help text and page word is written in English in the
code, marked with ``tr("...")`` (or ``ntr(singular, plural, n)`` for counts),
and looked up in ``locales/LANG/LC_MESSAGES/iduit.po``. Catalogues are the
standard gettext format, so translators use the usual tools (Poedit,
Weblate, ``pybabel update``); a fuzzy entry (its English changed since it
was translated) is not used, and the English shows instead. The language is
chosen once per run (``use``), by the command line: ``--lang``, else
``IDUIT_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.

The catalogue is read with a small parser of its own: Babel, which checks
and updates catalogues, is a tool for maintainers and tests, not a cost of
every start.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from iduit.errors import UsageError

LANGUAGES = ("en", "ru")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
CATALOGUES = Path(__file__).resolve().parent / "locales"
DOMAIN = "iduit"

_current = "en"


def use(lang: str) -> None:
    """Speak ``lang`` from now on in this process (as gettext's install does)."""
    global _current
    _current = lang if lang in LANGUAGES else "en"


def current() -> str:
    return _current


def choose(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language for this run: --lang, else IDUIT_LANG, else the locale, else English.

    An unknown --lang is a usage error; an unknown language in the environment means English.
    """
    if option is not None:
        wanted = _code(option)
        if wanted not in LANGUAGES:
            raise UsageError(f"--lang takes {' or '.join(LANGUAGES)}, not '{option}'")
        return wanted
    env = os.environ if environ is None else environ
    if env.get("IDUIT_LANG"):
        wanted = _code(env["IDUIT_LANG"])
        return wanted if wanted in LANGUAGES else "en"
    # POSIX: the first of these that is set decides (LC_ALL overrides LC_MESSAGES overrides LANG).
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            wanted = _code(value)
            return wanted if wanted in LANGUAGES else "en"
    return "en"


def _code(value: str) -> str:
    """'ru_RU.UTF-8' -> 'ru'; 'RU' -> 'ru'; 'C' and 'POSIX' -> 'en'."""
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    return "en" if code in ("c", "posix", "") else code


def plural_index(lang: str, n: int) -> int:
    """Which plural form a count takes: the catalogue header's Plural-Forms, in code."""
    n = abs(n)
    if lang == "ru":  # 1 результат, 3 результата, 5 результатов, 21 результат
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def tr(message: str) -> str:
    """``message`` in the current language (the English when there is no translation)."""
    if _current == "en":
        return message
    found = catalogue(_current).get(message)
    return found[0] if found and found[0] else message


def ntr(singular: str, plural: str, n: int) -> str:
    """The right form of a count's words for ``n``; the text may hold ``{n}``, filled in here."""
    if _current != "en":
        found = catalogue(_current).get(singular)
        if found and len(found) > 1:
            form = found[min(plural_index(_current, n), len(found) - 1)]
            if form:
                return form.replace("{n}", str(n))
    return (singular if n == 1 else plural).replace("{n}", str(n))


def plural_forms(singular: str, plural: str) -> list[str]:
    """Every plural form of a count's words in the current language, ``{n}`` left in (for the browser)."""
    if _current != "en":
        found = catalogue(_current).get(singular)
        if found and len(found) > 1 and all(found):
            return list(found)
    return [singular, plural]


def number(value: float, decimals: int = 0) -> str:
    """A number as the current language writes it: 1,500,000.5 in English, 1 500 000,5 in Russian."""
    text = f"{value:,.{decimals}f}"
    if _current == "ru":  # a no-break space between thousands, a decimal comma
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


@functools.lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, tuple[str, ...]]:
    """msgid -> its translations (one, or one per plural form); fuzzy and empty entries left out."""
    path = CATALOGUES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {msgid: forms for msgid, forms, fuzzy in read_po(text) if msgid and not fuzzy and any(forms)}


def _unquote(line: str) -> str:
    """A .po string literal's text: its escapes (\\n, \\t, \\", \\\\) are JSON's, so the C JSON reader reads it."""
    start = line.find('"')
    if start < 0:
        return ""
    inner = line[start + 1 : -1]
    if line.endswith('"') and len(line) > start + 1 and '"' not in inner and "\\" not in inner and inner.isprintable():
        return inner  # most lines: nothing escaped, so no JSON reader needed
    try:
        return str(json.loads(line[start:]))
    except ValueError:
        return ""


def read_po(text: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """The entries of a .po file: (msgid, msgstr forms, fuzzy). Enough of the format for iduit's catalogues."""
    entries: list[tuple[str, tuple[str, ...], bool]] = []
    msgid: list[str] | None = None
    forms: dict[int, list[str]] = {}
    fuzzy = pending_fuzzy = False
    target: list[str] = []

    def flush() -> None:
        if msgid is not None:
            count = max(forms) + 1 if forms else 0
            entries.append(("".join(msgid), tuple("".join(forms.get(i, [])) for i in range(count)), fuzzy))

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            if msgid is not None:  # comments and flags belong to the next entry
                flush()
                msgid = None
            if line.startswith("#,"):
                pending_fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            flush()
            msgid, forms, fuzzy, pending_fuzzy = [_unquote(line)], {}, pending_fuzzy, False
            target = msgid
        elif line.startswith("msgid_plural "):
            target = []
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            forms[index] = target = [_unquote(line)]
        elif line.startswith("msgstr "):
            forms[0] = target = [_unquote(line)]
        elif line.startswith('"'):
            target.append(_unquote(line))
    flush()
    return entries
