"""Questions answered by typing, matching or writing: Canvas's short answer, numerical,
matching and essay questions.

================  =========================  =================================================
qbank             Canvas ``question_type``   how
================  =========================  =================================================
short_answer      short_answer_question      one condition, a ``varequal`` per answer; Canvas
                                             compares stripped and in lower case
                                             (``ShortAnswerQuestion#matching_answer``):
                                             ``case_sensitive`` is ``lossy-case`` (still
                                             written as ``case="Yes"`` for other readers)
output            short_answer_question      the output as printed; several lines or a case
                                             that matters cannot be asked for
numerical         numerical_question         an exact answer with its margin, Canvas's form:
                                             ``<or>`` the answer, or ``answer ± tolerance``
                                             (``Qti::NumericInteraction#get_canvas_answers``)
matching          matching_question          a ``response_lid`` per pair offering every right
                                             side; a distractor is one more right side that no
                                             pair scores (Canvas's extra options)
essay             essay_question             graded by a person; the explanation is shown after
================  =========================  =================================================
"""

from __future__ import annotations

from decimal import Decimal

from qbank.exporters.display import plain_number
from qbank.exporters.qti import ids
from qbank.exporters.qti.body import Body, choice_lid, condition, fib, label, varequal
from qbank.exporters.qti.item import Item
from qbank.exporters.qti.xml import element, leaf, mattext
from qbank.model import Matching, Numerical, Output, ShortAnswer
from qbank.model.rules import normalise_output


def short_answer(item: Item, q: ShortAnswer) -> Body | None:
    """Every accepted answer scores 100."""
    if q.case_sensitive:
        item.warn(
            "Canvas compares short answers in any case: `case_sensitive` is lost "
            '(`case="Yes"` is still written for other platforms)',
            "lossy-case",
        )
    return _typed(item, q.answers, q.case_sensitive)


def _typed(item: Item, answers: tuple[str, ...], case: bool) -> Body | None:
    kept: list[str] = []
    for answer in answers:
        text = item.plain(answer, "the short answer").strip()
        if not text:
            item.warn(f"Canvas ignores blank answers: {answer!r} is left out", "lossy-answer")
        elif text not in kept:
            kept.append(text)
    if not kept:
        item.warn("no answer of this question fits in Canvas: question left out", "lossy-type")
        return None
    scoring = condition([varequal(a, case=case) for a in kept], score="100", stop=True)
    return Body("short_answer_question", fib(), (scoring,))


def output_typed(item: Item, q: Output, key: str) -> Body | None:
    """The output as a short answer (Canvas strips it and ignores case)."""
    shown = key if q.exact else normalise_output(key)
    if "\n" in shown.strip() or shown != shown.strip():
        item.warn(
            "as a short answer, the output must be typed on one line and Canvas strips it: "
            "exact whitespace and line breaks cannot be asked for (add `choices`)",
            "lossy-whitespace",
        )
    if shown.lower() != shown.upper():
        item.warn(
            "Canvas compares short answers in any case: an output in another case is "
            "accepted too (add `choices` to ask for the exact output)",
            "lossy-case",
        )
    return _typed(item, (shown,), True)


def numerical(item: Item, q: Numerical) -> Body:
    """The answer, or any number within ``tolerance`` of it."""
    answer = Decimal(repr(q.answer)) if isinstance(q.answer, float) else Decimal(q.answer)
    margin = abs(
        Decimal(repr(q.tolerance)) if isinstance(q.tolerance, float) else Decimal(q.tolerance)
    )
    low, high = (_number(answer - margin), _number(answer + margin))
    tests = [
        element(
            "or",
            varequal(plain_number(q.answer))
            + element(
                "and",
                leaf("vargte", low, {"respident": "response1"})
                + leaf("varlte", high, {"respident": "response1"}),
            ),
        )
    ]
    return Body("numerical_question", fib("Decimal"), (condition(tests, score="100", stop=True),))


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def matching(item: Item, q: Matching) -> Body | None:
    """A row per pair; the options are the right sides (plain text), then the distractors."""
    written = [*(p.right for p in q.pairs), *q.distractors]
    rights = [item.plain(r, "the right side").strip() for r in written]
    if not _distinct(item, written, rights):
        return None
    options = list(dict.fromkeys(rights))
    right_ids = dict(
        zip(options, ids.option_idents(item.loaded.id, q.id, "right", len(options)), strict=True)
    )
    labels = [label(right_ids[r], r, "text/plain") for r in options]
    left_ids = ids.option_idents(item.loaded.id, q.id, "left", len(q.pairs))
    share = plain_number(round(100 / len(q.pairs), 2))
    rows: list[str] = []
    conditions: list[str] = []
    for pair, right, left in zip(q.pairs, rights[: len(q.pairs)], left_ids, strict=True):
        lid = f"response_{left}"
        prompt = mattext(item.md(pair.left, compact=True) or item.code(pair.left, None))
        rows.append(choice_lid(lid, "Single", labels, prompt))
        scoring = condition([varequal(right_ids[right], lid)], score=share, action="Add")
        conditions.append(scoring)
    return Body(
        "matching_question", "\n          ".join(rows), tuple(conditions), (), tuple(left_ids)
    )


def _distinct(item: Item, written: list[str], kept: list[str]) -> bool:
    """Right sides that differ as written must differ once Canvas strips them."""
    seen: dict[str, str] = {}
    for original, stored in zip(written, kept, strict=True):
        first = seen.setdefault(stored, original)
        if first != original or not stored:
            item.warn(
                f"the right sides {first!r} and {original!r} would read the same once Canvas "
                "stripped them: question left out (make them differ in more than whitespace)",
                "lossy-option",
            )
            return False
    return True


def essay(item: Item) -> Body:
    """Graded by a person: a text box, no score."""
    return Body("essay_question", fib(), (condition([element("other")]),))


__all__ = ["essay", "matching", "numerical", "output_typed", "short_answer"]
