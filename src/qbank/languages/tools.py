"""Running a toolchain for a static check (``node --check``, ``bash -n``, ``cc -fsyntax-only``),
outside any run but never unbounded.

The program to check is written to a fresh temporary folder, the tool runs there in a
session of its own with limits on memory, CPU time and file size, its stdin from
``/dev/null``, and a wall-clock timeout after which its whole process group is killed: a
compile bomb (``#include "/dev/zero"``, a macro explosion) or a hanging compiler is a
finding (``the compiler hit its limit``), never a hung validation.

Where ``unshare`` can make one (as root, or with user namespaces), the tool is PID 1 of a
PID namespace of its own (``unshare --pid --fork --kill-child``): when it ends or is killed,
so is everything it started, even a process that left its session (``setsid``), which a
process-group kill misses. Elsewhere the group kill is all there is; the tools checked
(``cc -fsyntax-only``, ``node --check``, ``bash -n``) never run the program they check.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import shutil
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


@functools.cache
def _namespace() -> tuple[str, ...]:
    """The command that puts a tool in a PID namespace of its own, () where none can be made."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    user = () if os.geteuid() == 0 else ("--user", "--map-root-user")
    prefix = (unshare, *user, "--pid", "--fork", "--kill-child")
    try:
        done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if done.returncode == 0 else ()


def run_tool(argv: list[str], files: dict[str, str], timeout: float | None = None) -> ToolRun:
    """Run `argv` in a temporary folder holding `files` (name -> text), bounded (`timeout`:
    wall seconds, default :data:`TIMEOUT`)."""
    timeout = TIMEOUT if timeout is None else timeout
    argv = [*_namespace(), *argv]
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
            try:  # a process that left the group may still hold the pipes: do not wait on it
                out, err = process.communicate(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = "", ""
            return ToolRun(None, out, err, "timeout")
    if process.returncode < 0 and process.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
        return ToolRun(None, out, err, "memory or CPU")
    if process.returncode != 0 and err.rstrip().rpartition("\n")[2].startswith("unshare: "):
        # The tool died of a signal that `unshare` could not raise on itself (SIGXCPU): it
        # then says so on stderr and exits 1.
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
