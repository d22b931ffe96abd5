"""Faults on the newer surfaces: PDF building, links in content, the site's archive, assessment files and
their spreadsheets, characters an e-book cannot carry, and files left by a killed process.

Each is one way iduit could leak, lose a user's work or break a file; each must end in a clear line
and the right exit code, or just work.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import stat
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.conftest import FIXTURE_CONTENT, PACKAGED_CONTENT, assert_clean_exit, run

SERVICES = Path("chapters") / "03-services.yaml"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the PDF is made from iduit's own page alone: no network, ever ------------------------------


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    """An HTTP server on the loopback address that counts what is asked of it."""
    _Counting.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("scheme", ["http", "https", "HTTP"])
def test_a_pdf_never_fetches_what_the_content_points_at(local_server: str, scheme: str) -> None:
    """Content with images is refused by validate; the PDF holds even for a page that slips past it."""
    pytest.importorskip("weasyprint")
    from iduit.formats import pdf
    from iduit.outline import Document, Linker
    from iduit.outline.blocks import Body

    page = Document("Handout", (Body(f"![tracker]({scheme}://{local_server}/who-printed.png) Give out syringes."),))
    started = time.monotonic()
    assert pdf.render(page, Linker()).startswith(b"%PDF")
    assert _Counting.requests == []
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("![a photo](pic.png)", "images are not allowed"),
        ("![web](https://example.org/x.png)", "images are not allowed"),
        ("[the map](other.html)", "the link to 'other.html' leads nowhere in iduit's outputs"),
        ("[odd](https://example.org/a{b}|c)", "holds { | }, which a web address cannot carry"),
        ("<https://example.org/a^b>", "which a web address cannot carry as it is"),
    ],
)
def test_what_an_e_book_or_zim_cannot_carry_is_refused_by_validate(
    content_copy: Path, markdown: str, problem: str
) -> None:
    _replace(content_copy / SERVICES, "Give out as many syringes", f"{markdown} Give out as many syringes")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 2)
    assert problem in result.stdout + result.stderr


# -- the PDF lays out in bounded time and memory, or says why not ----------------------------------


def _table(rows: int) -> str:
    return "| a | b |\n|---|---|\n" + "".join(f"| {n} | x |\n" for n in range(rows))


@pytest.mark.slow  # loads WeasyPrint
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_table(6000), "3.2: a PDF holds at most 5,000 rows and list items"),
        ("".join(f"### Part {n}\n\ntext\n\n" for n in range(2100)), "3.2: a PDF holds at most 2,000 headings"),
        ("".join("  " * depth + "- level\n" for depth in range(8)), "3.2: a PDF takes lists nested at most 6 deep"),
    ],
)
def test_a_pdf_too_large_to_lay_out_is_refused_naming_the_section(
    content_copy: Path, tmp_path: Path, body: str, message: str
) -> None:
    pytest.importorskip("weasyprint")
    indented = "".join(f"      {line}\n" if line else "\n" for line in body.splitlines())
    _replace(
        content_copy / SERVICES,
        "      has to share. Give out as many syringes as people need.\n",
        "      has to share. Give out as many syringes as people need.\n\n" + indented,
    )
    out = tmp_path / "handout.pdf"
    result = run("export", "3.2", "-o", str(out))
    assert_clean_exit(result, 2)
    assert message in result.stderr
    assert not out.exists()
    within = run("export", "3.2", "-o", str(tmp_path / "fine.md"))  # other formats still take it
    assert_clean_exit(within, 0)


# -- links that could run or leak: refused when the content is checked ----------------------------


@pytest.mark.parametrize(
    "link",
    [
        "[a](javascript:alert(1))",
        "[a](JavaScript:alert(1))",
        "[a]( vbscript:msgbox(1))",
        "![a](data:text/html,x)",
        "<javascript:alert(1)>",
        "[a][r]\n\n      [r]: javascript:alert(1)\n\n     ",
    ],
)
def test_script_links_in_content_are_refused(content_copy: Path, link: str) -> None:
    _replace(content_copy / SERVICES, "Give out as many syringes", f"{link} Give out as many syringes")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 2)
    assert "is not allowed; use http, https or mailto" in result.stderr
    assert_clean_exit(run("export", "3.2", "--format", "markdown"), 2)  # no output can carry it


def test_script_links_in_a_translation_are_refused(content_copy: Path) -> None:
    russian = content_copy / "locales" / "ru" / SERVICES
    _replace(russian, "Выдавайте столько", "[жми](javascript:alert(1)) Выдавайте столько")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 2)
    assert "section 3.2: a link or image to 'javascript:' is not allowed" in result.stderr


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_characters_an_e_book_cannot_carry_are_refused(content_copy: Path, character: str) -> None:
    _replace(content_copy / SERVICES, "title: Needle and syringe programmes", f"title: Needle{character} programmes")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 2)
    assert "03-services.yaml:" in result.stderr


# -- the site's archive: entries never leave their folder ------------------------------------------


@pytest.mark.parametrize("name", ["...zip", "..zip", "a\\..\\b.zip", "share"])
def test_archive_entries_stay_in_one_fixed_folder(tmp_path: Path, name: str) -> None:
    result = run("site", "-o", str(tmp_path / name), "--zip")
    assert_clean_exit(result, 0)
    archives = list(tmp_path.glob("*.zip"))
    assert len(archives) == 1
    with zipfile.ZipFile(archives[0]) as archive:
        names = archive.namelist()
    assert names and all(n.startswith("iduit-site/") and ".." not in n and "\\" not in n for n in names)


# -- assessment files and their spreadsheets ---------------------------------------------------------


def _assessment(folder: Path) -> Path:
    path = folder / "review.yaml"
    assert_clean_exit(run("assess", "start", str(path), "--chapter", "3"), 0)
    return path


def test_a_read_only_assessment_file_is_refused_not_rewritten(tmp_path: Path) -> None:
    path = _assessment(tmp_path)
    sheet = tmp_path / "answers.csv"
    sheet.write_text("action,status\n3.2-a1,done\n", encoding="utf-8")
    path.chmod(0o444)
    before = path.read_bytes()
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 2)
    assert "is read-only" in result.stderr
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444


@pytest.mark.parametrize("kind", ["device", "pipe", "folder", "too large"])
def test_answers_are_read_only_from_a_regular_file_of_sane_size(tmp_path: Path, kind: str) -> None:
    path = _assessment(tmp_path)
    if kind == "device":
        source = Path("/dev/zero")
    elif kind == "pipe":
        source = tmp_path / "pipe.csv"
        os.mkfifo(source)
    elif kind == "folder":
        source = tmp_path / "folder.csv"
        source.mkdir()
    else:
        source = tmp_path / "huge.csv"
        with source.open("wb") as handle:
            handle.truncate(30 * 1024 * 1024)  # sparse: large, but nothing written
    started = time.monotonic()
    result = run("assess", "import", str(path), str(source))
    assert_clean_exit(result, 2)
    assert "not a regular file" in result.stderr or "larger than" in result.stderr, result.stderr
    assert time.monotonic() - started < 10


def test_a_spreadsheet_saved_with_old_mac_line_ends_is_read(tmp_path: Path) -> None:
    path = _assessment(tmp_path)
    sheet = tmp_path / "answers.csv"
    sheet.write_bytes(b"action,status,note\r3.2-a1,done,from an old Mac\r3.2-a2,p,\r")
    result = run("assess", "import", str(path), str(sheet))
    assert_clean_exit(result, 0)
    assert "2 answers changed" in result.stderr


def test_a_temporary_left_by_a_killed_save_is_cleaned_up_by_the_next(tmp_path: Path) -> None:
    path = _assessment(tmp_path)
    stale = tmp_path / ".review.yaml.abc123.tmp"
    stale.write_text("half a file", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".review.yaml.def456.tmp"  # perhaps another save, still running: left alone
    fresh.write_text("another save", encoding="utf-8")
    sheet = tmp_path / "answers.csv"
    sheet.write_text("action,status\n3.2-a1,done\n", encoding="utf-8")
    assert_clean_exit(run("assess", "import", str(path), str(sheet)), 0)
    assert not stale.exists() and fresh.exists()


def test_a_missing_assessment_file_is_named_as_missing(tmp_path: Path) -> None:
    result = run("assess", "report", str(tmp_path / "nowhere.yaml"))
    assert_clean_exit(result, 2)
    assert f"{tmp_path / 'nowhere.yaml'} does not exist; create it with: iduit assess start" in result.stderr


@pytest.mark.usefixtures("packaged")  # coverage needs its indicators
@pytest.mark.parametrize("command", [("assess", "report"), ("coverage",)])
def test_a_link_leading_nowhere_or_round_in_a_loop_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    os.symlink("loop-b", "loop-a")
    os.symlink("loop-a", "loop-b")
    os.symlink("gone.yaml", "dangling")
    for name in ("loop-a", "dangling"):
        result = run(*command, name)
        assert_clean_exit(result, 2)
        assert f"{name} is a link that leads to no file" in result.stderr
    os.mkdir("folder")
    result = run(*command, "folder")
    assert_clean_exit(result, 2)
    # A folder is several sites to iduit assess report, and this one holds none; to coverage it is no file.
    said = "folder holds no assessment files" if command[0] == "assess" else "folder is not an"
    assert said in result.stderr and "start" not in result.stderr and "template" not in result.stderr


def test_a_site_goes_where_a_linked_folder_leads(tmp_path: Path) -> None:
    real = tmp_path / "www"
    real.mkdir()
    (tmp_path / "site").symlink_to(real)
    result = run("site", "-o", str(tmp_path / "site"))
    assert_clean_exit(result, 0)
    assert (real / "index.html").is_file() and (tmp_path / "site").is_symlink()
    (tmp_path / "nowhere").symlink_to(tmp_path / "gone")
    result = run("site", "-o", str(tmp_path / "nowhere"))
    assert_clean_exit(result, 2)
    assert "is a link that leads to no folder" in result.stderr
    assert not (tmp_path / "gone").exists()


def test_an_archive_named_after_a_device_is_refused_not_put_beside_it(tmp_path: Path) -> None:
    result = run("site", "-o", os.devnull, "--zip", "--force")
    assert_clean_exit(result, 2)
    assert "is not a regular file" in result.stderr
    assert not Path(os.devnull + ".zip").exists()
    (tmp_path / "iduit-site").mkdir()  # a folder of that name: the archive goes beside it, .zip added
    assert_clean_exit(run("site", "-o", str(tmp_path / "iduit-site"), "--zip"), 0)
    assert (tmp_path / "iduit-site.zip").is_file()


# -- what people type ------------------------------------------------------------------------------


def test_a_mistyped_option_is_a_usage_error_naming_the_nearest() -> None:
    result = run("search", "naloxone", "--limt", "3")
    assert_clean_exit(result, 2)
    assert "no such option: --limt; did you mean --limit?" in result.stderr
    words = run("search", "naloxone", "-prison", "--json")  # a word to leave out keeps its meaning
    assert_clean_exit(words, 0)


@pytest.fixture
def packaged(packaged_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged content (the fixture has no indicators), its store built once for these tests."""
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))


