"""Every command and option of the CLI contract, run through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iduit import __version__
from tests.conftest import PACKAGED_CONTENT, assert_clean_exit, run


def test_version() -> None:
    result = run("--version")
    assert_clean_exit(result, 0)
    assert result.stdout.strip() == f"iduit {__version__}"


def test_no_arguments_shows_help() -> None:
    result = run()
    assert "search" in result.output and "export" in result.output


def test_search_finds_ranked_hits_with_snippets() -> None:
    result = run("search", "overdose", "--plain")
    assert_clean_exit(result, 0)
    lines = result.stdout.splitlines()
    assert lines[0] == "3.12  Overdose prevention and naloxone"
    assert lines[1].strip() == "Chapter 3: Health and support services"
    assert "overdose" in result.stdout.lower()
    assert lines[-1] == "1 result."


def test_search_terminal_output_highlights_matches() -> None:
    result = run("--color", "always", "search", "naloxone")
    assert_clean_exit(result, 0)
    assert "\x1b[1;4;35mnaloxone" in result.stdout.lower()  # bold, underlined and magenta: visible on any theme
    assert "\x1b[1;36m3.12" in result.stdout  # the id in bold cyan, the title not
    assert "\x1b[1mOverdose prevention and naloxone" in result.stdout


def test_search_json_shape() -> None:
    result = run("search", "overdose", "--json")
    assert_clean_exit(result, 0)
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "suggestion", "results"}
    assert data["query"] == "overdose" and data["suggestion"] is None
    assert data["total"] == len(data["results"]) >= 1
    first = data["results"][0]
    assert set(first) == {"id", "kind", "title", "chapter", "chapter_title", "score", "snippet"}
    assert first["kind"] == "section"
    assert first["id"] == "3.12" and first["chapter"] == 3
    assert first["chapter_title"] == "Health and support services"
    assert isinstance(first["score"], float) and "overdose" in first["snippet"].lower()


def test_search_limit() -> None:
    data = json.loads(run("search", "people", "--json", "--limit", "1").stdout)
    assert len(data["results"]) == 1 and data["total"] > 1


def test_search_chapter_filter() -> None:
    data = json.loads(run("search", "toolkit", "--json", "--chapter", "3").stdout)
    assert all(r["chapter"] == 3 for r in data["results"])
    data = json.loads(run("search", "toolkit", "--json", "--chapter", "0").stdout)
    assert [r["id"] for r in data["results"]] == ["0.1"]
    assert data["total"] == 1  # the count respects the filter too
    nothing = run("search", "toolkit", "--chapter", "3")
    assert_clean_exit(nothing, 1)
    assert nothing.stderr.startswith("iduit: nothing found for “toolkit” in chapter 3;")


def test_search_tag_filter() -> None:
    data = json.loads(run("search", "naloxone", "--json", "--tag", "prison").stdout)
    assert [r["id"] for r in data["results"]] == ["3.12"]


def test_search_tag_matches_a_word_within_tags() -> None:
    data = json.loads(run("search", "sterile", "--json", "--tag", "equipment").stdout)
    assert [r["id"] for r in data["results"]] == ["3.2"]  # tagged "injecting equipment"


def test_search_unknown_tag_suggests_nearest() -> None:
    result = run("search", "naloxone", "--tag", "prisons")
    assert_clean_exit(result, 1)
    assert "prison" in result.stderr


def test_search_nothing_found_exits_1() -> None:
    result = run("search", "zebra")
    assert_clean_exit(result, 1)
    assert result.stderr.startswith("iduit: nothing found for")


def test_search_typo_is_corrected_and_rerun() -> None:
    result = run("search", "nalxone", "--json")
    assert_clean_exit(result, 0)
    data = json.loads(result.stdout)
    assert data["suggestion"] == "naloxone"
    assert data["results"][0]["id"] == "3.12"
    plain = run("search", "nalxone", "--plain").stdout
    assert plain.startswith("Showing results for “naloxone” instead of “nalxone”.")


def test_search_synonym_finds_section() -> None:
    data = json.loads(run("search", "needle", "exchange", "--json").stdout)
    assert data["results"][0]["id"] == "3.2"
    data = json.loads(run("search", "OAT", "--json").stdout)
    assert data["results"][0]["id"] == "3.3"


@pytest.mark.parametrize("args", [["--limit", "0"], ["--chapter", "-1"], ["--limit", "x"], ["--limt", "3"]])
def test_search_bad_options_exit_2(args: list[str]) -> None:
    result = run("search", "overdose", *args)
    assert result.exit_code == 2


def test_show_section_forms_agree() -> None:
    a = run("show", "3.12", "--plain")
    b = run("show", "section", "3.12", "--plain")
    assert_clean_exit(a, 0)
    assert a.stdout == b.stdout
    assert "Overdose prevention and naloxone" in a.stdout
    assert "Key points" in a.stdout and "[ ] Give naloxone kits" in a.stdout


def test_show_section_lists_see_also_related_and_sources() -> None:
    out = run("show", "3.2", "--plain").stdout
    see_also = out[out.index("See also") : out.index("Sources")]
    assert "3.12  Overdose prevention and naloxone" in see_also
    assert "Test publisher. A test source. 2014." in out


def test_show_related_lists_similar_sections_beyond_see_also(
    monkeypatch: pytest.MonkeyPatch, packaged_cache: Path
) -> None:
    # The fixture is too small for similarity; the packaged content is not.
    monkeypatch.setenv("IDUIT_DATA_DIR", str(PACKAGED_CONTENT))
    monkeypatch.setenv("IDUIT_CACHE_DIR", str(packaged_cache))
    out = run("show", "3.2", "--plain").stdout
    see_also = out[out.index("See also") : out.index("Related")]
    related = out[out.index("Related") : out.index("Sources")].splitlines()[1:]
    related_ids = [line.split()[0] for line in related if line.strip()]
    assert len(related_ids) == 3
    assert not any(f"  {i}  " in see_also for i in related_ids)


def test_show_chapter_forms_agree() -> None:
    a = run("show", "chapter", "3", "--plain")
    assert_clean_exit(a, 0)
    assert a.stdout == run("show", "3", "--plain").stdout
    assert a.stdout.startswith("Chapter 3: Health and support services")
    positions = [a.stdout.index(f"{i}  ") for i in ("3.2", "3.3", "3.12")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("form", [["intro"], ["chapter", "0"], ["0"]])
def test_show_intro(form: list[str]) -> None:
    result = run("show", *form, "--plain")
    assert_clean_exit(result, 0)
    assert result.stdout.startswith("Introduction")


def test_show_unknown_section_suggests_nearest() -> None:
    result = run("show", "3.13")
    assert_clean_exit(result, 1)
    assert result.stderr.startswith("iduit: there is no section 3.13; did you mean")
    assert "3.12" in result.stderr or "3.3" in result.stderr


def test_show_unknown_chapter() -> None:
    result = run("show", "chapter", "9")
    assert_clean_exit(result, 1)
    assert "there is no chapter 9" in result.stderr


def test_show_bad_id_is_usage_error() -> None:
    result = run("show", "three")
    assert_clean_exit(result, 2)
    assert "not a section id" in result.stderr


def test_show_no_color_env_gives_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = run("show", "3.12").stdout
    assert "\x1b" not in out


def test_toc_text_and_json() -> None:
    result = run("toc", "--plain")
    assert_clean_exit(result, 0)
    assert result.stdout.splitlines()[:2] == ["Introduction", "  0.1  About this toolkit"]
    data = json.loads(run("toc", "--json").stdout)
    assert [c["number"] for c in data["chapters"]] == [0, 3]
    assert data["chapters"][1]["sections"][2] == {"id": "3.12", "title": "Overdose prevention and naloxone"}


def test_define_acronym_case_insensitive() -> None:
    result = run("define", "ost", "--plain")
    assert_clean_exit(result, 0)
    assert result.stdout.startswith("OST  opioid substitution therapy")
    assert "3.3  Opioid substitution therapy" in result.stdout


def test_define_by_expansion_and_json() -> None:
    data = json.loads(run("define", "needle", "and", "syringe", "programme", "--json").stdout)
    assert data["terms"][0]["term"] == "NSP" and data["terms"][0]["sections"] == ["3.2"]


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("DCR", "'DCR' is not in the glossary; to find where the guidance talks about it: iduit search DCR"),
        ("PNS", "'PNS' is not in the glossary; to find where the guidance talks about it"),  # two slips from NSP
        ("OTS", "'OTS' is not in the glossary; did you mean OST"),  # one slip (letters swapped)
        ("lox", "'lox' is not in the glossary"),  # inside "naloxone", but starts no word of it
    ],
)
def test_define_suggests_an_acronym_only_one_slip_away(word: str, said: str) -> None:
    result = run("define", word)
    assert_clean_exit(result, 1)
    assert said in result.stderr


@pytest.mark.parametrize(("given", "meant"), [("3,12", "3.12"), ("3-2", "3.2"), ("0/1", "0.1")])
def test_a_section_id_written_with_another_separator_names_the_id_meant(given: str, meant: str) -> None:
    result = run("show", given)
    assert_clean_exit(result, 2)
    assert result.stderr.rstrip().endswith(f"did you mean {meant}?")


def test_define_unknown_suggests_nearest() -> None:
    result = run("define", "nalxone")
    assert_clean_exit(result, 1)
    assert "did you mean naloxone" in result.stderr


def test_export_section_markdown_to_stdout() -> None:
    result = run("export", "3.12")
    assert_clean_exit(result, 0)
    assert "# Overdose prevention and naloxone\n\n*Section 3.12*" in result.stdout
    assert "- [ ] Give naloxone kits to people leaving prison." in result.stdout
    assert "Original publication: The iduit test suite. Test toolkit." in result.stdout


def test_export_chapter_json_is_the_content_model() -> None:
    result = run("export", "chapter", "3", "--format", "json")
    assert_clean_exit(result, 0)
    data = json.loads(result.stdout)
    assert data["number"] == 3 and [s["id"] for s in data["sections"]] == ["3.2", "3.3", "3.12"]
    assert data["sections"][2]["examples"][0]["place"] == "Testland"


def test_export_several_sections_json_is_a_list() -> None:
    data = json.loads(run("export", "3.2", "3.3", "--format", "json").stdout)
    assert [s["id"] for s in data] == ["3.2", "3.3"]


def test_export_html_is_standalone_page() -> None:
    out = run("export", "3.2", "--format", "html").stdout
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "<table>" in out and '<input type="checkbox">' in out


def test_export_to_file_refuses_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    assert_clean_exit(run("export", "3.12", "-o", str(target)), 0)
    first = target.read_text(encoding="utf-8")
    target.write_text("my notes", encoding="utf-8")
    result = run("export", "3.2", "-o", str(target))
    assert_clean_exit(result, 2)
    assert "already exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "my notes"
    assert_clean_exit(run("export", "3.12", "-o", str(target), "--force"), 0)
    assert target.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["out.md"]


def test_export_dash_means_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "3.12", "-o", "-")
    assert_clean_exit(result, 0)
    assert result.stdout.startswith("# Overdose prevention and naloxone")
    assert not (tmp_path / "-").exists()


def test_export_into_existing_folder_names_the_file(tmp_path: Path) -> None:
    assert_clean_exit(run("export", "3.12", "-o", str(tmp_path)), 0)
    assert (tmp_path / "3.12.md").is_file()


def test_export_to_missing_folder_is_clear(tmp_path: Path) -> None:
    result = run("export", "3.12", "-o", str(tmp_path / "nope" / "x.md"))
    assert_clean_exit(result, 2)
    assert "does not exist" in result.stderr


def test_export_all_writes_chapters_and_index(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    result = run("export", "--all", "-o", str(out))
    assert_clean_exit(result, 0)
    assert sorted(p.name for p in out.iterdir()) == [
        "chapter-0.md",
        "chapter-3.md",
        "glossary.md",
        "index.md",
        "tools.md",
    ]
    chapter = (out / "chapter-3.md").read_text(encoding="utf-8")
    assert "[3.12 Overdose prevention and naloxone](#section-3-12)" in chapter  # local
    assert "## Overdose prevention and naloxone" in chapter
    assert "[0.1 About this toolkit](chapter-0.md#section-0-1)" in chapter
    again = run("export", "--all", "-o", str(out))
    assert_clean_exit(again, 2)
    assert_clean_exit(run("export", "--all", "-o", str(out), "--force"), 0)


def test_export_all_html(tmp_path: Path) -> None:
    assert_clean_exit(run("export", "--all", "-o", str(tmp_path / "site"), "--format", "html"), 0)
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export"], "say what to export"),
        (["export", "--all"], "give a folder with -o"),
        (["export", "3.2", "--format", "docx"], "unknown format 'docx'"),
        (["export", "3.2", "--all", "-o", "x"], "not both"),
    ],
)
def test_export_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert_clean_exit(result, 2)
    assert message in result.stderr


def test_export_unknown_section_exits_1() -> None:
    result = run("export", "3.99")
    assert_clean_exit(result, 1)


def test_validate_ok() -> None:
    result = run("validate")
    assert_clean_exit(result, 0)
    assert "OK (2 chapters, 4 sections, 1 job aids, 3 glossary terms, 2 sources" in result.stdout


def test_validate_other_dir(content_copy: Path) -> None:
    (content_copy / "chapters" / "03-services.yaml").write_text("number: [\n", encoding="utf-8")
    result = run("validate", str(content_copy))
    assert_clean_exit(result, 2)
    assert "03-services.yaml:2:1: YAML syntax error" in result.stderr


def test_index_builds_and_reports(isolated: Path) -> None:
    result = run("index")
    assert_clean_exit(result, 0)
    assert f"Index: {isolated}" in result.stdout and "Sections: 4" in result.stdout
    assert "Status: built in" in result.stdout
    assert "Status: up to date" in run("index").stdout
    assert "Status: built in" in run("index", "--rebuild").stdout


def test_data_dir_option_overrides_env(content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", "/nonexistent")
    result = run("--data-dir", str(content_copy), "toc", "--json")
    assert_clean_exit(result, 0)
    assert json.loads(result.stdout)["chapters"][0]["number"] == 0


def test_missing_content_dir_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDUIT_DATA_DIR", "/nonexistent/iduit")
    result = run("search", "overdose")
    assert_clean_exit(result, 2)
    assert "content directory not found" in result.stderr


def test_interrupted_export_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real_fdopen = os.fdopen

    class Interrupting:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.handle = real_fdopen(*args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> Interrupting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, text: str) -> None:
            self.handle.write(text[:10])
            raise KeyboardInterrupt

    monkeypatch.setattr("iduit.files.os.fdopen", Interrupting)
    out = tmp_path / "out"
    out.mkdir()
    result = run("export", "3.12", "-o", str(out / "handout.md"))
    assert_clean_exit(result, 130)
    assert result.stderr.strip() == "iduit: interrupted"
    assert list(out.iterdir()) == []


def test_export_all_writes_only_inside_the_folder(tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_clean_exit(run("export", "--all", "-o", str(tmp_path / "out"), "--format", "json"), 0)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == sorted([*before, "out"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "chapter-0.json",
        "chapter-3.json",
        "glossary.json",
        "index.json",
        "tools.json",
    ]


def test_title_and_tag_matches_outrank_body_mentions(content_copy: Path) -> None:
    chapter = content_copy / "chapters" / "03-services.yaml"
    text = chapter.read_text(encoding="utf-8").replace(
        "An opioid overdose can be reversed with naloxone.",
        "An opioid overdose can be reversed with naloxone. Methadone users and syringe users alike need"
        " naloxone; methadone and syringes come up again and again.",
    )
    chapter.write_text(text, encoding="utf-8")
    for query, expected in (("syringe", "3.2"), ("methadone", "3.3")):
        data = json.loads(run("search", query, "--json").stdout)
        assert data["results"][0]["id"] == expected, (query, data["results"])
        assert "3.12" in [r["id"] for r in data["results"]]


def test_phrase_as_typed_outranks_scattered_words(content_copy: Path) -> None:
    chapter = content_copy / "chapters" / "00-introduction.yaml"
    text = chapter.read_text(encoding="utf-8").replace(
        "It is stable.", "It is stable. Doses are reviewed; take the train home."
    )
    chapter.write_text(text, encoding="utf-8")
    data = json.loads(run("search", "take-home doses", "--json").stdout)
    assert [r["id"] for r in data["results"]][:2] == ["3.3", "0.1"]


def test_a_bug_in_a_renderer_is_an_internal_error_not_a_clean_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a renderer bug")

    monkeypatch.setattr("iduit.formats.terminal.document_view", broken)
    result = run("show", "3.12", "--plain")
    assert result.exit_code == 70, result.output
    assert result.stderr.startswith("iduit: internal error (KeyError: 'a renderer bug'); please report it")
    assert "Traceback" not in result.output
    monkeypatch.setenv("IDUIT_DEBUG", "1")
    debug = run("show", "3.12", "--plain")
    assert isinstance(debug.exception, KeyError)  # the traceback is there for whoever asked


def test_search_takes_minus_words_and_options_anywhere() -> None:
    both = json.loads(run("search", "naloxone", "--json").stdout)
    assert {r["id"] for r in both["results"]} == {"3.12", "T1"}
    without = run("search", "naloxone", "-prison", "--json", "-n", "5")
    assert_clean_exit(without, 0)
    assert [r["id"] for r in json.loads(without.stdout)["results"]] == ["T1"]  # 3.12 mentions prison
    assert json.loads(run("search", "--json", "--", "naloxone", "NOT", "prison").stdout)["results"][0]["id"] == "T1"
    only_minus = run("search", "-overdose")
    assert_clean_exit(only_minus, 2)
    assert "add a word to look for" in only_minus.stderr


def test_export_format_follows_the_file_name(tmp_path: Path) -> None:
    assert_clean_exit(run("export", "chapter", "3", "-o", str(tmp_path / "guess.html")), 0)
    assert (tmp_path / "guess.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    clash = run("export", "3.12", "--format", "json", "-o", str(tmp_path / "x.md"))
    assert_clean_exit(clash, 2)
    assert "does not match the file name" in clash.stderr
    assert_clean_exit(run("export", "3.12", "-o", str(tmp_path / "newdir") + "/"), 0)
    assert (tmp_path / "newdir" / "3.12.md").is_file()
    assert_clean_exit(run("export", "--all", "-o", "-"), 2)


def test_job_aids_are_listed_shown_searched_and_exported() -> None:
    listed = run("tools", "--plain")
    assert_clean_exit(listed, 0)
    assert "T1  Naloxone kit checklist" in listed.stdout
    shown = run("show", "t1", "--plain")
    assert_clean_exit(shown, 0)
    assert "When to use it" in shown.stdout and "3.12  Overdose prevention and naloxone" in shown.stdout
    hits = json.loads(run("search", "kit checklist", "--json").stdout)["results"]
    assert hits[0]["id"] == "T1" and hits[0]["kind"] == "tool" and hits[0]["chapter"] is None
    assert_clean_exit(run("show", "T9"), 1)


def test_define_finds_synonyms_and_points_to_search() -> None:
    assert "NSP" in run("define", "needle", "exchange", "--plain").stdout
    missing = run("define", "fentanyl")
    assert_clean_exit(missing, 1)
    assert "iduit search fentanyl" in missing.stderr
    assert "OST" in run("define", "--list", "--plain").stdout


def test_show_points_to_search_for_words_and_takes_ch3() -> None:
    word = run("show", "overdose")
    assert_clean_exit(word, 2)
    assert "iduit search overdose" in word.stderr
    assert run("show", "ch3", "--plain").stdout == run("show", "chapter", "3", "--plain").stdout
    assert_clean_exit(run("show", "1." + "9" * 5000), 2)  # no int-digit limit traceback


def test_bare_iduit_prints_help_and_succeeds() -> None:
    result = run()
    assert_clean_exit(result, 0)
    assert "Commands:" in result.stdout and "search" in result.stdout


@pytest.mark.parametrize("command", ["search", "show", "export", "define", "toc", "index"])
def test_help_speaks_words_not_types(command: str) -> None:
    text = run(command, "--help").stdout
    for programmer_speak in ("<list[str]>", "<int range>", "<str>", "<=x<=", "{", "<path>"):
        assert programmer_speak not in text, (programmer_speak, text)
    assert all(len(line) <= 80 for line in text.splitlines())


def test_summaries_fit_on_one_line() -> None:
    text = run("--help").stdout
    commands = text.split("Commands:")[1]
    assert "..." not in commands


def test_a_word_that_is_only_part_of_a_synonym_never_widens_the_search(content_copy: Path) -> None:
    synonyms = content_copy / "synonyms.yaml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8") + "  - [hepatitis A, HAV, hep A]\n  - [hepatitis C, HCV, hep C]\n",
        encoding="utf-8",
    )
    from iduit.search.query import search
    from iduit.search.store import open_store

    store = open_store(content_copy)
    assert search(store, "hepatitis").expansions == ()
    widened = search(store, "hepatitis C").expansions
    assert "HCV" in widened and "HAV" not in widened


def test_an_acronym_widens_the_search_only_when_typed_as_itself(content_copy: Path) -> None:
    synonyms = content_copy / "synonyms.yaml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8") + "  - [acquired immunodeficiency syndrome, AIDS]\n", encoding="utf-8"
    )
    from iduit.search.query import search
    from iduit.search.store import open_store

    store = open_store(content_copy)
    assert "acquired immunodeficiency syndrome" not in search(store, "legal aid").expansions  # "aids" stems to "aid"
    assert "acquired immunodeficiency syndrome" in search(store, "AIDS").expansions
    assert "acquired immunodeficiency syndrome" in search(store, "aids services").expansions


def test_a_short_word_is_corrected_only_one_letter_away() -> None:
    """'noodle' is two letters from 'needle': a six-letter word is not changed that far (as 'strips' was to 'steps')."""
    assert json.loads(run("search", "syringe", "noodle", "--json").stdout)["suggestion"] is None
    assert json.loads(run("search", "nalxone", "--json").stdout)["suggestion"] == "naloxone"  # long words: two


def test_shell_completion_completes_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--install-completion" in run("--help").stdout
    monkeypatch.setenv("_IDUIT_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "iduit sh")
    monkeypatch.setenv("COMP_CWORD", "1")
    from typer.testing import CliRunner

    from iduit.cli import app

    result = CliRunner().invoke(app, [], prog_name="iduit")
    assert result.stdout.split() == ["show"]


def test_a_command_is_built_only_when_used() -> None:
    """Building every command's options cost each start about 10 ms: one run builds the one it runs."""
    from typer.main import get_command

    from iduit.cli import app

    group = get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert {"search", "show", "assess", "coverage", "site"} <= set(commands)
    assert commands["search"].name == "search" and commands["assess"].name == "assess"
    assert list(commands._built) == ["search", "assess"]
