"""warmup runs in the worker, but under the same user, limits and cleanup as a run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from runner_helpers import alive_with

from qbank.runner import Limits, Pool, RunSpec

PROJECT = Path(__file__).resolve().parents[2]


def test_warmup_runs_as_the_run_user_without_network() -> None:
    warmup = "import builtins, os, socket\nbuiltins.warm_uid = os.getuid()\n"
    warmup += "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\n"
    warmup += "    builtins.warm_net = True\nexcept OSError:\n    builtins.warm_net = False"
    with Pool(jobs=1, warmup=warmup) as pool:
        assert pool.warmup_error is None
        (result,) = pool.run_many([RunSpec("import os\nprint(warm_uid == os.getuid(), warm_net)")])
    assert result.stdout == "True False\n"


def test_processes_warmup_started_are_gone_before_the_first_run(marker: str) -> None:
    warmup = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True)"
    with Pool(jobs=1, warmup=warmup) as pool:
        assert pool.warmup_error is None
        assert alive_with(marker) == []


def test_warmup_has_the_run_limits_and_the_worker_still_serves() -> None:
    limits = Limits(timeout=0.5)
    with Pool(jobs=1, warmup="while True:\n    pass", warmup_limits=limits) as pool:
        assert pool.warmup_error is not None and "SIGALRM" in pool.warmup_error
        (result,) = pool.run_many([RunSpec("print('served')")])
    assert result.stdout == "served\n"


def test_warmup_cannot_write_the_project(marker: str) -> None:
    target = PROJECT / f"qbank-{marker}.txt"
    try:
        with Pool(jobs=1, warmup=f"open({str(target)!r}, 'w').write('x')") as pool:
            assert pool.warmup_error is not None and "Error" in pool.warmup_error
    finally:
        existed = target.exists()
        target.unlink(missing_ok=True)
    assert not existed


HOST = """
import sys
from qbank.runner import Pool, RunSpec, Limits
spec = RunSpec("import subprocess, time\\nsubprocess.Popen(['sleep', '{marker}'], "
               "start_new_session=True)\\nprint('started', flush=True)\\ntime.sleep(1000)",
               limits=Limits(timeout=600))
with Pool(jobs=1) as pool:
    print(pool.worker_pids[0], flush=True)
    pool.run_many([spec])
"""


@pytest.mark.parametrize("fallback", [False, True], ids=["namespaces", "fallback"])
def test_after_kill_9_of_qbank_runs_end_and_leave_no_folder(
    marker: str, fallback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if fallback:
        monkeypatch.setenv("QBANK_RUNNER_NO_NAMESPACES", "1")
    before = {p for p in os.listdir("/tmp") if p.startswith("qbank-runs-")}
    host = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOST).format(marker=marker)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert host.stdout is not None
    host.stdout.readline()
    _wait_for(lambda: alive_with(marker) != [])
    host.kill()
    host.wait()
    host.stdout.close()
    _wait_for(lambda: alive_with(marker) == [])
    _wait_for(lambda: {p for p in os.listdir("/tmp") if p.startswith("qbank-runs-")} <= before)


def _wait_for(condition: object, limit: float = 30.0) -> None:
    """Poll until ``condition()`` holds; the limit only bounds a failing test."""
    deadline = time.monotonic() + limit
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


def test_a_pool_removes_the_folders_of_killed_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QBANK_RUNNER_NO_NAMESPACES", "1")
    with Pool(jobs=1) as pool:
        folder = pool.folder
        assert folder is not None and pool.isolation_info["mode"] == "fallback"
        os.kill(pool.worker_pids[0], 9)
        _wait_for(lambda: pool.run_many([RunSpec("print(1)")])[0].stdout == "1\n")
    os.makedirs(folder, exist_ok=True)  # as a killed pool would leave it (no lock held)
    with Pool(jobs=1):
        assert not os.path.exists(folder)
