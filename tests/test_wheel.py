"""The real thing: build the wheel, install it in a fresh venv, run it from an unrelated folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and a fresh environment: about a minute

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(ROOT)],
        check=True,
    )
    wheels = list((work / "dist").glob("iduit-*.whl"))
    assert len(wheels) == 1
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])], check=True)
    return bin_dir


def iduit(bin_dir: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDUIT_")}
    env["IDUIT_CACHE_DIR"] = str(tmp_path / "cache")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        [str(bin_dir / "iduit"), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )


def test_installed_search_overdose(installed: Path, tmp_path: Path) -> None:
    result = iduit(installed, tmp_path, "search", "overdose")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3.12  Overdose prevention and naloxone")
    assert "Traceback" not in result.stderr


def test_installed_show_chapter_3(installed: Path, tmp_path: Path) -> None:
    result = iduit(installed, tmp_path, "show", "chapter", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Chapter 3: Health and support services")
    assert "3.13  Other health needs" in result.stdout


def test_installed_validate_uses_packaged_content(installed: Path, tmp_path: Path) -> None:
    result = iduit(installed, tmp_path, "validate")
    assert result.returncode == 0, result.stderr
    assert "/iduit/data: OK (6 chapters, 53 sections" in result.stdout


def test_installed_python_dash_m(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed / "python"), "-m", "iduit", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and result.stdout.startswith("iduit ")
