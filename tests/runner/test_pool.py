"""The pool's lifecycle: lost workers are replaced, close() leaves nothing, other isolation."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from runner_helpers import SMALL, alive_with

from qbank.runner import Pool, RunSpec

PYTHON39 = Path("/root/.pyenv/versions/3.9.18/bin/python3.9")


def _usable(path: Path) -> bool:
    try:
        return path.exists() and os.access(path, os.X_OK)
    except OSError:  # e.g. /root is not readable by this user
        return False


def test_a_killed_worker_is_replaced_and_its_run_is_inconclusive(marker: str) -> None:
    program = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}']).wait()"
    with Pool(jobs=1) as pool:
        (victim,) = pool.worker_pids
        killer = threading.Timer(0.5, os.kill, (victim, signal.SIGKILL))
        killer.start()
        died, after = pool.run_many([RunSpec(program, limits=SMALL), RunSpec("print(1)")])
        assert (died.status, died.inconclusive) == ("worker-died", True)
        assert (after.status, after.stdout) == ("normal", "1\n")
        assert pool.worker_pids != [victim]
    deadline = time.monotonic() + 5
    while alive_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive_with(marker) == []


def test_close_after_an_interruption_leaves_nothing(marker: str) -> None:
    program = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True)"
    program += "\nimport time\ntime.sleep(1000)"
    quick = RunSpec("print('quick')", limits=SMALL)
    slow = RunSpec(program, limits=SMALL.__class__(timeout=60))

    def interrupt(index: int, _: object) -> None:
        time.sleep(0.3)  # let the slow run start its child
        raise KeyboardInterrupt

    pool = Pool(jobs=2)
    with pytest.raises(KeyboardInterrupt):
        pool.run_many([quick, slow, slow], on_result=interrupt)
    folder = pool.folder
    pool.close()
    pool.close()  # idempotent
    assert alive_with(marker) == []
    assert folder is None or not os.path.exists(folder)


def test_closing_with_runs_in_progress_from_another_thread(marker: str) -> None:
    spec = RunSpec(f"import os\nos.system('sleep {marker}')", limits=SMALL.__class__(timeout=60))
    pool = Pool(jobs=2).__enter__()
    worker_pids = pool.worker_pids
    runner = threading.Thread(target=lambda: _swallow(pool.run_many, [spec, spec]))
    runner.start()
    time.sleep(0.8)
    pool.close()
    runner.join(10)
    assert not runner.is_alive()
    assert alive_with(marker) == []
    for pid in worker_pids:
        assert not Path(f"/proc/{pid}").exists()


def _swallow(func: object, *args: object) -> None:
    with contextlib.suppress(Exception):  # the pool was closed under it: any error is expected
        func(*args)  # type: ignore[operator]


def test_subprocess_isolation_gives_the_same_results() -> None:
    specs = [
        RunSpec("print('hi')", check="assert stdout == answer", answers=("hi\n", "no")),
        RunSpec("while True: pass", limits=SMALL),
        RunSpec("import sys\nsys.exit(3)"),
        RunSpec("x = []\nx.nope"),
    ]
    with Pool(jobs=2, isolation="subprocess", preload=("json", "no_such_qbank")) as pool:
        assert list(pool.missing) == ["no_such_qbank"]
        results = pool.run_many(specs)
        assert pool.worker_pids == []
    assert [r.status for r in results] == ["normal", "timeout", "exit", "exception"]
    assert [c.passed for c in results[0].checks] == [True, False]
    assert results[0].network_isolated


@pytest.mark.skipif(not _usable(PYTHON39), reason="no Python 3.9 interpreter on this machine")
def test_worker_runs_under_python_3_9() -> None:
    with Pool(python=str(PYTHON39), jobs=1) as pool:
        assert pool.python_version.startswith("3.9.")
        (result,) = pool.run_many([RunSpec("import sys\nprint(sys.version_info[:2])",
                                           check="assert stdout == answer",
                                           answers=("(3, 9)\n",))])  # fmt: skip
    assert result.status == "normal" and result.checks[0].passed


def test_warmup_runs_once_in_the_worker_and_its_errors_are_reported() -> None:
    with Pool(jobs=1, warmup="import fractions\nraise ValueError('warm')") as pool:
        assert pool.warmup_error is not None and "ValueError: warm" in pool.warmup_error
        (result,) = pool.run_many([RunSpec("import sys\nprint('fractions' in sys.modules)")])
    assert result.stdout == "True\n"
