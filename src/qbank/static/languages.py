"""Static checks of snippets in another language, with its real toolchain (DESIGN section 13).

The program of `setup`, `code` and `run` (a bug's `fix` in place of `code`; each correct
code choice in place of `____`) is checked by the language's backend (``node --check``,
``bash -n``, ``cc -fsyntax-only -Wall -Wextra``, SQLite's parser); each diagnostic is a
problem at its YAML line: ``syntax-error`` for an error, ``compile-warning`` for a
warning. Wrong choices are not checked: one that does not compile is a fair distractor,
refuted when it runs. `check` stays Python and is compiled as Python.

A toolchain that is missing is one ``language-unavailable`` per bank and language
(:func:`unavailable`), and the questions in that language are not run.
"""

from __future__ import annotations

from qbank.errors import Problem
from qbank.languages import Backend, Joined, backend_for
from qbank.languages.tools import Diagnostic
from qbank.model import Bug, CodeChoice, LoadedBank
from qbank.model.snippets import placeholder_line, splice
from qbank.static.context import Context

EXPECTED_TO_FAIL = "CompileError"
"""`expect: {raises: CompileError}`: the code is meant not to compile (not checked)."""


def check_language(ctx: Context) -> None:
    """The toolchain's findings on the question's programs, and `check` compiled."""
    q = ctx.question
    other = backend_for(ctx.loaded.bank, q)
    if other is None or other.toolchain.missing is not None:
        return
    setup, run = q.setup or "", q.run or ""
    if isinstance(q, CodeChoice):
        if placeholder_line(q.code) is not None:
            for i, choice in enumerate(q.choices):
                if choice.correct and choice.code is not None:
                    _check_choice(ctx, other, setup, run, i, choice.code)
    elif q.code and (q.expect is None or q.expect.raises != EXPECTED_TO_FAIL):
        _report(ctx, other, other.join(setup, q.code, run))
    if isinstance(q, Bug) and q.fix:
        joined = other.join(setup, q.fix, run)
        _report(ctx, other, joined, rename={"code": "fix"})
    if q.check:
        _check_python_check(ctx, q.check)


def _check_choice(ctx: Context, other: Backend, setup: str, run: str, i: int, code: str) -> None:
    q = ctx.question
    assert isinstance(q, CodeChoice)
    spliced = splice(q.code, code)
    joined = other.join(setup, spliced.source, run)
    for diagnostic in other.diagnose(joined):
        field, line = joined.origin(diagnostic.line)
        prefix: tuple[str | int, ...] = ()
        where = f"{field} line {line}"
        if field == "code":
            part, line = spliced.origin(line)
            prefix = ("choices", i) if part == "choice" else ()
            where = f"{part} line {line}"
        yaml_line = ctx.snippet_line(field, line, *prefix)
        said = f"correct choice {i + 1} in place of `____` ({where}): {diagnostic.message}"
        _add(ctx, diagnostic, said, yaml_line)


def _report(
    ctx: Context, other: Backend, joined: Joined, rename: dict[str, str] | None = None
) -> None:
    for diagnostic in other.diagnose(joined):
        field, line = joined.origin(diagnostic.line)
        field = (rename or {}).get(field, field)
        said = f"`{field}` ({other.name}, line {line} of the snippet): {diagnostic.message}"
        _add(ctx, diagnostic, said, ctx.snippet_line(field, line))


def _add(ctx: Context, diagnostic: Diagnostic, message: str, line: int) -> None:
    if diagnostic.severity == "error":
        ctx.add((), message, "syntax-error", line=line)
    else:
        ctx.add((), message, "compile-warning", "warning", line=line)


def _check_python_check(ctx: Context, source: str) -> None:
    error = ctx.compiler.compile(source).error
    if error is not None:
        ctx.add(
            (),
            f"`check` (Python) does not compile: {error.msg} (line {error.lineno} of the snippet)",
            "syntax-error",
            line=ctx.snippet_line("check", error.lineno or 1),
        )


def unavailable(loaded: LoadedBank) -> list[Problem]:
    """One `language-unavailable` per language of the bank whose toolchain is missing."""
    counts: dict[str, list[int]] = {}
    backends: dict[str, Backend] = {}
    for index, question in enumerate(loaded.bank.questions):
        other = backend_for(loaded.bank, question)
        if other is not None and other.toolchain.missing is not None:
            counts.setdefault(other.name, []).append(index)
            backends[other.name] = other
    problems = []
    for name, indexes in counts.items():
        missing = backends[name].toolchain.missing
        problems.append(
            Problem(
                loaded.path,
                loaded.question_line(indexes[0]),
                f"{len(indexes)} {name} question(s) cannot be checked or run: {missing}",
                "language-unavailable",
            )
        )
    return problems


__all__ = ["EXPECTED_TO_FAIL", "check_language", "unavailable"]
