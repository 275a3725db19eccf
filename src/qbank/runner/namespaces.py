"""Moving a starting worker into namespaces of its own, once (stdlib only, Python >= 3.9).

The process the pool starts (``python worker.py``) makes new PID and mount namespaces (as
root directly, otherwise inside a new user namespace where it is root, mapped to the user),
forks, and from then on only waits for its child and passes on its exit status. The child is
the worker proper: PID 1 of the new PID namespace, with a read-only view of the files
(``mounts.prepare_view``) and a network namespace of its own with only loopback (where
``warmup`` runs; each run then makes its own, see ``child``)::

    pool ─ worker.py (waits) ─ worker, PID 1 ─ run process ─ what the snippets start
                                             (one at a time; the checks of all answers but
                                              the last run in forks of the run process)

If the pool or the waiting process dies, the worker gets SIGKILL (``PR_SET_PDEATHSIG``), and
the kernel then kills every process of its PID namespace.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Any

from . import linux, mounts

_NO_NAMESPACES = "QBANK_RUNNER_NO_NAMESPACES"
"""Set (to anything) in the worker's environment to test the fallback without namespaces."""


def enter(root: bool, protocol_fds: list[int]) -> dict[str, Any]:
    """Enter the namespaces (returns in the worker proper) and say what isolation holds:
    ``mode`` ("root", "userns" or "fallback"), ``pid``, ``mounts``, ``network`` (booleans)."""
    flags = linux.CLONE_NEWNS | linux.CLONE_NEWPID
    if os.environ.pop(_NO_NAMESPACES, None) is not None:
        entered = False
    elif root:
        entered = linux.unshare(flags)
    else:
        entered = linux.enter_user_namespace(flags)
    if not entered:
        linux.become_subreaper()
        return {"mode": "fallback", "pid": False, "mounts": False, "network": False}
    sys.stdout.flush()
    pid = os.fork()
    if pid != 0:
        _wait_for(pid, protocol_fds)
    linux.die_with_parent(signal.SIGKILL)
    os.chdir("/")
    return _prepare("root" if root else "userns")


def _wait_for(pid: int, protocol_fds: list[int]) -> None:
    """The waiting process: hold nothing of the protocol, exit as the worker did."""
    for fd in protocol_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF if hasattr(os, "waitstatus_to_exitcode")
             else 1)  # fmt: skip


def _prepare(mode: str) -> dict[str, Any]:
    info: dict[str, Any] = {"mode": mode, "pid": True, "mounts": True, "network": False}
    try:
        mounts.prepare_view()
    except OSError as exc:
        info["mounts"], info["mounts_error"] = False, str(exc)
    if linux.unshare(linux.CLONE_NEWNET):
        info["network"] = True
        with contextlib.suppress(OSError):
            linux.loopback_up()
    linux.set_dumpable(False)  # runs may not open this process's descriptors or memory
    return info
