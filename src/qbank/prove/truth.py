"""The truth table itself: for each kind of question, what its runs must show.

Each ``_decide_*`` function reads the :class:`RunView`s of one question and records in a
:class:`Verdict` the problems found, the refutation of each wrong option and the final state.
"""

from __future__ import annotations

from collections.abc import Sequence

from qbank.model import Bug, Numerical, Output, QuestionBase, TrueFalse
from qbank.model.rules import same_output
from qbank.prove.feedback import for_code_choice, for_output, for_value
from qbank.prove.figures import judge_figure
from qbank.prove.reading import (
    LIMIT_CODES,
    RunView,
    Verdict,
    choice_label,
    output_diff,
    short,
    shown_text,
)
from qbank.prove.transcripts import transcript_findings


def decide(question: QuestionBase, views: Sequence[RunView]) -> Verdict:
    """The verdict on `question` from its runs (an empty plan: not executed)."""
    verdict = Verdict()
    if not views:
        return verdict
    stuck = [v for v in views if v.inconclusive]
    if stuck:
        for view in stuck:
            _inconclusive(verdict, view)
        verdict.state = "inconclusive"
        return verdict
    verdict.findings += transcript_findings(views)  # transcripts that do not hold
    if verdict.findings:
        verdict.state = "failed"
        return verdict
    first = views[0]
    if isinstance(question, Bug):
        _decide_bug(verdict, views)
    elif first.run.role == "choice":
        _decide_code_choices(verdict, question, views)
    elif first.run.answers_from == "values":
        _decide_values(verdict, question, first)
    elif first.run.answers_from == "key":
        _decide_keys(verdict, question, first)
    else:
        _decide_plain(verdict, first)
    if isinstance(question, Output):
        _decide_output(verdict, question, first)
    judge_figure(verdict, question, views)
    if verdict.findings:
        verdict.state = "failed"
    return verdict


def _inconclusive(verdict: Verdict, view: RunView) -> None:
    what = f" ({view.run.role} run{_choice_suffix(view)})" if view.run.role != "main" else ""
    verdict.fail(f"inconclusive: {view.limit_reason()}{what}", LIMIT_CODES[view.result.status])


def _choice_suffix(view: RunView) -> str:
    return f" of choice {view.run.choice + 1}" if view.run.choice is not None else ""


def _decide_plain(verdict: Verdict, view: RunView) -> None:
    reason = view.refutation()
    if reason:
        verdict.fail(f"the run does not hold: {reason}", "run-fails", view.failure_line())
    verdict.state = "run proven"


def _decide_output(verdict: Verdict, question: Output, view: RunView) -> None:
    if not view.ended_normally:
        return  # already reported as a run that does not hold
    actual = view.result.stdout
    verdict.computed_answer = actual
    if question.answer is not None and not same_output(
        question.answer, actual, exact=question.exact
    ):
        verdict.fail(
            f"expected output {short(question.answer)}, the run wrote {short(actual)}"
            + output_diff(question.answer, actual),
            "answer-mismatch",
            field="answer",
        )
    for index, choice in enumerate(question.choices):
        shown = shown_text(choice)
        if shown is not None and same_output(shown, actual, exact=question.exact):
            verdict.fail(
                f"{choice_label(index, choice)} is what the code really prints",
                "distractor-holds",
                choice=index,
            )
        elif shown is not None:
            verdict.refutations[index] = f"the code prints {short(actual)}"
            verdict.feedback[index] = for_output(actual)
    if verdict.state == "run proven" and (question.answer is not None or question.choices):
        verdict.state = "options proven"


def _decide_code_choices(
    verdict: Verdict, question: QuestionBase, views: Sequence[RunView]
) -> None:
    for view in views:
        index = view.run.choice or 0
        choice = question.choices_list[index]
        reason = view.refutation()
        if choice.correct and reason:
            verdict.fail(
                f"correct {choice_label(index, choice)} fails: {reason}",
                "key-refuted",
                view.failure_line(),
                index,
            )
        elif not choice.correct and not reason:
            verdict.fail(
                f"wrong {choice_label(index, choice)} also works", "choice-holds", choice=index
            )
        elif not choice.correct and reason:
            verdict.refutations[index] = reason
            verdict.feedback[index] = for_code_choice(view)
    verdict.state = "options proven"


