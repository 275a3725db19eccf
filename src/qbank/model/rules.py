"""Rules of the bank format that more than one stage applies, beside the fields they govern.

Moodle's grade list decides which `weight` values are valid (static checks) and how they are
written (GIFT, Moodle XML); the output comparison decides when an `output` question's key and
distractors match what the program printed (proof) and how a key is shown (exports); which
`expect.raises` lets `code` not compile (static checks and proof); which names a run's files
may have (static checks; the runner's worker applies the same rule on its own, stdlib only).
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


FILE_NAME_RULE = (
    "a file name must be a relative path inside the run folder, `/`-separated, with no empty, "
    "`.` or `..` part and no leading `/` (e.g. `data/in.txt`, `..config`)"
)
"""What a name in `files` or `expect.files` may be, as problems say it."""

MAX_NAME_PART = 255
"""Most bytes (UTF-8) of one part of a file name: Linux's `NAME_MAX`."""


def file_name_flaw(name: str) -> str | None:
    """Why `name` cannot name a file of a run (in `files` or `expect.files`), or None when it
    can. The runner's worker refuses the same names (``qbank/runner/sandbox.py``,
    ``bad_file_name``; a test keeps the two equal)."""
    if not name:
        return "is empty"
    if "\0" in name:
        return "holds a NUL character"
    if name.startswith("/"):
        return "is an absolute path"
    parts = name.split("/")
    if ".." in parts:
        return "has a `..` part, which leaves the run folder"
    if name == ".":
        return "is the run folder itself"
    if "" in parts:
        return "has an empty part (`//`, or a `/` at the end)"
    if "." in parts:
        return "has a `.` part"
    try:
        sizes = [len(part.encode("utf-8")) for part in parts]
    except UnicodeEncodeError:
        return "is not valid text (it holds a lone surrogate)"
    if max(sizes) > MAX_NAME_PART:
        return f"has a part longer than {MAX_NAME_PART} bytes"
    return None
