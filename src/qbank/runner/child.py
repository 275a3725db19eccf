"""The run process: executes the snippets of one run (stdlib only, Python >= 3.9).

It is forked by the worker, enters a network and IPC namespace of its own, lowers its own
rights, then runs ``setup``, ``program`` and ``run`` in one real ``__main__`` module and, after a
normal end, ``check`` once per answer. Outcomes go to the shared run record (``record``): one
``run`` record, then one ``check`` record per answer (each answer's check but the last runs
in a fork of the finished program). The process holds no descriptor of the worker's.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import os
import resource
import signal
import sys
import tempfile
import threading
import traceback
import types
from types import CodeType
from typing import Any

from . import failures, linux, record

_SNIPPETS = ("setup", "program", "run")
_EAGAIN = 11  # fork, clone or thread creation refused: the process limit
_FILE_LIMIT_ERRNOS = (27, 28, 122)  # EFBIG, ENOSPC, EDQUOT: the run's own file limit


def main(job: dict[str, Any], ctx: dict[str, Any]) -> None:
    """Run the job; never returns."""
    code = 70
    try:
        _enter_sandbox(job, ctx)
        _execute(job, ctx)
        code = 0
    except BaseException:
        ctx["record"].phase(record.REPORTING)
        with contextlib.suppress(BaseException):
            _emit(ctx, {"kind": "internal", "message": failures.clip(traceback.format_exc())})
    finally:
        os._exit(code)


def _enter_sandbox(job: dict[str, Any], ctx: dict[str, Any]) -> None:
    for fd in ctx["private_fds"]:
        _close(fd)
    network = _own_network()
    _emit(ctx, {"kind": "sandbox", "network_isolated": network})
    os.setsid()
    for sig in (signal.SIGTERM, signal.SIGXFSZ, signal.SIGXCPU, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)  # setup's output goes nowhere
    os.close(null)
    run_dir = ctx["run_dir"]
    os.chdir(run_dir)
    os.environ.update(HOME=run_dir, TMPDIR=run_dir, PWD=run_dir)
    tempfile.tempdir = run_dir
    sys.path.insert(0, run_dir)
    sys.argv = ["main.py"]
    _set_limits(job["limits"], ctx.get("uid") is not None)
    _drop_privileges(ctx)
    _streams()


def _own_network() -> bool:
    """A new network namespace with only loopback, and new IPC objects: nothing a run binds,
    leaves in TIME_WAIT or puts in shared memory is seen by the next run."""
    linux.unshare(linux.CLONE_NEWIPC)
    if not linux.unshare(linux.CLONE_NEWNET):
        return False
    with contextlib.suppress(OSError):
        linux.loopback_up()
    return True


def _set_limits(limits: dict[str, Any], unprivileged: bool) -> None:
    cpu = int(limits["timeout"]) + 2
    wanted = [
        (resource.RLIMIT_AS, int(limits["memory"])),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_FSIZE, int(limits["file_limit"])),
        (resource.RLIMIT_CORE, 0),
    ]
    if unprivileged:
        wanted.append((resource.RLIMIT_NPROC, 512))
    for kind, value in wanted:
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value + 1 if kind == resource.RLIMIT_CPU else value))


def _drop_privileges(ctx: dict[str, Any]) -> None:
    if ctx.get("uid") is not None:
        linux.keep_capabilities()
        os.setgroups([])
        os.setgid(ctx["gid"])
        os.setuid(ctx["uid"])
        linux.only_read_anything()
    elif ctx["mode"] == "userns":
        linux.drop_all_capabilities()
    linux.die_with_parent(signal.SIGKILL)


def _streams() -> None:
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the run
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(  # noqa: SIM115
        2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False
    )
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr  # type: ignore[misc]


def _execute(job: dict[str, Any], ctx: dict[str, Any]) -> None:
    try:
        codes = {name: failures.compile_snippet(name, job[name]) for name in _SNIPPETS}
        check = failures.compile_snippet("check", job["check"], rewrite_asserts=True)
    except SyntaxError as exc:
        _emit(ctx, {"kind": "run", "status": "syntax-error", "exit_code": 1,
                    "failure": failures.describe(exc), "raised_expected": False})  # fmt: skip
        return
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    atexit._clear()  # handlers of the worker's own modules are not the program's
    ctx["capture_ids"] = [_identity(ctx["out_fd"]), _identity(ctx["err_fd"])]
    ctx["record"].phase(record.PROGRAM)
    outcome = _run_snippets(codes, module.__dict__, ctx, job.get("expect_raises"))
    ctx["record"].phase(record.REPORTING)
    _emit(ctx, outcome)
    if job["check"].strip() and (outcome["status"] == "normal" or outcome["raised_expected"]):
        _checks(check, module.__dict__, job, ctx)


def _run_snippets(
    codes: dict[str, CodeType], ns: dict[str, Any], ctx: dict[str, Any], expect: str | None
) -> dict[str, Any]:
    error: BaseException | None = None
    try:
        exec(codes["setup"], ns)
    except BaseException as exc:
        error = exc
    _flush()
    os.dup2(ctx["out_fd"], 1)
    os.dup2(ctx["err_fd"], 2)
    if error is None:
        try:
            exec(codes["program"], ns)
            exec(codes["run"], ns)
        except BaseException as exc:
            error = exc
    return _finish(error, expect)


def _finish(error: BaseException | None, expect: str | None) -> dict[str, Any]:
    """Classify how the program ended, after what a real interpreter does at exit."""
    outcome = classify(error, expect)
    if outcome["status"] == "normal" or outcome["raised_expected"]:
        for thread in threading.enumerate():
            if not thread.daemon and thread is not threading.current_thread():
                thread.join()
        atexit._run_exitfuncs()
    _flush()
    return outcome


def classify(error: BaseException | None, expect: str | None) -> dict[str, Any]:
    """status, exit_code, failure and raised_expected for an ending exception (or None)."""
    out: dict[str, Any] = {"kind": "run", "status": "normal", "exit_code": 0, "failure": None}
    out["raised_expected"] = bool(error is not None and expect and failures.matches(error, expect))
    if error is None:
        return out
    if isinstance(error, SystemExit) and error.code in (None, 0):
        return out
    out["failure"] = failures.describe(error)
    out["exit_code"], out["status"] = 1, "exception"
    if isinstance(error, SystemExit):
        out["status"] = "exit"
        if isinstance(error.code, int):
            out["exit_code"] = error.code
        else:
            sys.stderr.write(failures.safe_str(error.code) + "\n")
    elif isinstance(error, MemoryError):
        out["status"] = "memory"
    elif isinstance(error, OSError) and error.errno in _FILE_LIMIT_ERRNOS:
        out["status"] = "file-limit"
    elif (
        isinstance(error, BlockingIOError) and error.errno == _EAGAIN and not out["raised_expected"]
    ):
        # No process or thread could be started: the process limit, reached by this run or
        # (sharing a user) another one. A resource limit: never proof either way.
        out["status"] = "memory"
    return out


def _checks(code: CodeType, ns: dict[str, Any], job: dict[str, Any], ctx: dict[str, Any]) -> None:
    ns["stdout"] = _captured([ctx["out_fd"], 1], ctx["capture_ids"][0], job)
    ns["stderr"] = _captured([ctx["err_fd"], 2], ctx["capture_ids"][1], job)
    ns[failures.EXPLAIN] = failures.explain
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # what check prints is not the program's output
    os.dup2(null, 2)
    answers = job["answers"]
    for index, answer in enumerate(answers):
        ctx["record"].phase(record.CHECK + index)
        if index == len(answers) - 1:  # nothing runs after the last check: no fork needed
            _emit(ctx, _check_one(code, ns, index, answer))
        else:
            _check_in_fork(code, ns, index, answer, ctx)
    ctx["record"].phase(record.REPORTING)


def _check_one(code: CodeType, ns: dict[str, Any], index: int, answer: object) -> dict[str, Any]:
    ns["answer"] = answer
    try:
        exec(code, ns)
    except BaseException as exc:
        return {"kind": "check", "index": index, "passed": False, "failure": failures.describe(exc)}
    finally:
        _flush()
    return {"kind": "check", "index": index, "passed": True, "failure": None}


def _check_in_fork(
    code: CodeType, ns: dict[str, Any], index: int, answer: object, ctx: dict[str, Any]
) -> None:
    before = ctx["record"].used()
    pid = os.fork()
    if pid == 0:
        try:
            _emit(ctx, _check_one(code, ns, index, answer))
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if ctx["record"].used() == before:  # the check killed its own process
        failure = {"type": "Crash", "message": f"check ended the process (wait status {status})",
                   "snippet": "check", "line": None, "traceback": ""}  # fmt: skip
        _emit(ctx, {"kind": "check", "index": index, "passed": False, "failure": failure})


def _identity(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_dev, info.st_ino


def _captured(fds: list[int], identity: tuple[int, int], job: dict[str, Any]) -> str:
    """What the program wrote, read through whichever descriptor still refers to the capture
    (the program may have closed the runner's copy, or its own stdout, but rarely both)."""
    limit = int(job["limits"]["output_limit"])
    for fd in fds:
        with contextlib.suppress(OSError):
            if _identity(fd) == identity:
                return os.pread(fd, min(os.fstat(fd).st_size, limit), 0).decode("utf-8", "replace")
    raise RuntimeError("the program closed its output: check cannot read what it wrote")


def _emit(ctx: dict[str, Any], entry: dict[str, Any]) -> None:
    ctx["record"].append(entry, default=failures.safe_repr)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a broken stream must not hide the outcome
            stream.flush()


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
