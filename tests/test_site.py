"""The offline website (`iduit site`): every page parses, every link lands, nothing loads from elsewhere.

Fast tests: the site is built from the fixture content once per module (the
library, in memory) and through the real CLI where the command itself is
under test. Golden files: tests/golden/site/ (regenerate with UPDATE_GOLDEN=1
and review the diff). The browser tests are in test_site_browser.py.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from iduit.content.loader import load_content
from iduit.content.model import Content
from iduit.formats.html import SITE, blocks_html
from iduit.outline import Body, Linker
from iduit.site import search_data
from iduit.site.build import MANIFEST, STATIC_FILES, render_site, zip_bytes
from iduit.site.pages import CSP
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run

GOLDEN = Path(__file__).parent / "golden" / "site"
PAGES = ("index.html", "chapter-0.html", "chapter-3.html", "tools.html", "glossary.html", "checklist.html")
PAGES += ("tags.html", "search.html", "tools/T1.html")
TOP = sorted({name.split("/")[0] for name in PAGES})  # what the site's folder holds beside assets/
OUR_SCRIPTS = ["assets/minisearch.js", "assets/search-index.js", "assets/search.js"]


class Page(HTMLParser):
    """What the tests need from one page: ids, links, scripts, forms, landmarks, every start tag."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        for name in ("href", "src", "action"):
            if attributes.get(name) is not None:
                self.links.append(str(attributes[name]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(FIXTURE_CONTENT)


@pytest.fixture(scope="module")
def site(content: Content) -> dict[str, bytes]:
    return render_site(content)


@pytest.fixture(scope="module")
def parsed(site: dict[str, bytes]) -> dict[str, Page]:
    return {name: Page(data.decode("utf-8")) for name, data in site.items() if name.endswith(".html")}


def internal_links(pages: dict[str, Page]) -> Iterator[tuple[str, str]]:
    for name, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            yield name, link


def check_links(files: set[str], pages: dict[str, Page]) -> list[str]:
    """Every internal link's file exists (read from the page's own folder) and its fragment is an id on that page."""
    broken = []
    for name, link in internal_links(pages):
        parts = urlsplit(link)
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
        if target not in files:
            broken.append(f"{name}: {link} (no file {target})")
        elif parts.fragment and (target not in pages or unquote(parts.fragment) not in pages[target].ids):
            broken.append(f"{name}: {link} (no id {parts.fragment})")
    return broken


def test_the_site_has_every_page_and_asset(site: dict[str, bytes], content: Content) -> None:
    assets = {f"assets/{name}" for _, name in STATIC_FILES} | {"assets/search-index.js", MANIFEST}
    assert set(site) == set(PAGES) | assets
    assert json.loads(site[MANIFEST]) == {"made_by": "iduit", "files": sorted(site)}  # itself included
    assert len(content.chapters) == 2  # chapter-0 and chapter-3 above


def test_every_internal_link_and_anchor_resolves(site: dict[str, bytes], parsed: dict[str, Page]) -> None:
    assert check_links(set(site), parsed) == []
    # And there are plenty of them: contents, neighbours, see-also, job aids, glossary, tags.
    assert sum(1 for _ in internal_links(parsed)) > 150
    for name, page in parsed.items():
        assert len(page.ids) == len(set(page.ids)), f"duplicate ids on {name}"


def test_every_page_forbids_remote_loads_and_needs_no_inline_code(parsed: dict[str, Page]) -> None:
    for name, page in parsed.items():
        metas = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert [m.get("content") for m in metas] == [CSP], name
        assert page.tags[3][0] == "meta" and page.tags[3][1].get("http-equiv") == "Content-Security-Policy", name
        assert page.script_text == [], f"inline script on {name}"
        assert page.all("style") == [], f"style element on {name}"
        for tag, attributes in page.tags:
            assert "style" not in attributes, f"style attribute on <{tag}> in {name}"
            assert not [a for a in attributes if a.startswith("on")], f"event handler on <{tag}> in {name}"
        for link in page.links:
            assert not link.lower().startswith(("javascript:", "data:", "//")), (name, link)
        # Only links may go elsewhere: stylesheets, scripts and forms stay in the folder.
        loads = [a.get("src") for a in page.all("script")] + [a.get("href") for a in page.all("link")]
        loads += [a.get("action") for a in page.all("form")] + [a.get("src") for a in page.all("img")]
        assert all(not urlsplit(str(url)).scheme for url in loads), (name, loads)
    assert [a.get("src") for a in parsed["search.html"].all("script")] == OUR_SCRIPTS
    # The checklist page, and the chapter pages whose action boxes keep their ticks where it keeps its answers.
    for name in ("checklist.html", "chapter-0.html", "chapter-3.html"):
        assert [a.get("src") for a in parsed[name].all("script")] == ["assets/checklist.js"], name
    scripted = ("search.html", "checklist.html", "chapter-0.html", "chapter-3.html")
    assert all(not parsed[name].all("script") for name in PAGES if name not in scripted)
    assert "default-src 'none'" in CSP and "script-src 'self'" in CSP and "http" not in CSP


def test_every_page_has_landmarks_a_skip_link_and_a_search_box(parsed: dict[str, Page]) -> None:
    for name, page in parsed.items():
        assert page.all("html")[0].get("lang") == "en"
        tags = [tag for tag, _ in page.tags]
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in tags, f"no <{landmark}> on {name}"
        assert page.all("main")[0].get("id") == "main"
        first_link = page.all("a")[0]
        assert first_link.get("href") == "#main" and first_link.get("class") == "skip", name
        assert len(page.all("h1")) == 1, f"{name} should have one h1"
        forms = page.all("form")
        search_page = "../search.html" if "/" in name else "search.html"  # job aids' pages are in tools/
        assert forms and all(f.get("action") == search_page and f.get("method") == "get" for f in forms), name
        assert any(i.get("name") == "q" for i in page.all("input")), name
        # Every input has a label.
        labelled = {str(a.get("for")) for a in page.all("label") if a.get("for")}
        for field in page.all("input"):
            if field.get("type") != "checkbox":
                assert field.get("id") in labelled, (name, field)
        assert "viewport" in [m.get("name") for m in page.all("meta")]


def test_headings_never_skip_a_level(parsed: dict[str, Page]) -> None:
    for name, page in parsed.items():
        levels = [int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)]
        assert levels[0] == 1, name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{name}: h{before} then h{after}"


def test_chapter_pages_have_contents_anchors_and_neighbours(parsed: dict[str, Page], content: Content) -> None:
    page = parsed["chapter-3.html"]
    section_ids = [s.id for s in content.chapter(3).sections]  # type: ignore[union-attr]
    anchors = [f"section-{i.replace('.', '-')}" for i in section_ids]
    assert all(a in page.ids for a in anchors)
    assert [f"#{a}" for a in anchors] == [link for link in page.links if link.startswith("#section-")][: len(anchors)]
    assert "contents" in page.ids
    assert "chapter-0.html" in page.links and "index.html" in page.links
    assert "chapter-3.html" in parsed["chapter-0.html"].links
    text = "".join(page.text)
    assert "Needle and syringe programmes" in text and "Key points" in text and "Sources" in text
    # Markdown bodies become HTML (the fixture's table), with no style attributes.
    assert any(tag == "table" for tag, _ in page.tags)


def test_checklist_has_every_action_with_its_id_a_tick_an_answer_and_a_note(
    parsed: dict[str, Page], content: Content
) -> None:
    from iduit.programme.actions import actions_version, all_actions
    from iduit.programme.assessment import STATUSES

    page = parsed["checklist.html"]
    actions = all_actions(content)  # the ids iduit checklist and iduit assess use
    rows = [a for a in page.all("tr") if a.get("data-action")]
    assert [r.get("data-action") for r in rows] == [a.id for a in actions]
    assert [r.get("data-section") for r in rows] == [a.section for a in actions]
    ids = set(page.ids)
    for action in actions:
        assert {f"action-{action.id}", f"tick-{action.id}"} <= ids
    text = " ".join("".join(page.text).split())
    assert all(f"{a.id} {' '.join(a.text.split())}" in text for a in actions)  # each shows its id
    boxes = [a for a in page.all("input") if a.get("type") == "checkbox"]
    assert len(boxes) == len(actions)
    # One answer list and note field, which checklist.js clones into each row: the answers of iduit assess,
    # in its order, after "not answered"; on paper, a box for each of them in every row.
    assert [o.get("value") for o in page.all("option")] == ["", *STATUSES]
    assert len(page.all("select")) == len(page.all("textarea")) == len(page.all("template")) == 1
    paper = [s.get("data-status") for s in page.all("span") if s.get("class") == "box"]
    assert paper == [*STATUSES] * len(actions)
    # Answers are kept per language and set of actions, so the Russian site and older copies never mix them.
    (tool,) = [d for d in page.all("div") if d.get("id") == "checklist-tool"]
    assert tool.get("data-key") == f"iduit-checklist/en/{actions_version(content)}"
    assert "hidden" in tool  # shown by checklist.js; without it the page is a form to print
    words_used = ("kept", "not-kept", "not-saved", "progress", "nothing", "saved", "confirm", "cleared")
    for words in (*words_used, "answer-for", "note-on", "brought"):
        assert tool.get(f"data-{words}"), words
    buttons = {"checklist-save", "checklist-print", "checklist-clear", "checklist-bring"}
    assert {b.get("id") for b in page.all("button")} >= buttons


def test_chapter_action_boxes_share_the_checklist_s_ids_and_storage(parsed: dict[str, Page], content: Content) -> None:
    """A tick on a chapter page is kept under the checklist page's key and id; reading tips keep no box at all."""
    from iduit.programme.actions import all_actions

    (tool,) = [d for d in parsed["checklist.html"].all("div") if d.get("id") == "checklist-tool"]
    boxes: list[str | None] = []
    for name in ("chapter-0.html", "chapter-3.html"):
        page = parsed[name]
        (store,) = [p for p in page.all("p") if p.get("id") == "actions-store"]
        assert store.get("data-key") == tool.get("data-key"), name
        assert store.get("data-not-kept") and store.get("data-not-saved") and "hidden" in store, name
        boxes += [i.get("data-action") for i in page.all("input") if i.get("type") == "checkbox"]
    chapters = {0, 3}
    assert boxes == [a.id for a in all_actions(content) if a.chapter in chapters]


def test_checklist_script_writes_the_columns_assess_import_reads() -> None:
    from iduit.programme.assessment import CSV_COLUMNS

    script = (Path(__file__).resolve().parent.parent / "iduit" / "site" / "static" / "checklist.js").read_text("utf-8")
    found = re.search(r"var COLUMNS = (\[[^]]*\]);", script)
    assert found, "checklist.js names its columns"
    columns = json.loads(found.group(1))
    # The columns of iduit assess export, in its order; by and answered (who, and when in UTC) are kept by
    # an iduit that records them, and ignored by one that does not.
    assert columns[: len(CSV_COLUMNS)] == list(CSV_COLUMNS) and set(columns) <= {*CSV_COLUMNS, "by", "answered"}
    assert columns[:5] == ["action", "section", "text", "status", "note"] and "answered" in columns
    assert 'var STATUSES = ["done", "partly", "not yet", "n/a"];' in script
    assert "innerHTML" not in script and "fetch(" not in script and "eval(" not in script


def test_each_job_aid_has_its_own_page_and_old_anchors_still_land(parsed: dict[str, Page], content: Content) -> None:
    tools = parsed["tools.html"]
    for tool in content.tools:
        own = f"tools/{tool.id}.html"
        page = parsed[own]
        # Links made to tools.html#tool-t1 before still land, beside the link to the job aid's page.
        assert f"tool-{tool.id.lower()}" in tools.ids and own in tools.links
        assert [h.get("id") for h in page.all("h1")] == [f"tool-{tool.id.lower()}-title"]
        assert tool.title in "".join(page.text) and "../tools.html" in page.links
    # Every other page sends a job aid link to its own page: none to the list's anchors.
    assert not [(n, link) for n, link in internal_links(parsed) if "tools.html#" in link]
    assert any(link == "tools/T1.html" for _, link in internal_links({"index.html": parsed["index.html"]}))


def test_tags_and_glossary_pages_list_everything(parsed: dict[str, Page], content: Content) -> None:
    tags = {t for s in content.sections() for t in s.tags} | {t for tool in content.tools for t in tool.tags}
    text = "".join(parsed["tags.html"].text)
    assert all(tag in text for tag in tags) and "job aid" in text
    glossary = parsed["glossary.html"]
    assert [a.get("id") for a in glossary.all("dt")] == [f"term-{t.term.lower()}" for t in content.glossary]


def test_the_search_index_script_parses_and_covers_every_item(site: dict[str, bytes], content: Content) -> None:
    data = search_data.parse_index_script(site["assets/search-index.js"].decode("ascii"))
    ids = [d["id"] for d in data["docs"]]
    assert ids == [s.id for s in content.sections()] + [t.id for t in content.tools]
    first = data["docs"][0]
    assert set(first) == {"id", "kind", "url", "where", *search_data.TEXT_FIELDS, "topics", "titleTopics", "mentions"}
    by_id = {d["id"]: d for d in data["docs"]}
    # The browser ranks job aids by the terminal's rule: it needs to know which items are job aids.
    assert {d["kind"] for d in data["docs"] if d["id"].startswith("T")} == {"tool"}
    assert by_id["3.12"]["kind"] == "section"
    assert "sheet" in data["ranking"]["jobAidWords"]
    assert by_id["3.12"]["url"] == "chapter-3.html#section-3-12"
    assert by_id["T1"]["url"] == "tools/T1.html" and by_id["T1"]["where"] == "Job aid"  # the job aid's own page
    # Markdown is gone from the text that snippets come from.
    assert "###" not in by_id["3.2"]["body"] and "| ---" not in by_id["3.2"]["body"]
    assert data["synonyms"] == [list(g) for g in content.synonyms]
    assert "the" in data["stop"] and "how" in data["stop"]


def test_synonym_groups_are_marked_as_the_terminal_matches_them(content: Content) -> None:
    data = search_data.index_data(content)
    by_id = {d["id"]: d for d in data["docs"]}
    groups = [[m.lower() for m in g] for g in content.synonyms]

    def label(member: str) -> str:
        return search_data.synonym_label(next(i for i, g in enumerate(groups) if member in g))

    # 3.2's title names the needle and syringe group (plural and all): a topic, found by "needle exchange".
    assert label("needle exchange") in by_id["3.2"]["topics"].split()
    # 3.3 says "opioid substitution therapy", so "OAT" finds it; naloxone sections carry the naloxone group.
    assert label("oat") in by_id["3.3"]["topics"].split() + by_id["3.3"]["mentions"].split()
    assert label("narcan") in by_id["3.12"]["topics"].split()
    # A topic in the title is marked apart too, as the terminal weighs title and tags apart.
    assert label("needle exchange") in by_id["3.2"]["titleTopics"].split()
    assert label("narcan") not in by_id["3.2"]["titleTopics"].split()
    assert label("narcan") not in by_id["3.2"]["topics"].split() + by_id["3.2"]["mentions"].split()


def test_the_site_marks_the_words_the_terminal_marks_as_seldom_used(content: Content) -> None:
    """A one-word member the guidance seldom uses weighs as its topic named, in the browser as in the terminal."""
    from iduit.search.store import open_store

    terminal = sorted(m["text"] for g in open_store(FIXTURE_CONTENT).synonyms for m in g if m["unused"])
    data = search_data.index_data(content)
    assert data["unused"] == terminal
    assert "narcan" in data["unused"] and "naloxone" not in data["unused"]  # the fixture never says narcan
    assert data["ranking"]["namedTopic"] > 1 and data["ranking"]["unusedWord"] > 1


def test_spelling_rules_translate_for_javascript() -> None:
    rules = search_data.spelling_rules()
    assert rules["rules"][0] == ["^programme", "program"]
    assert all("\\w" not in pattern and "\\" not in replacement for pattern, replacement in rules["rules"])
    assert ["^([\\p{L}\\p{M}\\p{N}_]{3,})([iy])s(e|es|ed|ing|er|ers|ation|ations)$", "$1$2z$3"] in rules["rules"]
    assert rules["words"]["licence"] == "license"
    with pytest.raises(ValueError):
        search_data.js_pattern(r"\bfoo")


def test_hostile_content_is_escaped_on_every_page(content_copy: Path, tmp_path: Path) -> None:
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><b onmouseover=x>"
    chapter = content_copy / "chapters" / "03-services.yaml"
    data = yaml.safe_load(chapter.read_text(encoding="utf-8"))
    section = data["sections"][2]
    section["title"] = f"Overdose {attack}"
    section["summary"] = f"Naloxone {attack} saves lives."
    # The loader refuses raw HTML in Markdown bodies; code spans, odd links and separators get through.
    section["body"] += f"\n\nCode `{attack}`\n\n\u2028 end.\n"
    section["key_points"].append(f"Point {attack}")
    section["actions"].append(f"Act {attack}")
    section["tags"].append(f"tag {attack}")
    chapter.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    glossary = content_copy / "glossary.yaml"
    terms = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    terms["terms"][2]["definition"] = f"A medicine {attack}"
    glossary.write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")

    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    pages = {name: Page((out / name).read_text(encoding="utf-8")) for name in files if name.endswith(".html")}
    for name, page in pages.items():
        source = (out / name).read_text(encoding="utf-8")
        assert "<script>" not in source and "<img" not in source and "<b " not in source, name
        assert not page.all("img") and not page.all("b"), name
        checklist = ["assets/checklist.js"] if name == "checklist.html" or name.startswith("chapter-") else []
        ours = OUR_SCRIPTS if name == "search.html" else checklist
        assert [a.get("src") for a in page.all("script")] == ours, name
        assert all(not a.lower().startswith("javascript:") for a in page.links), name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "chapter-3.html").read_text(encoding="utf-8")
    for name in ("chapter-3.html", "index.html", "checklist.html", "tags.html", "glossary.html"):
        assert "alert(1)" in "".join(pages[name].text), f"the text itself should still show on {name}"
    assert check_links(files, pages) == []
    # Raw HTML that got past the loader would still be escaped, never passed through.
    body = "".join(blocks_html([Body(attack)], Linker(), SITE))
    assert "<script>" not in body and "&lt;script&gt;" in body
    # The index is data in a script file: it still parses, with the text as text.
    index = search_data.parse_index_script((out / "assets" / "search-index.js").read_text(encoding="ascii"))
    overdose = next(d for d in index["docs"] if d["id"] == "3.12")
    assert attack in overdose["title"] and attack in overdose["body"]


