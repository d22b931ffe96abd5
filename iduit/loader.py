"""Load a content directory into the content model, checking everything.

YAML is composed into nodes (which keep line and column) and checked against
the schema; every problem is collected as ``file:line:col: message`` and
raised together in one ContentError, the way mkdocs checks its config.
Only this module ever touches raw YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from iduit.errors import ContentError
from iduit.model import Chapter, Content, Example, Section, Source, Term, Toolkit
from iduit.text import clean_text

# The C loader is several times faster; the pure-Python one is the fallback.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 5 * 1024 * 1024
SECTION_ID = re.compile(r"^(\d+)\.(\d+)$")
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
TAG_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


@dataclass
class _Ref:
    """A reference to check once every file is read (see_also, sources, ...)."""

    kind: str
    target: str
    where: str
    owner: str


@dataclass
class _Checker:
    """Collects problems for one content directory."""

    data_dir: Path
    problems: list[str] = field(default_factory=list)
    refs: list[_Ref] = field(default_factory=list)
    display: str = ""

    def at(self, node: Node | None, message: str) -> None:
        if node is None:
            self.problems.append(f"{self.display}:1:1: {message}")
        else:
            mark = node.start_mark
            self.problems.append(f"{self.display}:{mark.line + 1}:{mark.column + 1}: {message}")

    def where(self, node: Node) -> str:
        return f"{self.display}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    # -- reading ---------------------------------------------------------

    def compose(self, path: Path) -> Node | None:
        """Read and parse one file; report and return None when that fails."""
        self.display = display_path(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.at(None, "file not found")
            return None
        except OSError as exc:
            self.at(None, f"cannot read file: {exc.strerror or exc}")
            return None
        if len(raw) > MAX_FILE_BYTES:
            size = len(raw) / 1024 / 1024
            self.at(None, f"file is too large ({size:.1f} MB; the limit is 5 MB)")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            self.problems.append(
                f"{self.display}:{line}:{column}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            )
            return None
        if not text.strip():
            self.at(None, "file is empty")
            return None
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            lines = text.splitlines()
            if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
                problem = "a tab character; YAML needs spaces for indentation"
            self.problems.append(f"{self.display}:{line}:{column}: YAML syntax error: {problem}")
            return None
        except yaml.YAMLError as exc:
            self.at(None, f"YAML error: {exc}")
            return None
        if node is None:
            self.at(None, "file is empty")
        return node

    # -- shapes ----------------------------------------------------------

    def mapping(
        self, node: Node, required: tuple[str, ...], optional: tuple[str, ...], what: str
    ) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.at(node, f"{what} must be a mapping of keys to values")
            return None
        found: dict[str, Node] = {}
        allowed = set(required) | set(optional)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.at(key_node, f"{what} has a key that is not text")
            elif key in found:
                self.at(key_node, f"duplicate key '{key}' in {what}")
            elif key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.at(key_node, f"unknown key '{key}' in {what} (allowed: {hint})")
            else:
                found[key] = value_node
        for key in required:
            if key not in found:
                self.at(node, f"missing key '{key}' in {what}")
        return found

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.at(node, f"{what} must be text")
            return None
        if node.tag != STR_TAG:
            kind = TAG_NAMES.get(node.tag, node.tag)
            self.at(node, f"{what} must be text, not {kind} (put it in quotes)")
            return None
        value = clean_text(node.value).strip()
        if not value:
            self.at(node, f"{what} is empty")
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        if isinstance(node, ScalarNode) and node.tag == INT_TAG:
            try:
                return int(node.value.replace("_", ""), 0)
            except ValueError:
                pass
        self.at(node, f"{what} must be a whole number")
        return None

    def sequence(self, node: Node, what: str, allow_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.at(node, f"{what} must be a list")
            return []
        if not node.value and not allow_empty:
            self.at(node, f"{what} is an empty list")
        return list(node.value)

    def texts(self, node: Node, what: str, allow_empty: bool = False) -> tuple[str, ...]:
        items = (self.text(item, f"an item of {what}") for item in self.sequence(node, what, allow_empty))
        return tuple(item for item in items if item is not None)

    def fields(
        self, nodes: dict[str, Node], readers: dict[str, Callable[[Node, str], Any]], what: str
    ) -> dict[str, Any] | None:
        """Read each present key with its reader; None when any of them failed."""
        before = len(self.problems)
        values = {key: readers[key](node, f"'{key}' of {what}") for key, node in nodes.items() if key in readers}
        if len(self.problems) > before or any(v is None for v in values.values()):
            return None
        return values


def display_path(path: Path) -> str:
    """A path as people want to read it: relative to here when that is shorter."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read_toolkit(ck: _Checker, path: Path) -> Toolkit | None:
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
    for name in values["chapters"]:
        if not (path.parent / "chapters" / name).is_file():
            ck.at(nodes["chapters"], f"chapter file 'chapters/{name}' does not exist")
    return Toolkit(**values)


