"""Hostile snippets: each ends its own run only; the pool serves on and nothing is left behind."""

from __future__ import annotations

import os

import pytest
from runner_helpers import SMALL, alive_with

from qbank.runner import Limits, Pool, RunSpec

PATIENT = Limits(timeout=120.0, memory=SMALL.memory, output_limit=SMALL.output_limit,
                 file_limit=SMALL.file_limit)  # fmt: skip
"""For snippets that must hit a limit other than time: a wall time so long that no machine is
slow enough for the timeout to come first (the outcome does not depend on machine speed)."""

HOSTILE = [
    ("infinite loop", "while True:\n    pass", "timeout"),
    ("sleep", "import time\ntime.sleep(1000)", "timeout"),
    ("stdout flood", "while True:\n    print('x' * 1000)", "output-limit"),
    ("stderr flood", "import os\nwhile True:\n    os.write(2, b'x' * 4096)", "output-limit"),
    ("allocate 50 GB", "data = bytearray(50 * 10**9)", "memory"),
    ("grow a list", "data = []\nwhile True:\n    data.append(' ' * 10**6)", "memory"),
    ("close every descriptor", "import os\nos.closerange(3, 1 << 16)\nprint('ok')", "normal"),
    ("os._exit", "import os\nos._exit(7)", "exit"),
    ("sys.exit", "import sys\nsys.exit(2)", "exit"),
    # As root the run is `nobody` and may not signal its init (PermissionError); without root
    # it is root of its own user namespace, and PID 1 ignores the signal: the run goes on.
    ("kill the parent", "import os\nos.kill(os.getppid(), 9)",
     "exception" if os.geteuid() == 0 else "normal"),
    ("kill everything", "import os, signal\nos.kill(-1, signal.SIGKILL)", "exception"),
    ("segfault", "import ctypes\nctypes.string_at(0)", "crash"),
    ("recursion", "def f():\n    return f()\nf()", "exception"),
    ("input", "input()", "exception"),
    ("read stdin", "import sys\nprint(repr(sys.stdin.read()))", "normal"),
    ("KeyboardInterrupt", "raise KeyboardInterrupt", "exception"),
    ("1 GB file", "with open('big', 'wb') as f:\n    for _ in range(1024):\n"
     "        f.write(b'x' * (1 << 20))", "file-limit"),
    ("1 GB file by a subprocess", "import os\nos.system('head -c 1G /dev/zero > big')", "normal"),
    ("fill the disk in chunks", "f = open('big', 'wb')\nwhile True:\n    f.write(b'x' * 65536)",
     "file-limit"),
]  # fmt: skip

ESCAPING = [
    ("Popen", "import subprocess\nsubprocess.Popen(['sleep', '{m}'])"),
    ("new session", "import subprocess\nsubprocess.Popen(['sleep', '{m}'], start_new_session=True)"),
    ("double fork", "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
     "        os.execvp('sleep', ['sleep', '{m}'])\n    os._exit(0)\nprint('parent')"),
    ("nohup shell", "import os\nos.system('nohup sleep {m} >/dev/null 2>&1 &')"),
]  # fmt: skip


def _interleaved(specs: list[RunSpec]) -> list[RunSpec]:
    """Each hostile spec followed by a harmless one that must still work."""
    out = []
    for spec in specs:
        out += [spec, RunSpec("print('still serving')", limits=SMALL)]
    return out


def _limits(status: str) -> Limits:
    return SMALL if status == "timeout" else PATIENT


def test_hostile_snippets_end_only_their_own_run() -> None:
    specs = _interleaved([RunSpec(program, limits=_limits(st)) for _, program, st in HOSTILE])
    with Pool(jobs=2) as pool:
        results = pool.run_many(specs)
        folder = pool.folder  # a host folder only where runs have no mount namespace
        assert folder is None or os.listdir(folder) == [".lock"]
    for (name, _, status), result, after in zip(HOSTILE, results[::2], results[1::2], strict=True):
        assert result.status == status, (name, result)
        assert (after.status, after.stdout) == ("normal", "still serving\n"), name
    assert folder is None or not os.path.exists(folder)


@pytest.mark.parametrize("program", [p for _, p in ESCAPING], ids=[n for n, _ in ESCAPING])
def test_processes_a_run_started_are_gone_when_it_ends(
    pool: Pool, marker: str, program: str
) -> None:
    spec = RunSpec(program.format(m=marker), run="import time\ntime.sleep(0.2)", limits=SMALL)
    results = pool.run_many([spec, RunSpec("print('next')")])
    assert [r.status for r in results] == ["normal", "normal"]
    assert alive_with(marker) == []


def test_a_hung_run_is_killed_with_its_children(pool: Pool, marker: str) -> None:
    program = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'])\nwhile True: pass"
    (result,) = pool.run_many([RunSpec(program, limits=SMALL)])
    assert result.status == "timeout" and result.inconclusive
    assert 1.9 < result.duration < 4
    assert alive_with(marker) == []


def test_results_of_hostile_runs_are_specific() -> None:
    with Pool(jobs=1) as pool:
        recursion, stdin, interrupt, exit_code, segfault = pool.run_many([
            RunSpec("def f():\n    return f()\nf()", limits=SMALL),
            RunSpec("input()", limits=SMALL),
            RunSpec("raise KeyboardInterrupt", limits=SMALL),
            RunSpec("import os\nos._exit(7)", limits=SMALL),
            RunSpec("import ctypes\nctypes.string_at(0)", limits=SMALL),
        ])  # fmt: skip
    assert recursion.failure is not None and recursion.failure.type == "RecursionError"
    assert len(recursion.failure.traceback) < 5000
    assert stdin.failure is not None and stdin.failure.type == "EOFError"
    assert interrupt.failure is not None and interrupt.failure.type == "KeyboardInterrupt"
    assert exit_code.exit_code == 7 and exit_code.checks == ()
    assert segfault.exit_code == -11
