"""Run many RunSpecs in parallel over warm worker processes.

``isolation="fork"``: ``jobs`` long-lived workers import ``preload`` and run ``warmup`` once
(under a run's rules), then fork one isolated run process per run. ``isolation="subprocess"``:
a fresh worker (a fresh interpreter, nothing preloaded) per run, for platforms without fork
and as a baseline.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import selectors
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from qbank.errors import RunnerError

from .isolation import WorkerProcess
from .spec import Limits, RunResult, RunSpec

_STARTUP = 300.0  # seconds a worker may take to import preload modules and warm up
_GRACE = 30.0  # seconds beyond a run's timeout before its worker counts as hung
_MAX_STARTUP_FAILURES = 3


class Pool:
    """A pool of run workers; a context manager. ``close()`` leaves no process behind."""

    def __init__(
        self,
        *,
        python: str = sys.executable,
        jobs: int | None = None,
        preload: Sequence[str] = (),
        warmup: str = "",
        isolation: str = "fork",
        warmup_limits: Limits | None = None,
    ) -> None:
        if isolation not in ("fork", "subprocess"):
            raise ValueError(f"isolation must be 'fork' or 'subprocess', not {isolation!r}")
        self.python = python
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.preload = tuple(preload)
        self.warmup = warmup
        self.warmup_limits = warmup_limits or Limits()
        """The limits ``warmup`` runs under, as a run would (default: the default limits)."""
        self.isolation = isolation
        self.missing: dict[str, str] = {}
        """Preload module -> import error, for modules the workers could not import."""
        self.python_version = ""
        """Version of the target interpreter."""
        self.warmup_error: str | None = None
        """What the warm-up code raised, if anything."""
        self.isolation_info: dict[str, Any] = {}
        """What isolation the workers have: ``mode`` ("root", "userns" or "fallback") and
        whether runs have their own PID namespace (``pid``), read-only files and private
        /tmp (``mounts``) and no network (``network``)."""
        self._workers: list[WorkerProcess] = []
        self._started = False
        self._folders: set[str] = set()
        self._failures = 0

    @property
    def folder(self) -> str | None:
        """The host folder of the first worker's run folders, where runs have no mount
        namespace of their own (None where they do, or when the pool is not started)."""
        return min(self._folders) if self._folders else None

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the current workers."""
        return [worker.process.pid for worker in self._workers]

    def __enter__(self) -> Pool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers and wait until they are ready; called by ``with`` and run_many."""
        if self._started:
            return
        self._started = True
        remove_stale_folders()
        try:
            if self.isolation == "fork":
                self._workers = [self._spawn() for _ in range(self.jobs)]
            else:
                self._workers = [self._spawn(once=True, probe=True)]
            deadline = time.monotonic() + _STARTUP
            while any(w.hello is None for w in self._workers):
                if not self._pump(min(1.0, deadline - time.monotonic()), {}, None, None):
                    raise RunnerError("a run worker died while starting")
                if time.monotonic() > deadline:
                    raise RunnerError("the run workers did not start in time")
            hello = self._workers[0].hello or {}
            self.missing = dict(hello.get("missing", {}))
            self.python_version = str(hello.get("python_version", ""))
            self.warmup_error = hello.get("warmup_error")
            self.isolation_info = dict(hello.get("isolation", {}))
            if self.isolation == "subprocess":
                self._retire(self._workers[0])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Kill every worker and every run process, remove the run folders; idempotent."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.request_stop()
        deadline = time.monotonic() + 5.0
        for worker in workers:
            worker.wait_stopped(deadline)
        for folder in self._folders:
            shutil.rmtree(folder, ignore_errors=True)
        self._folders = set()
        self._started = False

    def run_many(
        self,
        specs: Sequence[RunSpec],
        on_result: Callable[[int, RunResult], None] | None = None,
    ) -> list[RunResult]:
        """Run every spec; results in input order, ``on_result(index, result)`` as each ends."""
        self.start()
        results: dict[int, RunResult] = {}
        pending = deque(range(len(specs)))
        try:
            while len(results) < len(specs):
                if not self._started:
                    raise RunnerError("the pool was closed while runs were in progress")
                self._dispatch(pending, specs)
                self._pump(0.5, results, specs, on_result)
                self._reap_hung(results, on_result)
        except BaseException:
            self.close()
            raise
        return [results[i] for i in range(len(specs))]

    def _dispatch(self, pending: deque[int], specs: Sequence[RunSpec]) -> None:
        if self.isolation == "subprocess":
            while pending and len(self._workers) < self.jobs:
                self._workers.append(self._spawn(once=True))
                self._assign(self._workers[-1], pending.popleft(), specs)
            return
        for worker in self._workers:
            if pending and worker.hello is not None and worker.job is None:
                self._assign(worker, pending.popleft(), specs)

    def _assign(self, worker: WorkerProcess, index: int, specs: Sequence[RunSpec]) -> None:
        worker.job = index
        startup = _STARTUP if worker.hello is None else 0.0
        worker.deadline = time.monotonic() + specs[index].limits.timeout + _GRACE + startup
        worker.send({"type": "job", "id": index, "spec": specs[index].to_json()})

    def _pump(
        self,
        timeout: float,
        results: dict[int, RunResult],
        specs: Sequence[RunSpec] | None,
        on_result: Callable[[int, RunResult], None] | None,
    ) -> bool:
        """Handle what the workers sent within ``timeout``; False if one died while starting."""
        with selectors.DefaultSelector() as selector:
            for worker in self._workers:
                selector.register(worker, selectors.EVENT_READ, worker)
            ready = selector.select(max(0.0, timeout))
        healthy = True
        for key, _ in ready:
            worker = key.data
            messages = worker.receive()
            if messages is None:
                healthy = healthy and worker.hello is not None
                self._lost(worker, results, on_result)
                continue
            for message in messages:
                self._handle(worker, message, results, on_result)
        return healthy

    def _handle(
        self,
        worker: WorkerProcess,
        message: dict[str, Any],
        results: dict[int, RunResult],
        on_result: Callable[[int, RunResult], None] | None,
    ) -> None:
        if message.get("type") == "hello":
            worker.hello = message
            if message.get("base"):
                self._folders.add(str(message["base"]))
        elif message.get("type") == "result" and message.get("id") == worker.job:
            worker.job, worker.deadline = None, float("inf")
            self._record(int(message["id"]), RunResult.from_json(message["result"]), results,
                         on_result)  # fmt: skip
            if self.isolation == "subprocess":
                self._retire(worker)

    def _record(
        self,
        index: int,
        result: RunResult,
        results: dict[int, RunResult],
        on_result: Callable[[int, RunResult], None] | None,
    ) -> None:
        results[index] = result
        if on_result is not None:
            on_result(index, result)

    def _lost(
        self,
        worker: WorkerProcess,
        results: dict[int, RunResult],
        on_result: Callable[[int, RunResult], None] | None,
    ) -> None:
        """A worker vanished: its run is inconclusive, and a fresh worker takes its place."""
        job = worker.job
        self._retire(worker)
        if job is not None and job not in results:
            self._record(job, RunResult.worker_died(), results, on_result)
        if self.isolation == "fork" and self._started:
            if worker.hello is None:
                self._failures += 1
                if self._failures > _MAX_STARTUP_FAILURES:
                    raise RunnerError("run workers keep dying while starting")
            self._workers.append(self._spawn())

    def _reap_hung(
        self, results: dict[int, RunResult], on_result: Callable[[int, RunResult], None] | None
    ) -> None:
        now = time.monotonic()
        for worker in [w for w in self._workers if w.deadline < now]:
            self._lost(worker, results, on_result)

    def _retire(self, worker: WorkerProcess) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        worker.stop()

    def _spawn(self, once: bool = False, probe: bool = False) -> WorkerProcess:
        """A warm worker, a one-run worker (nothing preloaded) or a one-run preload probe."""
        warm = probe or not once
        init = {"type": "init", "preload": list(self.preload) if warm else [],
                "warmup": self.warmup if not once else "",
                "warmup_limits": dataclasses.asdict(self.warmup_limits)}  # fmt: skip
        return WorkerProcess(self.python, init, once=once)


def remove_stale_folders(parent: str | None = None) -> list[str]:
    """Remove the run folders of workers that died without cleaning up (``kill -9``): a live
    worker holds a lock on its folder's ``.lock``. Returns the folders removed."""
    parent = parent or tempfile.gettempdir()
    removed, names = [], []
    with contextlib.suppress(OSError):
        names = [n for n in os.listdir(parent) if n.startswith("qbank-runs-")]
    for name in names:
        folder = os.path.join(parent, name)
        if _unlocked(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _unlocked(folder: str) -> bool:
    try:
        if os.lstat(folder).st_uid != os.geteuid():
            return False
        fd = os.open(os.path.join(folder, ".lock"), os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return os.path.isdir(folder) and not os.listdir(folder)  # an empty folder of old
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its worker is alive
    finally:
        os.close(fd)
    return True