def _read_sources(ck: _Checker, path: Path) -> dict[str, Source]:
    root = ck.compose(path)
    sources: dict[str, Source] = {}
    nodes = ck.mapping(root, ("sources",), (), "sources.yaml") if root is not None else None
    if not nodes or "sources" not in nodes:
        return sources
    keys = ("id", "title", "publisher", "year")
    for item in ck.sequence(nodes["sources"], "sources"):
        fields = ck.mapping(item, keys, (), "a source")
        if fields is None:
            continue
        readers: dict[str, Callable[[Node, str], Any]] = {k: ck.text for k in keys}
        readers["year"] = ck.integer
        values = ck.fields(fields, readers, "a source")
        if values is None or set(values) != set(keys):
            continue
        if values["id"] in sources:
            ck.at(fields["id"], f"duplicate source id '{values['id']}'")
            continue
        sources[values["id"]] = Source(**values)
    return sources


def _read_glossary(ck: _Checker, path: Path) -> tuple[Term, ...]:
    root = ck.compose(path)
    nodes = ck.mapping(root, ("terms",), (), "glossary.yaml") if root is not None else None
    if not nodes or "terms" not in nodes:
        return ()
    terms: list[Term] = []
    seen: set[str] = set()
    for item in ck.sequence(nodes["terms"], "terms"):
        fields = ck.mapping(item, ("term", "definition", "sections"), ("expansion",), "a glossary term")
        if fields is None:
            continue
        readers = {"term": ck.text, "definition": ck.text, "expansion": ck.text, "sections": ck.texts}
        values = ck.fields(fields, readers, "a glossary term")
        if values is None or "term" not in values:
            continue
        name = values["term"]
        if name.casefold() in seen:
            ck.at(fields["term"], f"duplicate glossary term '{name}'")
            continue
        seen.add(name.casefold())
        where = ck.where(fields["sections"]) if "sections" in fields else ck.where(item)
        for target in values.get("sections", ()):
            ck.refs.append(_Ref("section", target, where, f"glossary term '{name}'"))
        if {"definition", "sections"} <= set(values):
            terms.append(Term(**values))
    return tuple(terms)


def _read_synonyms(ck: _Checker, path: Path) -> tuple[tuple[str, ...], ...]:
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
    return tuple(groups)


_SECTION_REQUIRED = ("id", "title", "summary", "body", "key_points", "actions", "tags", "see_also", "sources")


def _read_section(ck: _Checker, node: Node, chapter: int | None) -> tuple[Section | None, str | None]:
    """The section if valid, and its id whenever that could be read (for cross-checks)."""
    fields = ck.mapping(node, _SECTION_REQUIRED, ("examples",), "a section")
    if fields is None:
        return None, None
    section_id = None
    if "id" in fields:
        section_id = ck.text(fields["id"], "section 'id'")
        match = SECTION_ID.match(section_id or "")
        if section_id and not match:
            ck.at(fields["id"], f"section id '{section_id}' must look like '3.12'")
            section_id = None
        elif match and chapter is not None and int(match.group(1)) != chapter:
            ck.at(fields["id"], f"section '{section_id}' is in chapter {chapter}: its id must start with '{chapter}.'")
    what = f"section {section_id or '?'}"
    readers: dict[str, Callable[[Node, str], Any]] = {
        "title": ck.text,
        "summary": ck.text,
        "body": ck.text,
        "key_points": ck.texts,
        "actions": ck.texts,
        "tags": ck.texts,
        "see_also": lambda n, w: ck.texts(n, w, allow_empty=True),
        "sources": ck.texts,
        "examples": lambda n, w: _read_examples(ck, n, w),
    }
    values = ck.fields({k: v for k, v in fields.items() if k != "id"}, readers, what)
    # References are checked even when other fields are wrong: report it all at once.
    for kind, ref_kind in (("see_also", "section"), ("sources", "source")):
        node_list = fields.get(kind)
        for target_node in node_list.value if isinstance(node_list, SequenceNode) else []:
            if not isinstance(target_node, ScalarNode) or not target_node.value:
                continue
            if kind == "see_also" and target_node.value == section_id:
                ck.at(target_node, f"{what} lists itself in see_also")
            ck.refs.append(_Ref(ref_kind, target_node.value, ck.where(target_node), what))
    if section_id is None or values is None or set(_SECTION_REQUIRED) - {"id"} - set(values):
        return None, section_id
    values["tags"] = tuple(t.lower() for t in values["tags"])
    return Section(id=section_id, **values), section_id


