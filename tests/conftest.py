"""Shared test set-up: every test gets its own cache and the small fixture content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from iduit.cli import app

TESTS = Path(__file__).resolve().parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
PACKAGED_CONTENT = TESTS.parent / "data"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the cache and content at test-owned places (one override per path)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(cache))
    monkeypatch.setenv("IDUIT_DATA_DIR", str(FIXTURE_CONTENT))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "500")
    # Reports carry the day they were made: a fixed day (2026-01-15) keeps golden files stable.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768435200")
    # Answers keep who gave them: one fixed name, whatever account runs the tests.
    monkeypatch.setenv("IDUIT_USER", "Aigerim")
    return cache


@pytest.fixture(scope="session")
def packaged_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for every test that reads the packaged content: its store is built once per run."""
    return tmp_path_factory.mktemp("packaged-cache")


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture content, in use as the content directory."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    monkeypatch.setenv("IDUIT_DATA_DIR", str(target))
    return target


def run(*args: str) -> Result:
    """Run the CLI in-process; exceptions are kept, never swallowed into output."""
    return CliRunner().invoke(app, list(args), catch_exceptions=True)


def assert_clean_exit(result: Result, code: int) -> None:
    """Exit code as expected, and through SystemExit (a crash would also give 1)."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
