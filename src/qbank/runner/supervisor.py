"""Watching a run from the worker, and ending everything it started (stdlib only).

There is no supervisor process any more: the worker forks the run process itself and watches
it (wall time, output cap, and the pool going away: end of file on the protocol pipe, e.g.
after ``kill -9`` of qbank). The worker is PID 1 of its own PID namespace, so every process
a run started (daemons, ``setsid`` children and double forks included) is reparented to it,
and one ``kill(-1, SIGKILL)`` ends them all. Where namespaces are refused, the worker is a
child subreaper and kills every descendant it finds in ``/proc`` instead.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from typing import Any

from . import linux

_POLL = 0.02


def watch(pid: int, limits: dict[str, Any], ctx: dict[str, Any]) -> tuple[str | None, int]:
    """Wait for the run process; kill it on the wall timeout, when an output exceeds its cap
    or when the pool is gone. Returns (reason or None, wait status), everything ended."""
    deadline = time.monotonic() + float(limits["timeout"])
    channel = ctx["channel"]
    waiter = _pidfd(pid)
    reason = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if any(os.fstat(fd).st_size > limits["output_limit"] for fd in ctx["capture_fds"]):
                reason = "output-limit"
                break
            left = deadline - time.monotonic()
            if left <= 0:
                reason = "timeout"
                break
            fds = [channel.fd] if waiter is None else [channel.fd, waiter]
            ready = select.select(fds, [], [], min(left, _POLL if waiter else 0.002))[0]
            if channel.fd in ready and not channel.pump():
                reason = "aborted"
                break
    finally:
        if waiter is not None:
            os.close(waiter)
    if reason is not None:
        status = _kill(pid)
    end_all()
    return reason, status


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _kill(pid: int) -> int:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def end_all() -> None:
    """Kill and reap every process below the worker."""
    if os.getpid() == 1:
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)  # from PID 1: every other process of the namespace
        with contextlib.suppress(ChildProcessError):
            while True:
                os.waitpid(-1, 0)
    else:
        _sweep()


def _sweep() -> None:
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
