"""The self-grading page as a learner uses it, through selenium: answer, check, read.

Questions are found by their number (``#q3``: the page never names a question's id) and
options by what they show, so the tests do not depend on the shuffled order. Every action
waits for its effect on a condition (WebDriverWait), never for a fixed time.
"""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

_TO_CLICK = """
const [article, wanted] = arguments;
return Array.from(article.querySelectorAll("li.option"))
  .filter((li) => li.querySelector("input").checked !== wanted.includes(li.querySelector(".body").innerText.trim()))
  .map((li) => li.querySelector("label"));
"""
"""The labels to click so that exactly the options showing `wanted` are chosen."""

_STATE = r"""
const article = arguments[0];
const box = article.querySelector(".feedback");
return {
  answered: article.classList.contains("answered"),
  mark: article.querySelector(".mark").innerText.trim(),
  feedback: box && !box.hidden ? box.innerText.replace(/\n\s*\n/g, "\n").trim() : "",
};
"""

WAIT = 20
"""Most seconds a condition may take (a bound on a slow machine, not a pause)."""


class Keyboard:
    """Keys pressed on whatever has the focus, one after the other."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def press(self, *names: str) -> None:
        actions = ActionChains(self.driver)
        for name in names:
            actions.send_keys(getattr(Keys, name))
        actions.perform()


class Page:
    """The page open in `driver`."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.keys = Keyboard(driver)
        self.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def until(self, condition: Any) -> Any:
        return WebDriverWait(self.driver, WAIT, poll_frequency=0.05).until(condition)

    def question(self, number: int) -> WebElement:
        found: WebElement = self.driver.find_element(By.ID, f"q{number}")
        return found

    def options(self, number: int) -> list[WebElement]:
        return self.question(number).find_elements(By.CSS_SELECTOR, "li.option")

    def position_of(self, number: int, shown: str) -> int:
        """The display position of the option that shows `shown`."""
        for option in self.options(number):
            if option.find_element(By.CSS_SELECTOR, ".body").text.strip() == shown:
                return int(option.get_attribute("data-position") or "")
        raise AssertionError(f"question {number} shows no option {shown!r}")

    def answer(self, number: int, how: str, value: Any) -> None:
        """Choose, tick, type or match, as `how` says."""
        article = self.question(number)
        if how in ("choose", "tick"):
            wanted = [value] if how == "choose" else value
            labels = self.driver.execute_script(_TO_CLICK, article, wanted)
            assert len(labels) >= len(wanted) or how == "tick", (number, wanted)
            for label in labels:  # a real click on each label, as a learner clicks
                label.click()
            return
        if how == "type":
            field = article.find_element(By.NAME, "response")
            field.clear()
            field.send_keys(value)
            return
        for row in article.find_elements(By.CSS_SELECTOR, "li.pair"):
            left = row.find_element(By.TAG_NAME, "label").text.strip()
            Select(row.find_element(By.TAG_NAME, "select")).select_by_visible_text(value[left])

    def state(self, number: int) -> dict[str, Any]:
        """What question `number` shows, read at once: `answered`, `mark`, `feedback` (the
        text under the mark as shown, blank lines dropped; "" while hidden)."""
        found: dict[str, Any] = self.driver.execute_script(_STATE, self.question(number))
        return found

    def check(self, number: int, *, answered: bool = True) -> str:
        """Press Check; the mark it gives (`answered`: the question is then marked)."""
        self.question(number).find_element(By.CSS_SELECTOR, "button.check").click()
        wanted = (lambda s: s["answered"]) if answered else (lambda s: s["mark"])
        return str(self.until(lambda _: wanted(self.state(number)) and self.state(number))["mark"])

    def try_again(self, number: int) -> None:
        self.question(number).find_element(By.CSS_SELECTOR, "button.retry").click()
        self.until(lambda _: not self.state(number)["answered"])

    def start_over(self) -> None:
        self.driver.find_element(By.ID, "reset").click()
        self.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "article.answered"))

    def mark(self, number: int) -> str:
        return str(self.state(number)["mark"])

    def feedback_shown(self, number: int) -> bool:
        return bool(self.state(number)["feedback"])

    def feedback(self, number: int) -> str:
        """The text shown under the mark (option feedback, the answer, the explanation)."""
        text = str(self.state(number)["feedback"])
        assert text, f"question {number} shows no feedback"
        return text

    def row_verdicts(self, number: int) -> list[str]:
        rows = self.question(number).find_elements(By.CSS_SELECTOR, "li.pair .verdict")
        return [row.text.strip() for row in rows]

    def score(self) -> str:
        text: str = self.driver.find_element(By.ID, "score").text
        return text

    def focused(self, what: str) -> str:
        """The focused element's `what`: ``id``, ``class`` or ``tag`` (lower case)."""
        script = {
            "id": "return document.activeElement.id",
            "class": "return document.activeElement.className",
            "tag": "return document.activeElement.tagName.toLowerCase()",
        }[what]
        found: str = self.driver.execute_script(script)
        return found

    def focus_visible(self) -> bool:
        """Whether the focused element shows a focus ring."""
        script = "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]"
        style, width = self.driver.execute_script(script)
        return bool(style != "none" and width != "0px")

    def background(self) -> str:
        found: str = self.driver.execute_script(
            "return getComputedStyle(document.body).backgroundColor"
        )
        return found

    def display(self, selector: str) -> str:
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        found: str = self.driver.execute_script(
            "return getComputedStyle(arguments[0]).display", element
        )
        return found

    def theme(self) -> None:
        """Press the theme button: auto, light, dark, auto..."""
        before = self.theme_label()
        self.driver.find_element(By.ID, "theme").click()
        self.until(lambda _: self.theme_label() != before)

    def theme_label(self) -> str:
        text: str = self.driver.find_element(By.ID, "theme").text
        return text
