"""Debian's headless chromium, driven by selenium: how the browser tests and
``scripts/screenshots.py`` start it, and what they read from it.

The browser is the one ``scripts/install-system.sh`` installs (``make setup`` runs it):
``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` unless ``QBANK_CHROMIUM`` and
``QBANK_CHROMEDRIVER`` say otherwise. Selenium is pointed at both, so it never looks for a
browser or a driver of its own (nothing is downloaded).

:func:`requests` reads the DevTools ``Network`` events of the performance log (every request
the page made, ``data:`` images included); :func:`console_errors` the console's errors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("QBANK_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("QBANK_CHROMEDRIVER", "/usr/bin/chromedriver"))
INSTALL = "scripts/install-system.sh"


def missing() -> str | None:
    """Why the browser cannot be started (None when it can)."""
    try:
        import selenium  # noqa: F401 - only whether it is installed
    except ImportError:
        return "selenium is not installed: `make setup` (or pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing: run `{INSTALL}` (as root) or `make setup`"
    return None


def start(width: int = 1000, height: int = 1200) -> Any:
    """A headless chromium with its console and network logged (the caller quits it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",  # no update checks: every request is the page's
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        "--force-device-scale-factor=1",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def requests(driver: Any) -> list[str]:
    """The URL of every request the browser made since the last call (DevTools events)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver: Any) -> list[str]:
    """Console errors and warnings since the last call (CSP violations are errors)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def color_scheme(driver: Any, scheme: str, media: str = "") -> None:
    """Emulate `prefers-color-scheme: scheme` (``light``, ``dark``) and the media type
    `media` (``print``; ``""``: screen)."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