@pytest.mark.usefixtures("packaged")
def test_a_second_sites_key_is_refused_not_ignored(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(
        "pwid: 1000\nsites:\n  - {name: A, pwid: 500}\nsites:\n  - {name: B, pwid: 500}\n", encoding="utf-8"
    )
    result = run("coverage", str(inputs))
    assert_clean_exit(result, 2)
    assert "inputs.yaml:4:1: 'sites' is given twice" in result.stderr


# -- the user's own coverage figures: text cleaned, sizes bounded ----------------------------------

_HOSTILE = ("\x1b[2J", "\x1b]8;;http://example.org\x1b\\", "\u202e", "\x9b31m", "\x07")


@pytest.mark.usefixtures("packaged")
@pytest.mark.parametrize("form", [(), ("--format", "markdown"), ("--color", "always"), ("--format", "json")])
def test_escapes_in_an_inputs_file_never_reach_the_terminal(tmp_path: Path, form: tuple[str, ...]) -> None:
    import json

    inputs = tmp_path / "inputs.yaml"
    area = "Town" + "".join(_HOSTILE)
    site = "North" + "".join(_HOSTILE)
    inputs.write_text(
        f"area: {json.dumps(area)}\npwid: 1000\nsyringes: 50000\nsites:\n  - name: {json.dumps(site)}\n    pwid: 400\n",
        encoding="utf-8",
    )
    colour, rest = (form, ()) if form[:1] == ("--color",) else ((), form)
    result = run(*colour, "coverage", str(inputs), *rest)
    assert_clean_exit(result, 0)
    assert "Town" in result.stdout and "North" in result.stdout
    for bad in ("\x1b[2J", "\x1b]", "\u202e", "\x9b", "\x07", "\\u202e", "\\u001b"):
        assert bad not in result.stdout, repr(bad)


@pytest.mark.usefixtures("packaged")
def test_a_list_as_a_site_name_is_named_as_such(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("pwid: 1000\nsites:\n  - name: [a, b]\n    pwid: 400\n", encoding="utf-8")
    result = run("coverage", str(inputs))
    assert_clean_exit(result, 2)
    assert "inputs.yaml:3:11: name must be text on one line" in result.stderr


@pytest.mark.parametrize("value", ["1.0e+308", "1.7976931348623157e+308", "1000001", ".inf", "-1"])
def test_benchmark_values_beyond_any_real_one_are_refused(tmp_path: Path, value: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(PACKAGED_CONTENT, content)
    _replace(content / "indicators.yaml", "      - value: 300\n", f"      - value: {value}\n")
    result = run("validate", str(content))
    assert_clean_exit(result, 2)
    assert "a target's 'value' must be a number from 0 to 1,000,000" in result.stdout + result.stderr


# -- sites replaced while people work: whole, whatever happens ---------------------------------------


def _whole_site(folder: Path) -> list[str]:
    """What is wrong with a site folder: files its list names that are missing, or leftovers of a build."""
    from iduit.site.build import MANIFEST

    listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    missing = [name for name in listed if not (folder / name).is_file()]
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".iduit")]
    return missing + leftovers


@pytest.mark.slow
def test_a_build_waits_while_another_swaps_its_files_in_instead_of_calling_the_site_foreign(tmp_path: Path) -> None:
    """While one build swaps its files in, the site's list of its own files is moved aside for a moment:
    a second build that looks at the folder then must wait for the lock, not refuse a folder it wrote."""
    import contextlib
    import subprocess
    import sys

    from iduit.files import locked
    from iduit.site.build import LOCK_NAME, MANIFEST

    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    manifest, aside = out / MANIFEST, tmp_path / "manifest-aside.json"
    with locked(out / LOCK_NAME):  # as a build in the middle of its swap holds it
        manifest.rename(aside)
        build = subprocess.Popen(
            [sys.executable, "-m", "iduit", "site", "-o", str(out), "--force"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):  # waiting for the lock, as it should
            build.wait(timeout=4)
        assert build.returncode is None, build.stderr.read() if build.stderr else b""
        aside.rename(manifest)
    assert build.wait(timeout=120) == 0
    assert json.loads(manifest.read_text(encoding="utf-8"))["made_by"] == "iduit"


@pytest.mark.slow
@pytest.mark.parametrize("start", ["new", "built"])
def test_builds_at_once_each_leave_a_whole_site(tmp_path: Path, start: str) -> None:
    import subprocess
    import sys

    out = tmp_path / "site"
    if start == "built":
        assert_clean_exit(run("site", "-o", str(out)), 0)
    (tmp_path / "CNAME").write_text("example.org\n", encoding="utf-8")
    command = [sys.executable, "-m", "iduit", "site", "-o", str(out), "--force"]
    for _ in range(3):
        builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else b"") for p in builds]
        assert [code for code, _ in results] == [0, 0, 0, 0], results
        assert _whole_site(out) == []
        (out / "CNAME").write_text("example.org\n", encoding="utf-8")  # someone's file, kept by every build


