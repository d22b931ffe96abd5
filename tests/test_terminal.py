"""The terminal: colour choices, paging decisions and the pager's environment, and a real terminal under tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.text import Text

from iduit.cli.console import Output, pager_command, render_text
from iduit.content.model import Source
from iduit.formats.terminal import document_view, wrap_words
from iduit.outline import blocks as o
from tests.conftest import FIXTURE_CONTENT, assert_clean_exit
from tests.programme_support import typed

LONG_URL = "https://www.example.org/publications/2017/implementing-comprehensive-hiv-and-hcv-programmes.pdf"


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


# -- wrapping: between words only, never inside a web address -----------------------------------


@pytest.mark.parametrize("width", [12, 20, 33, 60])
def test_wrap_words_breaks_only_between_words(width: int) -> None:
    text = "Offer naloxone to everyone leaving prison and to their families, peers and outreach workers."
    lines = [line.plain for line in wrap_words(Text(text), width)]
    assert " ".join(lines) == text  # every break was a space
    assert all(0 < len(line) <= width for line in lines)


def test_wrap_words_keeps_a_web_address_and_a_no_break_run_whole() -> None:
    text = f"Source: Publisher. Title. 2017. {LONG_URL} Read\u00a03.12 now."
    lines = [line.plain for line in wrap_words(Text(text), 30)]
    assert LONG_URL in lines  # on a line of its own, running past the edge
    assert any("Read 3.12" in line for line in lines) and "\u00a0" not in "".join(lines)
    folded = [line.plain for line in wrap_words(Text("x" * 25), 10)]
    assert folded == ["x" * 10, "x" * 10, "x" * 5]  # any other over-long word is folded, as before


def test_wrap_words_keeps_styles_on_their_characters() -> None:
    text = Text("plain ")
    text.append("bold words here", style="bold")
    lines = wrap_words(text, 10)
    assert [line.plain for line in lines] == ["plain bold", "words here"]
    assert [(span.start, span.end, str(span.style)) for span in lines[1].spans] == [(0, 10, "bold")]


def _url_document() -> o.Document:
    source = Source("s", "Implementing comprehensive HIV and HCV programmes", "UNODC", 2017, url=LONG_URL)
    blocks: tuple[o.Block, ...] = (
        o.ExampleBlock("An example", "Testland", "2015", "A programme somewhere.", source),
        o.UpdateBlock("2022-07", "A later change in the guidance.", source),
        o.SourceList((source,)),
        o.Items((f"Bands: 0-20 low. Source: UNODC. 2017. {LONG_URL}",)),
    )
    return o.Document("Sources", blocks)


@pytest.mark.parametrize("color", ["never", "always"])
def test_a_long_web_address_is_never_split_at_60_columns(color: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources, examples, updates and report lines: the address is whole on one line, so a copied link works."""
    monkeypatch.setenv("COLUMNS", "60")
    output = Output.decide("never" if color == "never" else "always", plain=color == "never")
    shown = render_text(document_view(_url_document(), plain=output.plain), output)
    lines = shown.splitlines()
    assert sum(LONG_URL in line for line in lines) == 4, shown
    assert all(len(line) <= 60 for line in lines if LONG_URL not in line and "\x1b" not in line), shown


# -- the assessment walk-through at a fixed width -------------------------------------------------


def _walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int, *extra: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    path = tmp_path / "review.yaml"
    assert_clean_exit(typed("assess", "start", str(path), "--chapter", "3", keys=""), 0)
    result = typed(*extra, "assess", str(path), keys="maybe\nq\n")
    assert_clean_exit(result, 0)
    return result.stdout


def test_the_walk_wraps_between_words_with_the_action_hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _walked(tmp_path, monkeypatch, 30)
    lines = out.replace("quit: ", "quit:\n").splitlines()  # what is typed after a prompt is not echoed here
    assert [line for line in lines if len(line) > 30] == [], out
    start = next(i for i, line in enumerate(lines) if line.startswith("  3.2-a1  "))
    action = [lines[start][10:]]
    action += [line[10:] for line in lines[start + 1 :] if line.startswith(" " * 10)]
    assert len(action) > 1  # it wrapped, under its first word
    assert " ".join(action) == "Remove caps on syringes per visit."
    # The prompt breaks between its parts, never between a key and its word.
    assert "q quit:" in out and not {"s\nskip", "v\nview", "q\nquit"} & {out[i : i + 6] for i in range(len(out))}
    assert "'maybe' is not an answer. Type d, p, n or x," in " ".join(out.split())


def test_the_walk_shows_the_action_in_bold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _walked(tmp_path, monkeypatch, 80, "--color", "always")
    assert "\x1b[1mRemove caps on syringes per visit." in out


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