def test_site_command_writes_a_folder_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "new" / "iduit-site"
    result = run("site", "-o", str(out))
    assert_clean_exit(result, 0)
    assert f"to {out}: open {out / 'index.html'}" in result.output
    assert re.search(r"Wrote 9 pages and 7 other files \(0\.\d MiB\)", result.output)
    assert sorted(p.name for p in out.iterdir()) == sorted([*TOP, "assets"])
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "staging folder left behind"


def test_site_command_never_overwrites_what_it_did_not_build(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    for args in ([], ["--force"]):
        result = run("site", "-o", str(out), *args)
        assert_clean_exit(result, 2)
        assert "is not empty and is not a site iduit built" in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run("site", "-o", str(a_file), "--force")
    assert_clean_exit(result, 2)
    assert "is not a folder" in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_site_command_replaces_its_own_site_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()  # an empty folder is fine
    assert_clean_exit(run("site", "-o", str(out)), 0)
    (out / "stale.html").write_text("old", encoding="utf-8")
    again = run("site", "-o", str(out))
    assert_clean_exit(again, 2)
    assert "already holds a site; use --force" in again.output
    assert (out / "stale.html").exists()
    assert_clean_exit(run("site", "-o", str(out), "--force"), 0)
    # stale.html is not a file iduit wrote: it stays, and so does nothing of iduit's but its site
    assert (out / "stale.html").read_text(encoding="utf-8") == "old" and (out / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]


def test_force_replaces_only_the_files_iduit_listed_as_its_own(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    # What a team adds to a published site: version control, a domain name, their photos.
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    (out / "photos").mkdir()
    (out / "photos" / "team.jpg").write_bytes(b"\xff\xd8 a photo")
    (out / "assets" / "logo.png").write_bytes(b"a logo")  # even inside iduit's own folder
    # A page the previous build wrote and this one does not: listed as iduit's, so it goes.
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    (out / "old-page.html").write_text("from an older build", encoding="utf-8")
    listed["files"].append("old-page.html")
    (out / MANIFEST).write_text(json.dumps(listed), encoding="utf-8")
    assert_clean_exit(run("site", "-o", str(out), "--force"), 0)
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (
        (out / "CNAME").exists() and (out / "photos" / "team.jpg").exists() and (out / "assets" / "logo.png").exists()
    )
    assert not (out / "old-page.html").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([*TOP, "assets", ".git", "CNAME", "photos"])


@pytest.mark.parametrize(
    "manifest",
    [
        None,  # a folder that merely holds a search-index.js of the same name
        '{"made_by": "iduit", "files": ["../outside.txt"]}',
        '{"made_by": "iduit", "files": ["/etc/passwd"]}',
        '{"made_by": "iduit", "files": ["assets\\\\..\\\\x"]}',
        '{"made_by": "someone", "files": []}',
        "not json",
    ],
)
def test_a_folder_is_iduit_s_only_by_a_list_that_can_be_trusted(tmp_path: Path, manifest: str | None) -> None:
    out = tmp_path / "site"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "search-index.js").write_text("someone else's", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("keep", encoding="utf-8")
    if manifest is not None:
        (out / MANIFEST).write_text(manifest, encoding="utf-8")
    result = run("site", "-o", str(out), "--force")
    assert_clean_exit(result, 2)
    assert "is not empty and is not a site iduit built" in result.output
    assert (out / "assets" / "search-index.js").read_text(encoding="utf-8") == "someone else's"
    assert (tmp_path / "outside.txt").read_text(encoding="utf-8") == "keep"


def test_a_file_of_someone_else_where_a_new_page_goes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    listed["files"].remove("glossary.html")  # as if an older iduit had no glossary page, and someone made one
    (out / MANIFEST).write_text(json.dumps(listed), encoding="utf-8")
    (out / "glossary.html").write_text("our own glossary", encoding="utf-8")
    result = run("site", "-o", str(out), "--force")
    assert_clean_exit(result, 2)
    assert "glossary.html is not a file iduit wrote; move it away" in result.output
    assert (out / "glossary.html").read_text(encoding="utf-8") == "our own glossary"


def test_an_existing_folder_keeps_its_place_when_filled_or_replaced(tmp_path: Path) -> None:
    """A USB stick's mount point, a web server's root or the current folder stays the same folder."""
    out = tmp_path / "stick"
    out.mkdir()
    (out / ".iduit-new-abc123").mkdir()  # left by a build that was killed: ignored, then tidied away
    inode = out.stat().st_ino
    assert_clean_exit(run("site", "-o", str(out)), 0)
    assert out.stat().st_ino == inode and (out / "index.html").exists()
    assert_clean_exit(run("site", "-o", str(out), "--force"), 0)
    assert out.stat().st_ino == inode
    assert sorted(p.name for p in out.iterdir()) == sorted([*TOP, "assets"])


def test_a_failed_swap_puts_the_old_site_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    (out / "index.html").write_text("the old home page", encoding="utf-8")
    real_rename = os.rename
    calls = {"n": 0}

    def flaky_rename(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if ".iduit-new-" in str(src) and calls["n"] > 15:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", flaky_rename)
    result = run("site", "-o", str(out), "--force")
    assert_clean_exit(result, 2)
    assert "cannot write the site" in result.output and "No space left on device" in result.output
    assert (out / "index.html").read_text(encoding="utf-8") == "the old home page"
    assert sorted(p.name for p in out.iterdir()) == sorted([*TOP, "assets"])


def test_site_command_needs_a_destination() -> None:
    result = run("site")
    assert_clean_exit(result, 2)
    assert "say where to write the site with -o" in result.output


def test_zip_holds_the_site_in_one_folder_and_is_reproducible(tmp_path: Path, site: dict[str, bytes]) -> None:
    result = run("site", "-o", str(tmp_path / "share"), "--zip")
    assert_clean_exit(result, 0)
    archive = tmp_path / "share.zip"  # .zip added
    # One fixed folder inside, whatever the archive is called: no file name can lead out of it.
    assert f"Wrote {archive}" in result.output and "open iduit-site/index.html" in result.output
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted(f"iduit-site/{name}" for name in site)
        assert z.read("iduit-site/index.html") == site["index.html"]
        # Dated when built: conftest fixes SOURCE_DATE_EPOCH at 2026-01-15 00:00 UTC (never 1980 any more).
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 15, 0, 0, 0)}
    first = archive.read_bytes()
    refused = run("site", "-o", str(archive), "--zip")
    assert_clean_exit(refused, 2)
    assert "already exists; use --force" in refused.output
    assert_clean_exit(run("site", "-o", str(archive), "--zip", "--force"), 0)
    assert archive.read_bytes() == first
    assert zip_bytes(site, "x") == zip_bytes(site, "x")


def test_zip_entries_carry_the_build_date_not_1980(site: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    # The command's archive carries conftest's SOURCE_DATE_EPOCH (checked in the test above); another epoch:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000001")  # 2026-05-28 20:26:41 UTC; zip keeps even seconds
    later = zipfile.ZipFile(io.BytesIO(zip_bytes(site, "x")))
    assert {i.date_time for i in later.infolist()} == {(2026, 5, 28, 20, 26, 40)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # before zip dates begin: the earliest it can say
    assert zipfile.ZipFile(io.BytesIO(zip_bytes(site, "x"))).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # no epoch: the time of the build
    before = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=2)
    stamped = datetime(*zipfile.ZipFile(io.BytesIO(zip_bytes(site, "x"))).infolist()[0].date_time, tzinfo=timezone.utc)
    assert before <= stamped <= datetime.now(timezone.utc)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden/site (UPDATE_GOLDEN=1)"


@pytest.mark.parametrize("name", [*PAGES, "assets/search-index.js", MANIFEST])
def test_folder_output_matches_golden_files(site: dict[str, bytes], name: str) -> None:
    _golden(name.replace("assets/", ""), site[name].decode("utf-8"))


def test_zip_output_matches_golden_listing(site: dict[str, bytes]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(site, "iduit-site")))
    listing = "".join(f"{i.filename}\n" for i in archive.infolist())
    _golden("zip-listing.txt", listing)


def test_static_files_are_what_the_site_promises() -> None:
    static = Path(__file__).resolve().parent.parent / "iduit" / "site" / "static"
    css = (static / "site.css").read_text(encoding="utf-8")
    for needed in ("prefers-color-scheme: dark", "@media print", "break-before: page", ":focus-visible"):
        assert needed in css
    assert 'content: " (" attr(href) ")"' in css
    licence = (static / "minisearch-LICENSE.txt").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in licence and "Luca Ongaro" in licence
    assert "global.MiniSearch = factory()" in (static / "minisearch.js").read_text(encoding="utf-8")
    js = (static / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "fetch(" not in js and "eval(" not in js


def test_search_never_imports_the_site_code(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from iduit.cli import main\n"
        "sys.argv = ['iduit', 'search', 'naloxone']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "site = ('jinja2', 'markupsafe', 'iduit.site')\n"
        "loaded = [m for m in sys.modules if m.startswith(site)]\n"
        "print('LOADED', loaded)\n"
    )
    env = {**os.environ, "IDUIT_CACHE_DIR": str(tmp_path / "cache"), "IDUIT_DATA_DIR": str(FIXTURE_CONTENT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert "LOADED []" in done.stdout, done.stdout + done.stderr
    assert "Overdose" in done.stdout


@pytest.mark.slow
def test_packaged_content_site_links_resolve() -> None:
    """The real content, all of it: every link lands (the packaged site is what people get)."""
    files = render_site(load_content(PACKAGED_CONTENT))
    pages = {name: Page(data.decode("utf-8")) for name, data in files.items() if name.endswith(".html")}
    assert check_links(set(files), pages) == []
    assert sum(len(data) for data in files.values()) < 5 * 2**20


def _static_names(wheel: zipfile.ZipFile) -> set[str]:
    return {n for n in wheel.namelist() if n.startswith("iduit/site/")}


@pytest.mark.slow
def test_the_wheel_carries_templates_and_static_files(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(root)], check=True
    )
    (wheel_path,) = tmp_path.glob("iduit-*.whl")
    with zipfile.ZipFile(wheel_path) as wheel:
        names = _static_names(wheel)
        metadata = next(wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    site_dir = root / "iduit" / "site"
    wanted = {str(p.relative_to(root)) for p in site_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert wanted <= names, wanted - names
    assert re.search(r"^Requires-Dist: jinja2", metadata, re.MULTILINE)
