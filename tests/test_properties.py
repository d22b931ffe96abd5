"""Property tests: no query breaks search, targets parse or fail cleanly, content round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iduit import formats
from iduit.content.loader import load_content
from iduit.content.model import Section
from iduit.content.targets import parse_targets
from iduit.errors import UsageError
from iduit.formats.output import render_items
from iduit.language.analysis import analyze
from iduit.search.query import search
from iduit.search.store import Store, open_store
from tests.conftest import FIXTURE_CONTENT, run

SYNTAX = st.sampled_from(
    ['"', "'", "(", ")", "*", "?", "~", ":", "title:", "tag:", "chapter:", "-", "+", "AND", "OR", "NOT",
     "^", "[", "]", "{", "}", "\\", "\x1b[31m", "\x00", "\u202e", "naloxone", "overdose", "3.12", " "]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(SYNTAX, max_size=20).map("".join),
    st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=30).map(" ".join),
    st.just("a" * 5000),
)


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    mp = pytest.MonkeyPatch()
    mp.setenv("IDUIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    store = open_store(FIXTURE_CONTENT)
    mp.undo()
    return store


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERIES, limit=st.integers(1, 20))
def test_any_query_returns_results_or_nothing(fixture_store: Store, text: str, limit: int) -> None:
    try:
        result = search(fixture_store, text, limit=limit)
    except UsageError as exc:  # an empty query, or one that only excludes
        assert str(exc)
        return
    assert result.total >= len(result.hits) and len(result.hits) <= limit
    assert all(hit.id in {"0.1", "3.2", "3.3", "3.12", "T1"} for hit in result.hits)
    json.dumps(result.to_dict())  # always serialisable
    assert all("\x02" not in hit.snippet and "\x1b" not in hit.snippet for hit in result.hits)


@settings(max_examples=25, deadline=2000)
@given(text=QUERIES.filter(lambda q: q.strip() and not q.startswith("-") and "\x00" not in q))
def test_any_query_on_the_command_line_exits_cleanly(text: str) -> None:
    result = run("search", "--", text)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@given(words=st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["chapter", "section", "intro", "3.12", "3"]))))
def test_targets_parse_or_fail_with_a_usage_error(words: list[str]) -> None:
    try:
        targets = parse_targets(words)
    except UsageError as exc:
        assert str(exc)
    else:
        assert targets and all(kind in ("chapter", "section", "tool") for kind, _ in targets)


@given(st.text())
def test_analyzer_never_fails(text: str) -> None:
    assert all(isinstance(term, str) and term for term in analyze(text))


def test_british_and_american_spellings_meet() -> None:
    for british, american in [
        ("programme", "program"),
        ("decriminalisation", "decriminalization"),
        ("centre", "center"),
        ("behaviour", "behavior"),
        ("counselling", "counseling"),
        ("haemophilia", "hemophilia"),
        ("paediatric", "pediatric"),
        ("organisations", "organizations"),
        ("licence", "license"),
    ]:
        assert analyze(british) == analyze(american), (british, american)
    assert analyze("injecting") == analyze("injection") == analyze("injects")


# Printable text without the characters YAML cannot carry or that the loader strips.
TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn"),
        # a byte-order mark, NEL, and the bidirectional overrides the loader removes
        blacklist_characters="\ufeff\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())
TEXTS = st.lists(TEXT, min_size=1, max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, summary=TEXT, body=TEXT, points=TEXTS, actions=TEXTS, tags=TEXTS)
def test_section_round_trips_through_yaml_loader_and_json(
    tmp_path: Path, title: str, summary: str, body: str, points: list[str], actions: list[str], tags: list[str]
) -> None:
    import shutil

    target = tmp_path / "content"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(FIXTURE_CONTENT, target)
    path = target / "chapters" / "00-introduction.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = dict(data["sections"][0], title=title, summary=summary, body=body)
    section.update(key_points=points, actions=actions, tags=tags)
    data["sections"][0] = section
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_content(target).section("0.1")
    assert loaded is not None
    assert (loaded.title, loaded.summary, loaded.body) == (title, summary, body)
    assert loaded.key_points == tuple(points) and loaded.actions == tuple(actions)
    assert loaded.tags == tuple(t.lower() for t in tags)
    exported = render_items(load_content(target), [loaded], formats.get("json"))
    assert Section.from_dict(json.loads(exported)) == loaded


@given(st.text(max_size=80))
def test_a_catalogue_string_reads_back_as_written(text: str) -> None:
    """The .po reader's quick path (no escapes) and its JSON path agree on every string a catalogue can hold."""
    from iduit.language.messages import _unquote

    assert _unquote("msgid " + json.dumps(text, ensure_ascii=False)) == text
    assert _unquote("msgid " + json.dumps(text)) == text
