"""A static check's tool is bounded (``qbank.languages.tools.run_tool``): wall time, memory,
CPU time, and no process or file left behind.

Every outcome a race between two limits can produce is accepted, and each test sets the limit
it is about far below the others, so that no machine is slow (or fast) enough to change it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbank.languages import tools
from qbank.languages.c import CBackend
from qbank.languages.tools import run_tool


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where run_tool makes its temporary folders in these tests: what is left there (or
    runs there) is seen."""
    made = tmp_path / "tmp"
    made.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(made))
    yield made


@pytest.fixture
def marker() -> str:
    """A number of seconds (for `sleep`) no other process's command line holds."""
    return f"100.{uuid.uuid4().int % 10**9:09d}"


def _running(marker: str | None = None, below: Path | None = None) -> list[int]:
    """Live processes whose command line holds `marker`, or whose working folder is below
    `below` (removed folders too: their link ends with `(deleted)`)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read()
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
            cwd = os.readlink(f"/proc/{entry}/cwd") if below is not None else ""
        except OSError:
            continue
        if state == b"Z":
            continue
        if (marker is not None and marker.encode() in command) or (
            below is not None and cwd.startswith(str(below))
        ):
            found.append(int(entry))
    return found


def _gone(marker: str | None = None, below: Path | None = None) -> list[int]:
    """:func:`_running`, given a moment for killed processes to finish dying (a process
    killed a moment ago may not show as a zombie yet): empty when all are gone."""
    deadline = time.monotonic() + 10
    while (left := _running(marker, below)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_tool_gets_its_files_and_ends_by_itself(folder: Path) -> None:
    done = run_tool(["cat", "a.txt"], {"a.txt": "hello\n"})
    assert (done.status, done.stdout, done.limit) == (0, "hello\n", None)
    assert list(folder.iterdir()) == []


def test_a_tool_that_never_ends_is_killed_at_its_timeout(folder: Path, marker: str) -> None:
    done = run_tool(["sleep", marker], {}, timeout=0.5)
    assert (done.status, done.limit) == (None, "timeout")
    assert _gone(marker) == []
    assert list(folder.iterdir()) == []


def test_the_children_of_a_tool_are_killed_with_it(folder: Path, marker: str) -> None:
    script = f"sleep {marker} & sleep {marker}"
    done = run_tool(["sh", "-c", script], {}, timeout=0.5)
    assert (done.status, done.limit) == (None, "timeout")
    assert _gone(marker) == []
    assert _gone(below=folder) == []


def test_a_memory_hog_hits_the_memory_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools, "MEMORY", 256 << 20)
    hog = "data = []\nwhile True:\n    data.append(bytearray(1 << 20))"
    done = run_tool([sys.executable, "-c", hog], {}, timeout=120)
    # RLIMIT_AS: the allocation fails (MemoryError), or the tool dies of it
    assert done.limit == "memory or CPU" or (
        done.status not in (None, 0) and "MemoryError" in done.stderr
    ), done
    assert list(folder.iterdir()) == []


def test_a_busy_tool_hits_the_cpu_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools, "CPU", 1)
    done = run_tool([sys.executable, "-c", "while True:\n    pass"], {}, timeout=120)
    assert (done.status, done.limit) == (None, "memory or CPU"), done
    assert list(folder.iterdir()) == []


BOMBS = {
    "include /dev/zero": '#include "/dev/zero"\n',
    "macro explosion": "#define A0 x,x,x,x,x,x,x,x,x,x\n"
    + "".join(f"#define A{n} {','.join([f'A{n - 1}'] * 10)}\n" for n in range(1, 9))
    + "int x;\nint a[] = {A8};\n",
}


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
@pytest.mark.parametrize("source", list(BOMBS.values()), ids=list(BOMBS))
def test_a_compile_bomb_is_a_diagnostic_never_a_hang(
    folder: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    # run_tool's default timeout is bound when it is defined: the backend's call gets a
    # short one here (and the limit diagnostic's text the same number)
    monkeypatch.setattr(tools, "TIMEOUT", 4.0)
    backend = CBackend()
    found = backend.diagnose(backend.join("#include <stdio.h>", source, ""))
    # the compiler gives up (out of memory, too many errors) or hits a limit: an error either
    # way, whichever comes first on this machine
    errors = [d for d in found if d.severity == "error"]
    assert errors, found
    assert _gone(below=folder) == []
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not tools._namespace(), reason="unshare cannot make a PID namespace here")
def test_a_process_that_leaves_the_tool_session_is_killed_too(folder: Path, marker: str) -> None:
    script = f"setsid sleep {marker} >/dev/null 2>&1 < /dev/null & echo started"
    try:
        done = run_tool(["sh", "-c", script], {}, timeout=5)
        assert done.stdout == "started\n"
        left = _running(marker)
        assert left == []
    finally:
        for pid in _running(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
