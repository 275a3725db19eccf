"""Deciding a question from its runs: the judging half of the truth table (DESIGN section 2).

A run *holds* when it ended normally (or raised what `expect.raises` names), every `expect`
entry holds and `check` passed; it is *refuted* by an exception, a failed `expect` entry or a
failed `check`; a run that hit a limit or lost its worker is *inconclusive* and proves nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from qbank.model import Choice, QuestionBase
from qbank.prove.plan import Run
from qbank.report import State
from qbank.runner import CheckResult, Failure, RunResult

#: Maps (snippet field, 1-based line inside it, key prefix) to a line of the YAML file.
Locate = Callable[[str, int, tuple[str | int, ...]], int]

LIMIT_CODES = {
    "timeout": "run-timeout",
    "memory": "run-memory",
    "output-limit": "run-output-limit",
    "file-limit": "run-file-limit",
    "worker-died": "run-worker-died",
}


@dataclass
class Finding:
    """A problem found by judging, before it is placed in a file."""

    message: str
    code: str
    line: int | None = None
    choice: int | None = None
    """The choice concerned (the problem is then placed at its line, unless `line` says)."""
    field: str | None = None
    """The question's key concerned (placed at its line when neither `line` nor `choice` says)."""


@dataclass
class Verdict:
    """What judging established about one question."""

    state: State = "not executed"
    findings: list[Finding] = field(default_factory=list)
    computed_answer: str | None = None
    refutations: dict[int, str] = field(default_factory=dict)
    """Choice index -> how that wrong option failed, in full (for the author)."""
    feedback: dict[int, str] = field(default_factory=dict)
    """Choice index -> what a learner who picks it is told (only what the learner sees)."""
    figure: bytes | None = None
    """The image the run wrote for the question's `figure` (None: none, or not a good one)."""

    def fail(
        self,
        message: str,
        code: str,
        line: int | None = None,
        choice: int | None = None,
        field: str | None = None,
    ) -> None:
        self.findings.append(Finding(message, code, line, choice, field))


_INTERNAL_PLACE = re.compile(r" \(<qbank:\w+>, line \d+\)")


def describe_failure(failure: Failure) -> str:
    """`AttributeError: 'BackgroundTasks' object has no attribute 'run'`.

    A SyntaxError's message names qbank's internal file (`(<qbank:program>, line 3)`): that
    part is dropped, since the problem's line already says where.
    """
    message = _INTERNAL_PLACE.sub("", failure.message)
    return f"{failure.type}: {message}" if message else failure.type


def short(text: str, limit: int = 80) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def output_diff(expected: str, actual: str) -> str:
    """A few lines of unified diff between the expected and the real output."""
    lines = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected", "the run wrote", lineterm="", n=1
    )
    body = [line for line in lines if not line.startswith(("---", "+++"))]
    return "\n" + "\n".join(body[:12]) if body else ""


