"""Generated text2qti quizzes, read two ways: by the text2qti importer from the Markdown, and
by the QTI importer from the package the real text2qti package builds of it. Both give the
questions the quiz was generated from.

(text2qti renders Markdown with python-markdown's `smarty` extension, so `it's` reaches
Canvas with a curly apostrophe (U+2019): the words here have no quotes, dashes or ellipses, which only the
package route would curl.)"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_text2qti_import import convert_with_text2qti

from qbank.importers.qti import QtiImporter
from qbank.importers.text2qti import Text2qtiImporter

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("text2qti") is None,
    reason="the real text2qti package is not installed (it is in the dev extra)",
)

_WORD = st.text(st.sampled_from("abcxyzABC0179"), min_size=1, max_size=7) | st.sampled_from(
    ["`x = 1`", "`len(xs)`", "*stress*", "**bold**", "(so)", "100%", "a, b.", "why?"]
)
TEXT = st.lists(_WORD, min_size=1, max_size=6).map(lambda words: "Q " + " ".join(words))
OPTION = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


@st.composite
def entry(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    """One quiz entry: its settings lines, its Markdown (without the number), and the
    question it should give."""
    prompt = draw(TEXT)
    data: dict[str, Any] = {"prompt": prompt}
    head = ""
    if draw(st.booleans()):
        data["title"] = draw(TEXT)
        head += f"Title: {data['title']}\n"
    if draw(st.booleans()):
        data["points"] = draw(st.sampled_from([2, 0.5, 3]))
        head += f"Points: {data['points']}\n"
    lines = [f"{prompt}"]
    explanation = draw(st.none() | TEXT)
    if explanation:
        lines.append(f"... {explanation}")
    kind = draw(st.sampled_from(["mc", "ma", "short", "number", "essay"]))
    if kind in ("mc", "ma"):
        options = draw(st.lists(OPTION, min_size=2, max_size=4, unique=True))
        right = draw(st.sets(st.integers(0, len(options) - 1), min_size=1)) if kind == "ma" else {0}
        feedback = draw(st.lists(st.none() | TEXT, min_size=len(options), max_size=len(options)))
        choices: list[Any] = []
        for index, (text, said) in enumerate(zip(options, feedback, strict=True)):
            if kind == "mc":
                mark = f"{'*' if index in right else ''}{'abcd'[index]})"
                lines.append(f"{mark:<4}{text}")
            else:
                lines.append(f"[{'*' if index in right else ' '}] {text}")
            choice: dict[str, Any] = {"text": text}
            if index in right:
                choice["correct"] = True
            if said:
                lines.append(f"... {said}")
                choice["feedback"] = said
            choices.append(choice if len(choice) > 1 else text)
        data["type"] = "multiple_choice" if kind == "mc" else "multiple_answers"
        data["choices"] = choices
    elif kind == "short":
        answers = draw(st.lists(st.text("abcdef", min_size=1, max_size=6), min_size=1, max_size=3,
                                unique=True))  # fmt: skip
        lines += [f"*   {answer}" for answer in answers]
        data.update(type="short_answer", answers=answers)
    elif kind == "number":
        answer = draw(st.integers(1, 50) | st.integers(-50, -1))  # text2qti refuses 0
        lines.append(f"=   {answer}")
        data.update(type="numerical", answer=answer)
    else:
        lines.append("____")
        data["type"] = "essay"
    if explanation:
        data["explanation"] = explanation
    return head, "\n".join(lines), _ordered(data)


_ORDER = ("type", "title", "prompt", "choices", "answers", "answer", "points", "explanation")


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in _ORDER if key in data}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry(), min_size=1, max_size=5, unique_by=lambda e: e[1].split("\n")[0]), TEXT)
def test_generated_quizzes_read_the_same_both_ways(
    entries: list[tuple[str, str, dict[str, Any]]], title: str
) -> None:
    body = "\n".join(
        f"{head}{number}.  {text}\n" for number, (head, text, _) in enumerate(entries, 1)
    )
    with tempfile.TemporaryDirectory() as folder:
        quiz = Path(folder) / "quiz.md"
        quiz.write_text(f"Quiz title: {title}\n\n{body}", encoding="utf-8")
        direct = Text2qtiImporter().read(quiz)
        packaged = QtiImporter().read(convert_with_text2qti(quiz))
    (mine,), (theirs,) = direct.banks, packaged.banks
    want = [data for _, _, data in entries]
    assert [_ordered(q.data) for q in mine.questions] == want
    assert [_ordered(q.data) for q in theirs.questions] == want
    assert mine.title == theirs.title == title
