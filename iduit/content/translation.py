"""Translations beside their source: ``data/locales/LANG/`` mirrors ``data/`` and overlays the English.

A translated file holds only words: ids, section lists, links, sources and
URLs come from the English, so they cannot drift. The unit of translation is
a chapter's heading, a section, a job aid, a glossary term, an indicator and
the toolkit's notes; each records in ``from:`` the fingerprint of the
English it was made from. Checking a translation reports:

- a missing unit: a warning; the English is shown in its place, marked
  (``Content.fallbacks``), never mixed in silently;
- a unit whose English changed since it was translated (stale): a warning; the
  translation is still shown until it is brought up to date;
- a translated id with no English unit, a different number of key points,
  actions, examples or updates, a figure or URL of the English missing: an error.

``stamp`` writes fingerprints into a translation file (see docs/translating.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from iduit.content.checker import Checker, display_path, markdown_problems
from iduit.content.indicators import Indicator, Target
from iduit.content.model import Chapter, Content, Example, Section, Term, Tool, Toolkit, Update

LOCALES = "locales"
FROM = "from"

_SECTION_FIELDS = ("id", "title", "summary", "body", "key_points", "actions", "tags", "examples", "updates", FROM)
_TOOL_FIELDS = ("id", "title", "purpose", "when_to_use", "aid", "adapt", "tags", FROM)
_TERM_FIELDS = ("en", "term", "expansion", "aliases", "definition", FROM)
_INDICATOR_FIELDS = ("id", "name", "unit", "numerator", "denominator", "note", "targets", FROM)
_TOOLKIT_FIELDS = ("title", "digest_note", "original_note", FROM)
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


# -- fingerprints ------------------------------------------------------------------------


def fingerprint(words: Any) -> str:
    """A short, stable fingerprint of the English words a unit is translated from."""
    data = json.dumps(words, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def chapter_words(chapter: Chapter) -> Any:
    return {"title": chapter.title, "summary": chapter.summary}


def section_words(section: Section) -> Any:
    return {
        "title": section.title,
        "summary": section.summary,
        "body": section.body,
        "key_points": list(section.key_points),
        "actions": list(section.actions),
        "examples": [[e.title, e.place, e.when, e.text] for e in section.examples],
        "updates": [u.text for u in section.updates],
    }


def tool_words(tool: Tool) -> Any:
    return [tool.title, tool.purpose, tool.when_to_use, tool.aid, tool.adapt]


def term_words(term: Term) -> Any:
    return [term.term, term.expansion, term.definition]


def indicator_words(ind: Indicator) -> Any:
    return [ind.name, ind.unit, ind.numerator_text, ind.denominator_text, ind.note, [t.label for t in ind.targets]]


def toolkit_words(toolkit: Toolkit) -> Any:
    return [toolkit.digest_note]


# -- figures and addresses that must survive -------------------------------------------------

_EN_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,  \u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[  \u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


def english_figures(text: str) -> set[str]:
    """Every number in English text, thousands separators dropped: '10,000' and '1.6' become '10000' and '1.6'."""
    return {re.sub(r"[,  \u202f]", "", m) for m in _EN_NUMBER.findall(text)}


def translated_figures(text: str) -> set[str]:
    """Every number in translated text: '10 000' is 10000, '1,6' and '1.6' are 1.6."""
    found = set()
    for match in _NUMBER.findall(text):
        number = re.sub(r"[  \u202f]", "", match).replace(",", ".")
        found.add(number)
    return found


def _text_of(words: Any) -> str:
    return json.dumps(words, ensure_ascii=False)


def _check_survivors(ck: Checker, node: Node | None, what: str, english: Any, translated: Any) -> None:
    source, target = _text_of(english), _text_of(translated)
    missing = sorted(english_figures(source) - translated_figures(target), key=lambda n: (len(n), n))
    if missing:
        ck.at(node, f"{what}: figures of the English missing from the translation: {', '.join(missing[:8])}")
    urls = sorted(set(_URL.findall(source)) - set(_URL.findall(target)))
    if urls:
        ck.at(node, f"{what}: web addresses of the English missing or changed: {', '.join(urls[:3])}")


def _check_markdown(ck: Checker, node: Node | None, what: str, text: str) -> None:
    """The rules the English bodies follow (no raw HTML, no script links, tables that fit)."""
    for problem in markdown_problems(text):
        ck.at(node, f"{what}: {problem}")


# -- reading -----------------------------------------------------------------------------------


def plain(node: Node | None) -> Any:
    """A node as plain Python: mappings, lists and strings."""
    if isinstance(node, MappingNode):
        return {str(k.value): plain(v) for k, v in node.value if isinstance(k, ScalarNode)}
    if isinstance(node, SequenceNode):
        return [plain(item) for item in node.value]
    if isinstance(node, ScalarNode):
        return "" if node.tag == "tag:yaml.org,2002:null" else str(node.value)
    return None


def _units(
    ck: Checker, node: Node | None, key: str, fields: tuple[str, ...], what: str
) -> list[tuple[Node, dict[str, Any]]]:
    """The entries of a list under ``key``, each checked to hold only ``fields``."""
    if not isinstance(node, MappingNode):
        if node is not None:
            ck.at(node, f"{what} must be a mapping")
        return []
    items = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == key), None)
    if items is None:
        return []
    if not isinstance(items, SequenceNode):
        ck.at(items, f"'{key}' must be a list")
        return []
    found = []
    for item in items.value:
        data = plain(item)
        if not isinstance(data, dict):
            ck.at(item, f"each entry of '{key}' must be a mapping")
            continue
        unknown = sorted(set(data) - set(fields))
        if unknown:
            ck.at(item, f"unknown field '{unknown[0]}' in a translated {what} (fields: {', '.join(fields)})")
        found.append((item, data))
    return found


def _string(value: Any, fallback: str) -> str:
    return value if isinstance(value, str) and value.strip() else fallback


def _strings(ck: Checker, node: Node | None, what: str, value: Any, fallback: tuple[str, ...]) -> tuple[str, ...]:
    """A translated list of lines. A line YAML read as a pair or a list (an unquoted "Word: more words") is an
    error, never shown as {'Word': 'more words'}."""
    if not isinstance(value, list):
        return fallback
    for n, item in enumerate(value, start=1):
        if isinstance(item, (dict, list)):
            ck.at(node, f"{what}: item {n} is not a line of text (a colon and a space make YAML read a pair: quote it)")
    return tuple(str(v) for v in value)


class _Unit:
    """One English unit and its translation: fresh, stale or missing."""

    def __init__(self, ck: Checker, node: Node | None, what: str, english: Any, data: dict[str, Any] | None) -> None:
        self.ok = data is not None
        self.english = english
        if data is None:
            return
        recorded = data.get(FROM, "")
        if not recorded:
            ck.warn(node, f"{what} has no '{FROM}:' fingerprint (iduit validate --stamp records it)")
        elif recorded != fingerprint(english):
            ck.warn(node, f"{what} is stale: its English changed since it was translated")


def translate(content: Content, data_dir: Path, lang: str, ck: Checker) -> Content:
    """``content`` in ``lang``: every translated unit in place of its English, the rest marked as fallbacks."""
    root = data_dir / LOCALES / lang
    fallbacks: set[str] = set()
    chapters = tuple(_chapter(ck, root, chapter, fallbacks) for chapter in content.chapters)
    tools = tuple(_tool(ck, root, tool, fallbacks) for tool in content.tools)
    glossary = _glossary(ck, root / "glossary.yaml", content.glossary, fallbacks)
    indicators = _indicators(ck, root / "indicators.yaml", content.indicators, fallbacks)
    toolkit = _toolkit(ck, root / "toolkit.yaml", content.toolkit, fallbacks)
    synonyms = _synonyms(ck, root / "synonyms.yaml")
    return dataclasses.replace(
        content,
        toolkit=toolkit,
        chapters=chapters,
        tools=tools,
        glossary=glossary,
        indicators=indicators,
        synonyms=synonyms if synonyms is not None else content.synonyms,
        lang=lang,
        fallbacks=frozenset(fallbacks),
    )


def _compose(ck: Checker, path: Path) -> Node | None:
    if not path.is_file():
        return None
    ck.display = display_path(path)
    return ck.compose(path)


def _chapter(ck: Checker, root: Path, chapter: Chapter, fallbacks: set[str]) -> Chapter:
    files = sorted((root / "chapters").glob(f"{chapter.number:02d}-*.yaml")) if (root / "chapters").is_dir() else []
    node = _compose(ck, files[0]) if files else None
    data = plain(node) if isinstance(node, MappingNode) else None
    what = f"chapter {chapter.number}"
    if not files:
        ck.display = display_path(root / "chapters")
    heading = _Unit(ck, node, f"the heading of {what}", chapter_words(chapter), data)
    if not heading.ok:
        fallbacks.add(f"chapter-{chapter.number}")
        if not files:
            ck.warn(None, f"{what} is not translated yet")
    translated: dict[str, tuple[Node, dict[str, Any]]] = {}
    for item, entry in _units(ck, node, "sections", _SECTION_FIELDS, "section"):
        ident = str(entry.get("id", ""))
        if ident not in {s.id for s in chapter.sections}:
            ck.at(item, f"translated section '{ident}' has no English section in {what}")
        translated[ident] = (item, entry)
    sections = []
    for section in chapter.sections:
        found = translated.get(section.id)
        sections.append(_section(ck, section, found, fallbacks))
    title = _string(data.get("title"), chapter.title) if data else chapter.title
    summary = _string(data.get("summary"), chapter.summary) if data else chapter.summary
    return dataclasses.replace(chapter, title=title, summary=summary, sections=tuple(sections))


def _section(ck: Checker, section: Section, found: tuple[Node, dict[str, Any]] | None, fallbacks: set[str]) -> Section:
    what = f"section {section.id}"
    if found is None:
        ck.warn(None, f"{what} is not translated yet")
        fallbacks.add(section.id)  # shown in English, marked
        return section
    node, data = found
    _Unit(ck, node, what, section_words(section), data)
    for name in ("key_points", "actions", "examples", "updates"):
        english = getattr(section, name)
        got = data.get(name, [])
        count = len(got) if isinstance(got, list) else 0
        if count != len(english):
            ck.at(node, f"{what}: {len(english)} {name.replace('_', ' ')} in English, {count} translated")
    examples = []
    for english_example, got in zip(section.examples, data.get("examples") or [], strict=False):
        got = got if isinstance(got, dict) else {}
        if str(got.get("source", english_example.source)) != english_example.source:
            ck.at(node, f"{what}: an example's source must stay '{english_example.source}'")
        examples.append(
            Example(
                _string(got.get("title"), english_example.title),
                _string(got.get("place"), english_example.place),
                _string(got.get("when"), english_example.when),
                _string(got.get("text"), english_example.text),
                english_example.source,
            )
        )
    updates = []
    for english_update, got in zip(section.updates, data.get("updates") or [], strict=False):
        got = got if isinstance(got, dict) else {}
        if str(got.get("date", english_update.date)) != english_update.date:
            ck.at(node, f"{what}: an update's date must stay '{english_update.date}'")
        updates.append(
            Update(english_update.date, _string(got.get("text"), english_update.text), english_update.source)
        )
    translated = dataclasses.replace(
        section,
        title=_string(data.get("title"), section.title),
        summary=_string(data.get("summary"), section.summary),
        body=_string(data.get("body"), section.body),
        key_points=_strings(ck, node, f"{what}, key points", data.get("key_points"), section.key_points),
        actions=_strings(ck, node, f"{what}, actions", data.get("actions"), section.actions),
        tags=_strings(ck, node, f"{what}, tags", data.get("tags"), section.tags),
        examples=tuple(examples) if len(examples) == len(section.examples) else section.examples,
        updates=tuple(updates) if len(updates) == len(section.updates) else section.updates,
    )
    _check_survivors(ck, node, what, section_words(section), section_words(translated))
    _check_markdown(ck, node, what, translated.body)
    return translated


def _tool(ck: Checker, root: Path, tool: Tool, fallbacks: set[str]) -> Tool:
    files = sorted((root / "tools").glob(f"{tool.id}-*.yaml")) if (root / "tools").is_dir() else []
    what = f"job aid {tool.id}"
    ck.display = display_path(root / "tools")
    node = _compose(ck, files[0]) if files else None
    data = plain(node) if isinstance(node, MappingNode) else None
    if data is None:
        ck.warn(None, f"{what} is not translated yet")
        fallbacks.add(tool.id)
        return tool
    unknown = sorted(set(data) - set(_TOOL_FIELDS))
    if unknown:
        ck.at(node, f"unknown field '{unknown[0]}' in a translated job aid (fields: {', '.join(_TOOL_FIELDS)})")
    if str(data.get("id", "")) != tool.id:
        ck.at(node, f"a translated job aid's id must be '{tool.id}', as its file name says")
    _Unit(ck, node, what, tool_words(tool), data)
    translated = dataclasses.replace(
        tool,
        title=_string(data.get("title"), tool.title),
        purpose=_string(data.get("purpose"), tool.purpose),
        when_to_use=_string(data.get("when_to_use"), tool.when_to_use),
        aid=_string(data.get("aid"), tool.aid),
        adapt=_string(data.get("adapt"), tool.adapt),
        tags=_strings(ck, node, f"{what}, tags", data.get("tags"), tool.tags),
    )
    _check_survivors(ck, node, what, tool_words(tool), tool_words(translated))
    for text in (translated.when_to_use, translated.aid, translated.adapt):
        _check_markdown(ck, node, what, text)
    return translated


def _orphans(ck: Checker, units: Iterable[tuple[Node, dict[str, Any]]], key: str, known: set[str], what: str) -> None:
    for node, data in units:
        if str(data.get(key, "")) not in known:
            ck.at(node, f"translated {what} '{data.get(key, '')}' has no English {what}")


def _glossary(ck: Checker, path: Path, terms: tuple[Term, ...], fallbacks: set[str]) -> tuple[Term, ...]:
    node = _compose(ck, path)
    units = _units(ck, node, "terms", _TERM_FIELDS, "glossary term")
    _orphans(ck, units, "en", {t.term for t in terms}, "glossary term")
    by_term = {str(data.get("en", "")): (item, data) for item, data in units}
    out = []
    for term in terms:
        found = by_term.get(term.term)
        if found is None:
            fallbacks.add(f"term:{term.term}")
            out.append(term)
            continue
        item, data = found
        _Unit(ck, item, f"glossary term {term.term}", term_words(term), data)
        aliases = _strings(ck, item, f"glossary term {term.term}, aliases", data.get("aliases"), ())
        translated = Term(
            _string(data.get("term"), term.term),
            _string(data.get("definition"), term.definition),
            term.sections,
            _string(data.get("expansion"), term.expansion) if term.expansion or data.get("expansion") else "",
            tuple(dict.fromkeys((*aliases, term.term, *([term.expansion] if term.expansion else [])))),
        )
        _check_survivors(ck, item, f"glossary term {term.term}", [term.definition], [translated.definition])
        out.append(translated)
    missing = [t.term for t in terms if t.term not in by_term]
    if missing:
        ck.display = display_path(path)
        ck.warn(None, f"glossary terms not translated yet: {', '.join(missing[:10])}")
    return tuple(sorted(out, key=lambda t: t.term.casefold()))


def _indicators(
    ck: Checker, path: Path, indicators: tuple[Indicator, ...], fallbacks: set[str]
) -> tuple[Indicator, ...]:
    node = _compose(ck, path)
    units = _units(ck, node, "indicators", _INDICATOR_FIELDS, "indicator")
    _orphans(ck, units, "id", {i.id for i in indicators}, "indicator")
    by_id = {str(data.get("id", "")): (item, data) for item, data in units}
    out = []
    for ind in indicators:
        found = by_id.get(ind.id)
        if found is None:
            fallbacks.add(f"indicator:{ind.id}")
            out.append(ind)
            continue
        item, data = found
        _Unit(ck, item, f"indicator {ind.id}", indicator_words(ind), data)
        labels = _strings(ck, item, f"indicator {ind.id}, targets", data.get("targets"), ())
        if len(labels) != len(ind.targets):
            ck.at(item, f"indicator {ind.id}: {len(ind.targets)} target labels in English, {len(labels)} translated")
            labels = tuple(t.label for t in ind.targets)
        translated = dataclasses.replace(
            ind,
            name=_string(data.get("name"), ind.name),
            unit=_string(data.get("unit"), ind.unit),
            numerator_text=_string(data.get("numerator"), ind.numerator_text),
            denominator_text=_string(data.get("denominator"), ind.denominator_text),
            note=_string(data.get("note"), ind.note) if ind.note else "",
            targets=tuple(
                Target(t.value, label, t.source, t.year) for t, label in zip(ind.targets, labels, strict=True)
            ),
        )
        _check_survivors(ck, item, f"indicator {ind.id}", indicator_words(ind), indicator_words(translated))
        out.append(translated)
    return tuple(out)


def _toolkit(ck: Checker, path: Path, toolkit: Toolkit, fallbacks: set[str]) -> Toolkit:
    node = _compose(ck, path)
    data = plain(node) if isinstance(node, MappingNode) else None
    if data is None:
        fallbacks.add("toolkit")
        return toolkit
    unknown = sorted(set(data) - set(_TOOLKIT_FIELDS))
    if unknown:
        ck.at(node, f"unknown field '{unknown[0]}' in a translated toolkit.yaml (fields: {', '.join(_TOOLKIT_FIELDS)})")
    _Unit(ck, node, "the toolkit's notes", toolkit_words(toolkit), data)
    note = _string(data.get("digest_note"), toolkit.digest_note)
    original = _string(data.get("original_note"), "")
    # The citation stays the original's, in English; the note says that the original is in English only.
    return dataclasses.replace(
        toolkit, digest_note=f"{note} {original}".strip(), translated_title=_string(data.get("title"), "")
    )


def _synonyms(ck: Checker, path: Path) -> tuple[tuple[str, ...], ...] | None:
    node = _compose(ck, path)
    if node is None:
        return None
    data = plain(node)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        ck.at(node, "a synonyms file holds 'groups:', a list of lists of words")
        return None
    seen: dict[str, int] = {}
    out = []
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            ck.at(node, f"synonym group {number} must list at least two words")
            continue
        for member in group:
            key = str(member).casefold()
            if key in seen and seen[key] != number:
                ck.at(node, f"'{member}' is in synonym groups {seen[key]} and {number}; a word belongs to one group")
            seen[key] = number
        out.append(tuple(str(m) for m in group))
    return tuple(out)


# -- stamping ------------------------------------------------------------------------------------------


def stamp_units(content: Content, data_dir: Path, lang: str, only: Iterable[str] = ()) -> list[Path]:
    """Record the current English fingerprint in every translated unit that has none (or in the units named).

    Lines are inserted or replaced in place; nothing else in the file changes.
    """
    root = data_dir / LOCALES / lang
    wanted = set(only)
    changed: list[Path] = []
    for chapter in content.chapters:
        for path in sorted((root / "chapters").glob(f"{chapter.number:02d}-*.yaml")):
            marks = {f"chapter-{chapter.number}": fingerprint(chapter_words(chapter))}
            marks |= {s.id: fingerprint(section_words(s)) for s in chapter.sections}
            if _stamp_file(path, marks, wanted, _chapter_anchor):
                changed.append(path)
    for tool in content.tools:
        for path in sorted((root / "tools").glob(f"{tool.id}-*.yaml")):
            if _stamp_file(path, {tool.id: fingerprint(tool_words(tool))}, wanted, _tool_anchor):
                changed.append(path)
    marks = {f"term:{t.term}": fingerprint(term_words(t)) for t in content.glossary}
    if _stamp_file(root / "glossary.yaml", marks, wanted, _term_anchor):
        changed.append(root / "glossary.yaml")
    marks = {f"indicator:{i.id}": fingerprint(indicator_words(i)) for i in content.indicators}
    if _stamp_file(root / "indicators.yaml", marks, wanted, _indicator_anchor):
        changed.append(root / "indicators.yaml")
    if _stamp_toolkit(root / "toolkit.yaml", fingerprint(toolkit_words(content.toolkit)), "toolkit" in wanted):
        changed.append(root / "toolkit.yaml")
    return changed


def _stamp_toolkit(path: Path, mark: str, renew: bool) -> bool:
    """The toolkit file's one fingerprint: a top-level line of its own, at the end."""
    if not path.is_file():
        return False
    from iduit.files import write_file

    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{FROM}:")]
    if len(kept) != len(lines) and not renew:
        return False
    text = "".join(kept).rstrip("\n") + f"\n{FROM}: {mark}\n"
    if text == "".join(lines):
        return False
    write_file(path, text, replace=True)
    return True


