"""Matching as a ``matchInteraction``: the left items, then the targets they are matched to.

The first ``simpleMatchSet`` holds the left items (each matched once), the second every
distinct right side and each distractor: a target any left item may be matched to, so that
the number of matches reveals nothing. Identifiers are opaque (:func:`.names.choice`, from a
left item's position and a target's text): none tells which target belongs to which item. The
response is a set of ``directedPair`` (left, target); each right pair maps to ``1 / n``
(rounded up in the ninth decimal, bounded to 1), anything else to 0, so a learner who
matches half the pairs scores half. Right sides are plain text, as in a drop-down.
"""

from __future__ import annotations

import math

from qbank.exporters.qti21 import processing as rp
from qbank.exporters.qti21.item import Item
from qbank.exporters.qti21.parts import Interaction
from qbank.exporters.qti21.xml import element
from qbank.model import Matching


def _associable(identifier: str, content: str, match_max: int) -> str:
    return element(
        "simpleAssociableChoice", content, identifier=identifier, matchMax=str(match_max)
    )


def matching(item: Item, q: Matching) -> Interaction:
    """Left items to targets; the right pairs score, each ``1 / n``."""
    targets: dict[str, str] = {}  # right side as written -> its identifier
    for pair in q.pairs:
        targets.setdefault(pair.right, item.part(f"target:{pair.right}"))
    extras = [d for d in dict.fromkeys(q.distractors) if d not in targets]
    lefts = [
        _associable(
            item.part(f"left-{i}"), item.md(p.left, compact=True) or item.code(p.left, None), 1
        )
        for i, p in enumerate(q.pairs)
    ]
    rights = [_associable(ident, item.plain(text), 0) for text, ident in targets.items()]
    rights += [_associable(item.part(f"target:{d}"), item.plain(d), 0) for d in extras]
    sets = element("simpleMatchSet", "".join(lefts)) + element("simpleMatchSet", "".join(rights))
    body = element(
        "matchInteraction",
        sets,
        responseIdentifier=rp.RESPONSE,
        shuffle="true",
        maxAssociations=str(len(q.pairs)),
    )
    pairs = [f"{item.part(f'left-{i}')} {targets[p.right]}" for i, p in enumerate(q.pairs)]
    share = math.ceil(_PRECISION / len(pairs)) / _PRECISION
    mapping = rp.mapping([(pair, share) for pair in pairs], bounded=True)
    declaration = rp.response(rp.RESPONSE, "multiple", "directedPair", pairs, mapping)
    return Interaction((declaration,), body, (rp.map_response(),), "map_response")


_PRECISION = 1e9

__all__ = ["matching"]
