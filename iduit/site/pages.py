"""The site's pages: outline documents and the content model in, HTML out, through Jinja2 templates.

What a chapter, job aid or glossary entry contains, and in what order, comes
from ``iduit.outline`` (the same documents the terminal and the exports use);
Markdown bodies go through ``iduit.formats.html.body_html`` (raw HTML in
content is escaped, never passed through). This module only cuts documents
into the parts a page shows (an opening, then one part per section or job
aid) and adds what a website needs around them: navigation, a search box,
anchors for glossary terms and tags. Templates autoescape everything;
``Markup`` is used for Markdown-rendered bodies and nothing else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from iduit import outline
from iduit.content.model import Chapter, Content, Tool
from iduit.formats.html import SITE, blocks_html
from iduit.language.messages import tr
from iduit.outline import Block, Document, Footer, Heading, Link, Linker, Links, Subheading
from iduit.programme.actions import SectionGroup, actions_version, all_actions, grouped
from iduit.programme.assessment import STATUSES
from iduit.site.links import SiteLinker, tool_page_name

TEMPLATES = Path(__file__).resolve().parent / "templates"
EXTENSION = "html"
HOME = "index.html"
SEARCH_PAGE = "search.html"
CHECKLIST_PAGE = "checklist.html"
TAGS_PAGE = "tags.html"
TOOLS_PAGE = f"tools.{EXTENSION}"  # the list of job aids; each has its own page (links.tool_page_name)
GLOSSARY_PAGE = f"glossary.{EXTENSION}"
ASSETS = "assets"
# Nothing is loaded from anywhere but the site's own folder; no inline script or style is needed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"
)
SEARCH_SCRIPTS = (f"{ASSETS}/minisearch.js", f"{ASSETS}/search-index.js", f"{ASSETS}/search.js")
CHECKLIST_SCRIPT = f"{ASSETS}/checklist.js"
# Languages whose words the browser stems: their stemmer loads before search.js.
STEMMER_SCRIPTS = {"ru": f"{ASSETS}/snowball-russian.js"}
# The site's main navigation: (key, page, label).
NAV = (
    ("home", HOME, "Contents"),
    ("tools", TOOLS_PAGE, "Job aids"),
    ("glossary", GLOSSARY_PAGE, "Glossary"),
    ("checklist", CHECKLIST_PAGE, "Checklist"),
    ("tags", TAGS_PAGE, "Tags"),
    ("search", SEARCH_PAGE, "Search"),
)
_SLUG = re.compile(r"[^a-z0-9]+")


def blocks_markup(blocks: Sequence[Block], linker: Linker, term_anchors: dict[str, str] | None = None) -> Markup:
    """Outline blocks as the site's HTML, by the HTML format's one block walker (it escapes everything)."""
    anchor = term_anchors.__getitem__ if term_anchors else None
    return Markup("\n".join(blocks_html(blocks, linker, SITE, anchor)))


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "x"


class Anchors:
    """Unique fragment ids within one page, made from text."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def __call__(self, text: str) -> str:
        base = f"{self.prefix}-{slug(text)}"
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}-{n}", n + 1
        self.used.add(name)
        return name


# -- what templates get ------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A stretch of a page: its opening (no heading), or one section or job aid."""

    heading: Heading | None
    blocks: tuple[Any, ...]


@dataclass(frozen=True)
class Contents:
    """A page's list of its own sections, shown as a navigation list."""

    title: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Neighbour:
    href: str
    label: str


@dataclass(frozen=True)
class Page:
    name: str
    template: str
    title: str
    current: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    scripts: tuple[str, ...] = ()


def parts(document: Document) -> list[Part]:
    """The document's blocks cut at each section or job aid heading; the footer goes to the page footer."""
    cut: list[Part] = []
    heading: Heading | None = None
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Footer):
            continue
        if isinstance(block, Heading) and block.item_id:
            if heading is not None or blocks:
                cut.append(Part(heading, tuple(blocks)))
            heading, blocks = block, []
        else:
            blocks.append(block)
    if heading is not None or blocks:
        cut.append(Part(heading, tuple(blocks)))
    return cut


def opening_contents(part: Part) -> tuple[Part, Contents | None]:
    """A chapter's opening less its closing list of sections, which becomes the page's contents list."""
    blocks = part.blocks
    if len(blocks) >= 2 and isinstance(blocks[-2], Subheading) and isinstance(blocks[-1], Links):
        return Part(part.heading, blocks[:-2]), Contents(blocks[-2].text, blocks[-1].links)
    return part, None


