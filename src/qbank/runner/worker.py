"""The qbank run worker (stdlib only, Python >= 3.9).

Started by ``qbank.runner.pool`` as ``python worker.py [--once]`` with the target interpreter,
which need not have qbank installed. Protocol, JSON lines over its stdin and stdout:

1. the pool sends ``{"type": "init", "preload": [...], "warmup": CODE, "warmup_limits": {...}}``;
2. the worker enters its namespaces (``namespaces``), imports the preload modules, runs
   ``warmup`` once under a run's rules (``warmup``) and answers ``{"type": "hello",
   "python_version": ..., "missing": {module: error}, "warmup_error": ..., "isolation": {...},
   "base": folder of run folders or None}``;
3. then for each ``{"type": "job", "id": N, "spec": RunSpec JSON}`` it answers
   ``{"type": "result", "id": N, "result": RunResult JSON}`` (``--once``: one job, then exit).

The protocol pipes are moved to private descriptors at start: fd 0 becomes ``/dev/null`` and
fd 1 the worker's stderr, so nothing a module prints can corrupt the protocol, and run processes
close the private descriptors before running any snippet. End of file on the protocol input
(the pool closed it, or died) ends the worker at once, and any run in progress with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import json
import os
import platform
import signal
import sys
import tempfile
import traceback
import types
from typing import IO, Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = "_qbank_runner"


RUN_UID_BASE = 1_900_000_000
"""As root, a worker's runs are user ``RUN_UID_BASE + <worker pid>`` (no passwd entry; group
``nogroup``): each worker's runs have a process limit of their own."""


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the pool ends us by closing stdin
    proto_in, proto_out = _take_protocol_fds()
    from . import channel, linux, namespaces, record, sandbox, warmup

    linux._lib()  # load libc once here, not in every forked run
    root = os.geteuid() == 0  # before a user namespace makes us its root
    host_pid = os.getpid()  # before a PID namespace makes us 1: unique among live processes
    isolation = namespaces.enter(root, [proto_in, proto_out])
    reader = channel.Channel(proto_in)
    writer = os.fdopen(proto_out, "wb")
    init = json.loads(reader.readline() or b"{}")
    ctx = _context(isolation, [proto_in, proto_out], drop_to_nobody=root, host_pid=host_pid)
    ctx.update(channel=reader, record=record.Record())
    try:
        hello = _prepare(init, ctx, warmup)
        if "--once" not in argv:
            sandbox.run_job(_WARM_JOB, ctx)  # pages in the code paths of a run, once
        gc.collect()
        gc.freeze()  # keeps forked runs from copying pages that only the collector touches
        _send(writer, hello)
        _serve(reader, writer, ctx, once="--once" in argv)
    finally:
        if ctx.get("base"):
            sandbox.remove_tree(ctx["base"])
    return 0


def _serve(reader: Any, writer: IO[bytes], ctx: dict[str, Any], once: bool) -> None:
    from . import sandbox

    while not reader.eof:
        line = reader.readline()
        if not line:
            break
        message = json.loads(line)
        try:
            result = sandbox.run_job(message["spec"], ctx)
        except Exception:
            result = sandbox.unreported("the runner failed: " + traceback.format_exc()[-4000:])
        if reader.eof:
            break  # the pool is gone: nobody to tell
        _send(writer, {"type": "result", "id": message["id"], "result": result})
        if once:
            break


def _take_protocol_fds() -> tuple[int, int]:
    proto_in, proto_out = os.dup(0), os.dup(1)
    for fd in (proto_in, proto_out):
        os.set_inheritable(fd, False)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return proto_in, proto_out


def _context(
    isolation: dict[str, Any], private_fds: list[int], drop_to_nobody: bool, host_pid: int
) -> dict[str, Any]:
    ctx: dict[str, Any] = {"private_fds": private_fds, "mode": isolation["mode"],
                           "mounts": isolation["mounts"], "isolation": isolation, "base": None}  # fmt: skip
    if drop_to_nobody:
        import pwd

        try:
            ctx["gid"] = pwd.getpwnam("nobody").pw_gid
        except KeyError:
            ctx["gid"] = 65534
        # A user of this worker's own: the process limit (RLIMIT_NPROC) counts a user's
        # processes machine-wide, so a fork bomb run as a shared `nobody` would starve every
        # other run of processes; a worker's pid is unique among live processes.
        ctx["uid"] = RUN_UID_BASE + host_pid
    if not ctx["mounts"]:
        ctx["base"] = _make_base(ctx)
    return ctx


def _make_base(ctx: dict[str, Any]) -> str:
    """Without a mount namespace, run folders live below a host folder of this worker's; its
    lock is held while the worker lives, so that a later pool can remove it if we are killed."""
    base = tempfile.mkdtemp(prefix="qbank-runs-")
    os.chmod(base, 0o711)  # run processes may enter their own folder, not list others
    lock = os.open(os.path.join(base, ".lock"), os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    ctx["private_fds"].append(lock)
    return base


def _prepare(init: dict[str, Any], ctx: dict[str, Any], warmup: types.ModuleType) -> dict[str, Any]:
    missing: dict[str, str] = {}
    for name in init.get("preload", []):
        try:
            importlib.import_module(name)
        except BaseException as exc:
            missing[name] = f"{type(exc).__name__}: {exc}"
    limits = init.get("warmup_limits") or _WARM_JOB["limits"]
    try:
        error = warmup.run(init.get("warmup", ""), limits, ctx)
    except OSError as exc:
        error = f"warmup could not be prepared: {exc}"
    sys.stdout.flush()
    return {"type": "hello", "python_version": platform.python_version(), "missing": missing,
            "warmup_error": error, "isolation": ctx["isolation"], "base": ctx["base"]}  # fmt: skip


def _send(writer: IO[bytes], message: dict[str, Any]) -> None:
    with contextlib.suppress(BrokenPipeError):
        writer.write(json.dumps(message).encode() + b"\n")
        writer.flush()


_WARM_JOB: dict[str, Any] = {
    "program": "pass", "setup": "", "run": "", "check": "assert True", "answers": [None],
    "files": [], "collect_files": [], "collect_bytes": [], "expect_raises": None,
    "limits": {"timeout": 10.0, "memory": 1 << 30, "output_limit": 1 << 20, "file_limit": 1 << 20},
}  # fmt: skip


def _bootstrap() -> None:
    """Make this folder importable as a private package, never as top-level modules."""
    del sys.path[0]  # the script's folder: snippets must not import our modules by accident
    package = types.ModuleType(_PACKAGE)
    package.__path__ = [_HERE]
    sys.modules[_PACKAGE] = package
    globals()["__package__"] = _PACKAGE


if __name__ == "__main__":
    _bootstrap()
    sys.exit(main(sys.argv[1:]))
