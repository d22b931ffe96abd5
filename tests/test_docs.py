"""Help text is documentation: every command is documented, with an example, in help and README."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from iduit.cli import app
from tests.conftest import run

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]  # the root is a group


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


# -- the whole command tree, subcommands included ------------------------------------------

REFERENCE = ROOT / "docs" / "commands.md"
# What Typer shows when it falls back on a type for a name: <str>, INTEGER, {FILE}, [default: None].
TYPE_NAMES = re.compile(r"<(str|int|float|bool|path)>|\b(INTEGER|FLOAT|BOOLEAN)\b|\{[A-Z]+\}|\[default: None\]")


def _tree() -> list[tuple[tuple[str, ...], Any]]:
    """Every command as (its words after 'iduit', the click command), groups and their subcommands included."""
    import typer

    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(words: tuple[str, ...], command: Any) -> None:
        found.append((words, command))
        if hasattr(command, "list_commands"):  # a group (typer vendors its command classes: no isinstance)
            context = typer.Context(command)
            for name in command.list_commands(context):
                walk((*words, name), command.get_command(context, name))

    walk((), get_command(app))
    return found[1:]


def _option_names(command: Any) -> list[str]:
    return [name for p in command.params for name in p.opts if name.startswith("--") and p.name != "help"]


def reference() -> str:
    """docs/commands.md: every command and option, from the code (UPDATE_GOLDEN=1 rewrites it)."""
    lines = [
        "# Command reference",
        "",
        "Every command and option, written from the command tree itself (`UPDATE_GOLDEN=1 pytest tests/test_docs.py`",
        "rewrites it; a test fails when it is out of date). `iduit COMMAND --help` says the same in the terminal.",
        "",
    ]
    for words, command in _tree():
        lines += [f"## iduit {' '.join(words)}", ""]
        summary = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
        lines += [summary, ""]
        rows = []
        for param in command.params:
            if param.name == "help" or not getattr(param, "opts", None):
                continue
            if param.param_type_name == "argument":
                continue
            names = ", ".join(f"`{n}`" for n in (*param.opts, *param.secondary_opts))
            rows.append(f"| {names} | {(param.help or '').replace('|', '/')} |")
        if rows:
            lines += ["| option | what it does |", "| --- | --- |", *rows, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def test_every_command_and_subcommand_is_in_the_reference() -> None:
    import os

    text = reference()
    if os.environ.get("UPDATE_GOLDEN"):
        REFERENCE.write_text(text, encoding="utf-8")
    assert REFERENCE.read_text(encoding="utf-8") == text, "docs/commands.md is out of date: UPDATE_GOLDEN=1"
    words = [w for w, _ in _tree()]
    assert ("assess", "report") in words and ("coverage", "compute") in words


@pytest.mark.parametrize("words", [w for w, _ in _tree()], ids=lambda w: " ".join(w))
def test_every_command_s_help_shows_no_type_names_and_its_options(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0, result.output
    assert not TYPE_NAMES.search(result.stdout), result.stdout
    command = dict(_tree())[words]
    for name in _option_names(command):
        assert name in result.stdout, (words, name)


@pytest.mark.parametrize("words", [w for w, _ in _tree()], ids=lambda w: " ".join(w))
def test_readme_or_docs_name_every_command_and_option(words: tuple[str, ...]) -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    assert f"iduit {' '.join(words)}" in docs
    prose = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        if p != REFERENCE
    )
    command = dict(_tree())[words]
    missing = [
        param.opts[0]
        for param in command.params
        if param.name != "help"
        and getattr(param, "param_type_name", "") == "option"
        and not any(re.search(rf"(?<![\w-]){re.escape(n)}\b", prose) for n in (*param.opts, *param.secondary_opts))
    ]
    assert missing == [], (words, missing)
