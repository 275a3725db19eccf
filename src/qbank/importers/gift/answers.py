"""The answer blocks of true/false, short-answer, numerical and matching questions."""

from __future__ import annotations

import math
from decimal import Decimal

from qbank.importers.gift.lexer import reveal
from qbank.importers.gift.mapped import Mapped, as_number
from qbank.importers.gift.parser import Answer, GiftSyntaxError, Parsed, answers, number


def true_false(parsed: Parsed, mapped: Mapped) -> None:
    """`{T}`, `{TRUE#wrong#right}`: feedback for a wrong and for a right response."""
    key, *feedbacks = parsed.body.split("#")
    mapped.data["type"] = "true_false"
    mapped.data["answer"] = key.strip() in ("T", "TRUE")
    for said, label in zip(feedbacks, ("a wrong", "a right"), strict=False):
        if said.strip():
            text = mapped.markdown(said, parsed.format)
            mapped.issue(
                f"a true/false question has no feedback per response: the feedback for "
                f"{label} response is kept as a comment",
                f"feedback for {label} response: {text}",
                kind="lost",
            )
    if len(feedbacks) > 2:
        mapped.issue("more than two feedbacks: Moodle reads the first two", kind="syntax")


def short_answer(parsed: Parsed, mapped: Mapped) -> None:
    """`{=a =%50%b#feedback}`: the answers worth 100 %; the others kept as comments."""
    lead, items = answers(parsed.body, "=", weighted="=")
    if lead.strip():
        mapped.issue(f"Moodle ignores {lead.strip()!r} before the first `=`", kind="syntax")
    full = [item for item in items if item.weight is None or item.weight == 100]
    if not full:
        raise GiftSyntaxError("a short answer needs an answer worth 100 % (`=answer`)")
    mapped.data["type"] = "short_answer"
    mapped.data["answers"] = [_short(mapped, item) for item in full]
    for item in items:
        if item not in full:
            mapped.issue(
                f"a short answer gives no partial credit: {reveal(item.text)!r} "
                f"({item.weight}%) is kept as a comment",
                f"partial answer ({item.weight}%): {reveal(item.text)}",
                kind="weight",
            )
        _answer_feedback(parsed, mapped, item)


def _short(mapped: Mapped, item: Answer) -> str:
    text = reveal(item.text)
    if item.bad_weight is not None:
        mapped.issue(f"{item.bad_weight} is not a weight Moodle reads: kept as text", kind="weight")
    if "*" in text.replace("\\*", ""):
        mapped.issue(
            f"{text!r}: Moodle's `*` wildcard has no qbank form (kept as `*`)", kind="lost"
        )
    return text.replace("\\*", "*")


def _answer_feedback(parsed: Parsed, mapped: Mapped, item: Answer) -> None:
    if item.feedback is not None and item.feedback.strip():
        said = mapped.markdown(item.feedback, parsed.format)
        mapped.issue(
            f"the feedback of the answer {reveal(item.text)!r} has no place: kept as a comment",
            f"feedback for {reveal(item.text)!r}: {said}",
            kind="lost",
        )


def numerical(parsed: Parsed, mapped: Mapped) -> None:
    """`{#3.14:0.01}`, `{#1..5}`, `{#=3 =%50%4 ~catch-all}`: the first 100 % answer."""
    text = parsed.body.lstrip()[1:]
    text, tilde, rest = text.partition("~")
    if tilde:
        mapped.issue(
            "the catch-all feedback after `~` has no place: kept as a comment",
            f"feedback for any other number: {reveal(rest)}",
            kind="lost",
        )
    _lead, items = answers("=" + text if not text.lstrip().startswith("=") else text, "=", "=")
    kept: tuple[Decimal, Decimal | None] | None = None
    for item in items:
        value = _numeric(item)
        if kept is None and (item.weight is None or item.weight == 100):
            kept = value
            mapped.data["type"] = "numerical"
            mapped.data["answer"] = as_number(value[0])
            if value[1]:
                mapped.data["tolerance"] = as_number(value[1])
        else:
            weight = item.weight if item.weight is not None else 100
            mapped.issue(
                f"a numerical question has one answer: {reveal(item.text)!r} ({weight}%) "
                "is kept as a comment",
                f"other answer ({weight}%): {reveal(item.text)}",
                kind="weight" if weight != 100 else "lost",
            )
        _answer_feedback(parsed, mapped, item)
    if kept is None:
        raise GiftSyntaxError("a numerical question needs an answer worth 100 % (`{#=3.14}`)")


def _numeric(item: Answer) -> tuple[Decimal, Decimal | None]:
    """(value, tolerance) of `v`, `v:tol` or `min..max` (midpoint, half width), each one a
    finite float: `1e999999999` is a number to PHP, but no bank (nor Moodle) can hold it."""
    text = reveal(item.text)
    try:
        value, tolerance = _read_numeric(text)
        finite = all(math.isfinite(float(v)) for v in (value, tolerance) if v is not None)
    except ArithmeticError:  # decimal.Overflow of the midpoint or the half width
        finite = False
    if not finite:
        raise GiftSyntaxError(
            f"{text!r} holds a number too large for a bank (beyond about 1.8e308): write "
            "the answer with a smaller number",
            kind="invalid",
        )
    return value, tolerance


def _read_numeric(text: str) -> tuple[Decimal, Decimal | None]:
    low, dots, high = text.partition("..")
    if dots:
        ends = number(low), number(high)
        if ends[0] is None or ends[1] is None:
            raise GiftSyntaxError(f"{text!r} is not a range of numbers (`1..5`)")
        return (ends[0] + ends[1]) / 2, abs(ends[1] - ends[0]) / 2
    value_text, colon, tolerance_text = text.partition(":")
    value = number(value_text)
    tolerance = number(tolerance_text) if colon else None
    if value is None or (colon and tolerance is None):
        raise GiftSyntaxError(
            f"{text!r} is not a number (`3.14`), a number and tolerance (`3.14:0.01`) "
            "or a range (`1..5`): Moodle would accept any response"
        )
    return value, abs(tolerance) if tolerance is not None else None


def matching(parsed: Parsed, mapped: Mapped) -> None:
    """`{=left -> right =-> distractor}`: pairs, and right sides without a left."""
    _lead, items = answers(parsed.body, "=", feedback=False)
    pairs, distractors = [], []
    for item in items:
        left, arrow, right = item.text.partition("->")
        if not arrow:
            raise GiftSyntaxError(f"the match {reveal(item.text)!r} has no `->`")
        if left.strip():
            pairs.append({"left": mapped.markdown(left, parsed.format), "right": reveal(right)})
        else:
            distractors.append(reveal(right))
    mapped.data["type"] = "matching"
    mapped.data["pairs"] = pairs
    if distractors:
        mapped.data["distractors"] = distractors


__all__ = ["matching", "numerical", "short_answer", "true_false"]
