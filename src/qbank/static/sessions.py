"""Static checks of what compiles by its own rules: interactive sessions, code expected not
to compile, and `expr` choices.

- A session (`>>> ` lines) is not a module: each statement must compile as the shell compiles
  it (`single` mode), and an error is reported at the statement's line, unless its transcript
  says the shell answered it with a SyntaxError (or a subclass): then the session shows it.
- `code` whose `expect.raises` is SyntaxError (or a subclass) may not compile: its compile
  error is the run's outcome, decided by running.
- An `expr` choice must compile as an expression (`eval` mode), at its own line.
"""

from __future__ import annotations

from qbank.model.rules import compile_error_expected
from qbank.model.session import Statement, is_session, parse_session
from qbank.static.context import Context


def compiles_by_own_rules(ctx: Context, field: str, source: str) -> bool:
    """Check snippet `field` if it compiles by rules of its own; True when it does (the
    caller then does not compile it as a module)."""
    if field in ("code", "fix") and is_session(source):
        for statement in parse_session(source):
            _check_statement(ctx, field, statement)
        return True
    expect = ctx.question.expect
    return field == "code" and compile_error_expected(expect.raises if expect else None)


def _check_statement(ctx: Context, field: str, statement: Statement) -> None:
    if statement.blank or statement.expects_compile_error:
        return
    compiled = ctx.compiler.compile(statement.padded())
    error = compiled.error or _single(statement.padded())
    if error is None:
        for warned in compiled.warnings:
            ctx.add(
                (),
                f"`{field}` compiles with a warning: {warned.category}: {warned.message} "
                f"(the statement at line {statement.line} of the session)",
                "compile-warning",
                "warning",
                line=ctx.snippet_line(field, warned.line),
            )
        return
    line = error.lineno or statement.line
    text = (error.text or "").strip()
    shown = f": {text}" if text else ""
    ctx.add(
        (),
        f"`{field}` does not compile: {error.msg} (the statement at line {statement.line} "
        f"of the session){shown}",
        "syntax-error",
        line=ctx.snippet_line(field, line),
    )


def _single(source: str) -> SyntaxError | None:
    """The error of compiling `source` alone, as the shell does (`single` mode: one
    statement), when this interpreter compiles it as a module (else it cannot tell)."""
    return _mode_error(source, source, "single")


def _mode_error(source: str, as_module: str, mode: str) -> SyntaxError | None:
    """The error of compiling `source` in `mode` when this interpreter compiles `as_module`
    (the same code, written so that `exec` reads it); None when even that fails (the target
    interpreter, which may be another, has already said why) or nothing is wrong."""
    try:
        compile(as_module, "<snippet>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    try:
        compile(source, "<snippet>", mode, dont_inherit=True)
    except SyntaxError as exc:
        return exc
    return None


def check_exprs(ctx: Context) -> None:
    """Each `expr` choice compiles as an expression, for the target interpreter."""
    for index, choice in enumerate(ctx.question.choices_list):
        if choice.expr is None:
            continue
        source = choice.expr.strip()
        error = ctx.compiler(f"({source}\n)") or _expression(source)
        if error is None:
            continue
        ctx.add(
            (),
            f"the `expr` of choice {index + 1} is not an expression: {error.msg}: {source}",
            "syntax-error",
            line=ctx.snippet_line("expr", error.lineno or 1, "choices", index),
        )


def _expression(source: str) -> SyntaxError | None:
    """The error of compiling `source` in `eval` mode, when this interpreter compiles it in
    parentheses (else it cannot tell)."""
    return _mode_error(source, f"({source}\n)", "eval")


__all__ = ["check_exprs", "compiles_by_own_rules"]
