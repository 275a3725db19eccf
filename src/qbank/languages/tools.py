"""Running a toolchain for a static check (``node --check``, ``bash -n``, ``cc -fsyntax-only``),
outside any run but never unbounded.

The program to check is written to a fresh temporary folder, the tool runs there in a
session of its own with limits on memory, CPU time and file size, its stdin from
``/dev/null``, and a wall-clock timeout after which its whole process group is killed: a
compile bomb (``#include "/dev/zero"``, a macro explosion) or a hanging compiler is a
finding (``the compiler hit its limit``), never a hung validation.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

TIMEOUT = 30.0
"""Wall-clock seconds a static check may take."""
MEMORY = 2 << 30
"""Bytes of address space (a C compiler on a large unit needs some)."""
CPU = 20
"""CPU seconds."""
FILE_SIZE = 64 << 20
"""Largest file the tool may write."""


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic of a static check, at a line of the joined program."""

    line: int
    message: str
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class ToolRun:
    """What a tool did: its exit status (None: it hit a limit), stdout and stderr."""

    status: int | None
    stdout: str
    stderr: str
    limit: str | None = None
    """Which limit it hit (`timeout`, `memory or CPU`), None when it ended by itself."""


def _limit() -> None:  # pragma: no cover - runs in the child, between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU, CPU))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_tool(argv: list[str], files: dict[str, str], timeout: float = TIMEOUT) -> ToolRun:
    """Run `argv` in a temporary folder holding `files` (name -> text), bounded."""
    with tempfile.TemporaryDirectory(prefix="qbank-tool-") as folder:
        for name, text in files.items():
            Path(folder, name).write_text(text, encoding="utf-8")
        process = subprocess.Popen(
            argv,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=_limit,
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8",
            },
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            out, err = process.communicate()
            return ToolRun(None, out, err, "timeout")
    if process.returncode < 0 and process.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
        return ToolRun(None, out, err, "memory or CPU")
    return ToolRun(process.returncode, out, err)


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def limit_diagnostic(tool: str, run: ToolRun) -> Diagnostic:
    """The finding of a tool that hit a limit."""
    return Diagnostic(
        1,
        f"{tool} hit its {run.limit} limit checking this program ({TIMEOUT:.0f} s, "
        f"{MEMORY >> 30} GiB): simplify it",
    )


__all__ = [
    "CPU",
    "FILE_SIZE",
    "MEMORY",
    "TIMEOUT",
    "Diagnostic",
    "ToolRun",
    "limit_diagnostic",
    "run_tool",
]
