"""The words iduit itself says, in the reader's language: a gettext catalogue per language.

Every message, label, help text and page word is written in English in the
code, marked with ``tr("...")`` (or ``ntr(singular, plural, n)`` for counts),
and looked up in ``locales/LANG/LC_MESSAGES/iduit.po``. Catalogues are the
standard gettext format, so translators use the usual tools (Poedit,
Weblate, ``pybabel update``); a fuzzy entry (its English changed since it
was translated) is not used, and the English shows instead. The language is
chosen once per run (``use``), by the command line: ``--lang``, else
``IDUIT_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.

The catalogue is read from its compiled form (``iduit.mo``, from
``pybabel compile``) by a few lines of ``struct``: Babel, which checks,
updates and compiles catalogues, is a tool for maintainers and tests, not a
cost of every start.
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
    """msgid -> its translations (one, or one per plural form); fuzzy and empty entries left out.

    Read from the compiled ``iduit.mo`` (``pybabel compile``), which takes a
    third of the time of reading the ``.po``; a language with no ``.mo`` yet
    is read from its ``.po``. A test holds the two equal.
    """
    folder = CATALOGUES / lang / "LC_MESSAGES"
    try:
        return read_mo((folder / f"{DOMAIN}.mo").read_bytes())
    except (OSError, ValueError):
        pass
    try:
        text = (folder / f"{DOMAIN}.po").read_text(encoding="utf-8")
    except OSError:
        return {}
    return {msgid: forms for msgid, forms, fuzzy in read_po(text) if msgid and not fuzzy and any(forms)}


_MO_MAGIC = {0x950412DE: "<", 0xDE120495: ">"}  # the byte order a .mo was written in


def read_mo(data: bytes) -> dict[str, tuple[str, ...]]:
    """A compiled catalogue: msgid -> its translations, the header and untranslated entries left out.

    ValueError when ``data`` is not a whole .mo file (gettext's format: a table of lengths and offsets).
    """
    import struct

    try:
        order = _MO_MAGIC[struct.unpack("<I", data[:4])[0]]
        count, ids_at, strings_at = struct.unpack(f"{order}3I", data[8:20])
        ids = struct.unpack(f"{order}{2 * count}I", data[ids_at : ids_at + 8 * count])
        strings = struct.unpack(f"{order}{2 * count}I", data[strings_at : strings_at + 8 * count])
    except (KeyError, struct.error) as exc:
        raise ValueError(f"not a compiled catalogue: {exc}") from exc
    found: dict[str, tuple[str, ...]] = {}
    for i in range(0, 2 * count, 2):
        (length, at), (forms_length, forms_at) = ids[i : i + 2], strings[i : i + 2]
        if at + length > len(data) or forms_at + forms_length > len(data):
            raise ValueError("not a compiled catalogue: an entry lies beyond its end")
        msgid = data[at : at + length].decode("utf-8").split("\0")[0]  # a plural entry: singular\0plural
        forms = tuple(data[forms_at : forms_at + forms_length].decode("utf-8").split("\0"))
        if msgid and any(forms):
            found[msgid] = forms
    return found


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
