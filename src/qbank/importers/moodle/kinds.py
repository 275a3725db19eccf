"""Each Moodle question type as the keys of a qbank question type.

=============================  ==================  ===========================================
Moodle                         qbank               how
=============================  ==================  ===========================================
multichoice, single            multiple_choice     the 100 % answer is correct; partial credit
                                                   is an ``import-weight`` issue
multichoice, multiple          multiple_answers    every answer above 0 % is correct; each
                                                   answer's fraction is its ``weight``
truefalse                      true_false          the ``true`` answer's fraction; both
                                                   feedbacks kept as comments
shortanswer                    short_answer        the 100 % answers (``\\*`` read as ``*``);
                                                   ``usecase`` -> ``case_sensitive``
numerical                      numerical           the best answer and its tolerance
matching                       matching            subquestions without text -> distractors
essay                          essay               a monospaced response's template -> code
                                                   (a rich-text one: a comment); graderinfo
                                                   -> explanation if none
=============================  ==================  ===========================================
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from qbank.importers.moodle.fields import FALSE_WORDS, Reading

Data = dict[str, Any]
_INT = re.compile(r"[+-]?\d+")


def number(value: float) -> float | int:
    """An integral float as an int (`1.0000000` -> 1), as an author writes it."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _fraction(reading: Reading, answer: ET.Element) -> float:
    """An answer's fraction (percent); one that is not a finite number (`nan`, `inf`,
    `1e400`) is an issue and read as 0, never compared as a number (NaN equals nothing)."""
    written = answer.get("fraction", "0").strip()
    try:
        fraction = float(written)
    except ValueError:
        fraction = math.nan
    if not math.isfinite(fraction):
        reading.issue(
            f"the fraction {written!r} of the answer {_plain(answer)!r} is not a finite "
            "number: read as 0 %; check which answers are correct",
            "invalid",
        )
        return 0.0
    return fraction


def _feedback(reading: Reading, answer: ET.Element) -> str:
    return reading.markdown(answer.find("feedback"), "answer feedback")


def _plain(answer: ET.Element) -> str:
    return (answer.findtext("text") or "").strip()


def multichoice(reading: Reading) -> Data:
    single = reading.flag("single", True)
    shuffle = reading.flag("shuffleanswers", False)
    found: list[tuple[dict[str, Any], float]] = []
    for answer in reading.children("answer"):
        option = reading.option_html(answer, "answer")
        if not any(str(v).strip() for v in option.values()):
            continue  # Moodle drops an answer with empty text
        feedback = _feedback(reading, answer)
        found.append(({**option, "feedback": feedback} if feedback else option, 0.0))
        found[-1] = (found[-1][0], _fraction(reading, answer))
    if len(found) < 2:
        reading.issue(f"a multichoice question needs two answers, it has {len(found)}", "invalid")
    choices = _single(reading, found) if single else _multiple(found)
    data: Data = {"type": "multiple_choice" if single else "multiple_answers"}
    data["choices"] = choices
    if not shuffle:
        data["shuffle"] = False
    return data


def _choice(option: dict[str, Any]) -> Any:
    """A wrong option with text only is written as a plain string, as authors do."""
    return option["text"] if list(option) == ["text"] else option


def _single(reading: Reading, found: list[tuple[dict[str, Any], float]]) -> list[Any]:
    if not found:
        return []
    best = max(fraction for _, fraction in found)
    partial = [f for _, f in found if 0 < f < best or f < 0]
    if best <= 0:
        reading.issue("no answer gives credit: no option is marked correct", "invalid")
    elif best < 100 or partial:
        shown = ", ".join(f"{f:g} %" for f in sorted({best, *partial}, reverse=True))
        reading.issue(
            f"partial credit ({shown}) has no place in a multiple_choice question: the best "
            "answer is the correct one, the others are wrong",
            "weight",
        )
    return [
        _choice({**option, "correct": True} if best > 0 and fraction == best else option)
        for option, fraction in found
    ]


def _multiple(found: list[tuple[dict[str, Any], float]]) -> list[Any]:
    return [
        {**option, "correct": True, "weight": number(fraction)}
        if fraction > 0
        else {**option, "weight": number(fraction)}
        for option, fraction in found
    ]


def truefalse(reading: Reading) -> Data:
    key: bool | None = None
    for index, answer in enumerate(reading.children("answer")):
        written = _plain(answer)
        said = written if written in ("true", "false") else ("true" if index == 0 else "false")
        right = _fraction(reading, answer) == 100
        key = right if said == "true" else not right
        feedback = _feedback(reading, answer)
        if feedback:
            reading.comments.append(f"feedback when answering {said}:")
            reading.comments.extend(feedback.splitlines())
            reading.issue(
                f"the feedback for answering {said} has no place in a true_false question: "
                "kept as a comment (move it to the explanation)",
                "lost",
            )
    if key is None:
        reading.issue("a true/false question without answers: read as false", "invalid")
    return {"type": "true_false", "answer": bool(key)}


