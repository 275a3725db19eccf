"""What Moodle keeps of a GIFT text part, and options that differ only in what it loses.

GIFT cannot carry a carriage return (Moodle's own exporter drops it, and so does ours), Moodle
trims every part after decoding its escapes, and it reads its own placeholders (``&&058;``
...) in the text as the characters they stand for (``reference/gift.md`` §2). Two options
that differ as written can therefore read the same once imported: a key ``x\\ry`` and a
distractor ``xy``. Learners could not tell them apart, so the exporter leaves such a question
out with a ``lossy-option`` warning naming both.
"""

from __future__ import annotations

from collections.abc import Sequence

_ESCAPED = ("\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n")
_PLACEHOLDERS = ("&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;", "&&010")
_CHARS = (":", "#", "=", "{", "}", "~", "\n")
_PHP_TRIM = " \t\n\r\0\x0b"


def stored(part: str) -> str:
    """What Moodle stores for one GIFT-escaped text part (`escapedchar_pre`, then
    `escapedchar_post`, then PHP's `trim`)."""
    text = part.replace("\\\\", "&&092;")
    for escaped, placeholder in zip(_ESCAPED, _PLACEHOLDERS, strict=True):
        text = text.replace(escaped, placeholder)
    text = text.replace("&&092;", "\\")
    for placeholder, char in zip(_PLACEHOLDERS, _CHARS, strict=True):
        text = text.replace(placeholder, char)
    return text.strip(_PHP_TRIM)


def same_in_moodle(options: Sequence[tuple[str, str, str, str]]) -> str | None:
    """The warning for the first two `options` (label, authored text, text part, and that
    part GIFT-escaped) whose text parts differ but read the same in Moodle; None when every
    option stays distinct. Options the same as written are not this (the static checks'
    `duplicate-option`, or meant: two pairs of a matching question may share a right side)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for label, authored, text, part in options:
        first = seen.setdefault(stored(part), (label, authored, text))
        if first[2] != text:
            return (
                f"{first[0]} ({first[1]!r}) and {label} ({authored!r}) would read the same in "
                "Moodle: GIFT drops carriage returns, and Moodle trims each option and reads "
                "`&&058;`-style placeholders as characters, so learners could not tell them "
                "apart: question left out (make them differ in what Moodle keeps)"
            )
    return None


__all__ = ["same_in_moodle", "stored"]
