"""YAML content files read as nodes, so every problem can name its file, line and column.

``Checker`` reads a file (regular files only, with a size limit), composes it
safely and offers typed getters that record a problem and carry on, so one
run reports everything, the way mkdocs checks its config. The loader, the
indicators reader, assessment files and coverage inputs all read YAML through it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from markdown_it.token import Token

from iduit.content.text import clean_text

# The C loader is several times faster; the pure-Python one is the fallback.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 5 * 1024 * 1024
# Canonical ids only (ASCII digits, no leading zeros), so what validates can be shown.
SECTION_ID = re.compile(r"^(0|[1-9][0-9]*)\.([1-9][0-9]*)$")
TOOL_ID = re.compile(r"^T([1-9][0-9]*)$")
SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UPDATE_DATE = re.compile(r"^(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?$")
URL = re.compile(r"^https?://[^\s<>\"]+$")
# Control characters YAML refuses; found first so the message has the real line and column.
# Also the non-characters U+FFFE and U+FFFF, which XML (and so every e-book and Kiwix page) cannot carry.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
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
class Ref:
    """A reference to check once every file is read (see_also, sources, ...)."""

    kind: str
    target: str
    where: str
    owner: str


@dataclass
class Checker:
    """Collects problems (and warnings) for one content directory."""

    data_dir: Path
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    display: str = ""

    def at(self, node: Node | None, message: str) -> None:
        self.problems.append(f"{self.where(node)}: {message}")

    def warn(self, node: Node | None, message: str) -> None:
        self.warnings.append(f"{self.where(node)}: warning: {message}")

    def where(self, node: Node | None) -> str:
        if node is None:
            return f"{self.display}:1:1"
        return f"{self.display}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    # -- reading ---------------------------------------------------------

    def read(self, path: Path) -> bytes | None:
        """A content file's bytes, if it is a regular file inside the content folder and not too large."""
        self.display = display_path(path)
        try:
            real = path.resolve(strict=True)
            root = self.data_dir.resolve(strict=True)
        except FileNotFoundError:
            self.at(None, "file not found")
            return None
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python < 3.13
            self.at(None, f"cannot read file: {getattr(exc, 'strerror', None) or 'symbolic link loop'}")
            return None
        if not real.is_relative_to(root):
            self.at(None, "refusing to read a file outside the content folder")
            return None
        try:
            # O_NONBLOCK so a named pipe cannot hang the open; only regular files are read.
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            self.at(None, f"cannot read file: {exc.strerror or exc}")
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self.at(None, "not a regular file")
                return None
            if info.st_size > MAX_FILE_BYTES:
                self.at(None, f"file is too large ({info.st_size / 1024 / 1024:.1f} MB; the limit is 5 MB)")
                return None
            chunks: list[bytes] = []
            size = 0
            while size <= MAX_FILE_BYTES and (chunk := os.read(fd, 1 << 20)):
                chunks.append(chunk)
                size += len(chunk)
            raw = b"".join(chunks)
        except OSError as exc:
            self.at(None, f"cannot read file: {exc.strerror or exc}")
            return None
        finally:
            os.close(fd)
        if len(raw) > MAX_FILE_BYTES:
            self.at(None, "file is too large (the limit is 5 MB)")
            return None
        return raw

    def compose(self, path: Path) -> Node | None:
        """Read and parse one file; report and return None when that fails."""
        raw = self.read(path)
        if raw is None:
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
        bad = _FORBIDDEN.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
            code = f"U+{ord(bad.group()):04X}"
            self.problems.append(f"{self.display}:{line}:{column}: control character {code} is not allowed in content")
            return None
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
            lines = text.splitlines()
            if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
                problem = "a tab character; YAML needs spaces for indentation"
            self.problems.append(f"{self.display}:{line}:{column}: YAML syntax error: {problem}")
            return None
        except yaml.YAMLError as exc:
            self.at(None, f"YAML error: {' '.join(str(exc).split())}")
            return None
        if node is None:
            self.at(None, "file is empty")
            return None
        shared = _first_alias(node)
        if shared is not None:
            # Content never needs anchors; refusing them rules out alias bombs.
            self.at(shared, "YAML aliases (*name) are not allowed in content; write the text out")
            return None
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

    def markdown(self, node: Node, what: str) -> str | None:
        """Text that is Markdown: no raw HTML, nothing nested or wide enough to be lost when shown."""
        value = self.text(node, what)
        if value is not None:
            for problem in markdown_problems(value):
                self.at(node, f"{what}: {problem}")
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


