"""Ctrl-C during validation: a clean exit, no process left, no half-written cache entry."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SLOW = """\
questions:
{questions}
"""
QUESTION = """\
  - id: slow-{i}
    type: output
    prompt: What does it print?
    code: |
      import subprocess, time
      subprocess.Popen(["sleep", "{marker}"])
      time.sleep(60)
      print({i})
    answer: "{i}\\n"
"""


START_WITH_DEFAULT_SIGINT = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from qbank.cli import main; sys.argv[0] = 'qbank'; main()"
)


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry.name))
    return found


def test_sigint_stops_everything(tmp_path: Path) -> None:
    marker = f"1000.{os.getpid()}"  # a sleep duration unique to this test
    (tmp_path / "qbank.toml").touch()
    questions = "".join(QUESTION.format(i=i, marker=marker) for i in range(4))
    (tmp_path / "slow.yaml").write_text(SLOW.format(questions=questions))
    child = subprocess.Popen(
        # Ctrl-C as a terminal delivers it: with SIGINT's default disposition, whatever this
        # test process inherited (a shell runs background jobs with SIGINT ignored).
        [sys.executable, "-c", START_WITH_DEFAULT_SIGINT, "validate", "slow.yaml", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)  # wait until runs are under way
    assert _processes_with(marker), "the runs never started"
    child.send_signal(signal.SIGINT)
    try:
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130, err
    assert "Traceback" not in err
    time.sleep(0.5)
    assert _processes_with(marker) == []
    database = tmp_path / ".qbank_cache" / "results.sqlite"
    if database.exists():
        with sqlite3.connect(database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (0,)
