"""Variables and response processing: how an item declares its responses and scores them.

Every item has ``SCORE`` (0 to 1: the key scores 1, each distractor 0, partial credit where
qbank weights options) and ``MAXSCORE`` (1; the test weights each item by its points).
Scoring follows the IMS standard templates where they fit:

* ``match_correct``: SCORE is 1 when the response matches ``correctResponse``, else 0
  (choices, true/false, an output typed on one line);
* ``map_response``: SCORE is the response mapped through ``mapping`` (multiple answers with
  weights, short answers and their accepted spellings, matching pairs), 0 without a response.

An item with no feedback names its template (``template="…/match_correct"``) *and* carries
the template's rules, which QTI 2.1 says win when both are given: an engine that resolves
templates and one that only runs the rules score it alike. Numerical answers need a
tolerance, which no template has: ``equal`` with ``toleranceMode="absolute"``.

Feedback: ``FEEDBACK`` (identifiers, multiple) gets the identifiers of the ``modalFeedback``
to show (``showHide="show"``): the chosen options (whose feedback is authored, or generated
by validation) and ``EXPLANATION``. A hint is asked for with an ``endAttemptInteraction``
(``HINTREQUEST``, not counted as an attempt): processing then shows ``HINT`` and stops,
without scoring, as OpenOLAT's own QTI 2.1 items do.
"""

from __future__ import annotations

from collections.abc import Iterable

from qbank.exporters.qti21.xml import block, element, exact, number, text

TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
RESPONSE = "RESPONSE"
HINT_REQUEST = "HINTREQUEST"
FEEDBACK = "FEEDBACK"
EXPLANATION = "EXPLANATION"
HINT = "HINT"


def _variable(identifier: str) -> str:
    return element("variable", identifier=identifier)


def _base(base_type: str, value: str) -> str:
    return element("baseValue", value, baseType=base_type)


def _set(identifier: str, expression: str) -> str:
    return element("setOutcomeValue", expression, identifier=identifier)


def _score(value: str) -> str:
    return _set("SCORE", value)


def values(values: Iterable[str]) -> str:
    """``<value>``s of a ``correctResponse``: character data, escaped (`<class 'int'>` is
    a key an `output` question may have)."""
    return "".join(element("value", text(value)) for value in values)


def response(
    identifier: str, cardinality: str, base_type: str, correct: Iterable[str] = (), extra: str = ""
) -> str:
    """A ``responseDeclaration`` with its ``correctResponse`` (if any) and `extra` (a
    ``mapping``)."""
    written = values(correct)
    inner = (element("correctResponse", written) if written else "") + extra
    return element(
        "responseDeclaration",
        inner,
        identifier=identifier,
        cardinality=cardinality,
        baseType=base_type,
    )


def mapping(
    entries: Iterable[tuple[str, float]], case_sensitive: bool | None = None, *, bounded: bool
) -> str:
    """A ``mapping`` (unmapped responses 0); with `bounded`, its sum kept within 0 and 1."""
    sensitive = None if case_sensitive is None else ("true" if case_sensitive else "false")
    written = "".join(
        element("mapEntry", mapKey=key, mappedValue=number(value), caseSensitive=sensitive)
        for key, value in entries
    )
    bounds = {"lowerBound": "0", "upperBound": "1"} if bounded else {}
    return element("mapping", written, **bounds, defaultValue="0")


def outcomes(feedback: bool) -> list[str]:
    """``SCORE``, ``MAXSCORE`` and (when the item shows any) ``FEEDBACK``."""
    zero = element("defaultValue", element("value", "0"))
    found = [
        element(
            "outcomeDeclaration",
            zero,
            identifier="SCORE",
            cardinality="single",
            baseType="float",
            normalMaximum="1",
        ),
        element(
            "outcomeDeclaration",
            element("defaultValue", element("value", "1")),
            identifier="MAXSCORE",
            cardinality="single",
            baseType="float",
        ),
    ]
    if feedback:
        found.append(
            element(
                "outcomeDeclaration",
                identifier=FEEDBACK,
                cardinality="multiple",
                baseType="identifier",
            )
        )
    return found


def match_correct() -> str:
    """The rules of the ``match_correct`` template."""
    test = element("match", _variable(RESPONSE) + element("correct", identifier=RESPONSE))
    right = element("responseIf", test + _score(_base("float", "1")))
    wrong = element("responseElse", _score(_base("float", "0")))
    return element("responseCondition", right + wrong)


def map_response() -> str:
    """The rules of the ``map_response`` template."""
    empty = element("isNull", _variable(RESPONSE))
    none = element("responseIf", empty + _score(_base("float", "0")))
    mapped = element("responseElse", _score(element("mapResponse", identifier=RESPONSE)))
    return element("responseCondition", none + mapped)


def within_tolerance(tolerance: float) -> str:
    """SCORE 1 when the number given is the key within `tolerance` (ends included), else 0."""
    compared = _variable(RESPONSE) + element("correct", identifier=RESPONSE)
    if tolerance:
        test = element("equal", compared, toleranceMode="absolute", tolerance=exact(tolerance))
    else:
        test = element("equal", compared, toleranceMode="exact")
    right = element("responseIf", test + _score(_base("float", "1")))
    wrong = element("responseElse", _score(_base("float", "0")))
    return element("responseCondition", right + wrong)


def hint_rule() -> str:
    """On a hint request: show the hint, and stop (the request is not an answer)."""
    show = _set(FEEDBACK, element("multiple", _base("identifier", HINT)))
    asked = element("responseIf", _variable(HINT_REQUEST) + show + element("exitResponse"))
    return element("responseCondition", asked)


def feedback_rule(by_response: bool, explanation: bool) -> str:
    """``FEEDBACK`` = the chosen options (`by_response`) and ``EXPLANATION`` (if any)."""
    parts = (_variable(RESPONSE) if by_response else "") + (
        _base("identifier", EXPLANATION) if explanation else ""
    )
    return _set(FEEDBACK, element("multiple", parts))


def processing(rules: Iterable[str], template: str | None, indent: int) -> str:
    """The ``responseProcessing`` running `rules` (and naming `template`, when the rules are
    exactly that template's)."""
    return block(
        "responseProcessing", rules, indent, template=TEMPLATES + template if template else None
    )


__all__ = [
    "EXPLANATION",
    "FEEDBACK",
    "HINT",
    "HINT_REQUEST",
    "RESPONSE",
    "TEMPLATES",
    "feedback_rule",
    "hint_rule",
    "map_response",
    "mapping",
    "match_correct",
    "outcomes",
    "processing",
    "response",
    "values",
    "within_tolerance",
]