_ID_LINE = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<key>id|en|number):\s*(?P<value>.+?)\s*$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _chapter_anchor(line: str) -> str | None:
    m = _ID_LINE.match(line)
    if not m:
        return None
    if m["key"] == "number" and not m["indent"]:
        return f"chapter-{int(_unquote(m['value']))}"
    return _unquote(m["value"]) if m["key"] == "id" else None


def _tool_anchor(line: str) -> str | None:
    m = _ID_LINE.match(line)
    return _unquote(m["value"]) if m and m["key"] == "id" and not m["indent"] else None


def _term_anchor(line: str) -> str | None:
    m = _ID_LINE.match(line)
    return f"term:{_unquote(m['value'])}" if m and m["key"] == "en" else None


def _indicator_anchor(line: str) -> str | None:
    m = _ID_LINE.match(line)
    return f"indicator:{_unquote(m['value'])}" if m and m["key"] == "id" else None


def _stamp_file(path: Path, marks: dict[str, str], wanted: set[str], anchor: Any) -> bool:
    """Insert or renew ``from:`` after each unit's id line; only units without one, or those in ``wanted``."""
    if not path.is_file():
        return False
    from iduit.files import write_file

    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    changed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        key = anchor(line)
        i += 1
        if key is None or key not in marks:
            continue
        match = _ID_LINE.match(line)
        indent = match["indent"] if match else ""
        indent = indent + ("  " if match and line.lstrip().startswith("- ") else "")
        existing = i < len(lines) and lines[i].strip().startswith(f"{FROM}:")
        if existing and key not in wanted:
            continue
        new = f"{indent}{FROM}: {marks[key]}\n"
        if existing:
            if lines[i] != new:
                changed = True
            i += 1
        else:
            changed = True
        out.append(new)
    if changed:
        write_file(path, "".join(out), replace=True)
    return changed
