"""Load a content directory into the content model, checking everything.

YAML is composed into nodes (which keep line and column) and checked against
the schema; every problem is collected as ``file:line:col: message`` and
raised together in one ContentError, the way mkdocs checks its config.
YAML is read only through ``iduit.content.checker`` (here, and for indicators, translations,
assessment files and coverage inputs), never by the commands or the renderers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from iduit.content.checker import (
    SECTION_ID,
    SOURCE_ID,
    TOOL_ID,
    UPDATE_DATE,
    URL,
    Checker,
    Ref,
    display_path,
)
from iduit.content.indicator_file import check_stated_bands, read_indicators
from iduit.content.indicators import Indicator
from iduit.content.model import Chapter, Content, Example, Section, Source, Term, Tool, Toolkit, Update
from iduit.errors import ContentError


def _read_toolkit(ck: Checker, path: Path) -> Toolkit | None:
    root = ck.compose(path)
    if root is None:
        return None
    keys = (
        "title",
        "short_title",
        "edition",
        "year",
        "publisher",
        "place",
        "publishers",
        "citation",
        "digest_note",
        "chapters",
    )
    nodes = ck.mapping(root, keys, (), "toolkit.yaml")
    if nodes is None:
        return None
    readers: dict[str, Callable[[Node, str], Any]] = {k: ck.text for k in keys}
    readers.update(year=ck.integer, publishers=ck.texts, chapters=ck.texts)
    values = ck.fields(nodes, readers, "toolkit.yaml")
    if values is None or set(values) != set(keys):
        return None
    chapter_nodes = nodes["chapters"].value if isinstance(nodes["chapters"], SequenceNode) else []
    for name, node in zip(values["chapters"], chapter_nodes, strict=False):
        if "/" in name or "\\" in name or name.startswith("."):
            ck.at(node, f"chapter '{name}' must be a file name inside chapters/, not a path")
            return None
        if not os.path.lexists(path.parent / "chapters" / name):
            ck.at(node, f"chapter file 'chapters/{name}' does not exist")
    return Toolkit(**values)


def _read_sources(ck: Checker, path: Path) -> dict[str, Source]:
    root = ck.compose(path)
    sources: dict[str, Source] = {}
    nodes = ck.mapping(root, ("sources",), (), "sources.yaml") if root is not None else None
    if not nodes or "sources" not in nodes:
        return sources
    keys = ("id", "title", "publisher", "year")
    for item in ck.sequence(nodes["sources"], "sources"):
        fields = ck.mapping(item, keys, ("url", "isbn", "symbol"), "a source")
        if fields is None:
            continue
        readers: dict[str, Callable[[Node, str], Any]] = {k: ck.text for k in (*keys, "isbn", "symbol")}
        readers.update(year=ck.integer, url=lambda n, w: _url(ck, n, w))
        values = ck.fields(fields, readers, "a source")
        if values is None or not set(keys) <= set(values):
            continue
        if not SOURCE_ID.match(values["id"]):
            ck.at(fields["id"], f"source id '{values['id']}' must be lowercase words and digits joined by hyphens")
            continue
        if values["id"] in sources:
            ck.at(fields["id"], f"duplicate source id '{values['id']}'")
            continue
        if not {"url", "isbn", "symbol"} & set(values):
            ck.at(item, f"source '{values['id']}' needs a url, isbn or symbol so that readers can find it")
            continue
        sources[values["id"]] = Source(**values)
    return sources


def _url(ck: Checker, node: Node, what: str) -> str | None:
    value = ck.text(node, what)
    if value is not None and not URL.match(value):
        ck.at(node, f"{what} must be a web address starting with https:// or http://")
        return None
    return value


def _read_glossary(ck: Checker, path: Path) -> tuple[tuple[Term, str], ...]:
    root = ck.compose(path)
    nodes = ck.mapping(root, ("terms",), (), "glossary.yaml") if root is not None else None
    if not nodes or "terms" not in nodes:
        return ()
    terms: list[tuple[Term, str]] = []
    seen: set[str] = set()
    for item in ck.sequence(nodes["terms"], "terms"):
        fields = ck.mapping(item, ("term", "definition", "sections"), ("expansion",), "a glossary term")
        if fields is None:
            continue
        readers: dict[str, Callable[[Node, str], Any]] = {
            "term": ck.text,
            "definition": ck.text,
            "expansion": ck.text,
            "sections": ck.texts,
        }
        values = ck.fields(fields, readers, "a glossary term")
        if values is None or "term" not in values:
            continue
        name = values["term"]
        if name.casefold() in seen:
            ck.at(fields["term"], f"duplicate glossary term '{name}'")
            continue
        seen.add(name.casefold())
        section_nodes = fields["sections"].value if isinstance(fields.get("sections"), SequenceNode) else []
        for target, node in zip(values.get("sections", ()), section_nodes, strict=False):
            ck.refs.append(Ref("section", target, ck.where(node), f"glossary term '{name}'"))
        if {"definition", "sections"} <= set(values):
            terms.append((Term(**values), ck.where(fields["sections"])))
    return tuple(terms)


def _read_synonyms(ck: Checker, path: Path) -> tuple[tuple[str, ...], ...]:
    root = ck.compose(path)
    nodes = ck.mapping(root, ("groups",), (), "synonyms.yaml") if root is not None else None
    if not nodes or "groups" not in nodes:
        return ()
    groups: list[tuple[str, ...]] = []
    owner: dict[str, int] = {}
    for number, item in enumerate(ck.sequence(nodes["groups"], "groups"), start=1):
        group = ck.texts(item, f"synonym group {number}")
        if isinstance(item, SequenceNode) and len(item.value) == 1:
            ck.at(item, f"synonym group {number} needs at least two terms")
        for term, term_node in zip(group, item.value, strict=False):
            key = term.casefold()
            if key in owner and owner[key] != number:
                ck.at(term_node, f"'{term}' is already in synonym group {owner[key]}")
            owner[key] = number
        if len(group) >= 2:
            groups.append(group)
            _warn_if_synonyms_alike(ck, item, number, group)
    return tuple(groups)


def _warn_if_synonyms_alike(ck: Checker, node: Node, number: int, group: tuple[str, ...]) -> None:
    """A group whose members all analyse to the same terms widens no search: spelling and stemming already do it."""
    from iduit.language.analysis import analyze

    if len({tuple(analyze(term)) for term in group}) == 1:
        ck.warn(node, f"synonym group {number} widens nothing: its terms already match each other (spelling, plurals)")


_SECTION_REQUIRED = ("id", "title", "summary", "body", "key_points", "actions", "tags", "see_also", "sources")
_SECTION_OPTIONAL = ("examples", "updates", "resources", "checklist")


def _refs(ck: Checker, node: Node | None, kind: str, owner: str, self_id: str | None = None) -> None:
    """Queue every text item of a reference list for checking once all files are read."""
    for target in node.value if isinstance(node, SequenceNode) else []:
        if not isinstance(target, ScalarNode) or not target.value:
            continue
        if self_id is not None and target.value == self_id:
            ck.at(target, f"{owner} lists itself in see_also")
        ck.refs.append(Ref(kind, target.value, ck.where(target), owner))


def _read_section(ck: Checker, node: Node, chapter: int | None) -> tuple[Section | None, str | None]:
    """The section if valid, and its id whenever that could be read (for cross-checks)."""
    fields = ck.mapping(node, _SECTION_REQUIRED, _SECTION_OPTIONAL, "a section")
    if fields is None:
        return None, None
    section_id = None
    if "id" in fields:
        section_id = ck.text(fields["id"], "section 'id'")
        match = SECTION_ID.match(section_id or "")
        if section_id and not match:
            ck.at(fields["id"], f"section id '{section_id}' must look like '3.12' (no leading zeros)")
            section_id = None
        elif match and chapter is not None and int(match.group(1)) != chapter:
            ck.at(fields["id"], f"section '{section_id}' is in chapter {chapter}: its id must start with '{chapter}.'")
    what = f"section {section_id or '?'}"
    readers: dict[str, Callable[[Node, str], Any]] = {
        "title": ck.text,
        "summary": ck.text,
        "body": ck.markdown,
        "key_points": ck.texts,
        "actions": ck.texts,
        "tags": ck.texts,
        "see_also": lambda n, w: ck.texts(n, w, allow_empty=True),
        "sources": ck.texts,
        "resources": ck.texts,
        "examples": lambda n, w: _read_examples(ck, n, w),
        "updates": lambda n, w: _read_updates(ck, n, w),
        "checklist": lambda n, w: _read_flag(ck, n, w),
    }
    values = ck.fields({k: v for k, v in fields.items() if k != "id"}, readers, what)
    for repeated in sorted({a for a in (values or {}).get("actions", ()) if values and values["actions"].count(a) > 1}):
        # Actions are numbered 3.2-a1, 3.2-a2 ...; iduit assess also follows an answer by its action's wording.
        ck.warn(fields["actions"], f"{what} lists the action '{repeated}' more than once")
    # References are checked even when other fields are wrong: report it all at once.
    _refs(ck, fields.get("see_also"), "section", what, self_id=section_id)
    _refs(ck, fields.get("sources"), "source", what)
    _refs(ck, fields.get("resources"), "linked source", what)
    if section_id is None or values is None or set(_SECTION_REQUIRED) - {"id"} - set(values):
        return None, section_id
    values["tags"] = tuple(t.lower() for t in values["tags"])
    return Section(id=section_id, **values), section_id


def _read_flag(ck: Checker, node: Node, what: str) -> bool | None:
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    ck.at(node, f"'checklist' of {what} must be true or false")
    return None


def _read_examples(ck: Checker, node: Node, what: str) -> tuple[Example, ...] | None:
    keys = ("title", "place", "when", "text", "source")
    examples: list[Example] = []
    before = len(ck.problems)
    for item in ck.sequence(node, what):
        fields = ck.mapping(item, keys, (), f"an example in {what}")
        if fields is None:
            continue
        values = ck.fields(fields, dict.fromkeys(keys, ck.text), f"an example in {what}")
        if values is not None and len(values) == len(keys):
            ck.refs.append(Ref("linked source", values["source"], ck.where(fields["source"]), f"an example in {what}"))
            examples.append(Example(**values))
    return tuple(examples) if len(ck.problems) == before else None


def _read_updates(ck: Checker, node: Node, what: str) -> tuple[Update, ...] | None:
    keys = ("date", "text", "source")
    updates: list[Update] = []
    before = len(ck.problems)
    for item in ck.sequence(node, what):
        fields = ck.mapping(item, keys, (), f"an update in {what}")
        if fields is None:
            continue
        values = ck.fields(fields, dict.fromkeys(keys, ck.text), f"an update in {what}")
        if values is None or len(values) != len(keys):
            continue
        if not UPDATE_DATE.match(values["date"]):
            ck.at(fields["date"], f'the date of an update in {what} must be "YYYY" or "YYYY-MM"')
            continue
        if values["date"] < "2017":
            ck.at(fields["date"], f"an update in {what} is dated before the 2017 guidance; put it in the text instead")
            continue
        ck.refs.append(Ref("linked source", values["source"], ck.where(fields["source"]), f"an update in {what}"))
        updates.append(Update(**values))
    return tuple(updates) if len(ck.problems) == before else None


def _read_chapter(ck: Checker, path: Path) -> tuple[Chapter | None, list[tuple[str, str]], bool]:
    """The chapter if valid; (id, where) of every section id read; whether the file parsed."""
    root = ck.compose(path)
    if root is None:
        return None, [], False
    nodes = ck.mapping(root, ("number", "title", "summary", "sections"), (), "a chapter file")
    if nodes is None:
        return None, [], False
    number = ck.integer(nodes["number"], "chapter 'number'") if "number" in nodes else None
    title = ck.text(nodes["title"], "chapter 'title'") if "title" in nodes else None
    summary = ck.text(nodes["summary"], "chapter 'summary'") if "summary" in nodes else None
    sections: list[Section] = []
    ids: list[tuple[str, str]] = []
    for item in ck.sequence(nodes["sections"], "sections") if "sections" in nodes else []:
        section, section_id = _read_section(ck, item, number)
        if section_id is not None and isinstance(item, MappingNode):
            id_node = next(v for k, v in item.value if k.value == "id")
            ids.append((section_id, ck.where(id_node)))
        if section is not None:
            sections.append(section)
    if number is None or title is None or summary is None:
        return None, ids, True
    return Chapter(number, title, summary, tuple(sections)), ids, True


_TOOL_KEYS = ("id", "title", "purpose", "when_to_use", "aid", "adapt", "sections", "sources", "tags")


def _read_tool(ck: Checker, path: Path) -> Tool | None:
    root = ck.compose(path)
    if root is None:
        return None
    fields = ck.mapping(root, _TOOL_KEYS, (), "a job aid")
    if fields is None:
        return None
    readers: dict[str, Callable[[Node, str], Any]] = dict.fromkeys(_TOOL_KEYS, ck.text)
    readers.update(sections=ck.texts, sources=ck.texts, tags=ck.texts)
    readers.update(when_to_use=ck.markdown, aid=ck.markdown, adapt=ck.markdown)
    values = ck.fields(fields, readers, "the job aid")
    owner = f"job aid {values['id'] if values else path.stem}"
    _refs(ck, fields.get("sections"), "section", owner)
    _refs(ck, fields.get("sources"), "source", owner)
    if values is None or len(values) != len(_TOOL_KEYS):
        return None
    if not TOOL_ID.match(values["id"]):
        ck.at(fields["id"], f"job aid id '{values['id']}' must look like 'T3'")
        return None
    if not path.name.startswith(values["id"] + "-"):
        ck.at(fields["id"], f"the file name must start with the id: '{values['id']}-….yaml'")
    values["tags"] = tuple(t.lower() for t in values["tags"])
    return Tool(**values)


def _tool_number(tool: Tool) -> int:
    return int(tool.id[1:])


def _content_paths(folder: Path) -> list[Path]:
    """The YAML files of a content sub-folder, sorted; symlinks and oddities are left to ``read`` to refuse."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".yaml") if folder.is_dir() else []
    except OSError:
        return []


