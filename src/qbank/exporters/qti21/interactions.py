"""Each question kind as a QTI 2.1 interaction, its response and how it is scored.

================  ==============================  ===========================================
qbank             interaction                     scoring
================  ==============================  ===========================================
multiple_choice   choiceInteraction maxChoices=1  ``match_correct`` (the key)
multiple_answers  choiceInteraction maxChoices=0  ``map_response``: each option its weight
true_false        choiceInteraction: True/False   ``match_correct``
code_choice       choiceInteraction (code)        ``match_correct``; the program with its gap
bug               choiceInteraction               ``match_correct``; the fix in the explanation
output + choices  choiceInteraction               ``match_correct``; the key among the outputs
output            textEntryInteraction            ``match_correct`` on the exact key; a key of
                                                  several lines: extendedTextInteraction
short_answer      textEntryInteraction            ``map_response``: every accepted answer 1
numerical         textEntryInteraction (float)    ``equal``, ``toleranceMode="absolute"``
matching          matchInteraction                ``map_response``: each right pair 1/n;
                                                  distractors are extra targets
essay             extendedTextInteraction         none: a person scores it
================  ==============================  ===========================================

Choices keep their authored order, with ``shuffle`` as the bank says (the delivery engine
shuffles for each learner); an ``output`` question's options are the key among the wrong
outputs in :func:`qbank.exporters.display.option_order`'s order, shuffled.
"""

from __future__ import annotations

from qbank.exporters.qti21 import choices, matching, typed
from qbank.exporters.qti21.item import Item
from qbank.exporters.qti21.parts import Interaction
from qbank.model import Essay, Matching, Numerical, Output, ShortAnswer, TrueFalse, WithChoices


def interaction(item: Item) -> Interaction | None:
    """The interaction, response and scoring of `item`'s question; None (warned) when the
    question cannot be written."""
    q = item.question
    if isinstance(q, WithChoices):
        return choices.choices(item, q)
    if isinstance(q, TrueFalse):
        return choices.true_false(q)
    if isinstance(q, ShortAnswer):
        return typed.short_answer(item, q)
    if isinstance(q, Numerical):
        return typed.numerical(q)
    if isinstance(q, Matching):
        return matching.matching(item, q)
    if isinstance(q, Output):
        return choices.output(item, q) if q.choices else typed.output(item, q)
    if isinstance(q, Essay):
        return typed.essay()
    item.warn(f"QTI 2.1 has no form for `{type(q).__name__}` questions: left out", "lossy-type")
    return None


__all__ = ["Interaction", "interaction"]
