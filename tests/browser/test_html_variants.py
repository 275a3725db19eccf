"""A question with variants in the self-grading page, in a real browser (headless chromium).

The page holds every variant of such a question, each proven, and shows one: drawn when
the page loads, another when the learner presses "New variant" (never the one shown). The
draw uses ``crypto.getRandomValues``; these tests replace it, before the page's script
runs, with a list of words they choose, so every draw is known and nothing depends on luck.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import qbank
from qbank.options import Options

sys.path.insert(0, str(Path(__file__).parent))
import chromium

MISSING = chromium.missing()
if MISSING and not os.environ.get("QBANK_GATE"):
    pytest.skip(MISSING, allow_module_level=True)

from page_driver import Page  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

VARIANTS = 4
BANK = f"""\
title: Sums
questions:
  - id: plain
    type: true_false
    prompt: Is `[]` falsy?
    code: print(bool([]))
    answer: true
  - id: add
    type: numerical
    variants: {VARIANTS}
    params: |
      a = rng.randint(10, 99)
      b = rng.randint(1, 9)
      key = a + b
    prompt: "What is `{{{{ a }}}} + {{{{ b }}}}`?"
    code: "result = {{{{ a }}}} + {{{{ b }}}}"
    answer: "{{{{ key }}}}"
    explanation: "EXPLAIN-SUM {{{{ a }}}} plus {{{{ b }}}}."
    check: assert result == answer
"""
_WORDS = """
window.__words = %s;
crypto.getRandomValues = (array) => { array[0] = window.__words.shift() ?? 0; return array; };
"""
"""Replaces the page's randomness: each draw takes the next of the given 32-bit words."""


NUMBERS: dict[int, list[int]] = {}
"""Variant k -> the two numbers its prompt asks to add (from the validated bank)."""


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sums")
    (folder / "qbank.toml").write_text("")
    (folder / "sums.yaml").write_text(BANK, encoding="utf-8")
    options = Options(cache_dir=str(folder / ".qbank_cache"))
    result = qbank.export([folder], "html", folder / "out", validation=options)
    assert result.report.ok, [p.format() for p in result.report.problems]
    [path] = result.files
    for question in result.report.collection.banks[0].bank.questions:
        if question.id.startswith("add#"):
            NUMBERS[int(question.id[4:])] = [int(n) for n in re.findall(r"\d+", question.prompt)]
    assert sorted(NUMBERS) == list(range(1, VARIANTS + 1))
    return path


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    if MISSING:
        pytest.fail(f"the browser tests need chromium: {MISSING}")
    browser = chromium.start()
    try:
        yield browser
    finally:
        browser.quit()


def open_page(driver: Any, path: Path, words: list[int]) -> Page:
    """The page loaded with its draws taken from `words` (then 0); afterwards nothing but
    its own file was requested and nothing logged."""
    chromium.requests(driver), chromium.console_errors(driver)
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": _WORDS % words}
    )
    try:
        driver.get(path.as_uri())
        return Page(driver)
    finally:
        driver.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )


def shown(page: Page) -> list[int]:
    """The variant numbers of question 2's articles that are displayed."""
    box = page.question(2)
    articles = box.find_elements(By.CSS_SELECTOR, "article.question")
    assert len(articles) == VARIANTS
    return [int(a.get_attribute("data-variant") or "0") for a in articles if a.is_displayed()]


def visible(page: Page) -> Any:
    (article,) = [
        a for a in page.question(2).find_elements(By.CSS_SELECTOR, "article") if a.is_displayed()
    ]
    return article


def numbers_shown(page: Page) -> list[int]:
    """The two numbers the shown variant's prompt asks to add."""
    prompt = visible(page).find_element(By.CSS_SELECTOR, "code").text
    return [int(n) for n in re.findall(r"\d+", prompt)]


def sum_shown(page: Page) -> int:
    return sum(numbers_shown(page))


def quiet(driver: Any, path: Path) -> None:
    assert {u for u in chromium.requests(driver) if not u.startswith("data:")} == {path.as_uri()}
    assert chromium.console_errors(driver) == []


