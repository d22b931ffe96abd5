"""The interface catalogues: every word iduit says is in the template, and every language translates all of it.

``iduit/language/locales/iduit.pot`` is made from the code: every ``tr``/``ntr`` call (Python and
the site's templates, found with Babel's extractors), every help text of the command tree, and the
words the code passes to ``tr`` as values (answers, bands, statuses). ``UPDATE_GOLDEN=1`` rewrites
it; then ``pybabel update -i iduit/language/locales/iduit.pot -d iduit/language/locales -D iduit``
merges new words into each language, marking changed ones fuzzy for the translator.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from iduit.language import messages
from tests.conftest import run

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "iduit" / "language" / "locales"
TEMPLATE = LOCALES / "iduit.pot"
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:![rsa])?(?::[^}]*)?\}")

babel = pytest.importorskip("babel")


def _dynamic() -> list[str]:
    """Words the code hands to tr() as values, so no extractor can see them."""
    from iduit.cli.common import _HELP_WORDS
    from iduit.content.indicators import BAND_NAMES, INPUTS, SCHEME_NAMES
    from iduit.outline.blocks import SINCE_2017, SINCE_2017_NOTE
    from iduit.outline.programme import ANSWERS, NO_BENCHMARK
    from iduit.programme.assessment import DEFAULT_TITLE, SCORING, STATUSES
    from iduit.site.pages import NAV

    return [
        *_HELP_WORDS,
        *BAND_NAMES,
        *SCHEME_NAMES.values(),
        *(i.noun for i in INPUTS),
        SINCE_2017,
        SINCE_2017_NOTE,
        *ANSWERS,
        NO_BENCHMARK,
        SCORING,
        DEFAULT_TITLE,
        *STATUSES,
        "not answered",
        "interrupted",
        "stopped",
        *(label for _, _, label in NAV),
    ]


def _help_texts() -> list[str]:
    from iduit.cli.common import help_paragraphs
    from tests.test_docs import _tree

    found: list[str] = []
    from typer.main import get_command

    from iduit.cli import app

    for command in [get_command(app), *(c for _, c in _tree())]:
        if command.help:
            found += help_paragraphs(command.help)
        found += [p.help for p in command.params if getattr(p, "help", None)]
    return found


def _python_calls() -> list[tuple[str, str | None]]:
    """Every tr/ntr/plural_forms call with literal words in the package, f-strings included (Babel skips those)."""
    import ast

    found: list[tuple[str, str | None]] = []
    for path in sorted((ROOT / "iduit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "tr" and args:
                found.append((args[0], None))
            elif node.func.id in ("ntr", "plural_forms") and len(args) >= 2:
                found.append((args[0], args[1]))
    return found


def _extracted() -> list[tuple[str, str | None]]:
    """(msgid, plural or None) for every tr/ntr call in the package and the site's templates."""
    from babel.messages.extract import extract_from_dir

    found = _python_calls()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "iduit"), method_map=[("**/templates/**.html", "jinja2")], keywords={"tr": None}
    ):
        found.append((message if isinstance(message, str) else message[0], None))
    return found


