"""Which runs prove a question: the plan half of the truth table (DESIGN section 2).

:func:`plan_question` turns one question into named :class:`Run`s; :mod:`qbank.prove.reading` later
decides, from their results, whether each run held the way the table says it must.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qbank.model import (
    LIMIT_DEFAULTS,
    Bank,
    Bug,
    CodeChoice,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
    effective_limits,
)
from qbank.model import (
    Numerical as NumericalQ,
)
from qbank.model.snippets import Spliced, splice, uses_answer
from qbank.runner import Limits, RunSpec

Role = Literal["main", "choice", "buggy", "fix"]


@dataclass(frozen=True)
class Run:
    """One run a question needs, and why."""

    role: Role
    """`main` (the program), `choice` (a code choice spliced in), `buggy`/`fix` (bug questions)."""
    spec: RunSpec
    """What to execute."""
    choice: int | None = None
    """For `choice` runs: the index of the choice."""
    spliced: Spliced | None = None
    """For `choice` runs: how the choice sits in the program (to map lines back)."""
    answers_from: Literal["none", "values", "key"] = "none"
    """What `answers` in the spec are: nothing, each choice's `value`, or the question's key(s)."""


def limits_for(bank: Bank, question: QuestionBase) -> Limits:
    """The runner limits of a question, from the question, the bank and the defaults."""
    given = {k: v for k, v in effective_limits(bank, question).items() if v is not None}
    return Limits(**{**LIMIT_DEFAULTS, **given})  # type: ignore[arg-type]


def _spec(
    bank: Bank,
    q: QuestionBase,
    program: str,
    answers: tuple[object, ...] = (None,),
    *,
    with_expect: bool = True,
) -> RunSpec:
    expect = q.expect if with_expect else None
    collect = tuple(sorted(expect.files)) if expect and expect.files else ()
    return RunSpec(
        program=program,
        setup=q.setup or "",
        run=q.run or "",
        check=q.check or "",
        answers=answers,
        files=tuple(sorted(q.files.items())),
        collect_files=collect,
        expect_raises=expect.raises if expect else None,
        limits=limits_for(bank, q),
    )


def plan_question(bank: Bank, q: QuestionBase) -> list[Run]:
    """The runs that decide question `q` (empty: nothing to execute)."""
    if isinstance(q, CodeChoice):
        return [_choice_run(bank, q, i) for i, c in enumerate(q.choices) if c.code is not None]
    if isinstance(q, Bug):
        return [
            Run("buggy", _spec(bank, q, q.code)),
            Run("fix", _spec(bank, q, q.fix, with_expect=False)),
        ]
    values = [c for c in q.choices_list if c.has_value]
    if values and q.check and not isinstance(q, Output):
        answers = tuple(c.value for c in q.choices_list)
        return [Run("main", _spec(bank, q, q.code or "", answers), answers_from="values")]
    keys = _keys(q)
    if keys is not None:
        return [Run("main", _spec(bank, q, q.code or "", keys), answers_from="key")]
    if q.executes or (q.code and isinstance(q, Output)):
        return [Run("main", _spec(bank, q, q.code or ""))]
    return []


def _choice_run(bank: Bank, q: CodeChoice, index: int) -> Run:
    spliced = splice(q.code, q.choices[index].code or "")
    return Run("choice", _spec(bank, q, spliced.source), choice=index, spliced=spliced)


def _keys(q: QuestionBase) -> tuple[object, ...] | None:
    """The answers a `check` using `answer` is run with: the key(s), and for true/false its opposite."""
    if not uses_answer(q.check):
        return None
    if isinstance(q, TrueFalse):
        return (q.answer, not q.answer)
    if isinstance(q, ShortAnswer):
        return tuple(q.answers)
    if isinstance(q, NumericalQ):
        return (q.answer,)
    if isinstance(q, Output) and q.answer is not None:
        return (q.answer,)
    return None
