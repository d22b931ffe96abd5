"""Index lifecycle: built once, reused, rebuilt when content or version changes or files break."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iduit import index as index_module
from iduit.index import POINTER, open_index, with_index
from iduit.paths import index_home
from iduit.search import search
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run


def index_dirs(home: Path) -> list[Path]:
    return sorted(p for p in home.iterdir() if p.is_dir())


def test_built_once_then_reused() -> None:
    first = open_index(FIXTURE_CONTENT)
    assert first.built and first.location is not None
    files = {p: p.stat().st_mtime_ns for p in first.location.iterdir()}
    pointer = (index_home(FIXTURE_CONTENT) / POINTER).stat().st_mtime_ns
    second = open_index(FIXTURE_CONTENT)
    assert not second.built and second.location == first.location
    assert {p: p.stat().st_mtime_ns for p in first.location.iterdir()} == files
    assert (index_home(FIXTURE_CONTENT) / POINTER).stat().st_mtime_ns == pointer


def test_cli_search_twice_builds_once(isolated: Path) -> None:
    assert_clean_exit(run("search", "overdose"), 0)
    home = next(isolated.iterdir())
    before = [(p.name, p.stat().st_mtime_ns) for p in index_dirs(home)]
    assert_clean_exit(run("search", "naloxone"), 0)
    assert [(p.name, p.stat().st_mtime_ns) for p in index_dirs(home)] == before


def test_rebuilt_after_content_change(content_copy: Path) -> None:
    first = open_index(content_copy)
    chapter = content_copy / "chapters" / "03-services.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("sterile equipment", "zebrafish"), "utf-8")
    second = open_index(content_copy)
    assert second.built and second.location != first.location
    assert [h.id for h in search(second, "zebrafish").hits] == ["3.2"]
    assert index_dirs(index_home(content_copy)) == [second.location]  # the stale one is gone


def test_touched_but_unchanged_content_is_not_rebuilt(content_copy: Path) -> None:
    first = open_index(content_copy)
    chapter = content_copy / "chapters" / "03-services.yaml"
    os.utime(chapter, ns=(1_000_000_000, 1_000_000_000))
    second = open_index(content_copy)
    assert not second.built and second.location == first.location
    pointer = json.loads((index_home(content_copy) / POINTER).read_text(encoding="utf-8"))
    assert ["03-services.yaml", chapter.stat().st_size, 1_000_000_000] in pointer["files"]


def test_rebuilt_for_another_program_version() -> None:
    open_index(FIXTURE_CONTENT)
    pointer_path = index_home(FIXTURE_CONTENT) / POINTER
    pointer = json.loads(pointer_path.read_text(encoding="utf-8"))
    pointer_path.write_text(json.dumps({**pointer, "version": "0.0.1"}), encoding="utf-8")
    assert open_index(FIXTURE_CONTENT).built


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete-meta", "delete-all", "bad-pointer"])
def test_rebuilt_after_corruption(damage: str) -> None:
    location = open_index(FIXTURE_CONTENT).location
    assert location is not None
    home = index_home(FIXTURE_CONTENT)
    if damage == "garbage":
        for path in location.iterdir():
            path.write_bytes(b"\x00garbage" * 10)
    elif damage == "truncate":
        for path in location.iterdir():
            path.write_bytes(path.read_bytes()[:5])
    elif damage == "delete-meta":
        (location / "meta.json").unlink()
    elif damage == "delete-all":
        shutil.rmtree(home)
    else:
        (home / POINTER).write_text("{not json", encoding="utf-8")
    again = with_index(FIXTURE_CONTENT, lambda ix: search(ix, "overdose"))
    assert again.hits[0].id == "3.12"


def test_cache_deleted_while_searching() -> None:
    deleted = []

    def search_after_delete(ix: index_module.ContentIndex) -> object:
        if not deleted:
            deleted.append(True)
            shutil.rmtree(index_home(FIXTURE_CONTENT))
            with ix.searcher() as searcher:  # the open index must now fail or still work
                searcher.document(id="3.12")
            (ix.location or Path("/nonexistent")).joinpath("meta.json").read_text(encoding="utf-8")
        return search(ix, "overdose")

    result = with_index(FIXTURE_CONTENT, search_after_delete)
    assert result.hits[0].id == "3.12"


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

    monkeypatch.setattr(index_module, "_fill", interrupted)
    result = run("search", "overdose")
    assert_clean_exit(result, 130)
    assert result.stderr.strip() == "iduit: interrupted"
    home = next(isolated.iterdir())
    assert list(home.iterdir()) == []


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
    assert [p.name.split("-")[0] for p in index_dirs(home)] == ["idx"]  # one index, no debris
