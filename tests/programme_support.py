"""Shared by the programme-tool tests (checklist, assess, coverage): golden files, typed input, a warm cache."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from iduit.cli import app

GOLDEN = Path(__file__).parent / "golden" / "programme"


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/programme/NAME; UPDATE_GOLDEN=1 writes it instead (then read the diff)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def typed(*args: str, keys: str) -> Result:
    """Run the CLI with ``keys`` as what the user types, line by line."""
    return CliRunner().invoke(app, list(args), input=keys, catch_exceptions=True)


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def warm_cache(module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One store per module for the fixture content, built once rather than for every test (keeps the suite fast)."""
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(module_cache))
    yield
