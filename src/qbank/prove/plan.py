"""Which runs prove a question: the plan half of the truth table (DESIGN section 2).

:func:`plan_question` turns one question into named :class:`Run`s; :mod:`qbank.prove.reading` later
decides, from their results, whether each run held the way the table says it must.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from qbank.languages import backend_for
from qbank.model import (
    LIMIT_DEFAULTS,
    LIMIT_NAMES,
    Bank,
    Bug,
    CodeChoice,
    Expect,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
    effective_limits,
)
from qbank.model import (
    Numerical as NumericalQ,
)
from qbank.model.media import media_limit_of
from qbank.model.session import has_transcripts
from qbank.model.snippets import Spliced, splice, uses_answer
from qbank.prove.exprs import choice_answers, with_exprs
from qbank.prove.programs import program_for
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


def bank_limits(bank: Bank, defaults: dict[str, float]) -> Limits:
    """The limits of the bank's `warmup`: the bank's, else `defaults` (the command line's),
    else the defaults of the format."""
    given = {k: getattr(bank, k) for k in LIMIT_NAMES if getattr(bank, k) is not None}
    return Limits(**{**LIMIT_DEFAULTS, **defaults, **given})


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
    setup, run = q.setup or "", q.run or ""
    other = backend_for(bank, q)
    if other is not None:  # another language: one program of its parts, run by its driver
        program, setup, run = other.driver(other.join(setup, program, run)), "", ""
    else:
        program = program_for(q, program, expect)
    return RunSpec(
        program=program,
        setup=setup,
        run=run,
        check=q.check or "",
        answers=answers,
        files=tuple(sorted((name, file.content) for name, file in q.files.items())),
        collect_files=collect,
        expect_raises=_expected_raise(expect, other is not None),
        limits=limits_for(bank, q),
    )


def _expected_raise(expect: Expect | None, other_language: bool) -> str | None:
    """What the run may raise and still hold: `expect.raises`; in another language, an
    expected non-zero `exit_code` (its driver raises SystemExit with the status)."""
    if expect is None:
        return None
    if other_language and expect.raises is None and expect.exit_code not in (None, 0):
        return "SystemExit"
    return expect.raises


def plan_question(bank: Bank, q: QuestionBase) -> list[Run]:
    """The runs that decide question `q` (empty: nothing to execute); with a `figure`, the
    run of the program shown reads it back (:mod:`qbank.prove.figures`)."""
    runs = _runs(bank, q)
    index = _figure_run(q, runs) if q.figure is not None else None
    if q.figure is not None and index is not None:
        collect = ((q.figure, media_limit_of(bank) + 1),)  # one byte more: "too large"
        spec = dataclasses.replace(runs[index].spec, collect_bytes=collect)
        runs[index] = dataclasses.replace(runs[index], spec=spec)
    return runs


def _figure_run(q: QuestionBase, runs: list[Run]) -> int | None:
    """The run that must write the figure: the program the learner sees (the first correct
    choice in place of `____`, the buggy program of a `bug`), else the only run."""
    for index, run in enumerate(runs):
        if run.role == "buggy" or (
            run.role == "choice" and run.choice is not None and q.choices_list[run.choice].correct
        ):
            return index
    return 0 if runs and runs[0].role == "main" else None


def _runs(bank: Bank, q: QuestionBase) -> list[Run]:
    if isinstance(q, CodeChoice):
        return [_choice_run(bank, q, i) for i, c in enumerate(q.choices) if c.code is not None]
    if isinstance(q, Bug):
        return [
            Run("buggy", _spec(bank, q, q.code)),
            Run("fix", _spec(bank, q, q.fix, with_expect=False)),
        ]
    values = [c for c in q.choices_list if c.binds_answer]
    if values and q.check and not isinstance(q, Output):
        answers = choice_answers(q.choices_list)
        spec = with_exprs(_spec(bank, q, q.code or "", answers), q.choices_list)
        return [Run("main", spec, answers_from="values")]
    keys = _keys(q)
    if keys is not None:
        return [Run("main", _spec(bank, q, q.code or "", keys), answers_from="key")]
    if q.executes or (q.code and isinstance(q, Output)) or has_transcripts(q.code):
        return [Run("main", _spec(bank, q, q.code or ""))]
    return []


def tolerance_range(answer: int | float, tolerance: int | float) -> tuple[int | float, ...]:
    """`answer - tolerance` and `answer + tolerance`, as the author would write them: ints
    stay ints, and floats are added in decimal (`0.3 + 0.1` is `0.4`, not `0.4000...04`)."""
    if isinstance(answer, int) and isinstance(tolerance, int):
        return answer - tolerance, answer + tolerance
    key, width = Decimal(repr(answer)), Decimal(repr(tolerance))
    return float(key - width), float(key + width)


def _choice_run(bank: Bank, q: CodeChoice, index: int) -> Run:
    spliced = splice(q.code, q.choices[index].code or "", python=backend_for(bank, q) is None)
    return Run("choice", _spec(bank, q, spliced.source), choice=index, spliced=spliced)


def _keys(q: QuestionBase) -> tuple[object, ...] | None:
    """The answers a `check` using `answer` is run with: the key(s), for true/false its
    opposite, for a numerical key with a tolerance both ends of the range Moodle accepts
    (the key, then `answer - tolerance`, then `answer + tolerance`)."""
    if not uses_answer(q.check):
        return None
    if isinstance(q, TrueFalse):
        return (q.answer, not q.answer)
    if isinstance(q, ShortAnswer):
        return tuple(q.answers)
    if isinstance(q, NumericalQ):
        return (
            (q.answer, *tolerance_range(q.answer, q.tolerance)) if q.tolerance > 0 else (q.answer,)
        )
    if isinstance(q, Output) and q.answer is not None:
        return (q.answer,)
    return None
