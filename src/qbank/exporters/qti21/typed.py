"""The kinds answered by typing: a text entry (one line) or an extended text (several).

* ``short_answer``: every accepted answer maps to 1, compared with or without case as the
  question says (``mapEntry caseSensitive``); QTI compares strings exactly, so answers are
  trimmed, and blank or repeated ones left out (``lossy-answer``).
* ``numerical``: a ``float`` response, right within ``tolerance`` of the answer.
* ``output`` without choices: the exact key (trailing whitespace ignored unless ``exact``,
  as qbank compares outputs); a key of several lines is typed in an extended text. Typed
  text is compared byte for byte, so trailing spaces or another line ending fail a right
  answer: ``lossy-whitespace`` says so where it can happen.
* ``essay``: an extended text, scored by a person (no response processing).
"""

from __future__ import annotations

from qbank.exporters.display import known_output_key, plain_number
from qbank.exporters.qti21 import processing as rp
from qbank.exporters.qti21.item import Item
from qbank.exporters.qti21.parts import Interaction
from qbank.exporters.qti21.xml import element
from qbank.model import Numerical, Output, ShortAnswer
from qbank.model.rules import normalise_output

# The box's size is the same for every question: one sized to the key tells learners how
# long the key is (and how many lines an output has).
ENTRY_LENGTH = 24
EXTENDED_LINES = 6


def _entry(length: int = ENTRY_LENGTH) -> str:
    entry = element(
        "textEntryInteraction", responseIdentifier=rp.RESPONSE, expectedLength=str(length)
    )
    return element("p", entry)


def _extended(lines: int = EXTENDED_LINES) -> str:
    return element(
        "extendedTextInteraction",
        responseIdentifier=rp.RESPONSE,
        format="plain",
        expectedLines=str(lines),
    )


def short_answer(item: Item, q: ShortAnswer) -> Interaction | None:
    """Every accepted answer maps to 1, with or without case as the question says."""
    kept: dict[str, str] = {}
    for answer in q.answers:
        trimmed = answer.strip()
        key = trimmed if q.case_sensitive else trimmed.casefold()
        if trimmed and key not in kept:
            kept[key] = trimmed
    answers = list(kept.values())
    if len(answers) < len(q.answers):
        item.warn(
            "QTI compares typed answers exactly: accepted answers that are blank or repeat "
            "another once trimmed (or once case is ignored) are left out",
            "lossy-answer",
        )
    if not answers:
        item.warn("no accepted answer is left: question left out", "lossy-type")
        return None
    mapping = rp.mapping([(a, 1) for a in answers], q.case_sensitive, bounded=True)
    declaration = rp.response(rp.RESPONSE, "single", "string", answers[:1], mapping)
    return Interaction((declaration,), _entry(), (rp.map_response(),), "map_response")


def numerical(q: Numerical) -> Interaction:
    """A number, right within the tolerance (both ends included)."""
    declaration = rp.response(rp.RESPONSE, "single", "float", [plain_number(q.answer)])
    rule = rp.within_tolerance(float(q.tolerance))
    return Interaction((declaration,), _entry(), (rule,))


def output(item: Item, q: Output) -> Interaction | None:
    """The output typed exactly: one line in a text entry, several in an extended text."""
    key = known_output_key(q, item.result, item.warn)
    if key is None:
        return None
    expected = key if q.exact else normalise_output(key)
    multiline = "\n" in expected.rstrip("\n")
    if multiline or expected != expected.strip():
        item.warn(
            "a typed output is compared byte for byte: a learner's trailing spaces or line "
            "endings (browsers send CR LF) can fail a right answer (add `choices`)",
            "lossy-whitespace",
        )
    if not multiline:
        expected = expected.rstrip("\n")
    declaration = rp.response(rp.RESPONSE, "single", "string", [expected])
    body = _extended() if multiline else _entry()
    return Interaction((declaration,), body, (rp.match_correct(),), "match_correct")


def essay() -> Interaction:
    """A free text, scored by a person."""
    declaration = rp.response(rp.RESPONSE, "single", "string")
    return Interaction((declaration,), _extended(15))


__all__ = ["essay", "numerical", "output", "short_answer"]