def _decide_values(verdict: Verdict, question: QuestionBase, view: RunView) -> None:
    ended = view.end_reason() or "; ".join(view.expect_failures())
    if ended:
        verdict.fail(
            f"the run does not hold, so no choice can be checked: {ended}",
            "run-fails",
            view.failure_line(),
        )
        return
    for index, choice in enumerate(question.choices_list):
        reason = view.check_reason(index)
        if choice.correct and reason:
            verdict.fail(
                f"correct {choice_label(index, choice)} fails: {reason}",
                "key-refuted",
                choice=index,
            )
        elif not choice.correct and reason is None:
            verdict.fail(
                f"wrong {choice_label(index, choice)} passes the check",
                "choice-holds",
                choice=index,
            )
        elif reason:
            verdict.refutations[index] = reason
            verdict.feedback[index] = for_value(view)
    verdict.state = "options proven"


def _decide_keys(verdict: Verdict, question: QuestionBase, view: RunView) -> None:
    ended = view.end_reason() or "; ".join(view.expect_failures())
    if ended:
        verdict.fail(f"the run does not hold: {ended}", "run-fails", view.failure_line())
        return
    verdict.state = "options proven"
    if isinstance(question, TrueFalse):
        _decide_true_false(verdict, question, view)
        return
    answers = view.run.spec.answers
    if isinstance(question, Numerical) and len(answers) == 3:
        answers = answers[:1]  # the key; then both ends of the tolerance
        if view.check_reason(0) is None:
            _decide_tolerance(verdict, view)
    for index, answer in enumerate(answers):
        reason = view.check_reason(index)
        if reason:
            verdict.fail(
                f"the key {_key(answer)} fails: {reason}", "key-refuted", view.failure_line()
            )


def _key(answer: object) -> str:
    """A key as the author wrote it: a string quoted, a number or boolean as it is (`104`)."""
    return short(answer) if isinstance(answer, str) else repr(answer)


def _decide_true_false(verdict: Verdict, question: TrueFalse, view: RunView) -> None:
    """The check must pass with the key and fail with the opposite."""
    key, opposite = question.answer, not question.answer
    with_key, with_opposite = view.check_reason(0), view.check_reason(1)
    if with_key is None and with_opposite is None:
        verdict.fail(
            f"the check also passes with answer {opposite!r}: the key cannot be told apart",
            "choice-holds",
        )
    elif with_key and with_opposite is None:
        verdict.fail(
            f"the key is wrong: the check fails with answer {key!r} and passes with "
            f"{opposite!r}, so the statement is {str(opposite).lower()} "
            f"(write `answer: {str(opposite).lower()}`); with {key!r}: {with_key}",
            "key-refuted",
            field="answer",
        )
    elif with_key:
        verdict.fail(
            f"the key {key!r} fails, and so does {opposite!r}: the check decides neither; "
            f"with {key!r}: {with_key}",
            "key-refuted",
            view.failure_line(),
        )


def _decide_tolerance(verdict: Verdict, view: RunView) -> None:
    """Moodle accepts the whole range `answer ± tolerance`: the check must hold at both
    ends (the key itself holds)."""
    _, low, high = view.run.spec.answers
    ends = [(1, low, "answer - tolerance"), (2, high, "answer + tolerance")]
    failing = [(value, label, view.check_reason(i)) for i, value, label in ends]
    failing = [(value, label, reason) for value, label, reason in failing if reason]
    if not failing:
        return
    which = " and ".join(f"{value!r} ({label})" for value, label, _ in failing)
    first, _, reason = failing[0]
    verdict.fail(
        f"the check fails for {which}: Moodle would accept {low!r}..{high!r}; make "
        f"`tolerance` smaller, or the check accept the whole range; with {first!r}: {reason}",
        "tolerance-too-wide",
        field="tolerance",
    )


def _decide_bug(verdict: Verdict, views: Sequence[RunView]) -> None:
    buggy = next(v for v in views if v.run.role == "buggy")
    fixed = next(v for v in views if v.run.role == "fix")
    for missing in buggy.expect_failures():
        verdict.fail(
            f"the buggy program does not show the claimed symptom: {missing}", "symptom-missing"
        )
    if buggy.end_reason() is None and buggy.check_reason() is None:
        verdict.fail(
            "the buggy program works: it ends normally and passes the check",
            "bug-holds",
            field="code",
        )
    fix_reason = fixed.end_reason() or fixed.check_reason()
    if fix_reason:
        verdict.fail(
            f"the fix does not work: {fix_reason}", "fix-fails", fixed.failure_line(), field="fix"
        )
    verdict.state = "run proven"
