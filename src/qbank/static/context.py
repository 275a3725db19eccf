"""The context a static check reports through: the bank, the question, where problems go."""

from __future__ import annotations

from qbank.errors import Problem, Severity
from qbank.model import LoadedBank, QuestionBase
from qbank.static.compiler import Compiler


class Context:
    """One question being checked; `add` records a problem at a line of its bank."""

    def __init__(
        self,
        loaded: LoadedBank,
        index: int,
        question: QuestionBase,
        problems: list[Problem],
        compiler: Compiler,
    ) -> None:
        self.loaded, self.index, self.question, self.problems = loaded, index, question, problems
        self.compiler = compiler

    def add(
        self,
        loc: tuple[str | int, ...],
        message: str,
        code: str,
        severity: Severity = "error",
        line: int | None = None,
    ) -> None:
        where = line if line is not None else self.loaded.question_line(self.index, *loc)
        self.problems.append(
            Problem(self.loaded.path, where, message, code, severity, self.question.id)
        )

    def snippet_line(self, field: str, line: int, *prefix: str | int) -> int:
        """The YAML line of 1-based `line` of the snippet at `field`."""
        if self.loaded.lines is None:
            return line
        return int(self.loaded.lines.snippet_line(("questions", self.index, *prefix, field), line))
