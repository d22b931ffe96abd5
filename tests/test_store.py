"""The store's lifecycle: built once, reused, rebuilt when content or version changes or files break."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iduit.paths import store_home
from iduit.search import index as search_index
from iduit.search.query import search
from iduit.search.store import POINTER, Store, open_store, with_store
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run


def store_dirs(home: Path) -> list[Path]:
    return sorted(p for p in home.iterdir() if p.is_dir())


def test_built_once_then_reused() -> None:
    first = open_store(FIXTURE_CONTENT)
    assert first.built and first.location is not None
    files = {p: p.stat().st_mtime_ns for p in first.location.iterdir()}
    pointer = (store_home(FIXTURE_CONTENT) / POINTER).stat().st_mtime_ns
    second = open_store(FIXTURE_CONTENT)
    assert not second.built and second.location == first.location
    assert {p: p.stat().st_mtime_ns for p in first.location.iterdir()} == files
    assert (store_home(FIXTURE_CONTENT) / POINTER).stat().st_mtime_ns == pointer
    assert second.content == first.content  # read back from content.json, equal to what was loaded


def test_cli_search_twice_builds_once(isolated: Path) -> None:
    assert_clean_exit(run("search", "overdose"), 0)
    home = next(isolated.iterdir())
    before = [(p.name, p.stat().st_mtime_ns) for p in store_dirs(home)]
    assert_clean_exit(run("search", "naloxone"), 0)
    assert [(p.name, p.stat().st_mtime_ns) for p in store_dirs(home)] == before


def test_rebuilt_after_content_change(content_copy: Path) -> None:
    first = open_store(content_copy)
    chapter = content_copy / "chapters" / "03-services.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("sterile equipment", "zebrafish"), "utf-8")
    second = open_store(content_copy)
    assert second.built and second.location != first.location
    assert [h.id for h in search(second, "zebrafish").hits] == ["3.2"]
    assert store_dirs(store_home(content_copy)) == [second.location]  # the stale one is gone


def test_same_size_edit_with_old_mtime_is_seen(content_copy: Path) -> None:
    """An edit that keeps the file's size and puts its mtime back is still noticed: content is hashed."""
    open_store(content_copy)
    chapter = content_copy / "chapters" / "03-services.yaml"
    before = chapter.stat()
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("sterile equipment", "sterile EQUIPMENT"), encoding="utf-8")
    os.utime(chapter, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert chapter.stat().st_size == before.st_size
    again = open_store(content_copy)
    assert again.built
    assert "EQUIPMENT" in (again.content.section("3.2") or again.content.sections()[0]).body
    shown = run("show", "3.2", "--plain")
    exported = run("export", "3.2")
    assert "EQUIPMENT" in shown.stdout and "EQUIPMENT" in exported.stdout


def test_touched_but_unchanged_content_is_not_rebuilt(content_copy: Path) -> None:
    first = open_store(content_copy)
    os.utime(content_copy / "chapters" / "03-services.yaml", ns=(1_000_000_000, 1_000_000_000))
    second = open_store(content_copy)
    assert not second.built and second.location == first.location


def test_rebuilt_for_another_program_version() -> None:
    open_store(FIXTURE_CONTENT)
    pointer_path = store_home(FIXTURE_CONTENT) / POINTER
    pointer = json.loads(pointer_path.read_text(encoding="utf-8"))
    pointer_path.write_text(json.dumps({**pointer, "version": "0.0.1"}), encoding="utf-8")
    assert open_store(FIXTURE_CONTENT).built


@pytest.mark.parametrize(
    "damage", ["garbage", "truncate", "random-segment", "delete-content", "delete-all", "bad-pointer"]
)
def test_rebuilt_after_corruption(damage: str) -> None:
    location = open_store(FIXTURE_CONTENT).location
    assert location is not None
    home = store_home(FIXTURE_CONTENT)
    if damage == "garbage":
        for path in location.iterdir():
            path.write_bytes(b"\x00garbage" * 10)
    elif damage == "truncate":
        for path in location.iterdir():
            path.write_bytes(path.read_bytes()[:5])
    elif damage == "random-segment":
        for path in location.glob("*.seg"):
            path.write_bytes(os.urandom(path.stat().st_size))
    elif damage == "delete-content":
        (location / "content.json").unlink()
    elif damage == "delete-all":
        shutil.rmtree(home)
    else:
        (home / POINTER).write_text("{not json", encoding="utf-8")
    again = with_store(FIXTURE_CONTENT, lambda store: search(store, "overdose"))
    assert again.hits[0].id == "3.12"
    # And from the command line, every time, with no traceback.
    assert_clean_exit(run("search", "overdose"), 0)
    assert_clean_exit(run("index", "--rebuild"), 0)


def test_cache_deleted_while_searching() -> None:
    deleted: list[bool] = []

    def search_after_delete(store: Store) -> object:
        if not deleted:
            deleted.append(True)
            shutil.rmtree(store_home(FIXTURE_CONTENT))
            store.__dict__.pop("content", None)  # force a fresh read of the (now gone) files
            store.content  # noqa: B018 - reading is the point: it must fail as StoreDamaged
        return search(store, "overdose")

    result = with_store(FIXTURE_CONTENT, search_after_delete)
    assert result.hits[0].id == "3.12"


def test_a_bug_is_not_retried_as_damage() -> None:
    calls: list[int] = []

    def buggy(store: Store) -> None:
        calls.append(1)
        raise KeyError("a bug, not a damaged store")

    with pytest.raises(KeyError):
        with_store(FIXTURE_CONTENT, buggy)
    assert calls == [1]


def test_unwritable_cache_still_searches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even as root
    result = run("search", "overdose", "--json")
    assert_clean_exit(result, 0)
    assert json.loads(result.stdout)["results"][0]["id"] == "3.12"
    assert "not writable" in result.stderr
    assert "Index: memory" in run("index").stdout


def test_interrupted_build_leaves_nothing(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(search_index, "fill", interrupted)
    result = run("search", "overdose")
    assert_clean_exit(result, 130)
    assert result.stderr.strip() == "iduit: interrupted"
    home = next(isolated.iterdir())
    assert list(home.iterdir()) == []


def test_index_clean_removes_every_cached_store(isolated: Path) -> None:
    assert_clean_exit(run("index"), 0)
    assert any(isolated.iterdir())
    result = run("index", "--clean")
    assert_clean_exit(result, 0)
    assert "Removed 1 cached index" in result.stdout
    assert list(isolated.iterdir()) == []


def test_stores_of_vanished_content_folders_are_removed(content_copy: Path, isolated: Path) -> None:
    open_store(content_copy)
    shutil.rmtree(content_copy)
    open_store(FIXTURE_CONTENT, rebuild=True)
    assert [p for p in isolated.iterdir()] == [store_home(FIXTURE_CONTENT)]


@pytest.mark.slow
def test_eight_processes_on_a_cold_cache(isolated: Path) -> None:
    env = {**os.environ, "IDUIT_CACHE_DIR": str(isolated), "IDUIT_DATA_DIR": str(FIXTURE_CONTENT)}
    command = [sys.executable, "-m", "iduit", "search", "overdose", "--json"]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 8, outputs
    assert all(json.loads(out)["results"][0]["id"] == "3.12" for out, _ in outputs)
    home = next(isolated.iterdir())
    # The last build to publish is current; every finished build removes the others.
    assert len(store_dirs(home)) <= 8 and json.loads((home / POINTER).read_text())["dir"] in os.listdir(home)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_document_keeps_the_terms_the_analyzer_makes(lang: str) -> None:
    """Snippets take a word's index term from the store instead of stemming afresh: it must be the same term."""
    from iduit.language import analysis

    store = open_store(FIXTURE_CONTENT, lang=lang)
    with store.searcher() as searcher:
        stored = [dict(fields) for fields in searcher.all_stored_fields()]
    analysis._KNOWN.clear()
    analysis.normalize.cache_clear()
    lists = [[part.split("\t") for part in fields["terms"].split("\n")] for fields in stored]
    assert all(len(words) == len(terms) for words, terms in lists)
    pairs = [pair for words, terms in lists for pair in zip(words, terms, strict=True)]
    assert len(pairs) > 100
    changed = 0
    for word, term in pairs:
        assert term == analysis.normalize(word, lang), word
        changed += term != word
    assert changed > 30  # stems really differ from words: the check compares something
    text = f"{stored[0]['summary']} {stored[0]['body']}".lower()
    assert all(word in text for word in lists[0][0])  # the document's own words
