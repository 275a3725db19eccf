"""The program a run executes for a question's `code` (or a bug's `fix`), when it is not the
text itself.

- An interactive session runs through its driver (:mod:`qbank.prove.session`).
- Code with `expect: {raises: SyntaxError}` (or a subclass: `IndentationError`, `TabError`)
  may not compile: it runs through a small wrapper that compiles it when it runs, under the
  file name `<qbank:code>`, so that a compile error is the run's outcome like any exception
  (`expect.raises` matched over the real class hierarchy, `check` run afterwards, the error
  at its own line of `code`) and its message line (`SyntaxError: invalid syntax`) is what
  the run writes to stderr, as Python prints it.

Everything else (a code choice spliced into its template, plain code) runs as written.
"""

from __future__ import annotations

from qbank.model import Bug, Expect, QuestionBase
from qbank.model.rules import compile_error_expected
from qbank.model.session import is_session
from qbank.prove.session import driver

#: The first line of the wrapper program: how a run is recognised as one.
MARK = "# qbank: code that may not compile, compiled when it runs (qbank.prove.programs)"

_WRAPPER = r"""
import linecache, sys, traceback


def main(ns, source, name):
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        code = compile(source, name, "exec", dont_inherit=True, optimize=0)
    except SyntaxError as exc:
        error = exc
    else:
        exec(code, ns)
        return
    lines = traceback.format_exception_only(type(error), error)
    sys.stderr.write(next((l for l in lines if not l[:1].isspace()), lines[-1]))
    sys.stderr.flush()
    where = "\n" * (max(error.lineno or 1, 1) - 1)
    exec(compile(where + "raise error", name, "exec"), {"error": error})


main(*ARGS)
"""


def wrapper(code: str) -> str:
    """The program that compiles `code` when it runs (see the module's docstring)."""
    args = f"(globals(), {code!r}, '<qbank:code>')"
    names = f"{{'__builtins__': __builtins__, '__name__': '__qbank_compile__', 'ARGS': {args}}}"
    compiled = f"compile({_WRAPPER!r}, '<qbank compile>', 'exec', dont_inherit=True)"
    return f"{MARK}\nexec(\n    {compiled},\n    {names},\n)\n"


def program_for(question: QuestionBase, program: str, expect: Expect | None) -> str:
    """What a run of `program` executes: `program` is the question's `code`, its `fix`, or a
    code choice spliced into `code` (run as written); `expect` is what the run checks."""
    # isinstance, not getattr: a missing attribute of a pydantic model is slow to look up.
    fix = question.fix if isinstance(question, Bug) else None
    if program == question.code:
        field = "code"
    elif program == fix:
        field = "fix"
    else:
        return program
    if is_session(program):
        return driver(program, field)
    raises = expect.raises if expect is not None else None
    if field == "code" and compile_error_expected(raises):
        return wrapper(program)
    return program


__all__ = ["MARK", "program_for", "wrapper"]
