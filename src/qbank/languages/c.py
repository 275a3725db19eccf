"""C: ``setup``, ``code`` and ``run`` one translation unit (``#line`` directives before each
part, so that every diagnostic names its snippet and line: ``code:3:5: error: …``), compiled
by the system C compiler (``cc -std=c11``, with ``-lm``) and run. ``setup`` holds what the
program needs first (``#include``, helpers), ``run`` what comes after (a hidden ``main`` that
calls the learner's function). Checked with ``cc -fsyntax-only -Wall -Wextra``: errors and the
warnings a careful author wants, at their YAML lines."""

from __future__ import annotations

import re

from qbank.languages.base import PARTS, Backend, Joined, Toolchain, find_programs
from qbank.languages.driver import driver
from qbank.languages.tools import Diagnostic, limit_diagnostic, run_tool

FILE = ".qbank-program.c"
BINARY = "./.qbank-program"
FLAGS = ("-std=c11", "-O0", "-pipe")
WARNINGS = ("-Wall", "-Wextra")
_DIAGNOSTIC = re.compile(r"^(setup|code|run):(\d+):(?:\d+:)? (error|warning|fatal error): (.*)$")


class CBackend(Backend):
    name = "c"
    install = "apt-get install gcc"

    def find_toolchain(self) -> Toolchain:
        return find_programs(("cc",), ("--version",), self.install)

    def join(self, setup: str, code: str, run: str) -> Joined:
        """Each part after ``#line 1 "<field>"``; the spans count the joined text's lines
        (the directives included) for :meth:`Joined.origin`, but diagnostics already name
        their part."""
        lines: list[str] = []
        spans = []
        for name, source in zip(PARTS, (setup, code, run), strict=True):
            if not source.strip():
                continue
            lines.append(f'#line 1 "{name}"')
            body = source.rstrip("\n").split("\n")
            spans.append((name, len(lines) + 1, len(body)))
            lines.extend(body)
        return Joined("\n".join(lines) + "\n", tuple(spans))

    def diagnose(self, joined: Joined) -> list[Diagnostic]:
        (cc,) = self.toolchain.paths
        argv = [cc, *FLAGS, *WARNINGS, "-fsyntax-only", FILE]
        fixtures = {name: text for name, text in joined.files if "/" not in name}
        done = run_tool(argv, {**fixtures, FILE: joined.text})
        if done.status is None:
            return [limit_diagnostic("the C compiler", done)]
        found = []
        starts = {name: start for name, start, _ in joined.spans}
        for text in done.stderr.splitlines():
            match = _DIAGNOSTIC.match(text)
            if match is None:
                continue
            part, line, kind, message = match.groups()
            at = starts.get(part, 1) + int(line) - 1
            found.append(Diagnostic(at, message, "warning" if kind == "warning" else "error"))
        if done.status != 0 and not any(f.severity == "error" for f in found):
            found.append(Diagnostic(1, done.stderr.strip()[:300] or "the C compiler failed"))
        return found

    def driver(self, joined: Joined) -> str:
        (cc,) = self.toolchain.paths
        compile_argv = [cc, *FLAGS, "-w", "-o", BINARY, FILE, "-lm"]
        return driver(self.name, self.toolchain.version, joined.text, FILE, [BINARY], compile_argv)


__all__ = ["CBackend"]
