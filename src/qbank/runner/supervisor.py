"""The per-run supervisor and the namespace's init (stdlib only, Python >= 3.9).

Process tree of one run::

    worker ─ supervisor (root; enforces the wall time and output cap; the network namespace is
             the worker's own, or a new one if the worker could not make one)
               └ init (PID 1 of a new PID namespace; reaps orphans)
                   └ run process (the snippets, as ``nobody`` when started as root)

When init ends, the kernel kills everything left in its PID namespace, so nothing a run started
(daemons included) outlives it. Where namespaces are refused, the supervisor is a child subreaper
and kills every descendant it finds in ``/proc`` instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from typing import Any

from . import child, linux

_POLL = 0.02


class _Stopped(BaseException):
    """The worker is being shut down: end the run now."""


def _stop(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stopped


def supervise(job: dict[str, Any], ctx: dict[str, Any], report_fd: int) -> None:
    """Run one job below this process and write a report to ``report_fd``; never returns."""
    try:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        linux.die_with_parent(signal.SIGTERM)
        if os.getppid() != ctx["worker_pid"]:
            return
        linux.become_subreaper()
        report = _start(job, ctx, report_fd)
        _write_all(report_fd, json.dumps(report).encode())
    except _Stopped:
        _sweep()
    finally:
        os._exit(0)


def _start(job: dict[str, Any], ctx: dict[str, Any], report_fd: int) -> dict[str, Any]:
    network = bool(ctx.get("network_isolated"))  # the worker's own namespace, if it has one
    if not network:
        network = linux.unshare(linux.CLONE_NEWNET)
        if network:
            with contextlib.suppress(OSError):
                linux.loopback_up()
    pid_namespace = linux.unshare(linux.CLONE_NEWPID)
    status_r, status_w = os.pipe()
    started = time.monotonic()
    inner = dict(ctx, private_fds=[*ctx["private_fds"], report_fd, status_r, status_w])
    pid = os.fork()
    if pid == 0:
        _init(job, inner, status_w)
    os.close(status_w)
    reason = _watch(pid, job["limits"], ctx)
    duration = time.monotonic() - started
    _sweep()
    raw = os.read(status_r, 64)
    os.close(status_r)
    return {
        "reason": reason,
        "child_status": int(raw) if raw else None,
        "duration": duration,
        "network_isolated": network,
        "pid_namespace": pid_namespace,
    }


def _init(job: dict[str, Any], ctx: dict[str, Any], status_fd: int) -> None:
    """PID 1 of the run: start the run process, reap everything, report its wait status."""
    try:
        linux.die_with_parent(signal.SIGKILL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        pid = os.fork()
        if pid == 0:
            child.main(job, ctx)
        while True:
            done, status = os.waitpid(-1, 0)
            if done == pid:
                break
        os.write(status_fd, str(status).encode())
    finally:
        os._exit(0)


def _watch(pid: int, limits: dict[str, Any], ctx: dict[str, Any]) -> str | None:
    """Wait for init; kill it on the wall timeout or when an output exceeds its cap."""
    deadline = time.monotonic() + float(limits["timeout"])
    waiter = _pidfd(pid)
    try:
        while not os.waitpid(pid, os.WNOHANG)[0]:
            if any(os.fstat(fd).st_size > limits["output_limit"] for fd in ctx["capture_fds"]):
                return _kill(pid, "output-limit")
            left = deadline - time.monotonic()
            if left <= 0:
                return _kill(pid, "timeout")
            if waiter is None:
                time.sleep(min(left, 0.002))
            else:
                select.select([waiter], [], [], min(left, _POLL))
        return None
    except _Stopped:
        return _kill(pid, "stopped")
    finally:
        if waiter is not None:
            os.close(waiter)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _kill(pid: int, reason: str) -> str:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    return reason


def _sweep() -> None:
    """Kill and reap every process still below the supervisor."""
    me = os.getpid()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return
        for pid in linux.descendants(me):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]
