"""What a learner who picks a refuted wrong option is told (Markdown).

Only what the learner can see: the program's real output ("The code prints:" and the output
as a code block, never a repr with `\\n`), or the exception a code choice makes the program
raise, by its last line ("With this line the program raises `AttributeError: ...`"). Never
the hidden snippets (`setup`, `run`, `check`) or an assertion's operands: those stay in the
refutation, for the author.
"""

from __future__ import annotations

import re

from qbank.prove.reading import RunView, describe_failure

_HIDDEN = ("setup", "run", "check")


def fenced(text: str) -> str:
    """`text` as a fenced code block, its fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}\n{body}{fence}"


def code_span(text: str) -> str:
    """`text` as inline code, delimited by more backticks than any run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{ticks}{padded}{ticks}"


def prints(output: str, subject: str = "The code") -> str:
    """`The code prints:` and the output as a code block (or that it prints nothing)."""
    if not output:
        return f"{subject} prints nothing."
    return f"{subject} prints:\n\n{fenced(output)}"


def for_output(actual: str) -> str:
    """For a wrong output offered as a choice: what the code really prints."""
    return prints(actual)


def for_value(view: RunView) -> str:
    """For a `value`/`expr` choice its check refuted: what the program visibly produced."""
    output = view.result.stdout
    return prints(output) if output.strip() else "This is not what the program produces."


def for_code_choice(view: RunView) -> str:
    """For a wrong code choice: how the program visibly goes wrong with it in place."""
    r = view.result
    subject = "With this line the program"
    if view.limit_refutes:
        return {
            "timeout": f"{subject} does not finish (it was stopped after "
            f"{view.run.spec.limits.timeout:g}s).",
            "memory": f"{subject} runs out of memory.",
            "output-limit": f"{subject} writes far too much output.",
            "file-limit": f"{subject} writes a file that is far too large.",
        }.get(r.status, f"{subject} does not finish.")
    failure = r.failure
    visible = failure is not None and not (
        failure.snippet in _HIDDEN and failure.type == "AssertionError"
    )
    if failure is not None and visible and not r.raised_expected:
        said = describe_failure(failure).splitlines() or [failure.type]
        return f"{subject} raises {code_span(said[0])}."
    if r.status == "exit" and not r.raised_expected:
        return f"{subject} exits with status {r.exit_code}."
    if r.status == "crash":
        return f"{subject} crashes."
    if r.stdout.strip():
        return prints(r.stdout, subject)
    return f"{subject} does not do what the question asks."


__all__ = ["code_span", "fenced", "for_code_choice", "for_output", "for_value", "prints"]
