"""Every example in the README does what the README says it does, on the packaged content."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from iduit.content.loader import load_content
from tests.conftest import PACKAGED_CONTENT, assert_clean_exit, run

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples() -> list[str]:
    """Every line starting with 'iduit ' in the README's code blocks, comments kept."""
    lines: list[str] = []
    for block in re.findall(r"```\n(.*?)```", README, flags=re.S):
        lines += [line.strip() for line in block.splitlines() if line.strip().startswith("iduit ")]
    return lines


EXAMPLES = _examples()


def _first_hit(expected: str) -> Callable[[Result], None]:
    def check(result: Result) -> None:
        first = result.stdout.splitlines()[0]
        assert first.startswith(expected + "  "), first

    return check


def _in_top_three(expected: str) -> Callable[[Result], None]:
    def check(result: Result) -> None:
        ids = [line.split()[0] for line in result.stdout.splitlines() if re.match(r"^(\d+\.\d+|T\d+)  ", line)]
        assert expected in ids[:3], ids

    return check


def _titles_contain(word: str) -> Callable[[Result], None]:
    def check(result: Result) -> None:
        hits = [line for line in result.stdout.splitlines() if re.match(r"^\d+\.\d+  ", line)]
        assert hits and all(word in line.lower() for line in hits), hits

    return check


def _no_hit_mentions(word: str) -> Callable[[Result], None]:
    content = load_content(PACKAGED_CONTENT)

    def check(result: Result) -> None:
        ids = [line.split()[0] for line in result.stdout.splitlines() if re.match(r"^(\d+\.\d+|T\d+)  ", line)]
        assert ids
        for item_id in ids:
            section = content.section(item_id)
            if section is not None:
                assert word not in (section.body + " ".join(section.key_points + section.actions)).lower(), item_id

    return check


# What each example's comment promises, checked on its output.
CLAIMS: dict[str, Callable[[Result], None]] = {
    "iduit search needle exchange": _first_hit("3.2"),
    "iduit search OAT": _in_top_three("3.3"),
    'iduit search "syringe services program"': _first_hit("3.2"),
    "iduit search naloxne": lambda r: _check("results for “naloxone”" in r.stdout, r),
    "iduit --lang ru search передозировка": _first_hit("3.12"),
    "iduit search naloxone -prison": _no_hit_mentions("prison"),
    "iduit search title:treatment": _titles_contain("treat"),
    "iduit search testing --tag hiv --json": lambda r: _check(json.loads(r.stdout)["total"] > 0, r),
    "iduit show 3.12": lambda r: _check("Overdose prevention and naloxone" in r.stdout, r),
    "iduit show T8": lambda r: _check("Job aid" in r.stdout, r),
    "iduit show chapter 2 --plain --no-pager": lambda r: _check("\x1b" not in r.stdout, r),
    "iduit export chapter 3 --format html -o chapter3.html": lambda r: _file_starts("chapter3.html", "<!DOCTYPE html>"),
    "iduit export chapter 3 -o ch3.md": lambda r: _file_starts("ch3.md", "# Chapter 3"),
    "iduit export 3.2 3.3 3.12 -o core-services.md": lambda r: _file_starts("core-services.md", "# "),
}


def _fill_in_inputs() -> None:
    """What the README asks the reader to do between two examples: fill in the coverage template."""
    path = Path("inputs.yaml")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^pwid:(\s+)#", r"pwid: 12000\1#", text, flags=re.M)
    path.write_text(re.sub(r"^syringes:(\s+)#", r"syringes: 1500000\1#", text, flags=re.M), encoding="utf-8")


def _copies_for_the_team() -> None:
    """Two colleagues' copies of the review and one's spreadsheet, as a team would have them before a merge."""
    import shutil

    for name in ("anna.yaml", "boris.yaml"):
        shutil.copyfile("review.yaml", name)
    shutil.copyfile("answers.csv", "answers-ch3.csv")


def _a_folder_of_sites() -> None:
    import shutil

    Path("sites").mkdir(exist_ok=True)
    for name in ("anna.yaml", "boris.yaml"):
        shutil.copyfile(name, Path("sites") / name)


# Steps the reader takes by hand before an example.
PREPARE: dict[str, Callable[[], None]] = {
    "iduit coverage inputs.yaml": _fill_in_inputs,
    "iduit assess merge city.yaml anna.yaml boris.yaml answers-ch3.csv": _copies_for_the_team,
    "iduit assess report sites/": _a_folder_of_sites,
}


def _check(condition: bool, result: Result) -> None:
    assert condition, result.output


def _file_starts(name: str, start: str) -> None:
    assert Path(name).read_text(encoding="utf-8").startswith(start)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 15
    assert all(any(line.startswith(claim) for line in EXAMPLES) for claim in CLAIMS), "a checked example is gone"


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for all the examples: building it once per example would take a minute."""
    return tmp_path_factory.mktemp("readme-cache")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all the examples, run in README order: later ones use files earlier ones wrote."""
    folder = tmp_path_factory.mktemp("readme-work")
    (folder / "data").symlink_to(PACKAGED_CONTENT)  # for "iduit validate data/"
    return folder


@pytest.mark.slow  # runs every example against the packaged content: about 15 s
@pytest.mark.parametrize("line", EXAMPLES)
def test_readme_example(line: str, workdir: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(shared_cache))
    monkeypatch.chdir(workdir)
    command = line.split("  #")[0].strip()
    args = shlex.split(command)[1:]
    if "--all" in args or ("--format" in args and args[args.index("--format") + 1] in ("epub", "zim", "pdf")):
        pytest.skip("covered by the export and format tests")
    for step, prepare in PREPARE.items():
        if command.startswith(step):
            prepare()
    result = run(*args)
    assert_clean_exit(result, 0)
    for claim, check in CLAIMS.items():
        if command == claim:
            check(result)
