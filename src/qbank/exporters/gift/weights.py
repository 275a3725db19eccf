"""Weights of `multiple_answers` options in GIFT, from Moodle's list of allowed grades.

Policy (Moodle refuses a file with any other grade, and at 0 % for wrong options ticking every
box would score full marks):

* an explicit ``weight`` is used as written (static checks already refused weights Moodle
  cannot represent);
* the correct options without a weight share what the explicit ones leave of 100 equally;
  when that share is not an allowed grade (e.g. 11 correct options), the nearest allowed grade
  is used and a ``lossy-weight`` warning says the sum is no longer 100;
* each wrong option without a weight is worth ``-100 / n_wrong`` rounded to the nearest allowed
  grade, so ticking every wrong box costs about the whole question.
"""

from __future__ import annotations

from dataclasses import dataclass

from qbank.model import Choice
from qbank.model.rules import MOODLE_WEIGHTS, is_moodle_weight


@dataclass(frozen=True)
class Weights:
    """The weight of each option, and whether the correct ones still sum to 100."""

    weights: tuple[float, ...]
    exact: bool


def nearest_allowed(value: float) -> float:
    """The allowed Moodle grade (with `value`'s sign) nearest to `value`; ties go up."""
    magnitude = min(MOODLE_WEIGHTS, key=lambda allowed: (abs(abs(value) - allowed), -allowed))
    return -magnitude if value < 0 else magnitude


def answer_weights(choices: tuple[Choice, ...]) -> Weights:
    """Percentages for the options of a multiple-answers question (see the module policy)."""
    correct = [c for c in choices if c.correct]
    wrong = [c for c in choices if not c.correct]
    explicit = sum(c.weight for c in correct if c.weight is not None)
    unweighted = sum(1 for c in correct if c.weight is None)
    share = (100 - explicit) / unweighted if unweighted else 0.0
    exact = is_moodle_weight(share) and share >= 0
    share = nearest_allowed(share) if share > 0 else 0.0
    penalty = nearest_allowed(-100 / len(wrong)) if wrong else 0.0
    weights = []
    for choice in choices:
        if choice.weight is not None:
            weights.append(float(choice.weight))
        else:
            weights.append(share if choice.correct else penalty)
    return Weights(tuple(weights), exact or not unweighted)


def format_weight(weight: float) -> str:
    """A weight as Moodle's regex reads it: up to 5 decimals, no `+`, no `100.0`."""
    text = f"{weight:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


__all__ = ["Weights", "answer_weights", "format_weight", "nearest_allowed"]
