"""`requires` entries read as requirements: a module with an optional version specifier, or
`python` itself, a requirement on the interpreter's version rather than a distribution.

Pure functions shared by the static checks (which compile only what the target interpreter
should run) and the proof (which runs nothing a `python` requirement excludes, and looks up
every other requirement among the installed distributions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from qbank.model.bank import Bank
from qbank.model.questions import QuestionBase

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_RELEASE = re.compile(r"^\d+(\.\d+)*")


@dataclass(frozen=True)
class Requirement:
    """A `requires` entry: a module to import and, optionally, a version specifier."""

    text: str
    name: str
    specifier: str

    @property
    def module(self) -> str:
        """The module name to import (the distribution name with `-` as `_`)."""
        return self.name.replace("-", "_")

    @property
    def is_python(self) -> bool:
        """Whether this is a requirement on the interpreter (`python>=3.10`)."""
        return self.name.lower() == "python"


@lru_cache(maxsize=4096)  # a bank's `requires` are read once per question of it
def parse_requirement(text: str) -> Requirement:
    """Split `fastapi>=0.110` into its name and specifier."""
    match = _NAME.match(text)
    if match is None:  # pragma: no cover - the model's pattern already refused it
        raise ValueError(f"not a requirement: {text!r}")
    return Requirement(text, match.group(1), match.group(3).strip())


def requirements_of(bank: Bank, question: QuestionBase | None = None) -> list[Requirement]:
    """The bank's requirements and, given a question, that question's too (each text once)."""
    if not bank.requires and (question is None or not question.requires):
        return []  # most questions of most banks: asked four times per question
    texts = list(bank.requires) + (list(question.requires) if question is not None else [])
    return [parse_requirement(t) for t in dict.fromkeys(texts)]


def valid_specifier(specifier: str) -> bool:
    """Whether `specifier` is a version specifier packaging can read (`>=3.10,<4`)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(specifier)
    except InvalidSpecifier:
        return False
    return True


def python_requirements(bank: Bank, question: QuestionBase | None = None) -> list[Requirement]:
    """The `python` requirements with a specifier of the bank (and of `question`)."""
    return [r for r in requirements_of(bank, question) if r.is_python and r.specifier]


def python_unmet(bank: Bank, question: QuestionBase, version: str) -> str | None:
    """Why an interpreter of `version` (`3.11.7`) must not compile or run `question`:
    `needs python<3.8, running 3.11.7` (None when every `python` requirement is met;
    a specifier packaging cannot read is not judged here, the static checks report it)."""
    from packaging.specifiers import SpecifierSet

    release = _RELEASE.match(version)
    if release is None:
        return None
    unmet = [
        r.text
        for r in python_requirements(bank, question)
        if valid_specifier(r.specifier)
        and not SpecifierSet(r.specifier).contains(release.group(0), prereleases=True)
    ]
    return f"needs {', '.join(unmet)}, running {version}" if unmet else None


def python_skip(bank: Bank, question: QuestionBase, version: Callable[[], str]) -> str | None:
    """Why the target interpreter must neither compile nor run `question` (see
    :func:`python_unmet`), or None. `version` is asked only when the question has a `python`
    requirement, so a remote interpreter is not asked for nothing. The one rule the static
    checks and the validation both apply."""
    if not python_requirements(bank, question):
        return None
    return python_unmet(bank, question, version())


__all__ = [
    "Requirement",
    "parse_requirement",
    "python_requirements",
    "python_skip",
    "python_unmet",
    "requirements_of",
    "valid_specifier",
]