@pytest.mark.slow
def test_ctrl_c_while_a_site_is_replaced_leaves_a_whole_site(tmp_path: Path) -> None:
    import random
    import signal
    import subprocess
    import sys

    out = tmp_path / "site"
    assert_clean_exit(run("site", "-o", str(out)), 0)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    command = [sys.executable, "-m", "iduit", "site", "-o", str(out), "--force"]
    chance = random.Random(7)
    for _ in range(16):  # a build takes about 0.3 s here: the signal lands anywhere in it
        build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.05, 0.4))
        build.send_signal(signal.SIGINT)
        build.wait(timeout=60)
        # the old site or the new one, whole; a hidden folder of the interrupted build at most
        assert [name for name in _whole_site(out) if not name.startswith(".iduit-")] == []
        assert (out / "CNAME").exists()
    assert_clean_exit(run("site", "-o", str(out), "--force"), 0)
    assert _whole_site(out) == []  # and the next build tidies that away


@pytest.mark.parametrize("after", [1, 5, 12])
def test_ctrl_c_in_the_middle_of_the_swap_waits_for_it_to_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    import signal

    from iduit.content.loader import load_content
    from iduit.site.build import build_site

    content = load_content(FIXTURE_CONTENT)
    out = tmp_path / "site"
    build_site(content, out)
    real_rename = os.rename
    renames = {"n": 0}

    def rename_then_ctrl_c(source: Any, target: Any) -> None:
        real_rename(source, target)
        renames["n"] += 1
        if renames["n"] == after:  # Ctrl-C pressed right here, between two renames
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(os, "rename", rename_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, out, force=True)
    assert renames["n"] > after  # the swap went on to its end before the interrupt was taken
    assert _whole_site(out) == []


