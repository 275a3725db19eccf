"""Compiling snippets for the interpreter that will run them.

Static checks compile every snippet that must run. By default that is done here, in this
interpreter; with `--python` naming another one, snippets are compiled there instead (a
3.12-only construct is fine for a 3.12 target, and an error for a 3.9 one), by a small
stdlib-only compile server started lazily. Never with optimisation: `assert` must stay.

A warning the compiler raises (`SyntaxWarning: "is" with a literal`, an invalid escape
sequence's `DeprecationWarning`) is recorded with its line and returned, never printed:
the static checks report it at the snippet's line in the bank.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import warnings
from dataclasses import dataclass
from typing import Protocol

from qbank.errors import RunnerError

_SERVER = r"""
import json, platform, sys, warnings
for line in sys.stdin:
    source = json.loads(line)
    if source is None:
        sys.stdout.write(json.dumps(platform.python_version()) + "\n")
        sys.stdout.flush()
        continue
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compile(source, "<snippet>", "exec", dont_inherit=True, optimize=0)
        except SyntaxError as exc:
            error = [exc.msg, exc.lineno, exc.offset, exc.text]
        except ValueError as exc:
            error = [str(exc), 1, 0, ""]
    warned = [[w.category.__name__, str(w.message), w.lineno or 1] for w in caught]
    sys.stdout.write(json.dumps({"error": error, "warnings": warned}) + "\n")
    sys.stdout.flush()
"""


@dataclass(frozen=True)
class CompileWarning:
    """A warning the compiler raised: `SyntaxWarning`, `"is" with a literal...`, line 2."""

    category: str
    message: str
    line: int
    """1-based line inside the snippet."""


@dataclass(frozen=True)
class Compiled:
    """The outcome of compiling one snippet."""

    error: SyntaxError | None = None
    warnings: tuple[CompileWarning, ...] = ()


class Compiler(Protocol):
    """Compiles a snippet: `compile` gives its SyntaxError (or None) and its warnings;
    calling it gives the SyntaxError alone."""

    identity: str
    """What the result depends on (part of the static cache key)."""

    @property
    def version(self) -> str:
        """The version of the interpreter compiled for (`3.11.7`)."""
        ...

    def compile(self, source: str) -> Compiled: ...

    def __call__(self, source: str) -> SyntaxError | None: ...


class LocalCompiler:
    """Compiles in this interpreter."""

    identity = f"local:{sys.version}"
    version = platform.python_version()

    def compile(self, source: str) -> Compiled:
        error: SyntaxError | None = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                compile(source, "<snippet>", "exec", dont_inherit=True, optimize=0)
            except SyntaxError as exc:
                error = exc
            except ValueError as exc:  # e.g. a NUL byte in the source
                error = SyntaxError(str(exc), ("<snippet>", 1, 0, ""))
        found = (CompileWarning(w.category.__name__, str(w.message), w.lineno or 1) for w in caught)
        return Compiled(error, tuple(found))

    def __call__(self, source: str) -> SyntaxError | None:
        return self.compile(source).error


class RemoteCompiler:
    """Compiles in another interpreter, through one long-lived helper process."""

    def __init__(self, python: str) -> None:
        self.python = python
        self.identity = f"remote:{os.path.realpath(python)}"
        self._process: subprocess.Popen[str] | None = None
        self._version: str | None = None

    def _server(self) -> subprocess.Popen[str]:
        if self._process is None:
            try:
                self._process = subprocess.Popen(
                    [self.python, "-I", "-c", _SERVER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                )
            except OSError as exc:
                raise RunnerError(f"cannot start the interpreter {self.python}: {exc}") from exc
        return self._process

    def _ask(self, request: str | None) -> object:
        server = self._server()
        assert server.stdin is not None and server.stdout is not None
        try:
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            line = server.stdout.readline()
        except OSError:
            line = ""
        if not line:
            raise RunnerError(
                f"{self.python} could not compile snippets (is it a Python interpreter?)"
            )
        return json.loads(line)

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = str(self._ask(None))
        return self._version

    def compile(self, source: str) -> Compiled:
        answer = self._ask(source)
        assert isinstance(answer, dict)
        found = tuple(CompileWarning(str(c), str(m), int(n)) for c, m, n in answer["warnings"])
        if answer["error"] is None:
            return Compiled(None, found)
        msg, lineno, offset, text = answer["error"]
        return Compiled(SyntaxError(msg, ("<snippet>", lineno, offset, text)), found)

    def __call__(self, source: str) -> SyntaxError | None:
        return self.compile(source).error

    def close(self) -> None:
        if self._process is not None:
            if self._process.stdin is not None:
                with contextlib.suppress(OSError):
                    self._process.stdin.close()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process.wait(timeout=10)
            self._process = None


def compiler_for(python: str | None) -> LocalCompiler | RemoteCompiler:
    """The compiler for snippets that `python` (None: this interpreter) will run."""
    if python is None or os.path.realpath(python) == os.path.realpath(sys.executable):
        return LocalCompiler()
    return RemoteCompiler(python)