def _glossary_mentions(ck: Checker, glossary: tuple[tuple[Term, str], ...], sections: dict[str, Section]) -> None:
    """Each glossary entry's sections must use the term or its expansion, or the link sends readers astray."""
    for term, where in glossary:
        names = [n for n in (term.term, term.expansion) if n]
        pattern = re.compile("|".join(rf"(?<!\w){_spaced(n)}(?:s|es)?(?!\w)" for n in names), re.IGNORECASE)
        for section_id in term.sections:
            section = sections.get(section_id)
            if section is not None and not pattern.search(section_text(section)):
                ck.problems.append(
                    f"{where}: glossary term '{term.term}' links to section {section_id}, "
                    "which never uses the term or its expansion"
                )


def _spaced(name: str) -> str:
    """A pattern for ``name`` that also matches it broken across lines."""
    return r"\s+".join(re.escape(word) for word in name.split())


def section_text(section: Section) -> str:
    """Everything a reader sees of a section, as one string (for mention checks)."""
    examples = [f"{e.title} {e.place} {e.text}" for e in section.examples]
    return "\n".join(
        [section.title, section.summary, section.body, *section.key_points, *section.actions, *examples]
        + [u.text for u in section.updates]
    )


def _tool_text(tool: Tool) -> str:
    """Everything a reader sees of a job aid, as one string (for checks of what it states)."""
    return "\n".join([tool.title, tool.purpose, tool.when_to_use, tool.aid, tool.adapt])


