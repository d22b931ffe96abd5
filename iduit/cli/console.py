"""Getting text to the user's terminal: consoles, colour, width, paging, safe messages.

Part of the command line, not the library: the library returns data and
renderables; this module decides how they reach a screen, a pipe or a file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Literal, NamedTuple

from iduit.content.text import clean_text

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

ColorChoice = Literal["auto", "always", "never"]
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 20, 250, 80


class Output(NamedTuple):  # a named tuple: immutable, and made at start-up in a tenth of a dataclass's time
    """How this run writes: colour or not, ASCII-safe or not, paged or not."""

    color: bool
    plain: bool  # ASCII rules and boxes, no styling at all
    pager: bool | None  # None: page when taller than the screen, on a terminal

    @classmethod
    def decide(cls, color: ColorChoice, *, plain: bool = False, pager: bool | None = None) -> Output:
        tty = _isatty()
        if color == "always" or (color == "auto" and os.environ.get("FORCE_COLOR")):
            use_color = True
        elif color == "never" or os.environ.get("NO_COLOR") or not tty:
            use_color = False
        else:
            use_color = True
        return cls(color=use_color and not plain, plain=plain or not (tty or use_color), pager=pager)


def _isatty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):
        return False


def width() -> int:
    """The screen width, kept within sane bounds whatever COLUMNS says."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if _isatty() else DEFAULT_WIDTH
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def height() -> int:
    try:
        return max(5, int(os.environ.get("LINES", "")))
    except ValueError:
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).lines


def console(output: Output, *, stderr: bool = False) -> Console:
    from rich.console import Console

    if output.color:
        return Console(stderr=stderr, force_terminal=True, width=width(), highlight=False, emoji=False)
    # No colour, but bold and underline stay (NO_COLOR is about colour only), unless plain.
    return Console(
        stderr=stderr,
        force_terminal=not output.plain and _isatty(),
        no_color=True,
        color_system=None if output.plain else "standard",
        width=width(),
        highlight=False,
        emoji=False,
    )


def render_text(renderable: RenderableType, output: Output, *, end: str = "\n") -> str:
    """What ``renderable`` looks like on this output, as text (plain output: ASCII lines, no trailing spaces).

    Lines are wrapped at the screen width but never cropped: a web address
    longer than the screen runs on, whole. With ``end=""`` the last line is a
    prompt, and keeps its trailing space.
    """
    con = console(output)
    with con.capture() as captured:
        con.print(renderable, end=end, crop=False)
    text = captured.get()
    if output.plain:
        from iduit.formats.terminal import ASCII

        text = text.translate(ASCII)
    if output.plain or not output.color:
        *lines, last = text.split("\n")
        text = "\n".join([*(line.rstrip() for line in lines), last])
    return text


def show(renderable: RenderableType, output: Output) -> None:
    """Print, through a pager when asked or when it would not fit the screen."""
    text = render_text(renderable, output)
    wants_pager = output.pager if output.pager is not None else text.count("\n") > height() - 2
    if wants_pager and _isatty() and _page(text):
        return
    write(text)


def pager_command(environ: dict[str, str], encoding: str | None = None) -> tuple[list[str], dict[str, str]] | None:
    """The user's pager (PAGER, else less) and the environment to run it in; None when there is none.

    For less, iduit's flags go after the user's own LESS flags: theirs stay,
    colours pass through (-R), short output does not wait (-F) and the screen
    is not cleared (-X). When iduit writes UTF-8 (``encoding``, else standard
    output's) and the user has not chosen a character set, less is told so
    (LESSCHARSET=utf-8): under LANG=C it would show every Cyrillic letter as
    codes (<D0><9F>). A user who has not set LESS also gets a prompt that
    says, in their language, how to quit and search, instead of a bare colon.
    The caller's environment is never changed.
    """
    import shlex

    try:
        command = shlex.split(environ.get("PAGER", "") or "less")
    except ValueError:
        command = ["less"]
    if not command or not shutil.which(command[0]):
        return None
    env = dict(environ)
    if os.path.basename(command[0]) == "less":
        utf8 = _is_utf8(encoding or _encoding())
        if utf8 and not env.get("LESSCHARSET") and not env.get("LESSCHARDEF"):
            env["LESSCHARSET"] = "utf-8"
        prompt = ""
        if not env.get("LESS"):
            short, words = less_prompt(utf8)
            prompt = f" -Ps{short}$"
            env.update(words)
        env["LESS"] = f"{env.get('LESS', '')} -R -F -X{prompt}".strip()
    return command, env


ENGLISH_HINT = "iduit - q to quit, / to search"  # what every less shows in its prompt


def less_prompt(utf8: bool = True) -> tuple[str, dict[str, str]]:
    """less's short prompt: "(END)" at the end, then how to quit and search; and what less must be given for it.

    The prompt is escaped for less and ends before a $. A hint in ASCII is
    written into it. One beyond ASCII (Russian) is not: less 590, as Debian 12
    ships it, shows letters written into a prompt as codes (<U+0432>) whatever
    its character set, but shows the editor's name (%E, taken from VISUAL)
    as it is; so the hint goes to less as VISUAL, which less reads for
    nothing else while it pages standard input ("v" cannot edit a pipe). Where
    iduit does not write UTF-8, the English hint is shown instead.
    """
    import re

    from iduit.language.messages import tr

    hint = " ".join(tr("iduit - q to quit, / to search").split())
    if not hint.isascii() and utf8:
        return r"?e(END) .%E", {"VISUAL": hint}
    if not hint.isascii():
        hint = ENGLISH_HINT
    return r"?e(END) ." + re.sub(r"([?:.%\\])", r"\\\1", hint.replace("$", "")), {}


def _page(text: str) -> bool:
    """Show ``text`` through the pager; False when there is none to run."""
    found = pager_command(dict(os.environ))
    if found is None:
        return False
    command, env = found
    try:
        subprocess.run(command, input=text.encode(_encoding(), "replace"), env=env, check=False)
    except OSError:
        return False
    return True


def _encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _is_utf8(encoding: str) -> bool:
    return encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def write(text: str) -> None:
    """Write to stdout, whatever its encoding (unencodable characters become '?')."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.write(text.encode(_encoding(), "replace").decode(_encoding(), "replace"))
    sys.stdout.flush()


def write_file_text(text: str) -> None:
    """An export to standard output: UTF-8 bytes whatever the terminal's encoding, as a file would hold."""
    if sys.stdout is None:
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def json_text(data: object) -> str:
    """JSON for stdout: UTF-8 where stdout takes it, ASCII escapes elsewhere; always valid."""
    import json

    return json.dumps(data, ensure_ascii=not _is_utf8(_encoding()), indent=2) + "\n"


def message(text: str) -> None:
    """One line to stderr, cleaned of escape sequences (messages quote user input and file names)."""
    if sys.stderr is None:
        return
    line = clean_text(text, keep_newlines=False)
    try:
        sys.stderr.write(line + "\n")
    except UnicodeEncodeError:
        encoding = getattr(sys.stderr, "encoding", None) or "ascii"
        sys.stderr.write(line.encode(encoding, "replace").decode(encoding) + "\n")
    sys.stderr.flush()
