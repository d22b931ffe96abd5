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
from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit
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


def test_less_says_how_to_quit_and_search_unless_the_user_set_less(monkeypatch: pytest.MonkeyPatch) -> None:
    if not shutil.which("less"):
        pytest.skip("no less here")
    found = pager_command({"PATH": os.environ["PATH"]})
    assert found is not None
    assert found[1]["LESS"] == "-R -F -X -Ps?e(END) .iduit - q to quit, / to search$"
    from iduit.language import messages

    assert "VISUAL" not in found[1]
    monkeypatch.setattr(messages, "_current", "ru")
    # less 590 shows letters written into a prompt as codes, but the editor's name (%E, from VISUAL) as it is.
    russian = pager_command({"PATH": os.environ["PATH"], "LESS": "", "VISUAL": "vim"}, encoding="utf-8")
    assert russian is not None and russian[1]["LESS"].endswith("-Ps?e(END) .%E$")
    assert russian[1]["VISUAL"] == messages.tr("iduit - q to quit, / to search") == "iduit: q — выход, / — поиск"
    # Where iduit does not write UTF-8, less could not show it: the English hint, which every less shows.
    latin = pager_command({"PATH": os.environ["PATH"]}, encoding="latin-1")
    assert latin is not None and latin[1]["LESS"].endswith("-Ps?e(END) .iduit - q to quit, / to search$")
    assert "VISUAL" not in latin[1] and "LESSCHARSET" not in latin[1]
    monkeypatch.setattr(messages, "catalogue", lambda lang: {"iduit - q to quit, / to search": ("iduit: q: exit. %",)})
    assert pager_command({"PATH": os.environ["PATH"]})[1]["LESS"].endswith(r"-Ps?e(END) .iduit\: q\: exit\. \%$")
    mine = pager_command({"PATH": os.environ["PATH"], "LESS": "-M"})
    assert mine is not None and mine[1]["LESS"] == "-M -R -F -X"  # their own prompt stays theirs


def test_less_reads_utf8_when_iduit_writes_it_unless_the_user_chose_a_charset() -> None:
    """Under LANG=C less takes the bytes of a Cyrillic letter for codes (<D0><9F>): it is told what iduit writes."""
    if not shutil.which("less"):
        pytest.skip("no less here")
    path = os.environ["PATH"]
    assert pager_command({"PATH": path, "LANG": "C"}, encoding="utf-8")[1]["LESSCHARSET"] == "utf-8"
    assert pager_command({"PATH": path, "LESSCHARSET": "koi8-r"}, encoding="utf-8")[1]["LESSCHARSET"] == "koi8-r"
    assert "LESSCHARSET" not in pager_command({"PATH": path, "LESSCHARDEF": "8bcccbcc18b95.b"}, encoding="utf-8")[1]
    assert "LESSCHARSET" not in pager_command({"PATH": path}, encoding="cp1251")[1]
    assert "LESSCHARSET" not in pager_command({"PATH": path, "PAGER": "cat"}, encoding="utf-8")[1]


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
        f"env -u LINES -u COLUMNS -u LESS IDUIT_DATA_DIR={FIXTURE_CONTENT} IDUIT_CACHE_DIR={tmp_path} {env} PAGER=less "
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
        last = screen.rstrip().splitlines()[-1]  # less is waiting at its prompt: it paged
        assert last.startswith(":") if extra_env.get("LESS") else last.startswith("iduit - q to quit, / to search")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


class Screen:
    """A real terminal of a given size under tmux, running one command; read what it shows."""

    def __init__(self, cache: Path, command: str, columns: int, lines: int = 24, env: str = "") -> None:
        self.session = f"iduit-test-{os.getpid()}-{columns}-{time.monotonic_ns()}"
        full = (
            f"env -u LINES -u COLUMNS -u LESS LANG=C.UTF-8 IDUIT_CACHE_DIR={cache} "
            f"IDUIT_DATA_DIR={FIXTURE_CONTENT} PAGER=less {env} {sys.executable} -m iduit {command}; "
            "echo COMMAND-ENDED; sleep 30"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.session, "-x", str(columns), "-y", str(lines), full], check=True
        )

    def text(self, *flags: str) -> str:
        return _tmux(self.session, "capture-pane", "-p", *flags, "-t", self.session)

    def wait_for(self, words: str, *flags: str) -> str:
        screen = ""
        for _ in range(600):  # a cold store takes a while on a busy machine
            screen = self.text(*flags)
            if words in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{words!r} never appeared:\n{screen}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("less") is None, reason="needs tmux, less")


