"""Static checks: what can be known about a bank without running anything.

Keys and counts (exactly one correct choice, ...), placeholders, tolerances, duplicate ids, and
that every snippet which must run compiles, reported at the YAML line of the offending line.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.errors import Problem
from qbank.model import (
    CodeChoice,
    LoadedBank,
    Numerical,
    Output,
)
from qbank.model.snippets import placeholder_line, runs_python, splice, uses_answer
from qbank.static.choices import check_choices
from qbank.static.compiler import Compiler, LocalCompiler
from qbank.static.context import Context

#: Snippet fields that run, in the order they run.
SNIPPET_FIELDS = ("setup", "code", "run", "check", "fix")


def check_bank(loaded: LoadedBank, compiler: Compiler | None = None) -> list[Problem]:
    """Every static problem of one bank (snippets compiled by `compiler`, default: here)."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    compiler = compiler or LocalCompiler()
    for index, question in enumerate(loaded.bank.questions):
        ctx = Context(loaded, index, question, problems, compiler)
        if question.id in seen:
            ctx.add(
                ("id",),
                f"duplicate question id (also question {seen[question.id] + 1}): "
                "ids must be unique in a bank",
                "duplicate-id",
            )
        seen.setdefault(question.id, index)
        _check_question(ctx)
    return problems


def _check_question(ctx: Context) -> None:
    q = ctx.question
    if not q.prompt.strip():
        ctx.add(("prompt",), "the prompt is empty", "empty-prompt")
    check_choices(ctx)
    if isinstance(q, Numerical) and q.tolerance < 0:
        ctx.add(
            ("tolerance",), f"tolerance must not be negative (got {q.tolerance})", "bad-tolerance"
        )
    if isinstance(q, CodeChoice):
        _check_code_choice(ctx, q)
    if isinstance(q, Output) and q.answer is None and not _runs_python(ctx):
        ctx.add(("type",), "an output question without `answer` needs Python code", "no-answer")
    if isinstance(q, Output) and q.answer is None and uses_answer(q.check):
        ctx.add(
            ("check",),
            "`check` uses `answer`, but this `output` question has no `answer` to bind: "
            "write the expected output in `answer`",
            "answer-unbound",
        )
    if _runs_python(ctx):
        _check_compiles(ctx)


def _runs_python(ctx: Context) -> bool:
    return runs_python(ctx.loaded.bank, ctx.question)


def _check_code_choice(ctx: Context, q: CodeChoice) -> None:
    if placeholder_line(q.code) is None:
        ctx.add(
            ("code",),
            "the code has no placeholder line `____` for the choices to fill",
            "no-placeholder",
        )


def _snippets(ctx: Context) -> Iterator[tuple[str, str]]:
    q = ctx.question
    for field in SNIPPET_FIELDS:
        source = getattr(q, field, None)
        if isinstance(source, str) and not (field == "code" and isinstance(q, CodeChoice)):
            yield field, source


def _check_compiles(ctx: Context) -> None:
    for field, source in _snippets(ctx):
        error = ctx.compiler(source)
        if error is not None:
            ctx.add(
                (),
                _syntax(field, error),
                "syntax-error",
                line=ctx.snippet_line(field, error.lineno or 1),
            )
    q = ctx.question
    if isinstance(q, CodeChoice) and placeholder_line(q.code) is not None:
        for i, choice in enumerate(q.choices):
            if choice.correct and choice.code is not None:
                _check_spliced(ctx, q, i, choice.code)


def _check_spliced(ctx: Context, q: CodeChoice, i: int, code: str) -> None:
    spliced = splice(q.code, code)
    error = ctx.compiler(spliced.source)
    if error is None:
        return
    part, line = spliced.origin(error.lineno or 1)
    where = (
        ctx.snippet_line("code", line, "choices", i)
        if part == "choice"
        else ctx.snippet_line("code", line)
    )
    shown = f": {error.text.strip()}" if error.text and error.text.strip() else ""
    ctx.add(
        (),
        f"correct choice {i + 1} does not compile in place of `____` ({part} line {line}): "
        f"{error.msg}{shown}",
        "syntax-error",
        line=where,
    )


def _syntax(field: str, error: SyntaxError) -> str:
    text = (error.text or "").strip()
    shown = f": {text}" if text else ""
    return (
        f"`{field}` does not compile: {error.msg} (line {error.lineno or 1} of the snippet){shown}"
    )


__all__ = ["SNIPPET_FIELDS", "check_bank"]
