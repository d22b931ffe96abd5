"""The offline website: build time, size, and search speed and quality in a real browser.

    python bench/site.py               # 5 builds, 10 typed queries
    python bench/site.py --rounds 9

Prints, for the packaged content:

- build time of ``iduit site`` as a user runs it (a cold process, warm content
  cache) and of the library call alone (pages, index, copying the assets);
- the site's size as a folder and as the --zip archive;
- in headless Chromium, from file://: how long building the search index
  takes when the search page opens, and per-keystroke search time while
  queries are typed one key at a time (performance.now() around the search
  call; "search and drawing" adds putting the results on the page);
- the browser search's ranking on tests/relevance/queries.tsv beside the
  terminal's (MRR, hit@1, hit@3), with bench/relevance.py's scoring.

Needs Debian's chromium and chromium-driver and selenium (the test extra).
Targets: build under 3 s, under 5 MiB, under 50 ms a keystroke.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from relevance import iduit_ranker, load_cases, score  # noqa: E402

from tests import browser  # noqa: E402

DATA = ROOT / "data"
TYPED = (
    "naloxone",
    "needle exchange",
    "take home doses",
    "hepatitis c treatment",
    "OAT",
    "prison",
    "police",
    "stimulants",
    "organisation",
    "overdose prevention",
)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mib(size: int) -> str:
    return f"{size / 2**20:.2f} MiB"


def time_cli(rounds: int, work: Path, env: dict[str, str]) -> list[float]:
    iduit = Path(sys.executable).parent / "iduit"
    base = [str(iduit)] if iduit.exists() else [sys.executable, "-m", "iduit"]
    times = []
    for n in range(rounds):
        out = work / f"cli-{n}"
        started = time.perf_counter()
        subprocess.run([*base, "site", "-o", str(out)], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from iduit.search.store import open_store
    from iduit.site.build import build_site, build_zip

    work = Path(tempfile.mkdtemp(prefix="iduit-bench-site-"))
    env = {**os.environ, "IDUIT_CACHE_DIR": str(work / "cache"), "IDUIT_DATA_DIR": str(DATA)}
    os.environ.update(env)
    try:
        content = open_store(DATA).content  # the cache is warm from here on, as after a first run
        library = []
        for n in range(args.rounds):
            started = time.perf_counter()
            built = build_site(content, work / f"lib-{n}")
            library.append(time.perf_counter() - started)
        cli = time_cli(args.rounds, work, env)
        archive = build_zip(content, work / "iduit-site.zip")
        print(f"Packaged content: {built.pages} pages, {len(built.files)} files")
        print(f"iduit site (cold process, warm cache): median {statistics.median(cli):.2f} s, max {max(cli):.2f} s")
        print(f"build_site() alone: median {statistics.median(library):.2f} s")
        index = built.path / "assets" / "search-index.js"
        print(
            f"Size: folder {mib(folder_size(built.path))} (search index {mib(index.stat().st_size)}), "
            f"zip {mib(archive.size)}"
        )

        needed = browser.missing()
        if needed:
            print(f"Browser figures skipped: install {', '.join(needed)}")
            return
        driver = browser.start(work / "profile")
        try:
            browser.viewport(driver, browser.DESKTOP)
            page = (built.path / "search.html").as_uri()
            from selenium.webdriver.common.by import By

            builds, search_ms, total_ms = [], [], []
            for query in TYPED:
                driver.get(page)
                builds.append(driver.execute_script("return window.iduitSearch.buildMs()"))
                box = driver.find_element(By.ID, "q")
                for key in query:
                    box.send_keys(key)
                timings = driver.execute_script("return window.iduitSearch.timings")[1:]
                search_ms += [t["searchMs"] for t in timings]
                total_ms += [t["totalMs"] for t in timings]
            q = statistics.quantiles(search_ms, n=20)
            print(f"Search index built in the browser: median {statistics.median(builds):.0f} ms (once per page load)")
            print(
                f"Per keystroke ({len(search_ms)} keystrokes, {len(TYPED)} queries): search median "
                f"{statistics.median(search_ms):.2f} ms, p95 {q[18]:.2f} ms, max {max(search_ms):.2f} ms; "
                f"with drawing the results max {max(total_ms):.2f} ms"
            )
            cases = load_cases()
            driver.get(page)

            def in_browser(text: str) -> list[str]:
                return list(
                    driver.execute_script("return window.iduitSearch.rank(arguments[0]).ids.slice(0, 10)", text)
                )

            site_scores, _, _ = score(cases, in_browser)
            terminal_scores, _, _ = score(cases, iduit_ranker(DATA))
            print(f"Ranking on {len(cases)} queries (MRR / hit@1 / hit@3):")
            for name, s in (("browser (site)", site_scores), ("terminal (iduit search)", terminal_scores)):
                print(f"  {name:24} {s.mrr:.3f} / {s.hit1:.1%} / {s.hit3:.1%}")
        finally:
            driver.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
