"""One run, seen from the worker: prepare, fork the supervisor, read the outcome back.

Stdlib only, Python >= 3.9. The result is the JSON form of ``qbank.runner.spec.RunResult``.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import IO, Any

from . import supervisor

_GRACE = 30.0  # seconds the supervisor may take beyond the run's own timeout
_MEMORY_HINTS = ("MemoryError", "Cannot allocate memory", "out of memory", "bad_alloc")


def run_job(job: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    """Run one job in a fresh folder below ``ctx["base"]`` and return the result as JSON data."""
    started = time.monotonic()
    run_dir = _make_run_dir(job, ctx)
    captures = [tempfile.TemporaryFile(dir=ctx["base"]) for _ in range(3)]  # noqa: SIM115 - closed below
    try:
        fds = dict(ctx, run_dir=run_dir, out_fd=captures[0].fileno(),
                   err_fd=captures[1].fileno(), res_fd=captures[2].fileno(),
                   capture_fds=[captures[0].fileno(), captures[1].fileno()])  # fmt: skip
        report = _fork_supervisor(job, fds)
        result = _assemble(job, report, captures)
        result["files"] = [[name, _collect(run_dir, name, job)] for name in job["collect_files"]]
    finally:
        for capture in captures:
            capture.close()
        remove_tree(run_dir)
    result.setdefault("duration", time.monotonic() - started)
    return result


def _make_run_dir(job: dict[str, Any], ctx: dict[str, Any]) -> str:
    run_dir = tempfile.mkdtemp(prefix="run-", dir=ctx["base"])
    for name, content in job["files"]:
        path = _inside(run_dir, name)
        if path is None:
            raise ValueError(f"fixture file name leaves the run folder: {name!r}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
    if ctx.get("uid") is not None:
        for folder, dirs, files in os.walk(run_dir):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, ctx["uid"], ctx["gid"])
    return run_dir


def _inside(run_dir: str, name: str) -> str | None:
    root = os.path.realpath(run_dir)
    path = os.path.realpath(os.path.join(root, name))
    return path if path.startswith(root + os.sep) else None


def _fork_supervisor(job: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any] | None:
    report_r, report_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        os.close(report_r)
        supervisor.supervise(job, ctx, report_w)
    os.close(report_w)
    try:
        data = _read_until_eof(report_r, float(job["limits"]["timeout"]) + _GRACE)
    finally:
        os.close(report_r)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return json.loads(data) if data else None


def _read_until_eof(fd: int, timeout: float) -> bytes | None:
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _assemble(
    job: dict[str, Any], report: dict[str, Any] | None, captures: Sequence[IO[bytes]]
) -> dict[str, Any]:
    limit = int(job["limits"]["output_limit"])
    sizes = [os.fstat(c.fileno()).st_size for c in captures[:2]]
    out, err = (_read(c, limit) for c in captures[:2])
    records = [json.loads(line) for line in _read(captures[2], 1 << 26).splitlines() if line]
    result: dict[str, Any] = {"stdout": out, "stderr": err, "exit_code": None, "failure": None,
                              "raised_expected": False, "checks": [], "network_isolated": False}  # fmt: skip
    if report is None:
        result["status"] = "worker-died"
        return result
    result["duration"] = report["duration"]
    result["network_isolated"] = report["network_isolated"]
    run = next((r for r in records if r["kind"] in ("run", "internal")), None)
    reason = report["reason"] or ("output-limit" if max(sizes) > limit else None)
    if reason is not None:
        result["status"] = {"stopped": "worker-died"}.get(reason, reason)
    elif run is None or run["kind"] == "internal":
        result.update(_vanished(report["child_status"], err, run))
    else:
        result.update({k: run[k] for k in ("status", "exit_code", "failure", "raised_expected")})
        result["checks"] = _checks(job, run, records, report["child_status"])
    return result


def _vanished(status: int | None, stderr: str, internal: dict[str, Any] | None) -> dict[str, Any]:
    """The run process ended before reporting how the program ended."""
    if internal is not None or status is None:
        failure = internal and {"type": "RunnerError", "message": internal["message"],
                                "snippet": None, "line": None, "traceback": ""}  # fmt: skip
        return {"status": "worker-died", "failure": failure}
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
    job: dict[str, Any], run: dict[str, Any], records: list[dict[str, Any]], status: int | None
) -> list[Any]:
    if not job["check"].strip() or not (run["status"] == "normal" or run["raised_expected"]):
        return []  # no check, or the program ended abnormally
    found = {r["index"]: r for r in records if r["kind"] == "check"}
    lost = {"type": "Crash", "message": f"the run process ended during check (wait status {status})",
            "snippet": "check", "line": None, "traceback": ""}  # fmt: skip
    out = []
    for index in range(len(job["answers"])):
        record = found.get(index, {"passed": False, "failure": lost})
        out.append({"passed": record["passed"], "failure": record["failure"]})
    return out


def _read(capture: IO[bytes], limit: int) -> str:
    capture.seek(0)
    return capture.read(limit).decode("utf-8", "replace")


def _collect(run_dir: str, name: str, job: dict[str, Any]) -> str | None:
    path = _inside(run_dir, name)
    if path is None or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return handle.read(int(job["limits"]["file_limit"])).decode("utf-8", "replace")


def remove_tree(path: str) -> None:
    """Remove a folder even where a run took away its own permissions."""

    def retry(func: Any, name: str, _: Any) -> None:
        os.chmod(os.path.dirname(name), stat.S_IRWXU)
        if os.path.isdir(name) and not os.path.islink(name):
            os.chmod(name, stat.S_IRWXU)
        func(name)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)
