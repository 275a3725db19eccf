"""Host side of one worker process: start it, talk JSON lines to it, and end it for sure.

A worker runs in its own session and process group. The worker proper is PID 1 of its own PID
namespace (or, without namespaces, a child subreaper), so ending it ends every run process:
closing its stdin ends it at once (and any run in progress), SIGKILL of the group follows for
whatever is left. If qbank itself is killed, the closed pipe has the same effect.

Workers start with a fixed environment: none of the host's `PYTHON*` variables (PYTHONPATH,
PYTHONWARNINGS, PYTHONOPTIMIZE, ... would change what a run does without changing its cache
key) and no user site-packages (``-s``: the probe of the environment, run with ``-I``, does not
see them either), then :data:`ENVIRONMENT` on top.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

WORKER_SCRIPT = str(Path(__file__).with_name("worker.py"))
ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "TZ": "UTC",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
}
"""Set in every worker, and so in every run, after the host's `PYTHON*` variables are dropped."""


def worker_environment(host: Mapping[str, str]) -> dict[str, str]:
    """The environment a worker starts with: `host`'s, without any `PYTHON*` variable, plus
    :data:`ENVIRONMENT`."""
    return {**{k: v for k, v in host.items() if not k.startswith("PYTHON")}, **ENVIRONMENT}


class WorkerProcess:
    """One ``worker.py`` process and its protocol pipes."""

    def __init__(self, python: str, init: dict[str, Any], *, once: bool = False) -> None:
        env = worker_environment(os.environ)
        argv = [python, "-s", WORKER_SCRIPT, *(["--once"] if once else [])]
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        self.hello: dict[str, Any] | None = None
        self.job: int | None = None
        self.deadline = float("inf")
        self._buffer = b""
        self.send(init)

    def fileno(self) -> int:
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    def send(self, message: dict[str, Any]) -> bool:
        """Write one message; False when the worker is gone."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        return True

    def receive(self) -> list[dict[str, Any]] | None:
        """Messages now readable (call when select says so); None at end of file."""
        data = os.read(self.fileno(), 1 << 20)
        if not data:
            return None
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        return [json.loads(line) for line in lines if line]

    def stop(self, grace: float = 5.0) -> None:
        """End the worker and everything below it; idempotent."""
        self.request_stop()
        self.wait_stopped(time.monotonic() + grace)

    def request_stop(self) -> None:
        """Close stdin (ends an idle worker) and SIGTERM the group: a run's supervisor then
        kills that run's processes, and the worker reads end of file and exits."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        _signal_group(self.process.pid, signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Wait until ``deadline`` for a clean exit, then SIGKILL whatever is left."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(max(0.0, deadline - time.monotonic()))
        _signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
