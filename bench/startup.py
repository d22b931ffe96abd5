"""Cold-process start-up: iduit, in English and Russian, against the floor of any Typer + rich + Whoosh program.

Runs each command N times, alternating, so machine noise hits all alike, and
prints median wall time, peak memory and the ratio to the floor script.

    python bench/startup.py            # 15 rounds
    python bench/startup.py --rounds 31

The index is built once before timing; the timed runs measure a warm cache,
cold process, which is what a user sees on every call after the first.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one run."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    iduit = str(BIN / "iduit") if (BIN / "iduit").exists() else None
    base = [iduit] if iduit else [sys.executable, "-m", "iduit"]
    commands: dict[str, list[str]] = {
        "iduit search overdose": [*base, "search", "overdose"],
        "iduit show 3.12 --plain": [*base, "show", "3.12", "--plain"],
        "iduit export chapter 3": [*base, "export", "chapter", "3"],
        "iduit define OST": [*base, "define", "OST"],
        "iduit toc": [*base, "toc"],
        "iduit --lang ru search передозировка": [*base, "--lang", "ru", "search", "передозировка"],
        "iduit --lang ru show 3.12 --plain": [*base, "--lang", "ru", "show", "3.12", "--plain"],
        "floor (typer+rich+whoosh)": [sys.executable, str(ROOT / "bench" / "floor.py"), "overdose"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    if shutil.which("rg"):
        commands["rg -i overdose data/"] = ["rg", "-i", "overdose", str(ROOT / "data")]

    # pip compiles bytecode when it installs a wheel; a source checkout under
    # PYTHONDONTWRITEBYTECODE never gets any, and would pay to compile iduit
    # on every run. Compile once so the numbers are an installed iduit's.
    compileall.compile_dir(ROOT / "iduit", quiet=1)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "IDUIT_CACHE_DIR": cache}
        env.pop("IDUIT_DATA_DIR", None)
        subprocess.run([*base, "index"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*base, "--lang", "ru", "index"], env=env, check=True, stdout=subprocess.DEVNULL)
        times: dict[str, list[float]] = {name: [] for name in commands}
        memory: dict[str, int] = dict.fromkeys(commands, 0)
        for _ in range(args.rounds):
            for name, command in commands.items():
                seconds, rss = measure(command, env)
                times[name].append(seconds)
                memory[name] = max(memory[name], rss)

    floor = statistics.median(times["floor (typer+rich+whoosh)"])
    print(f"{args.rounds} alternating rounds, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"{'command':38} {'median ms':>10} {'× floor':>8} {'peak MiB':>9}")
    for name in commands:
        median = statistics.median(times[name])
        print(f"{name:38} {median * 1000:10.1f} {median / floor:8.2f} {memory[name] / 1024:9.1f}")


if __name__ == "__main__":
    main()
