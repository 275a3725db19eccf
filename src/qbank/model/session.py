"""Interactive sessions: a `code` written as the shell shows it (`>>> ` and `... ` lines).

A snippet whose first non-blank line starts with `>>> ` is a **session**. Each statement is
its `>>> ` line plus the `... ` lines that continue it; the lines under it, up to the next
`>>> `, are its **transcript**: what the shell printed (trailing blank lines dropped). A
statement with no line under it has no transcript.

Pure functions of the text, shared by the static checks (each statement compiles) and the
proof by running (the driver program of :mod:`qbank.prove.session`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROMPT = ">>>"
CONTINUATION = "..."

#: The class of an exception line of a transcript that says the statement does not compile.
_COMPILE_ERROR = re.compile(r"(SyntaxError|IndentationError|TabError)(:|$)")
#: Lines the shell prints above an exception's last line, which a transcript may copy.
_TRACEBACK = "Traceback (most recent call last):"
_FILE_LINE = re.compile(r'\s+File "[^"]*", line \d+')


@dataclass(frozen=True)
class Statement:
    """One statement of a session and what the session says it printed."""

    source: str
    """The statement without its prompts, ending with a newline."""
    line: int
    """The 1-based line of its `>>> ` line in the session."""
    transcript: str | None
    """The lines written under it (as written, trailing blank lines dropped), or None."""

    @property
    def blank(self) -> bool:
        """Whether the statement is only blank lines and comments (the shell runs nothing)."""
        return all(not s.strip() or s.strip().startswith("#") for s in self.source.split("\n"))

    @property
    def expected(self) -> str | None:
        """The transcript as it is compared (see :func:`normalise_transcript`)."""
        return None if self.transcript is None else normalise_transcript(self.transcript)

    @property
    def expects_compile_error(self) -> bool:
        """Whether its transcript ends with a SyntaxError (or a subclass) line."""
        expected = self.expected
        last = expected.split("\n")[-1] if expected else ""
        return bool(_COMPILE_ERROR.match(last))

    def padded(self) -> str:
        """The source preceded by blank lines, so that it compiles at its session line."""
        return "\n" * (self.line - 1) + self.source


def _prompt_text(line: str, prompt: str) -> str | None:
    """The text after `prompt` (`>>>` or `...`) and one space, or None if not a prompt line."""
    if line == prompt:
        return ""
    if line.startswith(prompt + " "):
        return line[len(prompt) + 1 :]
    return None


def is_session(code: str | None) -> bool:
    """Whether `code` is an interactive session: its first non-blank line starts with `>>> `."""
    for line in (code or "").split("\n"):
        if line.strip():
            return _prompt_text(line.lstrip(), PROMPT) is not None
    return False


def has_transcripts(code: str | None) -> bool:
    """Whether `code` is a session with at least one transcript to check (so it runs)."""
    return any(s.transcript is not None for s in parse_session(code or ""))


def parse_session(code: str) -> tuple[Statement, ...]:
    """The statements of a session, in order (empty when `code` is not a session)."""
    if not is_session(code):
        return ()
    lines = code.split("\n")
    first = next(line for line in lines if line.strip())
    indent = first[: len(first) - len(first.lstrip())]
    lines = [line[len(indent) :] if line.startswith(indent) else line for line in lines]
    statements: list[Statement] = []
    index = 0
    while index < len(lines):
        text = _prompt_text(lines[index], PROMPT)
        if text is None:
            index += 1  # blank lines before the first prompt
            continue
        start, body = index, [text]
        index += 1
        while index < len(lines) and (more := _prompt_text(lines[index], CONTINUATION)) is not None:
            body.append(more)
            index += 1
        shown: list[str] = []
        while index < len(lines) and _prompt_text(lines[index], PROMPT) is None:
            shown.append(lines[index])
            index += 1
        while shown and not shown[-1].strip():
            shown.pop()
        transcript = "\n".join(shown) + "\n" if shown else None
        statements.append(Statement("\n".join(body) + "\n", start + 1, transcript))
    return tuple(statements)


def normalise_transcript(text: str) -> str:
    """A transcript as it is compared, like doctest: trailing whitespace of each line and
    of the text ignored, and the traceback lines the shell prints above an exception's last
    line (`Traceback (most recent call last):`, its indented `File ...` lines and `...`)
    dropped, since a run reports only the last line (`ZeroDivisionError: division by zero`)."""
    kept: list[str] = []
    skipping = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.rstrip() == _TRACEBACK or _FILE_LINE.match(line):
            skipping = True
            continue
        if skipping and (line[:1].isspace() or line.strip() == CONTINUATION):
            continue
        skipping = False
        kept.append(line.rstrip())
    return "\n".join(kept).rstrip()


__all__ = ["Statement", "has_transcripts", "is_session", "normalise_transcript", "parse_session"]