@pytest.mark.slow
@pytest.mark.usefixtures("packaged")
def test_a_hundred_thousand_sites_are_read_and_summed(tmp_path: Path) -> None:
    """A national programme's file of every site (4.7 MB): read in linear time, every figure kept."""
    from iduit.programme.coverage import read_inputs

    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(
        "sites:\n" + "".join(f"  - name: site {n}\n    pwid: 10\n    syringes: {n % 7}\n" for n in range(100_000)),
        encoding="utf-8",
    )
    read = read_inputs(inputs)
    assert len(read.sites) == 100_000
    assert sum(values["syringes"] for _, values, _ in read.sites) == sum(n % 7 for n in range(100_000))
    duplicate = inputs.read_text(encoding="utf-8") + "  - name: site 99999\n    pwid: 1\n"
    inputs.write_text(duplicate, encoding="utf-8")
    result = run("coverage", str(inputs))
    assert_clean_exit(result, 2)
    assert "there are two sites called 'site 99999'" in result.stderr


# -- two people on one assessment file -------------------------------------------------------------


def _sheet(folder: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    path = folder / name
    path.write_text("action,status\n" + "".join(f"{a},{s}\n" for a, s in rows), encoding="utf-8")
    return path


@pytest.mark.slow  # starts ten processes
def test_two_imports_at_once_lose_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _assessment(tmp_path)
    actions = [line.split(",")[0] for line in run("assess", "export", str(path)).stdout.splitlines()[1:]]
    half = len(actions) // 2
    first = _sheet(tmp_path, "first.csv", [(a, "done") for a in actions[:half]])
    second = _sheet(tmp_path, "second.csv", [(a, "partly") for a in actions[half:]])
    command = [sys.executable, "-m", "iduit", "assess", "import", str(path)]
    for _ in range(5):
        both = [subprocess.Popen([*command, str(sheet)], stderr=subprocess.PIPE) for sheet in (first, second)]
        assert [p.wait(timeout=60) for p in both] == [0, 0]
        text = path.read_text(encoding="utf-8")
        assert text.count('status: "done"') == half
        assert text.count('status: "partly"') == len(actions) - half
        path.unlink()
        path = _assessment(tmp_path)


def test_an_import_during_a_walk_is_kept_when_the_walk_saves_its_next_answer(tmp_path: Path) -> None:
    from iduit.content.loader import load_content
    from iduit.programme.assessment import load, record

    path = _assessment(tmp_path)
    content = load_content(FIXTURE_CONTENT)
    walking, _ = load(path, content)  # the walk has the file in memory
    assert_clean_exit(run("assess", "import", str(path), str(_sheet(tmp_path, "a.csv", [("3.3-a1", "done")]))), 0)
    record(walking, content, "3.2-a1", "partly")  # the walk's next answer
    saved, _ = load(path, content)
    assert saved.entry("3.3-a1").status == "done" and saved.entry("3.2-a1").status == "partly"
    assert walking.entry("3.3-a1").status == "done"  # and the walk now sees it too


def test_an_assessment_whose_chapter_is_gone_stops_instead_of_covering_everything(tmp_path: Path) -> None:
    path = _assessment(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("chapters: [3]", "chapters: [9]").replace("content_version: ", "content_version: old"),
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    result = run("assess", str(path))
    assert_clean_exit(result, 2)
    assert "chapter 9 of this assessment is no longer in the guidance" in result.stderr
    assert path.read_text(encoding="utf-8") == before
