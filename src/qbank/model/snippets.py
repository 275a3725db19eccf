"""Reading a question's snippets: which language they are in, where a code choice goes, whether
`check` uses `answer`, and the programs a question runs assembled from them.

Pure functions of the model, shared by the static checks and the proof by running."""

from __future__ import annotations

import contextlib
import functools
import io
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from qbank.model.bank import Bank
from qbank.model.base import PLACEHOLDER
from qbank.model.questions import QuestionBase


def placeholder_line(template: str) -> int | None:
    """The 0-based index of the template's placeholder line: a line that is just ``____``,
    outside any string literal (a ``____`` line inside a docstring is text, not a gap)."""
    inside = _lines_inside_strings(template)
    for index, line in enumerate(template.splitlines()):
        if line.strip() == PLACEHOLDER and index not in inside:
            return index
    return None


def _lines_inside_strings(source: str) -> set[int]:
    """0-based indexes of lines that continue a multi-line string literal (their text is
    part of the string, so indenting them would change the string)."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))  # 1-based start+1 .. end
            # From Python 3.12 f-strings are tokenised piecewise: their text is FSTRING_MIDDLE.
            middle = token.type == getattr(tokenize, "FSTRING_MIDDLE", -1)
            if middle and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # broken code (a fair wrong choice): fall back to plain lines
    return inside


@dataclass(frozen=True)
class Spliced:
    """A template with a choice's code put in place of its placeholder."""

    source: str
    """The whole program."""
    start: int
    """0-based index of the first line of the choice's code in `source`."""
    length: int
    """How many lines the choice's code takes."""

    def origin(self, line: int) -> tuple[str, int]:
        """Where 1-based `line` of the program came from: ("choice"|"template", 1-based line)."""
        index = line - 1
        if self.start <= index < self.start + self.length:
            return "choice", index - self.start + 1
        if index >= self.start + self.length:
            return "template", index - self.length + 2
        return "template", line


def splice(template: str, code: str, *, python: bool = True) -> Spliced:
    """Replace the placeholder line by `code`, indented like the placeholder.

    Lines that continue a multi-line string literal of `code` are left as written, so the
    string keeps its value wherever the placeholder sits. In another language (`python`
    false) the code goes in as written, its first line at the placeholder's indentation:
    indentation means nothing to C or JavaScript, and re-indenting would change a heredoc's
    end, a template literal or a multi-line string, which Python's tokenizer cannot see.
    """
    lines = template.splitlines()
    index = placeholder_line(template)
    if index is None:
        raise ValueError("the template has no placeholder line")
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    if not python:
        body = code.rstrip("\n").split("\n") if code.strip() else [""]
        inserted = [indent + body[0], *body[1:]]
        program = [*lines[:index], *inserted, *lines[index + 1 :]]
        return Spliced("\n".join(program) + "\n", index, len(inserted))
    literal = _lines_inside_strings(code)
    inserted = [
        line if i in literal or not line.strip() else indent + line
        for i, line in enumerate(code.splitlines())
    ] or [indent + "pass"]
    program = [*lines[:index], *inserted, *lines[index + 1 :]]
    return Spliced("\n".join(program) + "\n", index, len(inserted))


PYTHON = frozenset({"python", "py", "python3"})
"""The spellings of Python."""
OTHER_LANGUAGES = frozenset(
    {"javascript", "js", "node", "nodejs", "sql", "sqlite", "sqlite3", "bash", "sh", "shell", "c"}
)
"""The spellings of the other languages qbank runs (:mod:`qbank.languages`, which a test
keeps equal to this)."""


def runs_python(bank: Bank, question: QuestionBase) -> bool:
    """Whether the question's snippets are Python (compiled here, run in the warm workers)."""
    language = question.language or bank.language
    return language.strip().lower() in PYTHON


def runs_snippets(bank: Bank, question: QuestionBase) -> bool:
    """Whether qbank runs the question's snippets: Python or a language of
    :mod:`qbank.languages` (others are shown and highlighted, never run)."""
    language = (question.language or bank.language).strip().lower()
    return language in PYTHON or language in OTHER_LANGUAGES


@contextlib.contextmanager
def quiet_compiling() -> Iterator[None]:
    """Compiler warnings (`SyntaxWarning`, `DeprecationWarning`) raised while reading snippets
    (compiled under names like `<snippet>`) are not printed: the static checks report them,
    at their line, as problems."""
    with warnings.catch_warnings():
        for category in (SyntaxWarning, DeprecationWarning):
            warnings.filterwarnings("ignore", category=category, module="<")
        yield


@functools.lru_cache(maxsize=4096)
def uses_answer(check: str | None) -> bool:
    """Whether a `check` snippet refers to the name `answer` (remembered: the static checks,
    the key check and the plan all ask, about the same snippets)."""
    if not check:
        return False
    try:
        with quiet_compiling():
            code = compile(check, "<check>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return "answer" in _names(code)


def _names(code: object) -> set[str]:
    names = set(getattr(code, "co_names", ()))
    for const in getattr(code, "co_consts", ()):
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names
