"""The Russian iduit on the packaged content: every command's output is Russian, bar names, acronyms,
addresses, the original's citation and the English titles of publications.

A run of three or more Latin words in an output is English prose unless the Russian content itself
holds it (a name kept as published), or a source's or the original's English title does.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from iduit.language import messages
from iduit.language.messages import tr
from tests.conftest import PACKAGED_CONTENT, assert_clean_exit, run

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Addresses and their wrapped pieces, options, commands, file names and acronyms are not prose.
NOT_PROSE = re.compile(
    r"https?://\S+|\S*[/\d_]\S*|(?<![\w-])--[a-z][\w-]*|(?<!\S)-[a-z]\b|\biduit [a-z][^\n«»]*|\S+\.[a-z]{2,4}\b"
    r"|\b[A-Z]{2,}\b"
)
# Three Latin words in a row, with only spaces and light punctuation between them, are a run of English.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,:;()&–-]+[A-Za-z][A-Za-z'’-]*){2,}")


def _words(text: str) -> str:
    return " ".join(w.lower() for w in WORD.findall(NOT_PROSE.sub(" ", text)))


def _allowed() -> str:
    """Text where a Latin run is a name, a title or the citation, not iduit speaking English."""
    from iduit.formats import FORMATS

    parts = [p.read_text(encoding="utf-8") for p in sorted((PACKAGED_CONTENT / "locales" / "ru").rglob("*.yaml"))]
    parts.append((PACKAGED_CONTENT / "sources.yaml").read_text(encoding="utf-8"))
    parts.append((PACKAGED_CONTENT / "toolkit.yaml").read_text(encoding="utf-8"))
    parts.append(" ".join(f.name for f in FORMATS))
    return " " + " ".join(_words(part) for part in parts) + " "


ALLOWED = _allowed()


def english_prose(text: str) -> list[str]:
    """Runs of English words in ``text``, line by line, that no source, name or title in the content holds.

    Line by line, a title the terminal wrapped is two pieces of an allowed title, each allowed on its own.
    """
    text = re.sub(r"<head>.*?</head>", " ", text, flags=re.S)  # HTML: the page's own words, not its policy
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    found = []
    pieces = [piece for line in text.splitlines() for piece in re.split(r"[.!?](?:\s|$)", line)]  # sentences
    for piece in pieces:
        for match in LATIN_RUN.finditer(NOT_PROSE.sub(" ", piece)):
            words = _words(match.group(0))
            if sum(len(w) > 1 for w in words.split()) >= 3 and f" {words} " not in ALLOWED:
                found.append(match.group(0))
    return found


@pytest.fixture(scope="module")
def russian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder shared by the module's commands."""
    return tmp_path_factory.mktemp("ru")


@pytest.fixture(autouse=True)
def packaged_in_russian(russian: Path, packaged_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))  # the session's: each store is built once a run
    monkeypatch.setenv("IDUIT_LANG", "ru")
    monkeypatch.chdir(russian)


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    yield None
    messages.use("en")