def _one_way_links(chapters: list[Chapter], where: dict[str, str], ck: Checker) -> None:
    sections = {s.id: s for c in chapters for s in c.sections}
    for section in sections.values():
        for target in section.see_also:
            other = sections.get(target)
            if other is not None and section.id not in other.see_also:
                ck.warnings.append(
                    f"{where.get(section.id, ck.display + ':1:1')}: warning: {section.id} links to {target}, "
                    "which does not link back"
                )


@dataclass(frozen=True)
class CheckResult:
    """What checking a content directory found: the content when valid, every problem, and warnings."""

    content: Content | None
    problems: list[str]
    warnings: list[str] = field(default_factory=list)


def check_content(data_dir: Path, lang: str = "en") -> CheckResult:
    """Read and check a content directory: the content (if valid), every problem, and warnings.

    For another language than English, the English is read and checked first, then its translation
    (``data/locales/LANG/``) laid over it; see ``iduit.content.translation``.
    """
    result = _check_english(data_dir)
    if lang == "en" or result.content is None:
        return result
    from iduit.content.translation import translate

    ck = Checker(data_dir)
    content = translate(result.content, data_dir, lang, ck)
    warnings = [*result.warnings, *ck.warnings]
    if ck.problems:
        return CheckResult(None, ck.problems, warnings)
    return CheckResult(content, [], warnings)


