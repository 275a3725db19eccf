"""What Canvas scores in a multiple-answers question, against what qbank's weights say.

Canvas (Classic Quizzes) does not read weights from a QTI package: an option is right when
a scoring condition picks it (the importer gives it weight 100, any other option 0:
``Qti::ChoiceInteraction#process_response_conditions``). It then scores a response with
*k* right options as (right options picked - wrong options picked) / *k* of the points,
never below zero (``Quizzes::QuizQuestion::MultipleAnswersQuestion#correct_answer_parts``
and ``UserAnswer#score``). So every right option is worth 100/*k* %, and every wrong pick
costs 100/*k* %.

qbank's weights (Moodle's rule, :func:`qbank.exporters.gift.weights.answer_weights`) are
the percentage each ticked option adds. When a question gives no weight at all, its author
left partial credit to the platform and Canvas's rule applies as it is. When it gives
some, Canvas scores them faithfully only if they are exactly Canvas's (+100/*k* for each
right option, -100/*k* for each wrong one); anything else is a ``lossy-weight`` warning
that says what Canvas will give instead.
"""

from __future__ import annotations

from qbank.exporters.display import plain_number
from qbank.exporters.gift.weights import answer_weights
from qbank.model import Choice

TOLERANCE = 0.01
"""Percentage points within which a weight is Canvas's (Moodle's list writes 33.33333)."""


def canvas_share(choices: tuple[Choice, ...]) -> float:
    """The percentage Canvas gives each right option (and takes for each wrong pick)."""
    right = sum(1 for c in choices if c.correct)
    return 100 / right if right else 0.0


def weight_loss(choices: tuple[Choice, ...]) -> str | None:
    """Why Canvas cannot score the options' weights (None: it scores them as written)."""
    if all(c.weight is None for c in choices):
        return None
    share = canvas_share(choices)
    weights = answer_weights(choices).weights
    wanted = [share if c.correct else -share for c in choices]
    if all(abs(w - x) <= TOLERANCE for w, x in zip(weights, wanted, strict=True)):
        return None
    written = ", ".join(plain_number(round(w, 2)) for w in weights)
    each = plain_number(round(share, 2))
    return (
        f"Canvas cannot score the weights {written}: it gives each right option {each} % "
        f"and takes {each} % for each wrong one picked, never below 0 (set the weights to "
        f"{each} and -{each}, or remove them)"
    )


__all__ = ["TOLERANCE", "canvas_share", "weight_loss"]
