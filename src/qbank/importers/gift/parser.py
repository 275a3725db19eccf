"""One GIFT block read into its parts, as Moodle's ``readquestion`` splits it (§3, §4).

The text is read with its escapes hidden (:func:`~.lexer.hide`), so a `{`, `~`, `=`, `#` or
`:` found here is structural. :func:`parse` gives a :class:`Parsed` question or raises
:class:`GiftSyntaxError` with what is wrong; :func:`answers` splits an answer list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from qbank.importers.gift.lexer import reveal, reveal_raw

FORMATS = ("html", "markdown", "plain", "moodle")
CATEGORY = "$CATEGORY:"


class GiftSyntaxError(ValueError):
    """A block Moodle would refuse to import (its message says why), or one the bank cannot
    hold at all (`kind` ``invalid``: a number no float holds)."""

    def __init__(self, message: str, kind: str = "syntax") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Part:
    """A text part: its text (escapes decoded, trimmed) and its format."""

    text: str
    format: str


@dataclass
class Answer:
    """One answer of an answer list: `=x`, `~x`, `~%50%x#feedback`, `=a -> b`."""

    text: str
    """Still hidden (escapes not decoded): the caller reads it by the question's type."""
    mark: str
    """`=` or `~` (numerical and short answers: `=`)."""
    weight: Decimal | None = None
    """The `%w%` percentage, if one was written and Moodle reads it."""
    bad_weight: str | None = None
    """A `%...%` that Moodle does not read as a weight (kept as part of the text)."""
    feedback: str | None = None
    """Hidden text after the answer's first `#`."""


@dataclass
class Parsed:
    """One question block, split."""

    name: str | None
    format: str
    """The question text's format (default `moodle`); parts without a tag inherit it."""
    stem: str
    """The stem's text (decoded); a missing-word stem holds `____` where the block was."""
    kind: str
    """description, essay, numerical, multichoice, match, truefalse, shortanswer, ordering."""
    body: str = ""
    """Hidden text of the answer block without its general feedback."""
    general_feedback: str | None = None
    missing_word: bool = False
    trailing: list[str] = field(default_factory=list)
    """Further `{...}` blocks Moodle leaves in the text (only the first is the answers)."""


def split_format(hidden: str, default: str) -> Part:
    """A part's format tag (`[html]`, ...) taken off, its text revealed."""
    text = hidden.lstrip()
    for name in FORMATS:
        if text.startswith(f"[{name}]"):
            return Part(reveal(text[len(name) + 2 :]), name)
    return Part(reveal(text), default)


def parse(hidden: str) -> Parsed:
    """A question block (escapes hidden, not a category) into its parts."""
    name, text = _name(hidden)
    stem_format = "moodle"
    for tag in FORMATS:
        if text.lstrip().startswith(f"[{tag}]"):
            stem_format, text = tag, text.lstrip()[len(tag) + 2 :]
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        return Parsed(name, stem_format, reveal(text), "description")
    if start < 0 or end < 0:
        missing = "}" if end < 0 else "{"
        raise GiftSyntaxError(
            f"the answer block has no `{missing}` (write `\\{missing}` for the character)"
        )
    if end < start:
        raise GiftSyntaxError("a `}` comes before the answer block's `{` (write `\\}` for it)")
    body, after = text[start + 1 : end], text[end + 1 :]
    parsed = Parsed(name, stem_format, reveal(text[:start]), _kind(body))
    if after.strip():
        parsed.missing_word = True
        parsed.stem = reveal(text[:start] + "____" + after)
        parsed.trailing = [reveal_raw(b) for b in _blocks_in(after)]
    parsed.body, parsed.general_feedback = _general_feedback(body)
    return parsed


def _name(hidden: str) -> tuple[str | None, str]:
    text = hidden.lstrip()
    if not text.startswith("::"):
        return None, hidden
    end = text.find("::", 2)
    if end < 0:
        raise GiftSyntaxError("the title is not closed: `::title::` needs its second `::`")
    return reveal(text[2:end]) or None, text[end + 2 :]


def _blocks_in(text: str) -> list[str]:
    return [part.split("}", 1)[0] for part in text.split("{")[1:]]


def _general_feedback(body: str) -> tuple[str, str | None]:
    at = body.rfind("####")
    if at < 0:
        return body, None
    return body[:at], body[at + 4 :]


def _kind(body: str) -> str:
    """The type Moodle gives an answer block (§3, step 7)."""
    text, _ = _general_feedback(body)
    stripped = text.strip()
    if stripped.startswith(">") and stripped[1:].lstrip()[:1].isdigit():
        return "ordering"
    if not stripped:
        return "essay"
    if stripped.startswith("#"):
        return "numerical"
    if "~" in stripped:
        return "multichoice"
    if "=" in stripped and "->" in stripped:
        return "match"
    if stripped.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        return "truefalse"
    return "shortanswer"


def answers(
    body: str, marks: str, weighted: str = "", feedback: bool = True
) -> tuple[str, list[Answer]]:
    """The text before the first mark, and each answer starting with one of `marks` (a
    `%w%` read after a mark in `weighted`; its feedback after `#` when `feedback`)."""
    found: list[Answer] = []
    current: list[str] = []
    lead: str | None = None
    mark = ""
    for char in body:
        if char in marks:
            if lead is None:
                lead = "".join(current)
            else:
                found.append(_answer("".join(current), mark, mark in weighted, feedback))
            current, mark = [], char
        else:
            current.append(char)
    if lead is None:
        return "".join(current), []
    found.append(_answer("".join(current), mark, mark in weighted, feedback))
    return lead, found


def _answer(text: str, mark: str, weighted: bool, feedback: bool) -> Answer:
    said: str | None = None
    if feedback and "#" in text:
        text, said = text.split("#", 1)
    answer = Answer(text.strip(), mark, feedback=said)
    if weighted and answer.text.startswith("%"):
        close = answer.text.find("%", 1)
        written = answer.text[1:close] if close > 0 else ""
        weight = read_weight(written) if close > 0 else None
        if weight is None:
            answer.bad_weight = answer.text[: close + 1] if close > 0 else "%"
        else:
            answer.weight, answer.text = weight, answer.text[close + 1 :].strip()
    return answer


def read_weight(written: str) -> Decimal | None:
    """A weight as Moodle's `^%-*([0-9]{1,2})\\.?([0-9]*)%` reads it (`-33.33333`, `100`),
    else None (`+50`, `33,3`, `100.0`, `abc`)."""
    digits = written.lstrip("-")
    negative = digits != written
    whole, dot, decimals = digits.partition(".")
    if not whole.isdigit() or not 1 <= len(whole) <= 3 or (decimals and not decimals.isdigit()):
        return None
    if len(whole) == 3 and (whole != "100" or dot):
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - digits and one dot always parse
        return None
    return -value if negative else value


def number(written: str) -> Decimal | None:
    """A number as PHP's `is_numeric` reads it (`1e3`, `.5`, `-2`, spaces around), else None."""
    text = written.strip()
    if not text or "_" in text or text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


__all__ = [
    "CATEGORY", "FORMATS", "Answer", "GiftSyntaxError", "Parsed", "Part",
    "answers", "number", "parse", "read_weight", "split_format",
]  # fmt: skip
