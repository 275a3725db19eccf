"""Compiling snippets for the interpreter that will run them.

Static checks compile every snippet that must run. By default that is done here, in this
interpreter; with `--python` naming another one, snippets are compiled there instead (a
3.12-only construct is fine for a 3.12 target, and an error for a 3.9 one), by a small
stdlib-only compile server started lazily. Never with optimisation: `assert` must stay.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from typing import Protocol

from qbank.errors import RunnerError

_SERVER = r"""
import json, sys
for line in sys.stdin:
    source = json.loads(line)
    try:
        compile(source, "<snippet>", "exec", dont_inherit=True, optimize=0)
        answer = None
    except SyntaxError as exc:
        answer = [exc.msg, exc.lineno, exc.offset, exc.text]
    except ValueError as exc:
        answer = [str(exc), 1, 0, ""]
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"""


class Compiler(Protocol):
    """Compiles a snippet; returns its SyntaxError, or None when it compiles."""

    identity: str
    """What the result depends on (part of the static cache key)."""

    def __call__(self, source: str) -> SyntaxError | None: ...


class LocalCompiler:
    """Compiles in this interpreter."""

    identity = f"local:{sys.version}"

    def __call__(self, source: str) -> SyntaxError | None:
        try:
            compile(source, "<snippet>", "exec", dont_inherit=True, optimize=0)
        except SyntaxError as exc:
            return exc
        except ValueError as exc:  # e.g. a NUL byte in the source
            return SyntaxError(str(exc), ("<snippet>", 1, 0, ""))
        return None


class RemoteCompiler:
    """Compiles in another interpreter, through one long-lived helper process."""

    def __init__(self, python: str) -> None:
        self.python = python
        self.identity = f"remote:{os.path.realpath(python)}"
        self._process: subprocess.Popen[str] | None = None

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

    def __call__(self, source: str) -> SyntaxError | None:
        server = self._server()
        assert server.stdin is not None and server.stdout is not None
        try:
            server.stdin.write(json.dumps(source) + "\n")
            server.stdin.flush()
            line = server.stdout.readline()
        except OSError:
            line = ""
        if not line:
            raise RunnerError(
                f"{self.python} could not compile snippets (is it a Python interpreter?)"
            )
        answer = json.loads(line)
        if answer is None:
            return None
        msg, lineno, offset, text = answer
        return SyntaxError(msg, ("<snippet>", lineno, offset, text))

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