def _linker(document: Document, root: str = "") -> Linker:
    return SiteLinker(here=document.ids, root=root)


def chapter_page(content: Content, chapter: Chapter, before: Chapter | None, after: Chapter | None) -> Page:
    document = outline.document(content, [chapter])
    cut = parts(document)
    opening, contents = opening_contents(cut[0])

    def neighbour(other: Chapter | None) -> Neighbour | None:
        if other is None:
            return None
        return Neighbour(outline.chapter_file_name(other.number, EXTENSION), other.heading)

    return Page(
        outline.chapter_file_name(chapter.number, EXTENSION),
        "chapter.html",
        chapter.heading,
        values={
            "opening": opening,
            "contents": contents,
            "parts": cut[1:],
            "linker": _linker(document),
            "previous": neighbour(before),
            "next": neighbour(after),
            "store_key": checklist_key(content),
            # Said on a chapter whose actions can be ticked, so a reader knows a tick is kept and where it goes.
            "ticks_kept": any(section.actions and section.checklist for section in chapter.sections),
        },
        scripts=(CHECKLIST_SCRIPT,),  # each action's tick is kept where the checklist page keeps it
    )


@dataclass(frozen=True)
class ToolEntry:
    """A job aid in the list on tools.html: its old anchor there stays, so links made before still land."""

    tool: Tool
    anchor: str
    href: str


def tools_page(content: Content) -> Page:
    entries = [ToolEntry(t, outline.anchor(t.id), tool_page_name(t.id)) for t in content.tools]
    return Page(TOOLS_PAGE, "tools.html", tr("Job aids"), "tools", values={"entries": entries})


def tool_page(content: Content, tool: Tool, before: Tool | None, after: Tool | None) -> Page:
    """One job aid alone on its page, its title the page's heading: to open, share or print by itself."""
    root = "../"
    document = Document(tool.title, tuple(outline.tool_blocks(content, tool, level=1)), ids=frozenset({tool.id}))

    def neighbour(other: Tool | None) -> Neighbour | None:
        return None if other is None else Neighbour(f"{root}{tool_page_name(other.id)}", f"{other.id} {other.title}")

    return Page(
        tool_page_name(tool.id),
        "tool.html",
        f"{tool.id} {tool.title}",
        "tools",
        values={
            "root": root,
            "body_class": "tool-page",
            "part": parts(document)[0],
            "linker": _linker(document, root),
            "previous": neighbour(before),
            "next": neighbour(after),
        },
    )


def glossary_page(content: Content) -> Page:
    document = outline.glossary_document(content)
    anchors = Anchors("term")
    term_anchors = {term.term: anchors(term.term) for term in content.glossary}
    letters: dict[str, str] = {}  # first letter -> the first term's anchor, for the A-Z line
    for term in content.glossary:
        letters.setdefault(term.term[:1].upper(), term_anchors[term.term])
    return Page(
        GLOSSARY_PAGE,
        "glossary.html",
        tr("Glossary"),
        "glossary",
        values={
            "parts": parts(document),
            "linker": _linker(document),
            "letters": sorted(letters.items()),
            "term_anchors": term_anchors,
        },
    )


@dataclass(frozen=True)
class ChecklistGroup:
    heading: str
    href: str
    sections: tuple[tuple[SectionGroup, str], ...]  # (section and its actions, the section's link)


def checklist_key(content: Content) -> str:
    """Where the browser keeps the checklist's answers (localStorage): one place per language and set of actions.

    Every page opened from file:// shares one storage, so the English and Russian sites, or an older copy
    of the site whose actions differ, must never read each other's answers.
    """
    return f"iduit-checklist/{content.lang}/{actions_version(content)}"


def checklist_page(content: Content) -> Page:
    """Every action with its id (as iduit checklist and iduit assess name it), a tick, an answer and a note.

    checklist.js keeps the answers in the browser and saves them as the CSV ``iduit assess import`` reads.
    """
    linker = SiteLinker()
    groups = [
        ChecklistGroup(
            group.heading,
            outline.chapter_file_name(group.number, EXTENSION),
            tuple((s, linker.href(s.id) or "") for s in group.sections),
        )
        for group in grouped(content, all_actions(content))
    ]
    return Page(
        CHECKLIST_PAGE,
        "checklist.html",
        tr("Checklist of actions"),
        "checklist",
        values={
            "groups": groups,
            "statuses": [(status, tr(status)) for status in STATUSES],
            "store_key": checklist_key(content),
        },
        scripts=(CHECKLIST_SCRIPT,),
    )