def _check_english(data_dir: Path) -> CheckResult:
    ck = Checker(data_dir)
    if not data_dir.is_dir():
        return CheckResult(None, [f"{display_path(data_dir)}:1:1: content directory not found"])
    toolkit = _read_toolkit(ck, data_dir / "toolkit.yaml")
    sources = _read_sources(ck, data_dir / "sources.yaml")
    chapters: list[Chapter] = []
    section_where: dict[str, str] = {}
    chapter_numbers: dict[int, str] = {}
    listed = set(toolkit.chapters) if toolkit else None
    for path in _content_paths(data_dir / "chapters"):
        if listed is not None and path.name not in listed:
            ck.display = display_path(path)
            ck.at(None, "chapter file is not listed under 'chapters' in toolkit.yaml")
    all_parsed = True
    for path in _iter_chapter_paths(data_dir, toolkit):
        chapter, ids, parsed = _read_chapter(ck, path)
        all_parsed = all_parsed and parsed
        for section_id, where in ids:
            if section_id in section_where:
                first = section_where[section_id]
                ck.problems.append(f"{where}: duplicate section id '{section_id}' (first at {first})")
            else:
                section_where[section_id] = where
        if chapter is not None:
            if chapter.number in chapter_numbers:
                ck.problems.append(
                    f"{display_path(path)}:1:1: duplicate chapter number {chapter.number} "
                    f"(also in {chapter_numbers[chapter.number]})"
                )
            chapter_numbers[chapter.number] = display_path(path)
            chapters.append(chapter)
    tools: list[Tool] = []
    tool_where: dict[str, str] = {}
    for path in _content_paths(data_dir / "tools"):
        tool = _read_tool(ck, path)
        if tool is not None:
            tool_where.setdefault(tool.id, f"{display_path(path)}:1:1")
            if any(t.id == tool.id for t in tools):
                ck.problems.append(f"{display_path(path)}:1:1: duplicate job aid id '{tool.id}'")
            tools.append(tool)
    glossary = _read_glossary(ck, data_dir / "glossary.yaml")
    synonyms = _read_synonyms(ck, data_dir / "synonyms.yaml")
    indicators: list[Indicator] = []
    if os.path.lexists(data_dir / "indicators.yaml"):  # optional: the coverage calculator's indicators
        indicators = read_indicators(ck, data_dir / "indicators.yaml")
    for ref in ck.refs:
        # With a chapter file unreadable, its ids are unknown: don't cry wolf.
        if ref.kind == "section" and ref.target not in section_where and all_parsed:
            ck.problems.append(f"{ref.where}: {ref.owner} refers to section '{ref.target}', which does not exist")
        if ref.kind in ("source", "linked source") and ref.target not in sources:
            ck.problems.append(f"{ref.where}: {ref.owner} cites source '{ref.target}', which is not in sources.yaml")
        elif ref.kind == "linked source" and not sources[ref.target].url:
            ck.problems.append(f"{ref.where}: {ref.owner} needs a source with a url, and '{ref.target}' has none")
    if not ck.problems:
        _glossary_mentions(ck, glossary, {s.id: s for c in chapters for s in c.sections})
        _one_way_links(chapters, section_where, ck)
        if os.path.lexists(data_dir / "indicators.yaml"):  # the digest and iduit coverage must agree on bands
            texts = [(section_where[s.id], f"section {s.id}", section_text(s)) for c in chapters for s in c.sections]
            texts += [(tool_where[t.id], f"job aid {t.id}", _tool_text(t)) for t in tools]
            check_stated_bands(ck, indicators, texts)
    if ck.problems or toolkit is None:
        return CheckResult(None, ck.problems or [f"{display_path(data_dir)}:1:1: no content"], ck.warnings)
    content = Content(
        toolkit=toolkit,
        chapters=tuple(chapters),
        sources=sources,
        glossary=tuple(term for term, _ in glossary),
        synonyms=synonyms,
        tools=tuple(sorted(tools, key=_tool_number)),
        indicators=tuple(indicators),
    )
    return CheckResult(content, [], ck.warnings)


def _iter_chapter_paths(data_dir: Path, toolkit: Toolkit | None) -> Iterator[Path]:
    chapter_dir = data_dir / "chapters"
    if toolkit is not None:
        yield from (chapter_dir / name for name in toolkit.chapters if os.path.lexists(chapter_dir / name))
    else:
        yield from _content_paths(chapter_dir)


def load_content(data_dir: Path, lang: str = "en") -> Content:
    """The validated content of a directory, in ``lang``; ContentError lists every problem."""
    result = check_content(data_dir, lang)
    if result.content is None:
        raise ContentError(result.problems)
    return result.content
