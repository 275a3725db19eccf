"""Rules of the bank format that more than one stage applies, beside the fields they govern.

Moodle's grade list decides which `weight` values are valid (static checks) and how they are
written (GIFT, Moodle XML); the output comparison decides when an `output` question's key and
distractors match what the program printed (proof) and how a key is shown (exports); which
`expect.raises` lets `code` not compile (static checks and proof).
"""

from __future__ import annotations

import builtins

#: Percentages Moodle accepts as grades (and so as weights), besides their negatives.
MOODLE_WEIGHTS = (
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
    16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0,
)  # fmt: skip


def is_moodle_weight(weight: float) -> bool:
    """Whether Moodle's importer accepts `weight` (a percentage) as a grade: within 0.00001 of
    an allowed *fraction* (`match_grade_options`), so 33.333 and 33.33333 both pass."""
    return any(abs(abs(weight) - allowed) / 100 < 0.00001 for allowed in MOODLE_WEIGHTS)


def normalise_output(text: str) -> str:
    """Output compared ignoring trailing whitespace of lines and of the text.

    Lines are split on newlines only (`str.splitlines` would also split on form feeds and
    other separators a program may print inside a line).
    """
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def same_output(expected: str, actual: str, *, exact: bool = False) -> bool:
    """Whether a program that printed `actual` printed `expected` (byte for byte if `exact`)."""
    return expected == actual if exact else normalise_output(expected) == normalise_output(actual)


def compile_error_expected(raises: str | None) -> bool:
    """Whether an `expect.raises` names SyntaxError or one of its builtin subclasses
    (`IndentationError`, `TabError`): then `code` may fail to compile, and its compile error
    is the run's outcome (static checks do not report it)."""
    if not raises:
        return False
    found = getattr(builtins, raises.removeprefix("builtins."), None)
    return isinstance(found, type) and issubclass(found, SyntaxError)
