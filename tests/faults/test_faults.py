"""Fault injection: hostile content, hostile queries, odd outputs and odd environments.

Each scenario is one way iduit could break: a traceback, a hang, a file read
from outside the content folder, a device replaced, a half-written export,
escape sequences reaching a terminal. Every one must end in a clear one-line
message with the right exit code, or just work. The classes are kept apart
so that a new variant of a fault lands next to its kind.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CONTENT, assert_clean_exit, run

INTRO = Path("chapters") / "00-introduction.yaml"
SERVICES = Path("chapters") / "03-services.yaml"


def _replace(folder: Path, relative: Path, old: str, new: str) -> None:
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append_to_toolkit(folder: Path, name: str) -> None:
    _replace(folder, Path("toolkit.yaml"), "  - 03-services.yaml", f"  - 03-services.yaml\n  - {json.dumps(name)}")


# -- hostile content: validate (and every command) says what is wrong, exit 2 ----------------


def _traversal(folder: Path) -> None:
    _append_to_toolkit(folder, "../../../../etc/passwd")


def _absolute(folder: Path) -> None:
    _append_to_toolkit(folder, "/etc/passwd")


def _symlink_out(folder: Path) -> None:
    (folder / INTRO).unlink()
    (folder / INTRO).symlink_to("/etc/passwd")


def _symlink_loop(folder: Path) -> None:
    (folder / INTRO).unlink()
    os.symlink(folder / "chapters" / "loop-b.yaml", folder / INTRO)
    os.symlink(folder / INTRO, folder / "chapters" / "loop-b.yaml")


def _fifo_chapter(folder: Path) -> None:
    (folder / INTRO).unlink()
    os.mkfifo(folder / INTRO)


def _fifo_glossary(folder: Path) -> None:
    (folder / "glossary.yaml").unlink()
    os.mkfifo(folder / "glossary.yaml")


def _directory_chapter(folder: Path) -> None:
    (folder / INTRO).unlink()
    (folder / INTRO).mkdir()


def _alias_bomb(folder: Path) -> None:
    big = "x" * 100_000
    lines = [f"key_points_anchor: &big {json.dumps(big)}"]
    _replace(folder, INTRO, "    key_points:\n", "    key_points:\n" + "".join("      - *big\n" for _ in range(20_000)))
    _replace(folder, INTRO, "number: 0\n", "number: 0\n" + lines[0] + "\n")


def _huge_sparse(folder: Path) -> None:
    with open(folder / INTRO, "r+b") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB, all holes: must be refused without being read


def _nul_byte(folder: Path) -> None:
    _replace(folder, INTRO, "It is stable.", "It is\x00 stable.")


def _leading_zero_id(folder: Path) -> None:
    _replace(folder, INTRO, '- id: "0.1"', '- id: "0.01"')


def _arabic_digits_id(folder: Path) -> None:
    _replace(folder, INTRO, '- id: "0.1"', '- id: "٠.١"')


def _raw_html(folder: Path) -> None:
    _replace(folder, INTRO, "It is short.", "It is <script>alert(1)</script> short.")


def _deep_nesting(folder: Path) -> None:
    deep = "\n".join("  " * i + "- level" for i in range(0, 40))
    _replace(
        folder,
        INTRO,
        "      - It is short.\n",
        "      - It is short.\n\n" + "\n".join("      " + line for line in deep.splitlines()) + "\n",
    )


def _wide_table(folder: Path) -> None:
    header = "| " + " | ".join(f"c{i}" for i in range(20)) + " |"
    rule = "|" + "---|" * 20
    table = f"      {header}\n      {rule}\n      " + "| " + " | ".join("x" for _ in range(20)) + " |\n"
    _replace(folder, INTRO, "      - It is short.\n", "      - It is short.\n\n" + table)


def _escape_in_key(folder: Path) -> None:
    _replace(
        folder, INTRO, "    tags: [about, fixture]", '    "\\e]52;c;cHduZWQ=\\a\\e[2J": 1\n    tags: [about, fixture]'
    )


def _escape_in_file_name(folder: Path) -> None:
    (folder / "chapters" / "\x1b[2Jevil.yaml").write_text("number: 9\n", encoding="utf-8")


def _escape_in_reference(folder: Path) -> None:
    _replace(folder, INTRO, 'see_also: ["3.2"]', 'see_also: ["3.2", "\\e]8;;http://x\\e\\\\9.9"]')


CONTENT_FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "path traversal in toolkit chapters": (_traversal, "must be a file name inside chapters/"),
    "absolute path in toolkit chapters": (_absolute, "must be a file name inside chapters/"),
    "chapter symlinked outside the folder": (_symlink_out, "refusing to read a file outside the content folder"),
    "symlink loop": (_symlink_loop, "cannot read file"),
    "named pipe as a chapter": (_fifo_chapter, "not a regular file"),
    "named pipe as the glossary": (_fifo_glossary, "not a regular file"),
    "directory as a chapter": (_directory_chapter, "not a regular file"),
    "alias bomb": (_alias_bomb, "YAML aliases"),
    "3 GB sparse chapter": (_huge_sparse, "file is too large"),
    "NUL byte": (_nul_byte, "control character U+0000"),
    "leading zero in an id": (_leading_zero_id, "must look like '3.12'"),
    "non-ASCII digits in an id": (_arabic_digits_id, "must look like '3.12'"),
    "raw HTML in a body": (_raw_html, "raw HTML is not allowed"),
    "lists nested 40 deep": (_deep_nesting, "nested 40 levels deep"),
    "a 20-column table": (_wide_table, "a table has 20 columns"),
    "escape sequences in a YAML key": (_escape_in_key, "unknown key"),
    "escape sequences in a file name": (_escape_in_file_name, "not listed under 'chapters'"),
    "escape sequences in a reference": (_escape_in_reference, "which does not exist"),
}


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    monkeypatch.setenv("IDUIT_DATA_DIR", str(folder))
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name", sorted(CONTENT_FAULTS))
def test_hostile_content_is_refused_clearly(name: str, hostile: Path) -> None:
    make, expected = CONTENT_FAULTS[name]
    make(hostile)
    started = time.monotonic()
    for command in (["validate"], ["search", "overdose"], ["show", "3.12"]):
        result = run(*command)
        assert_clean_exit(result, 2)
        assert expected in result.stderr, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # messages are cleaned
        assert "root:" not in result.stderr  # nothing of /etc/passwd comes back
    assert time.monotonic() - started < 20  # no hang, no 3 GB read


def test_bidi_overrides_in_content_never_reach_the_reader(hostile: Path) -> None:
    _replace(hostile, INTRO, "Keep this fixture small.", "Keep this \u202efixture\u202c small.")
    for command in (["show", "0.1", "--plain"], ["export", "0.1"], ["export", "0.1", "--format", "html"]):
        result = run(*command)
        assert_clean_exit(result, 0)
        assert "\u202e" not in result.stdout and "Keep this fixture small." in result.stdout


# -- exports: never replace what is not a file, never leave half a result ----------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_force_never_replaces_a_device() -> None:
    result = run("export", "3.12", "-o", "/dev/full", "--force")
    assert_clean_exit(result, 2)
    assert "not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_force_never_replaces_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = run("export", "3.12", "-o", str(fifo), "--force")
    assert_clean_exit(result, 2)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_new_files_respect_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert_clean_exit(run("export", "3.12", "-o", str(tmp_path / "new.md")), 0)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640
    kept = tmp_path / "kept.md"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o664)
    assert_clean_exit(run("export", "3.12", "-o", str(kept), "--force"), 0)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o664 and kept.read_text(encoding="utf-8") != "old"


def test_export_all_is_all_or_nothing_on_a_clash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").mkdir()  # a folder where a file must go
    (out / "chapter-0.md").write_text("mine", encoding="utf-8")
    result = run("export", "--all", "-o", str(out), "--force")
    assert_clean_exit(result, 2)
    assert (out / "chapter-0.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["chapter-0.md", "index.md"]


def test_export_all_interrupted_while_writing_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "chapter-0.md").write_text("mine", encoding="utf-8")
    from iduit import files

    real_write = files.write_file

    def interrupted(path: Path, text: str | bytes, *, replace: bool = False) -> None:
        if path.name == "chapter-3.md":
            raise KeyboardInterrupt
        real_write(path, text, replace=replace)

    monkeypatch.setattr(files, "write_file", interrupted)
    result = run("export", "--all", "-o", str(out), "--force")
    assert_clean_exit(result, 130)
    assert [p.name for p in out.iterdir()] == ["chapter-0.md"]  # no debris, nothing new
    assert (out / "chapter-0.md").read_text(encoding="utf-8") == "mine"


def test_ctrl_c_while_moving_an_export_into_place_waits_for_the_whole_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    out = tmp_path / "out"
    out.mkdir()
    (out / "chapter-0.md").write_text("mine", encoding="utf-8")
    real_replace = os.replace

    def replace_then_ctrl_c(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        real_replace(source, target)
        if str(target).endswith("chapter-0.md"):
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, after the first of five renames

    monkeypatch.setattr("iduit.files.os.replace", replace_then_ctrl_c)
    result = run("export", "--all", "-o", str(out), "--force")
    assert_clean_exit(result, 130)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["chapter-0.md", "chapter-3.md", "glossary.md", "index.md", "tools.md"]  # the whole set
    assert (out / "chapter-0.md").read_text(encoding="utf-8") != "mine"


def test_duplicate_targets_are_exported_once(tmp_path: Path) -> None:
    page = run("export", "3.12", "3.12", "chapter", "3", "--format", "html").stdout
    assert page.count('id="section-3-12"') == 1


# -- hostile queries and arguments --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", ""], 2, "say what to look for"),
        (["search", "   "], 2, "say what to look for"),
        (["search", "overdose", "--tag", ""], 2, "--tag needs a tag"),
        (["search", "-overdose"], 2, "add a word to look for"),
        (["search", "--", "NOT", "overdose"], 2, "add a word to look for"),
        (["show", "1." + "9" * 5000], 2, "is not"),
        (["show", "99999999999999999999"], 2, "is not"),
        (["export", "--all", "-o", "-"], 2, "give a folder"),
    ],
)
def test_bad_requests_exit_cleanly(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert_clean_exit(result, code)
    assert message in result.stderr


def test_not_really_excludes() -> None:
    data = json.loads(run("search", "--json", "--", "naloxone", "NOT", "prison").stdout)
    assert "3.12" not in {r["id"] for r in data["results"]}


def test_a_thousand_targets_are_quick() -> None:
    started = time.monotonic()
    result = run("show", *(["3.12"] * 1000), "--plain")
    assert_clean_exit(result, 0)
    assert time.monotonic() - started < 10
    assert result.stdout.count("3.12  Overdose prevention and naloxone") == 1


def test_combining_accents_are_composed() -> None:
    result = run("search", "nalo\u0301xone", "--json")  # o + combining acute accent
    assert result.exit_code in (0, 1)
    if result.exit_code == 0:
        data = json.loads(result.stdout)
        assert data["query"] == "nal\u00f3xone"  # composed
        assert "\u0301" not in json.dumps(data, ensure_ascii=False)


# -- odd environments: real processes ----------------------------------------------------------


def _iduit(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **env}
    return subprocess.run([sys.executable, "-m", "iduit", *args], env=environment, capture_output=True, timeout=60)


@pytest.mark.parametrize(
    "args",
    [["show", "3.12", "--plain"], ["export", "3.12", "--format", "html"], ["search", "overdose", "--json"], ["toc"]],
)
@pytest.mark.parametrize("encoding", ["ascii", "cp850", "cp936", "latin-1"])
@pytest.mark.slow
def test_any_output_encoding(args: list[str], encoding: str) -> None:
    done = _iduit(*args, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    if "--json" in args:
        json.loads(done.stdout.decode(encoding))


@pytest.mark.slow
def test_json_is_valid_utf8_whatever_the_query_bytes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "iduit", "search", "--json", os.fsdecode(b"overdose \xff\xfe")],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout.decode("utf-8"))  # strict: fails on invalid UTF-8


@pytest.mark.slow
def test_closed_stdout_is_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "iduit", "search", "overdose"], stdout=None, stderr=subprocess.PIPE, timeout=60,
        stdin=subprocess.DEVNULL, close_fds=True, pass_fds=(), preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert b"Traceback" not in done.stderr
    assert done.returncode in (0, 2)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["--version"], ["--help"], ["show", "3.12", "--plain"]])
def test_a_full_disk_on_stdout_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "iduit", *args], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 2
    assert done.stderr.decode().strip().startswith("iduit: ") and b"Traceback" not in done.stderr


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "100000"])
def test_odd_terminal_widths_are_clamped(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = run("search", "overdose", "--plain")
    assert_clean_exit(result, 0)
    assert "3.12" in result.stdout and len(result.stdout) < 5000
    assert max(len(line) for line in result.stdout.splitlines()) <= 250


def test_two_content_folders_never_share_a_cache(tmp_path: Path) -> None:
    from iduit.paths import store_home

    homes = {store_home(tmp_path / f"content-{i}") for i in range(2000)}
    assert len(homes) == 2000
