"""Static checks of a question's choices: keys, weights, options a learner can tell apart."""

from __future__ import annotations

from qbank.model import (
    Bug,
    Choice,
    CodeChoice,
    Matching,
    MultipleAnswers,
    MultipleChoice,
    Output,
)
from qbank.model.rules import is_moodle_weight
from qbank.static.context import Context


def check_choices(ctx: Context) -> None:
    q = ctx.question
    choices = q.choices_list
    correct = [c for c in choices if c.correct]
    if isinstance(q, MultipleChoice | CodeChoice | Bug) and len(correct) != 1:
        ctx.add(
            ("choices",),
            f"exactly one choice must be `correct: true` (found {len(correct)})",
            "correct-count",
        )
    if isinstance(q, MultipleAnswers):
        if not correct:
            ctx.add(("choices",), "at least one choice must be `correct: true`", "correct-count")
        _check_weights(ctx, q)
    if isinstance(q, Output) and correct:
        ctx.add(
            ("choices",),
            "in an `output` question the key is `answer`; `choices` are wrong outputs only",
            "correct-in-output",
        )
    for i, choice in enumerate(choices):
        _check_choice(ctx, i, choice)
    _check_distinct(ctx, choices)
    if isinstance(q, Matching):
        _check_pairs(ctx, q)
    if isinstance(q, Output):
        _check_output_choices(ctx, q)
    elif any(c.binds_answer for c in choices):
        _check_value_choices(ctx, choices)
    if any(c.binds_answer for c in choices) and not q.check and not isinstance(q, Output):
        ctx.add(
            ("choices",),
            "choices with a `value` or `expr` need a `check` that uses `answer`",
            "value-without-check",
        )


def _check_distinct(ctx: Context, choices: tuple[Choice, ...]) -> None:
    """Two options that read the same cannot be told apart by a learner."""
    seen: dict[str, int] = {}
    for i, choice in enumerate(choices):
        shown = choice.shown.strip()
        if shown in seen:
            ctx.add(
                ("choices", i),
                f"choices {seen[shown] + 1} and {i + 1} both show {shown[:40]!r}: learners cannot "
                "tell them apart (give one a `text`)",
                "duplicate-option",
            )
        seen.setdefault(shown, i)


def _check_pairs(ctx: Context, q: Matching) -> None:
    for i, pair in enumerate(q.pairs):
        for side in ("left", "right"):
            if not getattr(pair, side).strip():
                ctx.add(
                    ("pairs", i, side),
                    f"the {side} side of pair {i + 1} is blank (Moodle would drop the pair or "
                    "stop importing)",
                    "empty-option",
                )
    for i, extra in enumerate(q.distractors):
        if not extra.strip():
            ctx.add(("distractors", i), f"distractor {i + 1} is blank", "empty-option")


def _check_output_choices(ctx: Context, q: Output) -> None:
    for i, choice in enumerate(q.choices):
        if choice.text is None and choice.code is None and not isinstance(choice.value, str):
            given = "an `expr`" if choice.expr is not None else type(choice.value).__name__
            ctx.add(
                ("choices", i),
                f"choice {i + 1} of an `output` question is a wrong output: write it as text "
                f"(a string), not as {given}",
                "output-choice-not-text",
            )


def _check_value_choices(ctx: Context, choices: tuple[Choice, ...]) -> None:
    """Choices decided by `check` with `answer = value`: each one needs its value."""
    for i, choice in enumerate(choices):
        if not choice.binds_answer:
            ctx.add(
                ("choices", i),
                f"choice {i + 1} has no `value` or `expr`: when choices are checked by value, "
                "every choice needs one (it is bound to `answer`)",
                "value-missing",
            )


def _check_choice(ctx: Context, i: int, choice: Choice) -> None:
    shown = choice.text if choice.text is not None else choice.code
    if shown is not None and not shown.strip():
        ctx.add(
            ("choices", i),
            f"choice {i + 1} would show as empty text (Moodle drops blank options): write it",
            "empty-option",
        )
    elif shown is None and isinstance(choice.value, str) and not choice.value.strip():
        ctx.add(
            ("choices", i),
            f"choice {i + 1} is a blank string: it is shown as {choice.value!r}; "
            "a `text` could say what it means",
            "blank-value",
            "warning",
        )
    if isinstance(ctx.question, CodeChoice) and choice.code is None:
        ctx.add(
            ("choices", i), f"choice {i + 1} of a `code_choice` needs `code`", "choice-without-code"
        )
    if choice.weight is not None and not isinstance(ctx.question, MultipleAnswers):
        ctx.add(
            ("choices", i, "weight"),
            "`weight` applies to `multiple_answers` only",
            "weight-ignored",
            "warning",
        )


def _check_weights(ctx: Context, q: MultipleAnswers) -> None:
    for i, choice in enumerate(q.choices):
        if choice.weight is not None and (choice.weight > 0) != choice.correct:
            want = "positive" if choice.correct else "zero or negative"
            ctx.add(
                ("choices", i, "weight"),
                f"choice {i + 1} is {'correct' if choice.correct else 'wrong'}, so its weight "
                f"must be {want} (got {choice.weight:g})",
                "bad-weight",
            )
        if choice.weight is not None and not is_moodle_weight(choice.weight):
            ctx.add(
                ("choices", i, "weight"),
                f"weight {choice.weight:g} is not one Moodle accepts "
                "(100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
                "16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 or their negatives)",
                "bad-weight",
            )
    if all(c.weight is not None for c in q.choices if c.correct):
        total = sum(c.weight or 0 for c in q.choices if c.correct)
        if q.choices and any(c.correct for c in q.choices) and abs(total - 100) > 0.01:
            ctx.add(
                ("choices",),
                f"the weights of the correct choices add up to {total:g}, not 100",
                "bad-weight",
            )
        return
    _check_share_left(ctx, q)


def _check_share_left(ctx: Context, q: MultipleAnswers) -> None:
    """Correct options without a `weight` share what the weighted ones leave of 100 %:
    when they leave nothing, those options would be worth 0 % (a right answer that scores
    nothing)."""
    explicit = sum(c.weight or 0 for c in q.choices if c.correct and c.weight is not None)
    if explicit < 100 - 0.01:
        return
    first = next(i for i, c in enumerate(q.choices) if c.correct and c.weight is None)
    ctx.add(
        ("choices", first),
        f"the weighted correct choices already add up to {explicit:g}: choice {first + 1} "
        "(correct, without a weight) would be worth nothing; give it a weight, and lower "
        "the others so that the correct ones add up to 100",
        "bad-weight",
    )