def _other_answers(reading: Reading, answer: ET.Element, fraction: float, why: str) -> None:
    feedback = _feedback(reading, answer)
    said = f" (feedback: {feedback})" if feedback else ""
    reading.comments.append(f"answer at {fraction:g} %, not kept: {_plain(answer)}{said}")
    reading.issue(f"the answer {_plain(answer)!r} at {fraction:g} % {why}", "weight")


def shortanswer(reading: Reading) -> Data:
    accepted: list[str] = []
    for answer in reading.children("answer"):
        fraction = _fraction(reading, answer)
        if fraction == 100 and _plain(answer):
            accepted.append(_plain(answer).replace("\\*", "*"))
            _answer_feedback(reading, answer)
        else:
            _other_answers(reading, answer, fraction, "is not a fully right answer: a comment")
    if not accepted:
        reading.issue("no answer is worth 100 %: the question has no accepted answer", "invalid")
    data: Data = {"type": "short_answer", "answers": accepted}
    if reading.flag("usecase", False):
        data["case_sensitive"] = True
    return data


def _answer_feedback(reading: Reading, answer: ET.Element) -> None:
    feedback = _feedback(reading, answer)
    if feedback:
        reading.comments.append(f"feedback for the answer {_plain(answer)!r}: {feedback}")
        reading.issue("per-answer feedback of a typed answer has no place: a comment", "lost")


def _number(reading: Reading, written: str) -> float | int | str:
    try:
        value = int(written) if _INT.fullmatch(written) else number(float(written))
        finite = math.isfinite(value)
    except (ValueError, OverflowError):  # not a number, or an int too large for a float
        value, finite = math.nan, False
    if not finite:
        reading.issue(
            f"the numerical answer {written!r} is not a finite number: kept as text", "invalid"
        )
        return written
    return value


def numerical(reading: Reading) -> Data:
    fractions = {id(a): _fraction(reading, a) for a in reading.children("answer")}
    answers = sorted(reading.children("answer"), key=lambda a: -fractions[id(a)])
    if not answers:
        reading.issue("a numerical question without answers", "invalid")
        return {"type": "numerical"}
    best, *others = answers
    for answer in others:
        _other_answers(reading, answer, fractions[id(answer)], "is not kept: a comment")
    if fractions[id(best)] != 100:
        reading.issue("the best answer is not worth 100 %: it is taken as the key", "weight")
    _answer_feedback(reading, best)
    data: Data = {"type": "numerical", "answer": _number(reading, _plain(best))}
    tolerance = _number(reading, (best.findtext("tolerance") or "0").strip() or "0")
    if tolerance:
        data["tolerance"] = tolerance
    return data


def matching(reading: Reading) -> Data:
    pairs, distractors = [], []
    for sub in reading.children("subquestion"):
        right = (sub.findtext("answer/text") or "").strip()
        left = reading.markdown(sub, "subquestion")
        if left:
            pairs.append({"left": left, "right": right})
        elif right:
            distractors.append(right)
    data: Data = {"type": "matching", "pairs": pairs}
    if distractors:
        data["distractors"] = distractors
    shuffle = reading.element.find("shuffleanswers")
    if shuffle is None or (shuffle.text or "").strip().lower() not in FALSE_WORDS:
        reading.used.add("shuffleanswers")  # `false` has no place: reported as not kept
    return data


def essay(reading: Reading) -> Data:
    data: Data = {"type": "essay"}
    monospaced = reading.plain("responseformat", "editor") == "monospaced"
    template = reading.child("responsetemplate")
    written = (template.findtext("text") or "") if template is not None else ""
    if monospaced and written.strip():
        data["template"] = written.strip("\n") + "\n"
    elif written.strip():
        _template_lost(reading, written)
    info = reading.field_markdown("graderinfo", "grader information")
    if info:
        data["graderinfo"] = info
    return data


def _template_lost(reading: Reading, written: str) -> None:
    """The response template of a rich-text essay: code only when it is monospaced, so
    here it has no place (an essay has no starting text) and is kept as a comment."""
    reading.comments.append("response template (not kept: an essay has no starting text):")
    reading.comments.extend(written.splitlines())
    reading.issue(
        "the response template of a rich-text essay has no place in the bank: kept as a "
        "comment (paste it into the prompt if learners need it)",
        "lost",
    )


KINDS: dict[str, Callable[[Reading], Data]] = {
    "multichoice": multichoice,
    "truefalse": truefalse,
    "shortanswer": shortanswer,
    "numerical": numerical,
    "matching": matching,
    "match": matching,
    "essay": essay,
}
"""Moodle type -> the function reading its own elements (`template` and `graderinfo` are
settled by :mod:`.question` with the common fields)."""

__all__ = ["KINDS", "number"]
