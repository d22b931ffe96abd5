"""The terminal: colour choices, paging decisions and the pager's environment, and a real terminal under tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iduit.cli.console import Output, pager_command
from tests.conftest import FIXTURE_CONTENT


def test_no_color_means_no_colour_and_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    output = Output.decide("auto", pager=True)
    assert not output.color and output.pager is True  # an explicit --pager is obeyed


def test_color_always_and_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Output.decide("always").color
    assert not Output.decide("never").color
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Output.decide("auto").color


def test_less_keeps_the_users_flags_and_adds_what_iduit_needs() -> None:
    if not shutil.which("less"):
        pytest.skip("no less here")
    environ = {"LESS": "-i", "PATH": os.environ["PATH"]}
    found = pager_command(environ)
    assert found is not None
    command, env = found
    assert command == ["less"] and env["LESS"] == "-i -R -F -X"
    assert environ["LESS"] == "-i"  # the caller's environment is untouched


def test_a_pager_other_than_less_is_left_alone() -> None:
    found = pager_command({"PAGER": "cat", "PATH": os.environ["PATH"], "LESS": "-i"})
    assert found is not None and found[0] == ["cat"] and found[1]["LESS"] == "-i"
    assert pager_command({"PAGER": "no-such-pager-here", "PATH": os.environ["PATH"]}) is None


def _tmux(session: str, *args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("less") is None, reason="needs tmux and less")
@pytest.mark.parametrize("extra_env", [{"LESS": "-i"}, {"NO_COLOR": "1"}])
def test_a_real_terminal_pages_long_output_without_raw_escapes(extra_env: dict[str, str], tmp_path: Path) -> None:
    """In a 30-line terminal, show pages a section; a user LESS without -R still shows colours, not codes."""
    session = f"iduit-test-{os.getpid()}-{len(extra_env)}"
    env = " ".join(f"{k}={v}" for k, v in extra_env.items())
    command = (
        f"env -u LINES -u COLUMNS IDUIT_DATA_DIR={FIXTURE_CONTENT} IDUIT_CACHE_DIR={tmp_path} {env} PAGER=less "
        f"{sys.executable} -m iduit show chapter 3; sleep 30"
    )
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], check=True)
    try:
        screen = ""
        for _ in range(50):
            time.sleep(0.2)
            screen = _tmux(session, "capture-pane", "-p", "-t", session)
            if "Chapter 3" in screen:
                break
        assert "Chapter 3: Health and support services" in screen
        assert "[1m" not in screen and "\x1b" not in screen  # codes interpreted, not shown as text
        assert screen.rstrip().splitlines()[-1].startswith(":")  # less is waiting at its prompt: it paged
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
