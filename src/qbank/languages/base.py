"""What a language backend is: how qbank checks, joins and runs snippets of one language.

A backend is one small class (:class:`Backend`); adding a language (Java, Go) is one module
in this folder and one line in :data:`qbank.languages.BACKENDS`. It says:

* its **toolchain** (:meth:`Backend.toolchain`): the programs it needs, found on ``PATH``,
  and their version, which is part of every cache key of its runs (a new compiler proves
  again); missing, every question of the language in a bank is one ``language-unavailable``;
* how ``setup``, ``code`` and ``run`` are **joined** into one program (:meth:`Backend.join`),
  keeping where each line came from (:class:`Joined`), so that a diagnostic lands on its
  YAML line;
* how the program is **checked statically** (:meth:`Backend.diagnose`) with the real
  toolchain (``node --check``, ``bash -n``, ``cc -fsyntax-only``, SQLite's parser), under
  limits (:mod:`.tools`): a compile bomb or a hanging compiler is a limit hit, reported;
* how it **runs** (:meth:`Backend.driver`): a short Python program that the run executes in
  place of Python code. It writes the program into the run's working folder and runs the
  toolchain as a subprocess of the run, so the run's namespaces, limits and cleanup apply to
  it (and to a compiler) exactly as to Python code; its output goes to the run's captured
  stdout and stderr. `check` stays Python and runs after it in the same namespace, with
  ``exit_code`` bound (and, for SQL, ``rows``).

How a run of the program ends, as the truth table reads it: exit status 0 is a normal end;
another status is an abnormal end (``SystemExit``); death by a signal is a crash; a program
that does not compile raises ``CompileError`` with the compiler's first diagnostics (a
wrong code choice that does not compile is refuted by it, as a Python ``SyntaxError`` is).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from qbank.languages.tools import Diagnostic

PARTS = ("setup", "code", "run")
"""The snippet fields a backend joins, in order (`check` stays Python)."""


@dataclass(frozen=True)
class Toolchain:
    """The programs a backend runs: absolute paths and a version, or why they are missing."""

    paths: tuple[str, ...] = ()
    version: str = ""
    missing: str | None = None
    """What is missing and how to install it (None: all there)."""


@dataclass(frozen=True)
class Joined:
    """`setup`, `code` and `run` as one program, and where each of its lines came from."""

    text: str
    spans: tuple[tuple[str, int, int], ...] = field(default=())
    """(field, first line in `text` (1-based), line count) of each part, in order."""
    files: tuple[tuple[str, str], ...] = ()
    """The question's fixture files (name, text): beside the program when a toolchain
    checks it (a C `#include "square.h"`)."""

    def origin(self, line: int) -> tuple[str, int]:
        """The (field, 1-based line of that field) of 1-based `line` of `text` (the nearest
        part when `line` is between parts or past the end)."""
        last = ("code", 1)
        for name, start, count in self.spans:
            if start <= line < start + max(count, 1):
                return name, line - start + 1
            if line >= start:
                last = (name, max(count, 1))
        return last


def join_lines(parts: dict[str, str], separator: str = "") -> Joined:
    """The parts in :data:`PARTS` order, each ending with a newline, `separator` (a line)
    between them; empty parts left out."""
    lines: list[str] = []
    spans = []
    for name in PARTS:
        source = parts.get(name) or ""
        if not source.strip():
            continue
        if lines and separator:
            lines.append(separator)
        body = source.rstrip("\n").split("\n")
        spans.append((name, len(lines) + 1, len(body)))
        lines.extend(body)
    return Joined("\n".join(lines) + "\n" if lines else "", tuple(spans))


class Backend(ABC):
    """One language (see the module docstring)."""

    name: ClassVar[str]
    """What `language:` says (`javascript`)."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Other spellings accepted (`js`, `node`)."""
    install: ClassVar[str] = ""
    """How to get the toolchain on Debian/Ubuntu, for `language-unavailable`."""

    @functools.cached_property
    def toolchain(self) -> Toolchain:
        """The toolchain, looked up once per process."""
        return self.find_toolchain()

    @abstractmethod
    def find_toolchain(self) -> Toolchain:
        """Look the toolchain up (see :func:`find_programs`)."""

    def join(self, setup: str, code: str, run: str) -> Joined:
        """The program of one run (default: the parts one after the other)."""
        return join_lines({"setup": setup, "code": code, "run": run})

    @abstractmethod
    def diagnose(self, joined: Joined) -> list[Diagnostic]:
        """What the toolchain says of `joined` without running it: errors (it does not
        compile) and warnings, at lines of `joined.text`."""

    batches: ClassVar[bool] = False
    """Whether :meth:`diagnose_many` checks many programs in one toolchain process (else the
    static checks run :meth:`diagnose` on a thread per core)."""

    def diagnose_many(self, programs: list[Joined]) -> list[list[Diagnostic]]:
        """:meth:`diagnose` of each program (a backend whose toolchain can check many at
        once overrides this and sets :attr:`batches`)."""
        return [self.diagnose(joined) for joined in programs]

    @abstractmethod
    def driver(self, joined: Joined) -> str:
        """The Python program a run executes for `joined` (see the module docstring)."""


def find_programs(names: tuple[str, ...], version_args: tuple[str, ...], install: str) -> Toolchain:
    """`names` on ``PATH`` and the first line of what the first prints for `version_args`."""
    paths = []
    for name in names:
        found = shutil.which(name)
        if found is None:
            return Toolchain(missing=f"`{name}` is not on PATH ({install})")
        paths.append(found)
    try:
        done = subprocess.run(
            [paths[0], *version_args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        return Toolchain(missing=f"`{names[0]}` does not run: {error}")
    text = (done.stdout or done.stderr).strip().splitlines()
    return Toolchain(tuple(paths), text[0] if text else "unknown version")


__all__ = ["PARTS", "Backend", "Joined", "Toolchain", "find_programs", "join_lines"]
