"""Assembling the programs a question runs from its snippets."""

from __future__ import annotations

from dataclasses import dataclass

from qbank.model import PLACEHOLDER


def placeholder_line(template: str) -> int | None:
    """The 0-based index of the template's placeholder line (a line that is just ``____``)."""
    for index, line in enumerate(template.splitlines()):
        if line.strip() == PLACEHOLDER:
            return index
    return None


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


def splice(template: str, code: str) -> Spliced:
    """Replace the placeholder line by `code`, indented like the placeholder."""
    lines = template.splitlines()
    index = placeholder_line(template)
    if index is None:
        raise ValueError("the template has no placeholder line")
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    inserted = [indent + line if line.strip() else line for line in code.splitlines()] or [indent]
    program = [*lines[:index], *inserted, *lines[index + 1 :]]
    return Spliced("\n".join(program) + "\n", index, len(inserted))
