"""text2qti entries gathered into bank questions (see the package's docstring)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from qbank.importers.base import ImportedQuestion, ImportIssue
from qbank.importers.media import store
from qbank.importers.text2qti.parser import Entry

_ORDER = (
    "type",
    "title",
    "prompt",
    "code",
    "language",
    "choices",
    "answer",
    "tolerance",
    "answers",
    "points",
    "explanation",
)
_FENCE = re.compile(
    r"^(`{3,})[ \t]*\{?\.?([A-Za-z0-9_+#-]*)[^\n]*\n(.*?)\n?^\1[ \t]*$", re.M | re.S
)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_MATH = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$")
_TRUE_FALSE = ("true", "false")
_LOST = {
    "solution": "a `!` solution (text2qti's solutions document)",
    "text_title": "a `Text title:` between questions",
    "text": "a `Text:` region between questions",
    "start_group": "a question group (`GROUP`: draw N of these)",
    "pick": "a group's `Pick:`",
    "solutions_pick": "a group's `Solutions pick:`",
    "points_per_question": "a group's `Points per question:`",
    "option": "a quiz option",
    "run_code": "an executed code block (`{.lang .run}`: its output is not computed)",
}


def as_number(value: Decimal) -> int | float:
    if value == value.to_integral_value() and "." not in str(value) and "E" not in str(value):
        return int(value)
    return float(value)


@dataclass
class _Question:
    line: int
    prompt: str
    title: str | None = None
    points: tuple[str, int] | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)
    kind: str | None = None
    answers: list[str] = field(default_factory=list)
    numerical: tuple[str, int] | None = None
    feedback: dict[str, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


class Builder:
    """Turns entries into questions, with what was lost."""

    def __init__(self, source: str, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self.title: str | None = None
        self.description = ""
        self.questions: list[ImportedQuestion] = []
        self.media: dict[str, bytes] = {}
        self.issues: list[ImportIssue] = []
        self.current: _Question | None = None
        self.pending: dict[str, tuple[str, int]] = {}
        self.kept: list[str] = []

    def issue(self, line: int, message: str, kind: str) -> None:
        self.issues.append(ImportIssue(self.source, line, message, kind))

    def add(self, entry: Entry) -> None:
        kind, text = entry.kind, entry.text
        if kind == "quiz_title":
            self.title = text
        elif kind == "quiz_description":
            self.description = self.markdown(text, entry.line)
        elif kind in ("title", "points"):
            self.pending[kind] = (text, entry.line)
        elif kind == "question":
            self.finish()
            title = self.pending.get("title")
            self.current = _Question(
                entry.line,
                text,
                title[0] if title else None,
                self.pending.get("points"),
                comments=self.kept,
            )
            self.pending, self.kept = {}, []
        elif kind in _LOST or kind in ("stray", "end_group"):
            self._lost(entry)
        elif self.current is None:
            self.issue(entry.line, f"{entry.marker} before any question: left out", "syntax")
        else:
            self._answer(self.current, entry)

    def _lost(self, entry: Entry) -> None:
        if entry.kind == "end_group":
            return
        what = _LOST.get(entry.kind, "text that is no text2qti entry")
        self.issue(
            entry.line,
            f"{what} has no place in the bank: kept as a comment",
            "syntax" if entry.kind == "stray" else "lost",
        )
        kept = [f"{entry.marker} {line}".strip() for line in entry.text.splitlines()]
        (self.current.comments if self.current else self.kept).extend(kept)

    def _answer(self, question: _Question, entry: Entry) -> None:
        kind, text = entry.kind, entry.text
        if kind in ("mc_correct", "mc_wrong", "ma_correct", "ma_wrong"):
            question.kind = question.kind or kind[:2]
            question.choices.append(
                {
                    "text": self.markdown(text, entry.line),
                    "correct": kind.endswith("correct"),
                    "raw": text,
                }
            )
        elif kind == "short":
            question.kind = "short"
            question.answers.append(text)
        elif kind == "numerical":
            question.kind, question.numerical = "numerical", (text, entry.line)
        elif kind in ("essay", "upload"):
            question.kind = kind
        elif kind == "feedback" and question.choices:
            question.choices[-1]["feedback"] = self.markdown(text, entry.line)
        else:
            question.feedback[kind] = self.markdown(text, entry.line)

    def markdown(self, text: str, line: int) -> str:
        """Markdown as written, its local images stored as media; LaTeX reported."""
        if _MATH.search(text):
            self.issue(line, "LaTeX (`$...$`) is kept as text: qbank renders no math", "math")

        def image(match: re.Match[str]) -> str:
            target = match.group(2)
            file = self.folder / target
            if "://" in target or not file.is_file():
                if "://" not in target:
                    self.issue(line, f"the image {target!r} is not beside the file", "lost")
                return match.group(0)
            return f"![{match.group(1)}]({self._store(target, file.read_bytes())})"

        return _IMAGE.sub(image, text).strip()

    def _store(self, name: str, data: bytes) -> str:
        return store(self.media, name, data)

    def finish(self) -> None:
        """Close the question being read (if any)."""
        if self.current is None:
            return
        question, self.current = self.current, None
        data = _question_data(self, question)
        found = {key: data[key] for key in _ORDER if key in data}
        self.questions.append(
            ImportedQuestion(found, question.line, question.comments, title=question.title)
        )


def _question_data(builder: Builder, question: _Question) -> dict[str, Any]:
    data: dict[str, Any] = {"title": question.title} if question.title else {}
    prompt = builder.markdown(question.prompt, question.line)
    fences = list(_FENCE.finditer(prompt))
    if len(fences) == 1:
        fence = fences[0]
        data["code"] = fence.group(3).strip("\n") + "\n"
        if fence.group(2):
            data["language"] = fence.group(2).lower()
        prompt = re.sub(r"\n{3,}", "\n\n", prompt[: fence.start()] + prompt[fence.end() :]).strip()
    data["prompt"] = prompt
    _KINDS.get(question.kind or "", _no_response)(builder, question, data)
    if question.points:
        _points(builder, question, data)
    parts = [
        question.feedback[k] for k in ("feedback", "correct_feedback") if k in question.feedback
    ]
    if parts:
        data["explanation"] = "\n\n".join(parts)
    if "incorrect_feedback" in question.feedback:
        builder.issue(
            question.line,
            "the feedback for any wrong response (`-`) has no place "
            "(only the general feedback does): kept as a comment",
            "lost",
        )
        question.comments.append(f"incorrect feedback: {question.feedback['incorrect_feedback']}")
    return data


def _points(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    """The question's `Points:` (1, qbank's default, is not written); a value that is no
    finite number is reported at its line and kept as a comment, never dropped unsaid."""
    text, line = question.points or ("", question.line)
    points = _decimal(text)
    if points is None:
        builder.issue(
            line,
            f"`Points: {text.strip()}` is not a finite number: the question keeps the default "
            "1 point (kept as a comment; give `points:` a number)",
            "invalid",
        )
        question.comments.append(f"Points: {text.strip()}")
    elif points > 0 and points != 1:
        data["points"] = as_number(points)


def _decimal(text: str) -> Decimal | None:
    """`text` as a finite number (None: not a number, or `inf`/`nan`, or too large to be
    a float: YAML would hold `.inf`, which no answer can match)."""
    try:
        value = Decimal(text.strip())
    except ArithmeticError:  # InvalidOperation, and Overflow of a huge exponent
        return None
    return value if value.is_finite() and math.isfinite(float(value)) else None


def _choices(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    raw = [c["raw"].strip().lower() for c in question.choices]
    correct = [c for c in question.choices if c["correct"]]
    if (
        question.kind == "mc"
        and len(raw) == 2
        and set(raw) == set(_TRUE_FALSE)
        and len(correct) == 1
    ):
        data["type"] = "true_false"
        data["answer"] = correct[0]["raw"].strip().lower() == "true"
        for choice in question.choices:
            if choice.get("feedback"):
                builder.issue(
                    question.line,
                    "per-option feedback of a true/false question has no place: kept as a comment",
                    "lost",
                )
                question.comments.append(f"feedback for {choice['raw']}: {choice['feedback']}")
        return
    data["type"] = "multiple_choice" if question.kind == "mc" else "multiple_answers"
    data["choices"] = [_choice(c) for c in question.choices]
    if not correct:
        builder.issue(question.line, "no option is marked correct (`*a)` or `[*]`)", "invalid")


def _choice(choice: dict[str, Any]) -> Any:
    if not choice["correct"] and not choice.get("feedback"):
        return choice["text"]
    kept = {
        "text": choice["text"],
        "correct": True if choice["correct"] else None,
        "feedback": choice.get("feedback"),
    }
    return {key: value for key, value in kept.items() if value is not None}


def _short(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    data["type"] = "short_answer"
    data["answers"] = list(dict.fromkeys(question.answers))


def _numerical(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    data["type"] = "numerical"
    text, line = question.numerical or ("", question.line)
    parsed = _number_range(text)
    if parsed is None:
        builder.issue(
            line,
            f"the numerical answer {text!r} is not `n`, `n +- m` or `[a, b]` of finite "
            "numbers: kept as a comment",
            "invalid",
        )
        question.comments.append(f"= {text}")
        return
    answer, tolerance = parsed
    data["answer"] = as_number(answer)
    if tolerance:
        data["tolerance"] = as_number(tolerance)


def _number_range(text: str) -> tuple[Decimal, Decimal] | None:
    """(answer, tolerance) of a numerical entry; None when it is malformed or not finite
    (decimal arithmetic on huge exponents overflows: that is no answer either)."""
    try:
        found = _parse_range(text.strip())
    except ArithmeticError:
        return None
    if found is None or not all(math.isfinite(float(part)) for part in found):
        return None
    return found


def _parse_range(text: str) -> tuple[Decimal, Decimal] | None:
    if text.startswith("[") and text.endswith("]") and "," in text:
        low, high = (_decimal(part) for part in text[1:-1].split(",", 1))
        if low is None or high is None or low > high:
            return None
        return (low + high) / 2, (high - low) / 2
    if "+-" in text:
        number, margin = (part.strip() for part in text.split("+-", 1))
        percent = margin.endswith("%")
        answer, width = _decimal(number), _decimal(margin.rstrip("%"))
        if answer is None or width is None or width < 0:
            return None
        return answer, abs(answer) * width / 100 if percent else width
    if re.fullmatch(r"[+-]?\d+", text):
        return Decimal(text), Decimal(0)
    return None


def _essay(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    data["type"] = "essay"
    if question.kind == "upload":
        builder.issue(
            question.line,
            "a file-upload question (`^^^^`) has no qbank form: "
            "imported as an essay (learners cannot upload a file)",
            "unknown-type",
        )
        question.comments.append("file upload question: learners uploaded a file")


def _no_response(builder: Builder, question: _Question, data: dict[str, Any]) -> None:
    data["type"] = "essay"
    builder.issue(
        question.line,
        "the question has no response (choices, `*`, `=`, `____`): imported as an essay",
        "syntax",
    )


_KINDS = {
    "mc": _choices,
    "ma": _choices,
    "short": _short,
    "numerical": _numerical,
    "essay": _essay,
    "upload": _essay,
}


__all__ = ["Builder", "as_number"]
