"""GIFT's physical layer, as Moodle's importer reads it (``reference/gift.md`` §1 and §2).

* :func:`blocks` splits a file into blocks: every line trimmed, a line that is empty after
  trimming (or PHP-`empty` ``0``) ends a block, ``//`` lines are comments (their
  ``[tag:x]`` and ``[id:x]`` marks read), each block knowing the line it starts at.
* :func:`hide` is the escape tokenizer: it reads ``\\\\`` as a backslash and ``\\~ \\= \\#
  \\{ \\} \\:`` (and ``\\n``) as literal characters, written as Unicode noncharacters so that
  the structure of a block can then be read with plain string operations; :func:`reveal`
  gives them back (``\\n`` as a real newline). Every other backslash stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ESCAPABLE = "~=#{}:"
_HIDDEN = {char: chr(0xFDD0 + i) for i, char in enumerate(_ESCAPABLE)}
_NEWLINE = chr(0xFDDF)
_REVEAL = str.maketrans({hidden: char for char, hidden in _HIDDEN.items()} | {_NEWLINE: "\n"})
_TRIM = " \t\r\n\0\x0b"  # PHP's trim()


@dataclass
class Block:
    """The lines of one blank-line-separated block, comments apart."""

    line: int
    """Where the question text starts (1-based; the block's first line if all comments)."""
    lines: list[str] = field(default_factory=list)
    """The trimmed text lines, comment lines left out."""
    comments: list[str] = field(default_factory=list)
    """The text of each `//` line (without the slashes), in order."""
    tags: list[str] = field(default_factory=list)
    """The `[tag:x]` marks of its comment lines."""
    idnumber: str | None = None
    """The first `[id:x]` mark of its comment lines."""
    raw: list[str] = field(default_factory=list)
    """Every physical line of the block as written (kept when it cannot be read)."""
    reindented: list[int] = field(default_factory=list)
    """Lines inside a ``` fence whose indentation Moodle's trimming drops and that keep it
    here (the author's code, not the flattened one Moodle shows)."""
    fence_comments: list[tuple[int, str]] = field(default_factory=list)
    """(line, text) of each `//` line inside a ``` fence: kept as code here, but Moodle's
    importer drops it as a comment, so learners never saw it."""
    in_fence: bool = False

    @property
    def text(self) -> str:
        """The text lines joined as Moodle joins them."""
        return "\n".join(self.lines).strip(_TRIM)


def split_lines(text: str) -> list[str]:
    """Physical lines: LF or CRLF, or CR alone in a file that has no LF."""
    if "\n" not in text:
        return text.split("\r")
    return text.split("\n")


def blocks(text: str) -> list[Block]:
    """The blocks of a GIFT file, in order; comment-only blocks included."""
    found: list[Block] = []
    current: Block | None = None
    for number, physical in enumerate(split_lines(text), start=1):
        line = physical.strip(_TRIM)
        if line in ("", "0"):
            current = None
            continue
        if current is None:
            current = Block(number)
            found.append(current)
        current.raw.append(physical.rstrip("\r"))
        if line.startswith("//") and not current.in_fence:
            _comment(current, line[2:])
        else:
            if line.startswith("//"):
                current.fence_comments.append((number, line))
            if not current.lines:
                current.line = number
            current.lines.append(_fenced(current, line, physical, number))
    return found


def _fenced(block: Block, line: str, physical: str, number: int) -> str:
    """`line` (trimmed), or inside a ``` fence the physical line with its indentation kept
    (recorded in :attr:`Block.reindented`)."""
    if line.startswith("```"):
        block.in_fence = not block.in_fence
        return line
    if not block.in_fence:
        return line
    kept = physical.rstrip(_TRIM)
    if kept != line:
        block.reindented.append(number)
    return kept


def _comment(block: Block, text: str) -> None:
    """A comment's marks read; the rest of its text kept (a line of marks only is read)."""
    rest = text
    for kind, value, mark in _marks(text):
        rest = rest.replace(mark, "", 1)
        if kind == "tag" and value:
            block.tags.append(value)
        elif kind == "id" and value and block.idnumber is None:
            block.idnumber = value
    if rest.strip():
        block.comments.append(text.strip())


def _marks(text: str) -> list[tuple[str, str, str]]:
    """The `[tag:x]` and `[id:x]` marks of a comment (`\\]` is a literal `]`): kind, value
    and the mark as written."""
    marks = []
    start = 0
    while (open_at := text.find("[", start)) >= 0:
        start = open_at + 1
        for kind in ("tag", "id"):
            if text.startswith(f"[{kind}:", open_at):
                value, end = _mark_value(text, open_at + len(kind) + 2)
                if end is not None:
                    marks.append((kind, value.strip(), text[open_at:end]))
                    start = end
    return marks


def _mark_value(text: str, start: int) -> tuple[str, int | None]:
    value = []
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\" and text.startswith("]", index + 1):
            value.append("]")
            index += 2
        elif char == "]":
            return "".join(value), index + 1
        else:
            value.append(char)
            index += 1
    return "", None


def hide(text: str) -> str:
    """`text` with its escapes read: escaped structural characters become noncharacters."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1 : index + 2]
        if char == "\\" and following == "\\":
            out.append("\\")
        elif char == "\\" and following in _HIDDEN:
            out.append(_HIDDEN[following])
        elif char == "\\" and following == "n":
            out.append(_NEWLINE)
        else:
            out.append(char)
            index += 1
            continue
        index += 2
    return "".join(out)


def reveal(hidden: str) -> str:
    """The text as written: hidden characters back, `\\n` as a newline; trimmed like Moodle."""
    return hidden.translate(_REVEAL).strip(_TRIM)


def reveal_raw(hidden: str) -> str:
    """As :func:`reveal`, untrimmed (for parts joined again, as a missing-word stem)."""
    return hidden.translate(_REVEAL)


__all__ = ["Block", "blocks", "hide", "reveal", "reveal_raw", "split_lines"]
