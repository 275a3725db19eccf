"""`expr` choices: values YAML cannot write, evaluated in the run.

A choice's `expr` (`(1, 2)`, `{1, 2}`, `None`) is a Python expression evaluated in the run's
namespace after the program, and bound to `answer` when `check` runs for that choice. The
runner binds JSON values only, so a question with an `expr` choice gives every choice's
answer as a pair: `["expr", source]` or `["value", value]`; its `check` is preceded by one
statement that turns the pair into the answer (`eval` of the source, in the check's own
namespace: the program's). Questions without `expr` choices run exactly as before.

The decoding statement goes on the line of the check's first statement (`decode; assert ...`)
or replaces a blank or comment line above it, so the lines of `check` keep their numbers;
only a `check` that starts with a compound statement on its first line gets a line above it.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Sequence

from qbank.model import Choice
from qbank.runner import RunSpec

DECODE = "answer = eval(answer[1]) if answer[0] == 'expr' else answer[1]"


def has_exprs(choices: Sequence[Choice]) -> bool:
    """Whether any choice is an `expr`."""
    return any(c.expr is not None for c in choices)


def choice_answers(choices: Sequence[Choice]) -> tuple[object, ...]:
    """What `answer` is bound to for each choice, as the runner is given it."""
    if not has_exprs(choices):
        return tuple(c.value for c in choices)
    return tuple(
        ["expr", c.expr.strip()] if c.expr is not None else ["value", c.value] for c in choices
    )


def with_exprs(spec: RunSpec, choices: Sequence[Choice]) -> RunSpec:
    """`spec` with the check that decodes the answers of :func:`choice_answers`."""
    if not has_exprs(choices):
        return spec
    return dataclasses.replace(spec, check=decoding(spec.check))


def decoding(check: str) -> str:
    """`check` preceded by :data:`DECODE`, its lines keeping their numbers when possible."""
    lines = check.split("\n")
    try:
        body = ast.parse(check).body
    except SyntaxError:
        body = []
    if not body:
        return f"{DECODE}\n{check}"
    first = body[0]
    line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
    if line > 1:  # blank or comment lines above the first statement
        lines[0] = f"{DECODE}  {lines[0].strip()}".rstrip()
    elif not hasattr(first, "body") and not hasattr(first, "cases"):  # a simple statement
        lines[0] = f"{DECODE}; {lines[0]}"
    else:
        return f"{DECODE}\n{check}"
    return "\n".join(lines)


__all__ = ["DECODE", "choice_answers", "decoding", "has_exprs", "with_exprs"]