class RunView:
    """One run's result read the way the truth table reads it."""

    def __init__(self, run: Run, result: RunResult, question: QuestionBase, locate: Locate) -> None:
        self.run, self.result, self.question, self.locate = run, result, question, locate

    @property
    def inconclusive(self) -> bool:
        """Whether the run proves nothing (a limit was hit, and may not refute here)."""
        return self.result.status in LIMIT_CODES and not self.limit_refutes

    @property
    def limit_refutes(self) -> bool:
        """A limit hit refutes this run: a wrong code choice, or a bug question's buggy
        program, of a question that says its wrong options may hang (`limits_refute`)."""
        if self.result.status not in LIMIT_CODES or self.result.status == "worker-died":
            return False
        if not self.question.limits_refute:
            return False
        if self.run.role == "buggy":
            return True
        choices = self.question.choices_list
        index = self.run.choice
        return self.run.role == "choice" and index is not None and not choices[index].correct

    def limit_reason(self) -> str:
        """The limit this run hit, in words."""
        limits = self.run.spec.limits
        return {
            "timeout": f"the run did not finish within {limits.timeout:g}s",
            "memory": f"the run ran out of memory (limit {limits.memory} bytes)",
            "output-limit": f"the run wrote more than {limits.output_limit} bytes of output",
            "file-limit": f"the run wrote a file larger than {limits.file_limit} bytes",
            "worker-died": self._worker_died(),
        }[self.result.status]

    def _worker_died(self) -> str:
        """Why a run has no report: the runner says, when it knows (the run process ended
        before its program started, its files could not be prepared, ...)."""
        failure = self.result.failure
        detail = failure.message if failure is not None and failure.message else ""
        return f"the run could not report: {detail}" if detail else "the worker running it died"

    @property
    def ended_normally(self) -> bool:
        return self.result.ended_normally

    def expect_failures(self) -> list[str]:
        """The `expect` entries that do not hold, each said as expected-vs-happened."""
        expect, r = self.question.expect, self.result
        if expect is None:
            return []
        found = []
        if expect.raises and not r.raised_expected:
            got = describe_failure(r.failure) if r.failure else "nothing"
            found.append(f"expected it to raise {expect.raises}, it raised {got}")
        if expect.stdout is not None and r.stdout != expect.stdout:
            found.append(f"expected stdout {short(expect.stdout)}, the run wrote {short(r.stdout)}")
        if expect.stderr is not None and r.stderr != expect.stderr:
            found.append(f"expected stderr {short(expect.stderr)}, the run wrote {short(r.stderr)}")
        if expect.exit_code is not None and r.exit_code != expect.exit_code:
            found.append(f"expected exit code {expect.exit_code}, the run ended with {r.exit_code}")
        files = dict(r.files)
        for name, content in sorted((expect.files or {}).items()):
            if files.get(name) != content:
                state = (
                    "did not exist"
                    if files.get(name) is None
                    else f"held {short(files[name] or '')}"
                )
                want = "not to exist" if content is None else f"to hold {short(content)}"
                found.append(f"expected file {name} {want}, it {state}")
        return found

    def end_reason(self) -> str | None:
        """Why the program ended abnormally (None if it ended normally)."""
        r = self.result
        if self.ended_normally:
            return None
        if self.limit_refutes:
            return self.limit_reason()
        if r.failure is not None:
            return self._described(r.failure)
        if r.status == "exit":
            return f"the program exited with status {r.exit_code}"
        return f"the program crashed ({r.status}, exit code {r.exit_code})"

    def check(self, index: int = 0) -> CheckResult | None:
        return self.result.checks[index] if index < len(self.result.checks) else None

    def check_reason(self, index: int = 0) -> str | None:
        """Why check number `index` failed (None if it passed or did not run)."""
        check = self.check(index)
        if check is None or check.passed:
            return None
        return "check failed: " + (self._described(check.failure) if check.failure else "")

    def _described(self, failure: Failure) -> str:
        """The failure, with the failing source line when the exception says nothing more
        (a bare `assert` in the program raises an AssertionError with no message)."""
        said = describe_failure(failure)
        if failure.message or failure.snippet is None or failure.line is None:
            return said
        source = getattr(self.run.spec, failure.snippet, "")
        lines = source.splitlines() if isinstance(source, str) else []
        if 0 < failure.line <= len(lines) and lines[failure.line - 1].strip():
            return f"{said} at `{lines[failure.line - 1].strip()}`"
        return said

    def refutation(self, index: int = 0) -> str | None:
        """Why this run does not hold (None if it holds)."""
        reasons = [self.end_reason(), *self.expect_failures()]
        if self.ended_normally:
            reasons.append(self.check_reason(index))
        found = [r for r in reasons if r]
        return "; ".join(found) if found else None

    def failure_line(self) -> int | None:
        """The YAML line of the innermost snippet frame of the failure, if known."""
        r = self.result
        failure = r.failure
        if failure is None:
            checks = [c.failure for c in r.checks if c.failure is not None]
            failure = checks[0] if checks else None
        if failure is None or failure.snippet is None or failure.line is None:
            return None
        return self._line(failure.snippet, failure.line)

    def _line(self, snippet: str, line: int) -> int:
        if snippet == "program":
            if self.run.role == "fix":
                return self.locate("fix", line, ())
            if self.run.spliced is not None and self.run.choice is not None:
                part, inner = self.run.spliced.origin(line)
                if part == "choice":
                    return self.locate("code", inner, ("choices", self.run.choice))
                return self.locate("code", inner, ())
            return self.locate("code", line, ())
        return self.locate(snippet, line, ())


def shown_text(choice: Choice) -> str | None:
    """The output an `output` distractor claims (None when it is not text). Unlike
    `Choice.shown`, a blank string means "prints nothing", not `''`."""
    if choice.text is not None:
        return choice.text
    if choice.code is not None:
        return choice.code
    return choice.value if isinstance(choice.value, str) else None


def choice_label(index: int, choice: Choice) -> str:
    shown = choice.shown
    return f"choice {index + 1} ({short(shown.strip(), 50)})"
