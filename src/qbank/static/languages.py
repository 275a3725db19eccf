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

import contextlib
import dataclasses
import functools
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from qbank.errors import Problem
from qbank.languages import Backend, Joined, backend_for
from qbank.languages.tools import Diagnostic
from qbank.model import Bug, CodeChoice, LoadedBank, QuestionBase
from qbank.model.snippets import Spliced, placeholder_line, splice
from qbank.static.context import Context

EXPECTED_TO_FAIL = "CompileError"
"""`expect: {raises: CompileError}`: the code is meant not to compile (not checked)."""


@contextlib.contextmanager
def checked_together(loaded: LoadedBank) -> Iterator[None]:
    """While the bank's questions are checked, every program of another language they need
    checked is already being checked: all at once, on a thread per core (each is a
    toolchain process), the results looked up by :func:`check_language`."""
    work = [
        (other, joined)
        for question in loaded.bank.questions
        if (other := backend_for(loaded.bank, question)) is not None
        and other.toolchain.missing is None
        for joined, _ in _programs(other, question)
    ]
    if not work:
        yield
        return
    workers = min(len(work), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {(id(b), j.text): pool.submit(b.diagnose, j) for b, j in work if not b.batches}
        for other in {id(b): b for b, _ in work if b.batches}.values():
            futures.update(_batch(pool, other, [j for b, j in work if b is other]))
        _PENDING.update(futures)
        try:
            yield
        finally:
            for key in futures:
                _PENDING.pop(key, None)


_PENDING: dict[tuple[int, str], Future[list[Diagnostic]]] = {}


def _batch(
    pool: ThreadPoolExecutor, other: Backend, programs: list[Joined]
) -> dict[tuple[int, str], Future[list[Diagnostic]]]:
    """One task checking all of `programs` at once, and a future per program for its part."""
    unique = list({p.text: p for p in programs}.values())
    whole = pool.submit(other.diagnose_many, unique)
    parts: dict[tuple[int, str], Future[list[Diagnostic]]] = {}
    for index, joined in enumerate(unique):
        part: Future[list[Diagnostic]] = Future()
        parts[(id(other), joined.text)] = part
        whole.add_done_callback(functools.partial(_settle, part, index))
    return parts


def _settle(
    part: Future[list[Diagnostic]], index: int, whole: Future[list[list[Diagnostic]]]
) -> None:
    error = whole.exception()
    if error is not None:
        part.set_exception(error)
    else:
        part.set_result(whole.result()[index])


def _diagnose(other: Backend, joined: Joined) -> list[Diagnostic]:
    pending = _PENDING.get((id(other), joined.text))
    return pending.result() if pending is not None else other.diagnose(joined)


def _programs(other: Backend, q: QuestionBase) -> list[tuple[Joined, tuple[int, Spliced] | None]]:
    """The programs of `q` the toolchain checks: `code` (unless meant not to compile) or
    each correct choice in place of `____` (with its index and splice), and a bug's `fix`
    (marked by index -1)."""
    setup, run = q.setup or "", q.run or ""
    found: list[tuple[Joined, tuple[int, Spliced] | None]] = []
    meant_to_fail = q.expect is not None and q.expect.raises == EXPECTED_TO_FAIL
    if isinstance(q, CodeChoice):
        if placeholder_line(q.code) is not None and not meant_to_fail:
            for i, choice in enumerate(q.choices):
                if choice.correct and choice.code is not None:
                    spliced = splice(q.code, choice.code, python=False)
                    found.append((other.join(setup, spliced.source, run), (i, spliced)))
    elif q.code and not meant_to_fail:
        found.append((other.join(setup, q.code, run), None))
    if isinstance(q, Bug) and q.fix:
        found.append((other.join(setup, q.fix, run), (-1, splice("____", ""))))
    files = tuple(sorted((n, f.content) for n, f in q.files.items() if isinstance(f.content, str)))
    return [(dataclasses.replace(j, files=files) if files else j, c) for j, c in found]


def check_language(ctx: Context) -> None:
    """The toolchain's findings on the question's programs, and `check` compiled."""
    q = ctx.question
    other = backend_for(ctx.loaded.bank, q)
    if other is None or other.toolchain.missing is not None:
        return
    for joined, choice in _programs(other, q):
        if choice is None:
            _report(ctx, other, joined)
        elif choice[0] < 0:
            _report(ctx, other, joined, rename={"code": "fix"})
        else:
            _check_choice(ctx, other, joined, *choice)
    if q.check:
        _check_python_check(ctx, q.check)


def _check_choice(ctx: Context, other: Backend, joined: Joined, i: int, spliced: Spliced) -> None:
    for diagnostic in _diagnose(other, joined):
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
    for diagnostic in _diagnose(other, joined):
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


__all__ = ["EXPECTED_TO_FAIL", "check_language", "checked_together", "unavailable"]