@dataclass(frozen=True)
class TagEntry:
    tag: str
    anchor: str
    items: tuple[tuple[str, str], ...]  # (label, link)


def tag_entries(content: Content) -> list[TagEntry]:
    """Every tag, alphabetically, with the sections and job aids that carry it (as ``iduit tags`` counts them)."""
    linker = SiteLinker()
    found: dict[str, list[tuple[str, str]]] = {}
    for section in content.sections():
        for tag in dict.fromkeys(section.tags):
            found.setdefault(tag, []).append((f"{section.id} {section.title}", linker.href(section.id) or ""))
    for tool in content.tools:
        for tag in dict.fromkeys(("job aid", *tool.tags)):
            found.setdefault(tag, []).append((f"{tool.id} {tool.title}", linker.href(tool.id) or ""))
    anchors = Anchors("tag")
    return [TagEntry(tag, anchors(tag), tuple(found[tag])) for tag in sorted(found, key=str.lower)]


def tags_page(content: Content) -> Page:
    return Page(TAGS_PAGE, "tags.html", tr("Tags"), "tags", values={"entries": tag_entries(content)})


def search_page(content: Content) -> Page:
    stemmer = STEMMER_SCRIPTS.get(content.lang)
    scripts = (*SEARCH_SCRIPTS[:2], stemmer, SEARCH_SCRIPTS[2]) if stemmer else SEARCH_SCRIPTS
    return Page(SEARCH_PAGE, "search.html", tr("Search"), "search", scripts=scripts)


@dataclass(frozen=True)
class ChapterEntry:
    href: str
    heading: str
    summary: str
    sections: tuple[tuple[str, str], ...]  # (label, link)


def home_page(content: Content) -> Page:
    linker = SiteLinker()
    chapters = [
        ChapterEntry(
            outline.chapter_file_name(c.number, EXTENSION),
            c.heading,
            c.summary,
            tuple((f"{s.id} {s.title}", linker.href(s.id) or "") for s in c.sections),
        )
        for c in content.chapters
    ]
    tools = [(f"{t.id} {t.title}", linker.href(t.id) or "") for t in content.tools]
    return Page(HOME, "home.html", tr("Contents"), "home", values={"chapters": chapters, "tools": tools})


def pages(content: Content) -> list[Page]:
    """Every page of the site, home first."""
    chapters: Sequence[Chapter] = content.chapters
    out = [home_page(content)]
    for i, chapter in enumerate(chapters):
        before = chapters[i - 1] if i > 0 else None
        after = chapters[i + 1] if i + 1 < len(chapters) else None
        out.append(chapter_page(content, chapter, before, after))
    if content.tools:
        out.append(tools_page(content))
        tools: Sequence[Tool] = content.tools
        for i, tool in enumerate(tools):
            after_tool = tools[i + 1] if i + 1 < len(tools) else None
            out.append(tool_page(content, tool, tools[i - 1] if i > 0 else None, after_tool))
    if content.glossary:
        out.append(glossary_page(content))
    out += [checklist_page(content), tags_page(content), search_page(content)]
    return out


def nav(content: Content) -> list[tuple[str, str, str]]:
    """The main navigation, without pages this content has none of."""
    missing = {"tools"} if not content.tools else set()
    if not content.glossary:
        missing.add("glossary")
    return [(key, page, tr(label)) for key, page, label in NAV if key not in missing]


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["blocks"] = blocks_markup
    env.globals["tr"] = tr
    return env


def render_pages(content: Content) -> dict[str, str]:
    """File name -> HTML for every page."""
    env = environment()
    toolkit = content.toolkit
    common: dict[str, Any] = {
        "root": "",  # the way from a page to the site's top folder: "../" from tools/
        "body_class": "",
        "csp": CSP,
        "lang": content.lang,
        "toolkit": toolkit,
        "site_name": outline.brand(content),
        "nav": nav(content),
        "has_tools": bool(content.tools),
        "has_glossary": bool(content.glossary),
    }
    rendered: dict[str, str] = {}
    for page in pages(content):
        template = env.get_template(page.template)
        values = {**common, **page.values}
        rendered[page.name] = template.render(
            **values, page=page, title=page.title, current=page.current, scripts=page.scripts
        )
    return rendered