MAX_NESTING = 8
MAX_TABLE_COLUMNS = 10


# Link schemes content may use: anything else (javascript:, vbscript:, data:, file:) could run or leak.
SAFE_SCHEMES = ("http", "https", "mailto")
# A link's or image's destination, an autolink, or a reference definition, each with a scheme.
_LINK_SCHEME = re.compile(
    r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.-]*)\s*:"
    r"|<([a-zA-Z][a-zA-Z0-9+.-]*):[^\s>]*>"
    r"|^\s*\[[^\]]+\]:\s*<?([a-zA-Z][a-zA-Z0-9+.-]*):",
    re.M,
)


_SCHEME_START = re.compile(r"^(https?|mailto):", re.IGNORECASE)
# A link destination as written, inline or as an autolink.
_DESTINATION = re.compile(r"\]\(\s*<?([^\s)>]+)|<((?:https?|mailto):[^\s>]*)>")
# What RFC 3986 leaves out of an address; outputs (EPUB, ZIM) refuse it unencoded.
_NOT_IN_URL = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


def markdown_problems(text: str) -> list[str]:
    """What in a Markdown text could not be shown faithfully everywhere: raw HTML, deep nesting, wide tables."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True, "maxNesting": 200}).enable("table").parse(text)
    problems: list[str] = []
    if any(t.type in ("html_block", "html_inline") for t in tokens) or any(
        c.type == "html_inline" for t in tokens for c in t.children or []
    ):
        problems.append("raw HTML is not allowed in content; write Markdown (it is escaped, never run)")
    depth = deepest = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
    # Read from the text itself: markdown-it drops some of these links when it renders, pandoc does not.
    schemes = {"".join(groups).lower() for groups in _LINK_SCHEME.findall(text)}
    for scheme in sorted(schemes - set(SAFE_SCHEMES)):
        problems.append(f"a link or image to '{scheme}:' is not allowed; use http, https or mailto")
    inline = [c for t in tokens for c in t.children or []]
    if any(c.type == "image" for c in inline):
        # Every output is offline and fetches nothing: a picture would be a broken box or a leak.
        problems.append("images are not allowed: iduit's outputs carry no pictures; describe it in words or link to it")
    for child in inline:
        href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
        if href and not _SCHEME_START.match(href):
            # A relative link leads to no page of the site, book or ZIM; sections link by see_also.
            problems.append(f"the link to '{href[:60]}' leads nowhere in iduit's outputs; use a web address")
    for destination in ("".join(groups) for groups in _DESTINATION.findall(text)):
        odd = sorted(set(_NOT_IN_URL.findall(destination)))
        if odd:
            problems.append(
                f"the web address '{destination[:60]}' holds {' '.join(odd)}, which a web address cannot carry as it "
                "is; write it percent-encoded (e.g. %7B for {)"
            )
    if any(_runs_in(t) for t in tokens if t.type == "inline"):
        problems.append(
            "a line in bold runs into the next line, so every output joins them (a heading and its text); "
            "make it a heading (### …) or put a blank line after it"
        )
    if deepest > MAX_NESTING:
        problems.append(f"lists or quotes are nested {deepest} levels deep (at most {MAX_NESTING}); flatten them")
    row = 0
    widest = 0
    for token in tokens:
        if token.type == "tr_open":
            row = 0
        elif token.type in ("th_open", "td_open"):
            row += 1
            widest = max(widest, row)
    if widest > MAX_TABLE_COLUMNS:
        problems.append(f"a table has {widest} columns; at most {MAX_TABLE_COLUMNS} fit a page or a phone")
    return problems


def _runs_in(inline: Token) -> bool:
    """A line wholly in bold (heading-like), then a soft line break and more text in the same paragraph."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content)]
    if len(children) < 5 or children[0].type != "strong_open":
        return False
    close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
    return close is not None and close + 2 < len(children) and children[close + 1].type == "softbreak"


def _first_alias(root: Node) -> Node | None:
    """A node reached twice (an alias), if any; each node is visited once, so bombs stay cheap."""
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return None


def display_path(path: Path) -> str:
    """A path as people want to read it: relative to here when that is shorter."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop on Python < 3.13
        return str(path)
