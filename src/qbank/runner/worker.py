"""The qbank run worker (stdlib only, Python >= 3.9).

Started by ``qbank.runner.pool`` as ``python worker.py [--once]`` with the target interpreter,
which need not have qbank installed. Protocol, JSON lines over its stdin and stdout:

1. the pool sends ``{"type": "init", "base": DIR, "preload": [...], "warmup": CODE}``;
2. the worker imports the preload modules, runs ``warmup`` once and answers
   ``{"type": "hello", "python_version": ..., "missing": {module: error}, "warmup_error": ...}``;
3. then for each ``{"type": "job", "id": N, "spec": RunSpec JSON}`` it answers
   ``{"type": "result", "id": N, "result": RunResult JSON}`` (``--once``: one job, then exit).

The protocol pipes are moved to private descriptors at start: fd 0 becomes ``/dev/null`` and
fd 1 the worker's stderr, so nothing a module prints can corrupt the protocol, and run processes
close the private descriptors before running any snippet.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import platform
import signal
import sys
import threading
import traceback
import types
from typing import IO, Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGE = "_qbank_runner"


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the pool ends us by closing stdin
    proto_in, proto_out = _take_protocol_fds()
    from . import linux, sandbox

    linux._lib()  # load libc once here, not in every forked supervisor
    root = os.geteuid() == 0  # before a user namespace makes us its root
    network_isolated = _isolate_network(linux, root)

    reader = os.fdopen(proto_in, "rb")
    writer = os.fdopen(proto_out, "wb")
    init = json.loads(reader.readline() or b"{}")
    ctx = _context(init["base"], [proto_in, proto_out], drop_to_nobody=root)
    ctx["network_isolated"] = network_isolated
    hello = _prepare(init, ctx)
    if "--once" not in argv:
        sandbox.run_job(_WARM_JOB, ctx)  # pages in the code paths of a run, once
    gc.collect()
    gc.freeze()  # keeps forked runs from copying pages that only the collector touches
    _send(writer, hello)
    for line in reader:
        message = json.loads(line)
        try:
            result = sandbox.run_job(message["spec"], ctx)
        except Exception:
            result = _runner_error(traceback.format_exc())
        _send(writer, {"type": "result", "id": message["id"], "result": result})
        if "--once" in argv:
            break
    return 0


def _take_protocol_fds() -> tuple[int, int]:
    proto_in, proto_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return proto_in, proto_out


def _context(base: str, private_fds: list[int], drop_to_nobody: bool) -> dict[str, Any]:
    ctx: dict[str, Any] = {"base": base, "private_fds": private_fds, "worker_pid": os.getpid()}
    if drop_to_nobody:
        import pwd

        try:
            nobody = pwd.getpwnam("nobody")
            ctx["uid"], ctx["gid"] = nobody.pw_uid, nobody.pw_gid
        except KeyError:
            ctx["uid"], ctx["gid"] = 65534, 65534
    return ctx


def _isolate_network(linux: types.ModuleType, root: bool) -> bool:
    """Move the worker (and so every run it forks) into a network namespace of its own.

    Done once per worker rather than once per run: a new namespace costs milliseconds, and
    runs of one worker are sequential, each ending with all its processes (and so sockets).
    Without root, a user namespace comes first (where the kernel allows it): it is what lets
    each run have a PID namespace too, so that a run cannot signal the user's other processes.
    """
    entered = (
        linux.unshare(linux.CLONE_NEWNET)
        if root
        else linux.enter_user_namespace(linux.CLONE_NEWNET)
    )
    if not entered:
        return False
    with contextlib.suppress(OSError):
        linux.loopback_up()
    return True


def _prepare(init: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    missing: dict[str, str] = {}
    for name in init.get("preload", []):
        try:
            importlib.import_module(name)
        except BaseException as exc:
            missing[name] = f"{type(exc).__name__}: {exc}"
    hello = {"type": "hello", "python_version": platform.python_version(), "missing": missing,
             "warmup_error": _warmup(init.get("warmup", ""), ctx["base"])}  # fmt: skip
    sys.stdout.flush()
    return hello


def _warmup(code: str, base: str) -> str | None:
    """Run the warm-up code once in the worker itself, in a scratch folder."""
    if not code.strip():
        return None
    folder, here = os.path.join(base, f"warmup-{os.getpid()}"), os.getcwd()
    os.mkdir(folder)
    os.chdir(folder)
    error = None
    try:
        exec(compile(code, "<qbank:warmup>", "exec", dont_inherit=True), {"__name__": "__warmup__"})
    except BaseException as exc:
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    finally:
        os.chdir(here)
        from . import sandbox

        sandbox.remove_tree(folder)
    if threading.active_count() > 1:
        error = (error or "") + " warmup left threads running: forking runs is unsafe"
    return error


def _runner_error(text: str) -> dict[str, Any]:
    failure = {"type": "RunnerError", "message": text[-4000:], "snippet": None, "line": None,
               "traceback": ""}  # fmt: skip
    return {"status": "worker-died", "exit_code": None, "failure": failure,
            "raised_expected": False, "stdout": "", "stderr": "", "files": [], "checks": [],
            "duration": 0.0, "network_isolated": False}  # fmt: skip


def _send(writer: IO[bytes], message: dict[str, Any]) -> None:
    writer.write(json.dumps(message).encode() + b"\n")
    writer.flush()


_WARM_JOB: dict[str, Any] = {
    "program": "pass", "setup": "", "run": "", "check": "assert True", "answers": [None],
    "files": [], "collect_files": [], "expect_raises": None,
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
