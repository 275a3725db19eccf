"""text2qti's Markdown read into entries: (kind, text, line), as text2qti's own parser reads
it: a line starting with a marker (``1.``, ``*a)``, ``[*]``, ``...``, ``=``, ``Title:``, ...)
followed by whitespace starts an entry; lines indented as far as the text after the marker
(two spaces or more after a ``Name:`` marker) continue it, blank lines included where the
entry may hold paragraphs; ``%`` lines and ``COMMENT`` ... ``END_COMMENT`` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (kind, marker): the order is text2qti's, so `*a)` is a choice before `*` is an answer.
_MARKERS = (
    ("question", r"\d+\."),
    ("mc_correct", r"\*[a-zA-Z]\)"),
    ("mc_wrong", r"[a-zA-Z]\)"),
    ("ma_correct", r"\[\*\]"),
    ("ma_wrong", r"\[ ?\]"),
    ("short", r"\*"),
    ("feedback", r"\.\.\."),
    ("correct_feedback", r"\+"),
    ("incorrect_feedback", r"\-"),
    ("solution", r"!"),
    ("essay", r"___+"),
    ("upload", r"\^\^\^+"),
    ("numerical", r"="),
    ("title", r"[Tt]itle:"),
    ("points", r"[Pp]oints:"),
    ("text_title", r"[Tt]ext [Tt]itle:"),
    ("text", r"[Tt]ext:"),
    ("quiz_title", r"[Qq]uiz [Tt]itle:"),
    ("quiz_description", r"[Qq]uiz description:"),
    ("start_group", r"GROUP"),
    ("end_group", r"END_GROUP"),
    ("pick", r"[Pp]ick:"),
    ("solutions_pick", r"[Ss]olutions pick:"),
    ("points_per_question", r"[Pp]oints per question:"),
    ("run_code", r"```+\s*\S.*"),
    (
        "option",
        r"(?:[Ss]huffle answers|[Ss]how correct answers|[Oo]ne question at a time|"
        r"[Cc]an't go back|[Ff]eedback is solution|[Ss]olutions sample groups|"
        r"[Ss]olutions randomize groups):",
    ),
)
_BARE = {"essay", "upload", "start_group", "end_group", "run_code"}
SINGLE_LINE = {
    "points",
    "pick",
    "solutions_pick",
    "points_per_question",
    "numerical",
    "short",
    "option",
}
_START = re.compile(
    "|".join(
        rf"(?P<{kind}>{marker}\s*)$" if kind in _BARE else rf"(?P<{kind}>{marker}[ \t]+(?=\S))"
        for kind, marker in _MARKERS
    )
)


@dataclass(frozen=True)
class Entry:
    kind: str
    """A marker's kind (`question`, `mc_correct`, ...), or `stray` for unmarked text."""
    text: str
    line: int
    marker: str = ""


def _continuation(
    lines: list[str], start: int, kind: str, indent: str | None
) -> tuple[list[str], int]:
    """The lines continuing the entry started at `start`, and the index after them."""
    taken: list[str] = []
    index = start + 1
    while index < len(lines):
        line = lines[index].expandtabs(4)
        if not line.strip():
            if kind in SINGLE_LINE or "title" in kind:
                break
            taken.append("")
        else:
            if indent is None:
                if not line.startswith((" ", "\t")):
                    break
                indent = " " * (len(line) - len(line.lstrip(" ")))
            elif not line.startswith(indent):
                break
            taken.append(line[len(indent) :].rstrip())
        index += 1
    while taken and not taken[-1]:
        taken.pop()
        index -= 1
    while index > start + 1 and not lines[index - 1].strip():
        index -= 1
    return taken, index


def entries(text: str) -> list[Entry]:
    """The entries of a text2qti file, in order."""
    lines = text.replace("\r\n", "\n").split("\n")
    found: list[Entry] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _START.match(line)
        if line.startswith("COMMENT") and line.strip() == "COMMENT":
            while index < len(lines) and lines[index].strip() != "END_COMMENT":
                index += 1
            index += 1
            continue
        if match is None or line.startswith("%"):
            if line.strip() and not line.startswith("%"):
                found.append(Entry("stray", line.strip(), index + 1))
            index += 1
            continue
        kind = match.lastgroup or "stray"
        marker = match.group(0)
        first = line[match.end() :].strip()
        if kind in _BARE or kind in SINGLE_LINE:
            found.append(Entry(kind, first or marker.strip(), index + 1, marker.strip()))
            index += 1
            continue
        indent = None if marker.strip().endswith(":") else " " * len(marker.expandtabs(4))
        more, after = _continuation(lines, index, kind, indent)
        found.append(Entry(kind, "\n".join([first, *more]).strip("\n"), index + 1, marker.strip()))
        index = max(after, index + 1)
    return found


__all__ = ["SINGLE_LINE", "Entry", "entries"]
