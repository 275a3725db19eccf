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
    QuestionBase,
)
from qbank.model.requirements import parse_requirement, python_skip, valid_specifier
from qbank.model.snippets import (
    Spliced,
    placeholder_line,
    quiet_compiling,
    runs_python,
    runs_snippets,
    splice,
    uses_answer,
)
from qbank.static.choices import check_choices
from qbank.static.compiler import Compiled, Compiler, LocalCompiler
from qbank.static.context import Context
from qbank.static.files import check_file_names
from qbank.static.keys import check_key_proven
from qbank.static.languages import check_language, checked_together, unavailable
from qbank.static.media import check_media
from qbank.static.sessions import check_exprs, compiles_by_own_rules

#: Snippet fields that run, in the order they run.
SNIPPET_FIELDS = ("setup", "code", "run", "check", "fix")


def check_bank(loaded: LoadedBank, compiler: Compiler | None = None) -> list[Problem]:
    """Every static problem of one bank (snippets compiled by `compiler`, default: here)."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    compiler = compiler or LocalCompiler()
    for text in _bad_python_specifiers(loaded.bank.requires):
        problems.append(Problem(loaded.path, loaded.line_of("requires"), text, "invalid-value"))
    problems.extend(unavailable(loaded))
    with checked_together(loaded):
        for index, question in enumerate(loaded.bank.questions):
            _check_one(loaded, index, question, problems, compiler, seen)
    return problems


def _check_one(
    loaded: LoadedBank,
    index: int,
    question: QuestionBase,
    problems: list[Problem],
    compiler: Compiler,
    seen: dict[str, int],
) -> None:
    ctx = Context(loaded, index, question, problems, compiler)
    if question.id in seen:
        ctx.add(
            ("id",),
            f"duplicate question id (also question {seen[question.id] + 1}): "
            "ids must be unique in a bank",
            "duplicate-id",
        )
    seen.setdefault(question.id, index)
    with quiet_compiling():  # compiler warnings are problems, never printed
        _check_question(ctx)


def _bad_python_specifiers(requires: tuple[str, ...]) -> list[str]:
    """A message per `python` requirement of `requires` whose specifier cannot be read."""
    found = [parse_requirement(text) for text in requires]
    return [
        f"`{r.text}` is not a valid version specifier for python (write e.g. python>=3.10)"
        for r in found
        if r.is_python and r.specifier and not valid_specifier(r.specifier)
    ]


def _check_question(ctx: Context) -> None:
    q = ctx.question
    if not q.prompt.strip():
        ctx.add(("prompt",), "the prompt is empty", "empty-prompt")
    check_choices(ctx)
    check_file_names(ctx)
    check_media(ctx)
    if isinstance(q, Numerical) and q.tolerance < 0:
        ctx.add(
            ("tolerance",), f"tolerance must not be negative (got {q.tolerance})", "bad-tolerance"
        )
    if isinstance(q, CodeChoice):
        _check_code_choice(ctx, q)
    if isinstance(q, Output) and q.answer is None and not runs_snippets(ctx.loaded.bank, q):
        ctx.add(
            ("type",),
            "an output question without `answer` needs code qbank runs (Python, JavaScript, "
            "SQL, bash or C)",
            "no-answer",
        )
    if isinstance(q, Output) and q.answer is None and uses_answer(q.check):
        ctx.add(
            ("check",),
            "`check` uses `answer`, but this `output` question has no `answer` to bind: "
            "write the expected output in `answer`",
            "answer-unbound",
        )
    check_key_proven(ctx)
    for text in _bad_python_specifiers(q.requires):
        ctx.add(("requires",), text, "invalid-value")
    if _runs_python(ctx) and not _python_skips(ctx):
        _check_compiles(ctx)
    elif runs_snippets(ctx.loaded.bank, q):
        check_language(ctx)


def _python_skips(ctx: Context) -> bool:
    """Whether a `python` requirement excludes the target interpreter: then the question is
    neither compiled nor run (validation reports it `skipped`)."""
    return python_skip(ctx.loaded.bank, ctx.question, lambda: ctx.compiler.version) is not None


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
        if compiles_by_own_rules(ctx, field, source):  # a session, code that may not compile
            continue
        compiled = ctx.compiler.compile(source)
        error = compiled.error
        if error is not None:
            ctx.add(
                (),
                _syntax(field, error),
                "syntax-error",
                line=ctx.snippet_line(field, error.lineno or 1),
            )
        for warned in compiled.warnings if error is None else ():
            text = _line_text(source, warned.line)
            ctx.add(
                (),
                f"`{field}` compiles with a warning: {warned.category}: {warned.message} "
                f"(line {warned.line} of the snippet){text}",
                "compile-warning",
                "warning",
                line=ctx.snippet_line(field, warned.line),
            )
    q = ctx.question
    if isinstance(q, CodeChoice) and placeholder_line(q.code) is not None:
        for i, choice in enumerate(q.choices):
            if choice.correct and choice.code is not None:
                _check_spliced(ctx, q, i, choice.code)
    check_exprs(ctx)


def _check_spliced(ctx: Context, q: CodeChoice, i: int, code: str) -> None:
    spliced = splice(q.code, code)
    compiled = ctx.compiler.compile(spliced.source)
    error = compiled.error
    if error is None:
        _spliced_warnings(ctx, spliced, i, compiled)
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


def _spliced_warnings(ctx: Context, spliced: Spliced, i: int, compiled: Compiled) -> None:
    """The compiler's warnings on a correct choice put in place of `____`, at their line
    (of the choice, or of the template around it)."""
    for warned in compiled.warnings:
        part, line = spliced.origin(warned.line)
        prefix: tuple[str | int, ...] = ("choices", i) if part == "choice" else ()
        text = _line_text(spliced.source, warned.line)
        ctx.add(
            (),
            f"correct choice {i + 1} in place of `____` compiles with a warning: "
            f"{warned.category}: {warned.message} ({part} line {line}){text}",
            "compile-warning",
            "warning",
            line=ctx.snippet_line("code", line, *prefix),
        )


def _line_text(source: str, line: int) -> str:
    """`: <the source line>` (empty when there is none)."""
    lines = source.splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return f": {text}" if text else ""


def _syntax(field: str, error: SyntaxError) -> str:
    text = (error.text or "").strip()
    shown = f": {text}" if text else ""
    return (
        f"`{field}` does not compile: {error.msg} (line {error.lineno or 1} of the snippet){shown}"
    )


__all__ = ["SNIPPET_FIELDS", "check_bank"]