def template_entries() -> dict[str, str | None]:
    entries: dict[str, str | None] = {}
    for msgid, plural in _extracted():
        entries.setdefault(msgid, plural)
    for text in [*_help_texts(), *_dynamic()]:
        entries.setdefault(text, None)
    return {k: v for k, v in sorted(entries.items()) if k}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def template_text() -> str:
    lines = [
        "# The words iduit says, in English: the template every language's catalogue is made from.",
        "# Made from the code by tests/test_catalogue.py (UPDATE_GOLDEN=1); do not edit by hand.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for msgid, plural in template_entries().items():
        lines.append(f"msgid {_quote(msgid)}")
        if plural is not None:
            lines += [f"msgid_plural {_quote(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        lines.append("")
    return "\n".join(lines)


def test_the_template_holds_every_word_the_code_says() -> None:
    text = template_text()
    if os.environ.get("UPDATE_GOLDEN"):
        TEMPLATE.write_text(text, encoding="utf-8")
    assert TEMPLATE.read_text(encoding="utf-8") == text, (
        "iduit.pot is out of date: UPDATE_GOLDEN=1, then pybabel update"
    )
    assert len(template_entries()) > 300


@pytest.mark.parametrize("lang", [lang for lang in messages.LANGUAGES if lang != "en"])
def test_every_language_translates_every_word(lang: str) -> None:
    from babel.messages.pofile import read_po

    path = LOCALES / lang / "LC_MESSAGES" / "iduit.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    wanted = template_entries()
    missing = [m for m in wanted if m not in catalogue or not _translated(catalogue[m].string)]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert fuzzy == [], f"fuzzy (their English changed): {fuzzy[:5]}"
    for msgid in wanted:
        message = catalogue[msgid]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted_names = set(PLACEHOLDER.findall(msgid + (wanted[msgid] or "")))
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == wanted_names, (msgid, form)
        if wanted[msgid] is not None:
            assert len(forms) == catalogue.num_plurals, (msgid, forms)
    # iduit reads the catalogue itself (no Babel at run time): it must read it as Babel does.
    ours = messages.catalogue(lang)
    for message in catalogue:
        if message.id and not message.fuzzy and _translated(message.string):
            key = message.id if isinstance(message.id, str) else message.id[0]
            expected = message.string if isinstance(message.string, tuple) else (message.string,)
            assert ours[key] == tuple(expected), key


def _translated(string: Any) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


@pytest.mark.parametrize(("n", "form"), [(1, 0), (2, 1), (4, 1), (5, 2), (11, 2), (12, 2), (21, 0), (22, 1), (25, 2)])
def test_russian_counts_take_the_right_form(n: int, form: int) -> None:
    from babel.plural import to_python

    rule = to_python(babel.Locale.parse("ru").plural_form)
    assert messages.plural_index("ru", n) == ["one", "few", "many"].index(rule(n)) == form


def test_a_fuzzy_entry_is_not_used() -> None:
    text = 'msgid "Key points"\nmsgstr "Главное"\n\n#, fuzzy\nmsgid "Actions"\nmsgstr "Старое"\n'
    read = {m: (f, fuzzy) for m, f, fuzzy in messages.read_po(text)}
    assert read["Key points"] == (("Главное",), False) and read["Actions"][1] is True


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        ("ru", {"IDUIT_LANG": "en"}, "ru"),
        (None, {"IDUIT_LANG": "ru", "LANG": "en_US.UTF-8"}, "ru"),
        (None, {"LC_ALL": "ru_RU.UTF-8", "LANG": "en_GB.UTF-8"}, "ru"),
        (None, {"LC_MESSAGES": "ru_KZ", "LANG": "en_US"}, "ru"),
        (None, {"LANG": "ru_UA.UTF-8"}, "ru"),
        (None, {"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_comes_from_the_option_then_iduit_lang_then_the_locale(
    option: str | None, environ: dict[str, str], expected: str
) -> None:
    assert messages.choose(option, environ) == expected


def test_an_unknown_language_is_a_usage_error() -> None:
    result = run("--lang", "xx", "toc")
    assert result.exit_code == 2 and "--lang takes en or ru" in result.output


@pytest.mark.parametrize("lang", [lang for lang in messages.LANGUAGES if lang != "en"])
def test_the_compiled_catalogue_says_what_the_po_says(lang: str) -> None:
    """iduit reads the compiled iduit.mo at every start; it must hold exactly the .po's translations."""
    folder = LOCALES / lang / "LC_MESSAGES"
    text = (folder / "iduit.po").read_text(encoding="utf-8")
    wanted = {m: forms for m, forms, fuzzy in messages.read_po(text) if m and not fuzzy and any(forms)}
    compiled = messages.read_mo((folder / "iduit.mo").read_bytes())
    assert compiled == wanted, "iduit.mo is out of date: pybabel compile -d iduit/language/locales -D iduit"
    assert len(compiled) > 300 and any(len(forms) == 3 for forms in compiled.values())  # plurals kept whole


def test_a_damaged_compiled_catalogue_is_refused_not_misread() -> None:
    whole = (LOCALES / "ru" / "LC_MESSAGES" / "iduit.mo").read_bytes()
    for damaged in (b"", b"not a catalogue at all", whole[:40], whole[: len(whole) // 2]):
        with pytest.raises(ValueError, match="not a compiled catalogue"):
            messages.read_mo(damaged)
