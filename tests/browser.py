"""Headless Chromium for the site's browser tests and bench/site.py (Debian's chromium and chromium-driver).

Nothing is downloaded: the browser and its driver are the system's, and the
options turn off everything that would reach the network on its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

OPTIONS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PHONE, DESKTOP = 360, 1280


def missing() -> list[str]:
    """What is not installed for the browser tests (empty when they can run)."""
    needed = []
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        needed.append("chromium")
    if not shutil.which("chromedriver"):
        needed.append("chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        needed.append("selenium (pip install -e '.[test]')")
    return needed


def start(profile: Path | None = None) -> Any:
    """A headless Chromium with a fresh profile, its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for option in OPTIONS:
        options.add_argument(option)
    options.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='iduit-chromium-')}")
    options.binary_location = str(shutil.which("chromium") or shutil.which("chromium-browser"))
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The system's driver, named: Selenium then has nothing to look up or download.
    return webdriver.Chrome(options=options, service=Service(str(shutil.which("chromedriver"))))


def viewport(driver: Any, width: int) -> None:
    """A phone (mobile, so the viewport meta applies) or a desktop window of this width."""
    phone = width < 600
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 780 if phone else 900, "deviceScaleFactor": 1, "mobile": phone},
    )


def media(driver: Any, *, dark: bool = False, print_: bool = False) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {
            "media": "print" if print_ else "",
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}],
        },
    )


def errors(driver: Any) -> list[str]:
    """Console errors since the last call (reading the log empties it)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot_dir(default: Path) -> Path:
    chosen = os.environ.get("IDUIT_SCREENSHOTS")
    folder = Path(chosen) if chosen else default
    folder.mkdir(parents=True, exist_ok=True)
    return folder
