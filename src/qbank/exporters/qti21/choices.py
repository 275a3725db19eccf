"""The kinds answered by picking options: a ``choiceInteraction`` each.

Each option is a ``simpleChoice`` with an opaque identifier derived from its authored
position (the right output of an ``output`` question from ``key``; :func:`.names.choice`),
with its text, code or value as QTI XHTML. Single-answer kinds score with ``match_correct``; ``multiple_answers`` maps each
option to its share of the score (:func:`answer_weights`), bounded to 0 … 1.
"""

from __future__ import annotations

import math

from qbank.exporters.display import KEY, known_output_key, option_order, shown_choice
from qbank.exporters.qti21 import processing as rp
from qbank.exporters.qti21.item import Item
from qbank.exporters.qti21.parts import Interaction, option_feedback
from qbank.exporters.qti21.xml import element
from qbank.model import Choice, MultipleAnswers, Output, TrueFalse, WithChoices

OUTPUT_KEY = "key"
"""What the identifier of an ``output`` question's right output derives from."""
_PRECISION = 1e9


def _interaction(options: list[str], shuffle: bool, max_choices: int) -> str:
    return element(
        "choiceInteraction",
        "".join(options),
        responseIdentifier=rp.RESPONSE,
        shuffle="true" if shuffle else "false",
        maxChoices=str(max_choices),
    )


def _simple(identifier: str, content: str) -> str:
    return element("simpleChoice", content, identifier=identifier)


def _single(
    key: str, options: list[str], shuffle: bool, feedback: list[tuple[str, str]]
) -> Interaction:
    declaration = rp.response(rp.RESPONSE, "single", "identifier", [key])
    body = _interaction(options, shuffle, 1)
    return Interaction(
        (declaration,), body, (rp.match_correct(),), "match_correct", tuple(feedback), True
    )


def _feedback(item: Item, count: int) -> list[tuple[str, str]]:
    found = [(item.part(i), option_feedback(item, i)) for i in range(count)]
    return [(identifier, xhtml) for identifier, xhtml in found if xhtml]


def choices(item: Item, q: WithChoices) -> Interaction:
    """Multiple choice, code choice and bug (one key), or multiple answers (weights)."""
    options = [
        _simple(item.part(i), item.shown(shown_choice(q, c))) for i, c in enumerate(q.choices)
    ]
    feedback = _feedback(item, len(q.choices))
    keys = [item.part(i) for i, c in enumerate(q.choices) if c.correct]
    if not isinstance(q, MultipleAnswers):
        return _single(keys[0] if keys else item.part(0), options, q.shuffle, feedback)
    weights = [(item.part(i), w) for i, w in enumerate(answer_weights(q.choices))]
    mapping = rp.mapping(weights, bounded=True)
    declaration = rp.response(rp.RESPONSE, "multiple", "identifier", keys, mapping)
    body = _interaction(options, q.shuffle, 0)
    rules = (rp.map_response(),)
    return Interaction((declaration,), body, rules, "map_response", tuple(feedback), True)


def answer_weights(options: tuple[Choice, ...]) -> list[float]:
    """Each option's share of the score (-1 … 1), as qbank weights it: an explicit `weight`
    as written (a percentage); correct options without one share what the explicit ones
    leave of 100 %; each wrong option without one costs an equal part of what the correct
    ones are worth, so ticking every box scores 0.

    Written to nine decimals, shares are rounded up (by a billionth more where the engine's
    floating-point sum of them would still fall short of 1) and penalties away from zero, so
    that ticking exactly the correct options scores the full 1 and ticking every box 0, in
    whatever order an engine adds them (the mapping's bounds clip the excess)."""
    correct = [c for c in options if c.correct]
    explicit = [c.weight / 100 for c in correct if c.weight is not None]
    unweighted = len(correct) - len(explicit)
    share = _share(explicit, unweighted)
    wrong = sum(1 for c in options if not c.correct)
    worth = [*explicit, *[share] * unweighted]
    fixed = [c.weight / 100 for c in options if not c.correct and c.weight is not None]
    penalty = _penalty(worth + fixed, wrong - len(fixed))
    return [
        c.weight / 100 if c.weight is not None else share if c.correct else penalty for c in options
    ]


def _penalty(others: list[float], unweighted: int) -> float:
    """What each wrong option without a weight costs: the rest of the options' worth shared
    out, so that every box ticked sums to 0 at most."""
    if not unweighted:
        return 0.0
    left = max(sum(others), 0.0)
    penalty = math.floor(-left * _PRECISION / unweighted + 1e-6) / _PRECISION
    while left and max(_sums(others, penalty, unweighted)) > 0:
        penalty -= 1 / _PRECISION
    return penalty


def _share(explicit: list[float], unweighted: int) -> float:
    """What each correct option without a weight is worth."""
    if not unweighted:
        return 0.0
    left = max(1 - sum(explicit), 0.0)
    share = math.ceil(left * _PRECISION / unweighted - 1e-6) / _PRECISION  # float noise aside
    target = min(sum(explicit) + left, 1.0)
    while left and min(_sums(explicit, share, unweighted)) < target:
        share += 1 / _PRECISION
    return share


def _sums(others: list[float], value: float, count: int) -> tuple[float, float]:
    """The sum of `others` and `count` times `value`, added in both orders."""
    values = [*others, *[value] * count]
    forward = backward = 0.0
    for term in values:
        forward += term
    for term in reversed(values):
        backward += term
    return forward, backward


def true_false(q: TrueFalse) -> Interaction:
    """Two options, ``true`` and ``false``, in that order."""
    options = [_simple("true", "True"), _simple("false", "False")]
    return _single("true" if q.answer else "false", options, False, [])


def output(item: Item, q: Output) -> Interaction | None:
    """The right output (as printed) among the wrong ones; None (warned) without a key."""
    key = known_output_key(q, item.result, item.warn)
    if key is None:
        return None
    options = []
    for index in option_order(item.loaded.id, q, has_key=True):
        if index == KEY:
            options.append(_simple(item.part(OUTPUT_KEY), item.code(key, None)))
        else:
            options.append(_simple(item.part(index), item.shown(shown_choice(q, q.choices[index]))))
    return _single(item.part(OUTPUT_KEY), options, True, _feedback(item, len(q.choices)))


__all__ = ["OUTPUT_KEY", "answer_weights", "choices", "output", "true_false"]
