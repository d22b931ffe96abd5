"""Help text is documentation: every command is documented, with an example, in help and README."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iduit.cli import app
from tests.conftest import run

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(info.name or info.callback.__name__ for info in app.registered_commands)  # type: ignore[union-attr]


def test_all_contract_commands_exist() -> None:
    assert {"define", "export", "index", "search", "show", "tags", "toc", "tools", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert re.search(rf"Examples?: iduit {command}\b", result.stdout), result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_shows_every_command(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"iduit {command}" in readme


def test_readme_two_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(python3 -m venv .*?)\n```", readme)
    assert len(blocks) == 2 and blocks[0].endswith("iduit search overdose")
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(), reason="no ruff"
)
@pytest.mark.parametrize("check", [["check"], ["format", "--check"]])
def test_ruff_is_clean(check: list[str]) -> None:
    ruff = Path(sys.executable).parent / "ruff"
    command = [str(ruff) if ruff.exists() else "ruff", *check, "iduit", "tests", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    command = [str(mypy)] if mypy.exists() else [sys.executable, "-m", "mypy"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # settings in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