def _read_examples(ck: _Checker, node: Node, what: str) -> tuple[Example, ...] | None:
    examples: list[Example] = []
    before = len(ck.problems)
    for item in ck.sequence(node, what):
        fields = ck.mapping(item, ("title", "place", "text"), (), f"an example in {what}")
        if fields is None:
            continue
        values = ck.fields(fields, dict.fromkeys(("title", "place", "text"), ck.text), f"an example in {what}")
        if values is not None and len(values) == 3:
            examples.append(Example(**values))
    return tuple(examples) if len(ck.problems) == before else None


def _read_chapter(ck: _Checker, path: Path) -> tuple[Chapter | None, list[tuple[str, str]], bool]:
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
        if section_id is not None:
            id_node = next(v for k, v in item.value if k.value == "id")
            ids.append((section_id, ck.where(id_node)))
        if section is not None:
            sections.append(section)
    if number is None or title is None or summary is None:
        return None, ids, True
    return Chapter(number, title, summary, tuple(sections)), ids, True


def _iter_chapter_paths(data_dir: Path, toolkit: Toolkit | None) -> Iterator[Path]:
    chapter_dir = data_dir / "chapters"
    if toolkit is not None:
        yield from (chapter_dir / name for name in toolkit.chapters if (chapter_dir / name).is_file())
    else:
        yield from sorted(chapter_dir.glob("*.yaml"))


def check_content(data_dir: Path) -> tuple[Content | None, list[str]]:
    """Read and check a content directory: the content (if valid) and every problem."""
    ck = _Checker(data_dir)
    if not data_dir.is_dir():
        return None, [f"{display_path(data_dir)}:1:1: content directory not found"]
    toolkit = _read_toolkit(ck, data_dir / "toolkit.yaml")
    sources = _read_sources(ck, data_dir / "sources.yaml")
    chapters: list[Chapter] = []
    section_where: dict[str, str] = {}
    chapter_numbers: dict[int, str] = {}
    listed = set(toolkit.chapters) if toolkit else None
    for path in sorted((data_dir / "chapters").glob("*.yaml")):
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
    glossary = _read_glossary(ck, data_dir / "glossary.yaml")
    synonyms = _read_synonyms(ck, data_dir / "synonyms.yaml")
    for ref in ck.refs:
        # With a chapter file unreadable, its ids are unknown: don't cry wolf.
        if ref.kind == "section" and ref.target not in section_where and all_parsed:
            ck.problems.append(f"{ref.where}: {ref.owner} refers to section '{ref.target}', which does not exist")
        if ref.kind == "source" and ref.target not in sources:
            ck.problems.append(f"{ref.where}: {ref.owner} cites source '{ref.target}', which is not in sources.yaml")
    if ck.problems or toolkit is None:
        return None, ck.problems or [f"{display_path(data_dir)}:1:1: no content"]
    content = Content(
        toolkit=toolkit,
        chapters=tuple(chapters),
        sources=sources,
        glossary=glossary,
        synonyms=synonyms,
    )
    return content, []


def load_content(data_dir: Path) -> Content:
    """The validated content of a directory; ContentError lists every problem."""
    content, problems = check_content(data_dir)
    if content is None:
        raise ContentError(problems)
    return content