@pytest.mark.parametrize("word", range(VARIANTS))
def test_the_page_shows_the_variant_it_draws(driver: Any, page_path: Path, word: int) -> None:
    """Every variant can be drawn when the page loads (word w shows variant w + 1), one at a
    time, headed as the question's variant; the question counts once in the score."""
    page = open_page(driver, page_path, [word])
    assert shown(page) == [word + 1]
    meta = visible(page).find_element(By.CSS_SELECTOR, ".meta").text
    assert f"variant {word + 1} of {VARIANTS}" in meta
    assert numbers_shown(page) == NUMBERS[word + 1]
    assert page.score() == "Score: 0 of 2 points · 0 of 2 questions answered"
    quiet(driver, page_path)


def test_a_word_beyond_the_even_range_is_drawn_again(driver: Any, page_path: Path) -> None:
    """Draws are uniform, by rejection: drawing among 3 (every variant but the one shown),
    a word in the last, incomplete block of 2**32 (2**32 - 1 = 3 * 1431655765) is thrown
    away and the next word decides."""
    page = open_page(driver, page_path, [1, 0xFFFFFFFF, 1])
    assert shown(page) == [2]
    visible(page).find_element(By.CSS_SELECTOR, ".new-variant").click()
    # 3 choices (variant 2 excluded): 2**32 - 1 is in the incomplete block, so it is
    # rejected; word 1 is the second choice other than variant 2: variant 3.
    page.until(lambda _: shown(page) == [3])
    quiet(driver, page_path)


def test_new_variant_draws_another_and_starts_it_afresh(driver: Any, page_path: Path) -> None:
    """Answered right, the variant scores; "New variant" shows another one (never the one
    shown), unanswered, its own key marking it, focus on its button; the score forgets the
    old answer."""
    page = open_page(driver, page_path, [0, 0, 0, 2])
    assert shown(page) == [1]
    field = visible(page).find_element(By.NAME, "response")
    field.send_keys(str(sum_shown(page)))
    visible(page).find_element(By.CSS_SELECTOR, "button.check").click()
    page.until(lambda _: "Correct" in visible(page).find_element(By.CSS_SELECTOR, ".mark").text)
    assert "EXPLAIN-SUM" in visible(page).find_element(By.CSS_SELECTOR, ".feedback").text
    assert page.score() == "Score: 1 of 2 points · 1 of 2 questions answered"

    visible(page).find_element(By.CSS_SELECTOR, ".new-variant").click()
    page.until(lambda _: shown(page) == [2])  # word 0 of the 3 others: variant 2
    article = visible(page)
    assert article.find_element(By.CSS_SELECTOR, ".mark").text == ""
    assert article.find_element(By.NAME, "response").get_attribute("value") == ""
    assert page.focused("class") == "new-variant"
    assert page.score() == "Score: 0 of 2 points · 0 of 2 questions answered"

    right = sum_shown(page)
    article.find_element(By.NAME, "response").send_keys(str(right + 1))
    article.find_element(By.CSS_SELECTOR, "button.check").click()
    page.until(lambda _: "Incorrect" in visible(page).find_element(By.CSS_SELECTOR, ".mark").text)
    assert f"Answer: {right}" in visible(page).find_element(By.CSS_SELECTOR, ".feedback").text
    assert page.score() == "Score: 0 of 2 points · 1 of 2 questions answered"

    for expected in (1, 4):  # words 0 then 2 of the others
        visible(page).find_element(By.CSS_SELECTOR, ".new-variant").click()
        page.until(lambda _, e=expected: shown(page) == [e])
    quiet(driver, page_path)


def test_the_plain_question_has_no_variant_button(driver: Any, page_path: Path) -> None:
    """A plain question is one article with no "New variant"; the footer counts questions,
    not variants."""
    page = open_page(driver, page_path, [])
    plain = page.question(1)
    assert plain.tag_name == "article"
    assert not [b for b in plain.find_elements(By.CSS_SELECTOR, ".new-variant") if b.is_displayed()]
    footer = driver.find_element(By.CSS_SELECTOR, ".page-footer").text
    assert footer.startswith("2 questions.")
    quiet(driver, page_path)
