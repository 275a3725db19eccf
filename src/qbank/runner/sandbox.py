"""One run, seen from the worker: prepare its files, fork it, watch it, judge only what it
reported (stdlib only, Python >= 3.9). The result is the JSON form of
``qbank.runner.spec.RunResult``.

A run is judged only from what it reported in the shared record (``record``), or, when the
process ended while the snippets were in control, from how it ended (``os._exit(7)``, a
segfault): that is the program's doing, seen by the worker. Anything else (no record, a
damaged record, files that could not be prepared, an error of the runner itself) is the
inconclusive status ``worker-died`` with the reason in ``failure``: never a verdict.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from . import child, mounts, record, supervisor

_NAME_MAX = 255  # bytes of one part of a file name
_MEMORY_HINTS = ("MemoryError", "Cannot allocate memory", "out of memory", "bad_alloc")


def run_job(job: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    """Run one job in fresh files and return the result as JSON data."""
    started = time.monotonic()
    collected = [name for name, _ in job.get("collect_bytes", ())] + list(job["collect_files"])
    refused = _refused([name for name, _ in job["files"]] + collected)
    if refused is not None:
        return unreported(f"the run's files could not be prepared: {refused}")
    try:
        area = make_area(job["limits"], ctx)
    except OSError as exc:
        return unreported(f"the run's files could not be prepared: {exc}")
    try:
        _write_fixtures(area.path, job, ctx)
    except (OSError, ValueError) as exc:  # ValueError: text that cannot be written as UTF-8
        area.close()
        return unreported(f"the run's files could not be prepared (file_limit?): {exc}")
    captures = [_capture(name) for name in ("stdout", "stderr")]
    try:
        run_ctx = dict(ctx, run_dir=area.path, out_fd=captures[0], err_fd=captures[1],
                       capture_fds=captures)  # fmt: skip
        ctx["record"].reset()
        reason, status = _fork_run(job, run_ctx)
        duration = time.monotonic() - started
        result = _assemble(job, reason, status, captures, ctx["record"])
        result["files"] = [[name, _collect(area.path, name, job)] for name in job["collect_files"]]
        result["binary_files"] = [
            [name, _collect_bytes(area.path, name, int(most))]
            for name, most in job.get("collect_bytes", ())
        ]
        result["duration"] = duration
    except OSError as exc:
        result = unreported(f"the runner failed around the run: {exc}")
    finally:
        for fd in captures:
            os.close(fd)
        area.close()
    return result


class _Folder:
    """The run's files where there is no mount namespace: a folder below the worker's base."""

    def __init__(self, base: str) -> None:
        self.path = tempfile.mkdtemp(prefix="run-", dir=base)

    def close(self) -> None:
        remove_tree(self.path)


def make_area(limits: dict[str, Any], ctx: dict[str, Any]) -> Any:
    """A ``mounts.RunArea`` where the worker has its own mount namespace, else a folder."""
    owner = (ctx["uid"], ctx["gid"]) if ctx.get("uid") is not None else None
    if ctx["mounts"]:
        return mounts.RunArea(int(limits["file_limit"]), owner)
    area = _Folder(ctx["base"])
    if owner is not None:
        os.chown(area.path, *owner)
    return area


def _write_fixtures(run_dir: str, job: dict[str, Any], ctx: dict[str, Any]) -> None:
    for name, content in job["files"]:
        path = _inside(run_dir, name)
        if path is None:
            raise OSError(f"fixture file name leaves the run folder: {name!r}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
    if ctx.get("uid") is not None:
        for folder, dirs, files in os.walk(run_dir):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, ctx["uid"], ctx["gid"])


def bad_file_name(name: object) -> str | None:
    """Why a run cannot have a file called `name`, or None: the rule of the static checks
    (``qbank.model.rules.file_name_flaw``), kept here because the worker imports nothing but
    the standard library; a test keeps the two equal."""
    if not isinstance(name, str):
        return "is not text"
    if not name:
        return "is empty"
    if "\0" in name:
        return "holds a NUL character"
    if name.startswith("/"):
        return "is an absolute path"
    parts = name.split("/")
    if ".." in parts:
        return "has a `..` part, which leaves the run folder"
    if name == ".":
        return "is the run folder itself"
    if "" in parts:
        return "has an empty part (`//`, or a `/` at the end)"
    if "." in parts:
        return "has a `.` part"
    try:
        sizes = [len(part.encode("utf-8")) for part in parts]
    except UnicodeEncodeError:
        return "is not valid text (it holds a lone surrogate)"
    if max(sizes) > _NAME_MAX:
        return f"has a part longer than {_NAME_MAX} bytes"
    return None


def _refused(names: list[object]) -> str | None:
    """Why the first bad name of `names` is refused (None: every name is good)."""
    for name in names:
        flaw = bad_file_name(name)
        if flaw is not None:
            return (f"the file name {name!r} {flaw} (a file name must be a relative path inside "
                    "the run folder, `/`-separated, with no empty, `.` or `..` part and no "
                    "leading `/`)")  # fmt: skip
    return None


def _capture(name: str) -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("qbank-" + name, os.MFD_CLOEXEC)
    with tempfile.TemporaryFile() as handle:
        return os.dup(handle.fileno())


def _inside(run_dir: str, name: str) -> str | None:
    root = os.path.realpath(run_dir)
    path = os.path.realpath(os.path.join(root, name))
    return path if path.startswith(root + os.sep) else None


def _fork_run(job: dict[str, Any], ctx: dict[str, Any]) -> tuple[str | None, int]:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        child.main(job, ctx)  # never returns
    return supervisor.watch(pid, job["limits"], ctx)


def _assemble(
    job: dict[str, Any], reason: str | None, status: int, captures: Sequence[int], rec: Any
) -> dict[str, Any]:
    limit = int(job["limits"]["output_limit"])
    sizes = [os.fstat(fd).st_size for fd in captures]
    out, err = (_read(fd, limit) for fd in captures)
    try:
        phase, records = rec.read()
    except ValueError as exc:
        return unreported(f"the run record is unreadable: {exc}", out, err)
    result = unreported("", out, err)
    sandbox: dict[str, Any] = next((r for r in records if r["kind"] == "sandbox"), {})
    result["network_isolated"] = bool(sandbox.get("network_isolated"))
    internal = next((r for r in records if r["kind"] == "internal"), None)
    run = internal or next((r for r in records if r["kind"] == "run"), None)
    reason = reason or ("output-limit" if max(sizes) > limit else None)
    if reason == "aborted":
        result["failure"] = _failure("Aborted", "the pool went away while the run was going on")
    elif reason is not None:
        result.update(status=reason, failure=None)
    elif run is not None and run["kind"] == "internal":
        result["failure"] = _failure("RunnerError", run["message"])
    elif run is not None:
        result.update({k: run[k] for k in ("status", "exit_code", "failure", "raised_expected")})
        result["checks"] = _checks(job, run, records, status)
    elif phase == record.PROGRAM:
        result.update(_vanished(status, err), failure=None)
    else:
        result["failure"] = _failure("NoReport", _silent(phase, status))
    return result


def unreported(message: str, stdout: str = "", stderr: str = "") -> dict[str, Any]:
    """An inconclusive result: the run did not report, for the reason given."""
    return {"status": "worker-died", "exit_code": None, "failure": _failure("RunnerError", message),
            "raised_expected": False, "stdout": stdout, "stderr": stderr, "files": [],
            "checks": [], "duration": 0.0, "network_isolated": False,
            "binary_files": []}  # fmt: skip


def _failure(kind: str, message: str) -> dict[str, Any]:
    return {"type": kind, "message": message, "snippet": None, "line": None, "traceback": ""}


def _silent(phase: int, status: int) -> str:
    where = "before its program started" if phase == record.SETUP else "while reporting"
    return f"the run process ended {where} without a report ({_describe(status)})"


def _describe(status: int) -> str:
    if os.WIFEXITED(status):
        return f"exit status {os.WEXITSTATUS(status)}"
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"wait status {status}"


def _vanished(status: int, stderr: str) -> dict[str, Any]:
    """The program ended the run process itself, before the runner could report."""
    if os.WIFEXITED(status):
        return {"status": "exit", "exit_code": os.WEXITSTATUS(status)}
    sig = os.WTERMSIG(status)
    if sig == signal.SIGXFSZ:
        return {"status": "file-limit", "exit_code": -sig}
    if sig == signal.SIGXCPU:
        return {"status": "timeout", "exit_code": -sig}
    if any(hint in stderr for hint in _MEMORY_HINTS):
        return {"status": "memory", "exit_code": -sig}
    return {"status": "crash", "exit_code": -sig}


def _checks(
    job: dict[str, Any], run: dict[str, Any], records: list[dict[str, Any]], status: int
) -> list[Any]:
    if not job["check"].strip() or not (run["status"] == "normal" or run["raised_expected"]):
        return []  # no check, or the program ended abnormally
    found = {r["index"]: r for r in records if r["kind"] == "check"}
    lost = _failure("Crash", f"the run process ended during check ({_describe(status)})")
    lost["snippet"] = "check"
    out = []
    for index in range(len(job["answers"])):
        entry = found.get(index, {"passed": False, "failure": lost})
        out.append({"passed": entry["passed"], "failure": entry["failure"]})
    return out


def _read(fd: int, limit: int) -> str:
    return os.pread(fd, limit, 0).decode("utf-8", "replace")


def _collect(run_dir: str, name: str, job: dict[str, Any]) -> str | None:
    path = _inside(run_dir, name)
    if path is None or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return handle.read(int(job["limits"]["file_limit"])).decode("utf-8", "replace")


def _collect_bytes(run_dir: str, name: str, most: int) -> str | None:
    """The first `most` bytes of the run's file `name`, base64-encoded (None: missing)."""
    path = _inside(run_dir, name)
    if path is None or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return base64.b64encode(handle.read(most)).decode("ascii")


def remove_tree(path: str) -> None:
    """Remove a folder even where a run took away its own permissions."""

    def retry(func: Any, name: str, _: Any) -> None:
        os.chmod(os.path.dirname(name), stat.S_IRWXU)
        if os.path.isdir(name) and not os.path.islink(name):
            os.chmod(name, stat.S_IRWXU)
        func(name)

    with contextlib.suppress(FileNotFoundError):
        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=retry)
        else:
            shutil.rmtree(path, onerror=retry)