@pytest.mark.slow
@needs_tmux
@pytest.mark.parametrize("columns", [80, 60])
def test_the_walk_in_a_real_terminal_wraps_between_words_and_shows_the_action_in_bold(
    columns: int, tmp_path: Path, packaged_cache: Path
) -> None:
    """The packaged content, whose first action is longer than a line at both widths."""
    review = tmp_path / "review.yaml"
    packaged = f"IDUIT_DATA_DIR={PACKAGED_CONTENT}"
    Screen(packaged_cache, f"assess start {review} --chapter 3", 80, env=packaged).wait_for("COMMAND-ENDED")
    screen = Screen(packaged_cache, f"assess walk {review}", columns, env=packaged)
    try:
        shown = screen.wait_for("q quit:")
        lines = shown.rstrip().splitlines()
        assert all(len(line) <= columns for line in lines), shown
        joined = " ".join(" ".join(lines).split())  # any word split across lines would not be found below
        assert "Answer each with d (done), p (partly), n (not yet) or x (not applicable), then Enter;" in joined
        action = "Map which of the nine interventions are available in your area and who provides each."
        assert f"3.1-a1 {action}" in joined
        first = next(i for i, line in enumerate(lines) if line.startswith("  3.1-a1  "))
        hanging = lines[first + 1]
        assert hanging.startswith(" " * 10) and hanging[10] != " "  # under the action's first word
        assert "Done, partly, not yet, n/a? [d/p/n/x] s skip v view q quit:" in joined
        assert "\x1b[1mMap which of the nine" in screen.text("-e")  # the action in bold
        screen.keys("maybe", "Enter")
        refused = screen.wait_for("is not an answer")
        assert "'maybe' is not an answer. Type d, p, n or x, or s to skip, v to view the section, q to stop." in (
            " ".join(refused.split())
        )
        screen.keys("q", "Enter")
        screen.wait_for("COMMAND-ENDED")
    finally:
        screen.close()


@pytest.mark.slow
@needs_tmux
@pytest.mark.parametrize("paged", [False, True])
def test_a_long_web_address_is_whole_in_a_real_terminal_at_60_columns(paged: bool, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    sources = content / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("https://example.org/test-source", LONG_URL))
    command = "show 3.12 --pager" if paged else "show 3.12"
    screen = Screen(tmp_path / "cache", command, 60, lines=50 if paged else 80, env=f"IDUIT_DATA_DIR={content}")
    try:
        if paged:  # less draws the long lines; the terminal still knows they are one line
            screen.wait_for("iduit - q to quit")
            screen.keys("G")
            shown = screen.wait_for("(END)", "-J")
        else:
            shown = screen.wait_for("COMMAND-ENDED", "-J")  # -J: lines the terminal wrapped are joined again
        assert sum(LONG_URL in line for line in shown.splitlines()) == 3, shown  # example, update, sources
    finally:
        screen.close()


@pytest.mark.slow
@needs_tmux
@pytest.mark.parametrize(
    ("lang", "locale"),
    [("en", "LANG=C.UTF-8"), ("ru", "LANG=C.UTF-8"), ("ru", "LANG=C"), ("ru", "LANG=C LC_ALL=C")],
)
def test_the_pager_says_how_to_quit_and_q_quits(lang: str, locale: str, tmp_path: Path) -> None:
    """The hint in the reader's language, and the Russian text itself, as letters, never as codes (<D0><9F>)."""
    hint = "iduit: q — выход, / — поиск" if lang == "ru" else "iduit - q to quit, / to search"
    screen = Screen(tmp_path / "cache", f"--lang {lang} show chapter 3", 80, lines=20, env=locale)
    try:
        shown = screen.wait_for(hint)
        assert shown.rstrip().splitlines()[-1].startswith(hint)
        assert "<D0>" not in shown and "<U+" not in shown and "^@" not in shown
        if lang == "ru":
            assert "Программы обмена игл и шприцев" in shown
        screen.keys("G")  # to the end: less says so
        assert screen.wait_for("(END) " + hint).rstrip().splitlines()[-1].startswith("(END) " + hint)
        screen.keys("q")
        assert "COMMAND-ENDED" in screen.wait_for("COMMAND-ENDED")
    finally:
        screen.close()
