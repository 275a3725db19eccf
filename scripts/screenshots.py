"""Write docs/html-light.png and docs/html-dark.png: the self-grading page of
banks/python/basics.yaml in headless chromium, two questions answered (one wrong, one right,
so the marks and the feedback show), in the light and then the dark colour scheme.

Run it after changing the page's look: `.venv/bin/python scripts/screenshots.py`. It needs
the browser of `scripts/install-system.sh`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import chromium  # noqa: E402 - found through the path set just above

BANK = ROOT / "banks" / "python" / "basics.yaml"
ANSWERS = {1: "[1]\n[2]", 2: "[20, 20, 20]"}
"""Question number -> the option picked: the first wrong (its feedback is what validation
generated: what the program really prints), the second right."""


def _page(folder: Path) -> Path:
    import qbank

    result = qbank.export([BANK], "html", folder)
    return next(path for path in result.files if path.suffix == ".html")


def _answer(driver: Any, number: int, shown: str) -> None:
    from selenium.webdriver.common.by import By

    article = driver.find_element(By.ID, f"q{number}")
    for option in article.find_elements(By.CSS_SELECTOR, "li.option"):
        if option.find_element(By.CSS_SELECTOR, ".body").text.strip() == shown:
            option.find_element(By.TAG_NAME, "input").click()
            article.find_element(By.CSS_SELECTOR, "button.check").click()
            return
    raise SystemExit(f"question {number} has no option {shown!r}: update ANSWERS")


def main() -> int:
    reason = chromium.missing()
    if reason:
        print(f"screenshots: {reason}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="qbank-shots-") as folder:
        page = _page(Path(folder))
        driver = chromium.start(1000, 1500)
        try:
            driver.get(page.as_uri())
            for number, shown in ANSWERS.items():
                _answer(driver, number, shown)
            driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
            for scheme in ("light", "dark"):
                chromium.color_scheme(driver, scheme)
                target = ROOT / "docs" / f"html-{scheme}.png"
                driver.save_screenshot(str(target))
                print(f"wrote {target.relative_to(ROOT)}")
            errors = chromium.console_errors(driver)
        finally:
            driver.quit()
    if errors:
        print(f"screenshots: the page logged errors: {errors}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
