"""Whether a question's key is decided by running: no silent unproven key (DESIGN section 7).

A question with `code` and a key (`answer`, `answers`, a correct choice) has its key proven
only when a run decides it: a `check` that uses `answer`, run with the key (true/false,
short answer, numerical) or with each choice's `value`/`expr`. An `output`, `code_choice`
or `bug` question is decided by its runs anyway, and a question without `code` has nothing
to run the key against.
"""

from __future__ import annotations

from qbank.model import (
    MultipleAnswers,
    MultipleChoice,
    Numerical,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
from qbank.model.snippets import runs_snippets, uses_answer
from qbank.static.context import Context

MESSAGE = "the key is not proven by running: add a check that uses answer"


def check_key_proven(ctx: Context) -> None:
    """Warn `key-unproven` at the key's line when no run decides the key."""
    q = ctx.question
    if not q.code or not runs_snippets(ctx.loaded.bank, q):
        return
    where = _unproven_key(q)
    if where is not None:
        ctx.add(where, MESSAGE, "key-unproven", "warning")


def _unproven_key(q: QuestionBase) -> tuple[str | int, ...] | None:
    """Where the key is written, when no run decides it (None: a run does, or no key)."""
    if isinstance(q, TrueFalse | Numerical):
        return None if uses_answer(q.check) else ("answer",)
    if isinstance(q, ShortAnswer):
        return None if uses_answer(q.check) else ("answers",)
    if isinstance(q, MultipleChoice | MultipleAnswers):
        by_value = any(c.binds_answer for c in q.choices)
        if by_value and (not q.check or uses_answer(q.check)):
            return None  # decided by value (or `value-without-check` says what is missing)
        correct = [i for i, c in enumerate(q.choices) if c.correct]
        return ("choices", correct[0]) if correct else None  # none: `correct-count` says so
    return None


__all__ = ["MESSAGE", "check_key_proven"]