COMMANDS = [
    ("search", "передозировка", "--plain"),
    ("search", "ОЗТ", "--plain", "-n", "3"),
    ("show", "3.12", "--plain", "--no-pager"),
    ("show", "chapter", "0", "--plain", "--no-pager"),
    ("show", "T8", "--plain", "--no-pager"),
    ("toc", "--plain", "--no-pager"),
    ("tools", "--plain", "--no-pager"),
    ("tags", "--plain", "--no-pager"),
    ("define", "OST", "--plain"),
    ("define", "ЛУИН", "--plain"),
    ("export", "3.2", "--format", "markdown"),
    ("export", "chapter", "3", "--format", "html"),
    ("export", "T5", "--format", "text"),
    ("checklist", "chapter", "2", "--plain"),
    ("checklist", "3.2", "--format", "html"),
    ("coverage", "--pwid", "12000", "--syringes", "1500000", "--ost", "900", "--opioid-dependent", "8000", "--plain"),
    ("coverage", "--pwid", "12000", "--syringes", "1500000", "--format", "html"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_every_command_speaks_russian(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert_clean_exit(result, 0)
    assert re.search("[а-яё]{4,}", result.stdout), result.stdout[:300]
    assert english_prose(result.stdout) == [], result.stdout[:500]


def test_the_assessment_and_its_report_speak_russian() -> None:
    review = Path("review.yaml")
    review.unlink(missing_ok=True)
    started = run("assess", "start", str(review), "--chapter", "3")
    assert_clean_exit(started, 0)
    assert english_prose(started.stderr) == []
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace('status: ""', "status: partly", 3), encoding="utf-8")
    for args in (("assess", "report", str(review), "--plain"), ("assess", "report", str(review), "--format", "html")):
        report = run(*args)
        assert_clean_exit(report, 0)
        assert english_prose(report.stdout) == [], report.stdout[:500]
    assert "частично" in run("assess", "report", str(review), "--plain").stdout.lower()


def test_the_sites_report_speaks_russian() -> None:
    """Three sites' files, started and answered in Russian: the report side by side, in every output."""
    folder = Path("sites")
    folder.mkdir(exist_ok=True)
    for n, (name, chapter) in enumerate((("Бишкек", "3"), ("Ош", "3"), ("Каракол", "2")), start=1):
        path = folder / f"site-{n}.yaml"
        path.unlink(missing_ok=True)
        assert_clean_exit(run("assess", "start", str(path), "--chapter", chapter, "--title", name), 0)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('status: ""', "status: not yet", n).replace('status: ""', "status: partly", 2))
    for args in (("--plain",), ("--format", "html"), ("--format", "markdown"), ("--format", "csv")):
        report = run("assess", "report", str(folder), *args)
        assert_clean_exit(report, 0)
        assert report.stderr == ""
        assert english_prose(report.stdout) == [], report.stdout[:800]
    plain = " ".join(run("assess", "report", str(folder), "--plain").stdout.split())
    assert "Самооценка: 3 площадки" in plain and "Пробелы, общие для большинства площадок" in plain
    assert "Гл. 2: Правовая реформа" in plain and "2 из 3 площадок" in plain


@pytest.mark.parametrize("words", [("search",), ("export",), ("assess", "report"), ("coverage", "compute"), ()])
def test_help_speaks_russian(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert_clean_exit(result, 0)
    messages.use("ru")
    assert tr("Usage:") in result.stdout and "Usage:" not in result.stdout
    assert english_prose(result.stdout) == [], result.stdout


def test_counts_take_russian_plural_forms() -> None:
    found = run("search", "налоксон", "--plain", "-n", "1").stdout
    total = int(re.search(r"(\d+) результат", found).group(1))  # type: ignore[union-attr]
    word = {0: "результат", 1: "результата", 2: "результатов"}[messages.plural_index("ru", total)]
    assert re.search(rf"\b{total} {word}\b", found), found[-200:]


@pytest.mark.slow
def test_the_russian_site_pages_speak_russian(russian: Path) -> None:
    site = russian / "site"
    assert_clean_exit(run("site", "-o", str(site)), 0)
    for name in ("index.html", "search.html", "checklist.html", "tools.html", "tools/T8.html", "chapter-3.html"):
        page = (site / name).read_text(encoding="utf-8")
        assert '<html lang="ru">' in page
        assert english_prose(re.sub(r"<[^>]+>", " ", page)) == [], name
    assert (site / "assets" / "snowball-russian.js").is_file()


@pytest.mark.parametrize(
    ("typed", "meaning"),
    [
        ("в", "done"),
        ("з", "partly"),
        ("т", "not yet"),
        ("ч", "n/a"),
        ("ы", "skip"),
        ("м", "view"),
        ("й", "quit"),
        ("Частично", "partly"),
        ("d", "done"),
    ],
)
def test_the_walk_understands_the_same_keys_on_a_russian_keyboard(typed: str, meaning: str) -> None:
    from iduit.programme.assessment import parse_reply

    assert parse_reply(typed) == meaning
