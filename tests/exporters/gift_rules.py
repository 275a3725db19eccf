"""Moodle's own GIFT import rules (question/format/gift/format.php), re-implemented in Python
for the checks gift-pegjs does not make: physical lines, `0` and `//` lines, weights."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qbank.model.rules import is_moodle_weight

_ESCAPED = ["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"]
_PLACEHOLDERS = ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010"]
_CHARS = [":", "#", "=", "{", "}", "~", "\n"]
WEIGHT_RE = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def pre(text: str) -> str:
    """`escapedchar_pre`: hide escapes behind placeholders (structure is parsed after)."""
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_ESCAPED, _PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def post(text: str) -> str:
    """`escapedchar_post`: placeholders back to their characters."""
    for placeholder, char in zip(_PLACEHOLDERS, _CHARS, strict=True):
        text = text.replace(placeholder, char)
    return text


def decode(text: str) -> str:
    """What Moodle stores for one escaped text part."""
    return post(pre(text))


def blocks(gift: str) -> list[list[str]]:
    """`readquestions`: physical lines, trimmed, split at lines PHP's `empty()` calls empty."""
    result: list[list[str]] = []
    current: list[str] = []
    for raw in gift.split("\n"):
        line = raw.strip(" \t\r\n\0\x0b")
        if line in ("", "0"):
            if current:
                result.append(current)
            current = []
        else:
            current.append(line)
    if current:
        result.append(current)
    return result


@dataclass
class Parsed:
    """The parts of one question block, as `readquestion` sees them (escapes hidden)."""

    comments: list[str]
    name: str
    stem: str
    answers: str
    general_feedback: str


def parse_block(lines: list[str]) -> Parsed:
    """`readquestion` up to the type decision."""
    comments = [line for line in lines if line.startswith("//")]
    text = pre("\n".join(" " if line.startswith("//") else line for line in lines).strip())
    assert text.startswith("::"), text[:80]
    end = text.index("::", 2)
    name, text = text[2:end], text[end + 2 :].strip()
    start, finish = text.index("{"), text.index("}")
    assert text.endswith("}") and finish == len(text) - 1, "text after the answer block"
    answers = text[start + 1 : finish].strip()
    feedback = ""
    if "####" in answers:
        cut = answers.rindex("####")
        answers, feedback = answers[:cut].strip(), answers[cut + 4 :]
    return Parsed(comments, name, text[:start], answers, feedback)


def qtype(answers: str) -> str:
    """The type Moodle picks from the answer text (escapes hidden)."""
    if answers == "":
        return "essay"
    if answers[0] == "#":
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    head = answers.split("#", 1)[0].strip()
    return "truefalse" if head in ("T", "TRUE", "F", "FALSE") else "shortanswer"


def multichoice_fractions(answers: str) -> tuple[bool, list[float | None]]:
    """(single, fractions) as Moodle computes them; None marks a `%…%` Moodle cannot read."""
    single = "=" in answers
    parts = [p.strip() for p in answers.replace("=", "~=").split("~")]
    parts = parts[1:] if not parts[0] else parts
    fractions: list[float | None] = []
    for part in parts:
        if part.startswith("="):
            fractions.append(100.0)
        elif part.startswith("%"):
            match = WEIGHT_RE.match(part)
            fractions.append(float(part[1 : part.index("%", 1)]) if match else None)
        else:
            fractions.append(0.0)
    return single, fractions


def weights_ok(fractions: list[float | None]) -> bool:
    """Every grade in Moodle's list, and the positive ones summing to 100 (2 decimals)."""
    if any(f is None or not is_moodle_weight(f) for f in fractions):
        return False
    return round(sum(f for f in fractions if f and f > 0), 2) == 100  # type: ignore[misc]
