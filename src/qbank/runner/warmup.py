"""The bank's ``warmup`` code, run once in the worker under a run's rules (stdlib only).

It must run in the worker itself (what it imports and caches is what every later fork
inherits), yet under the same user, limits and cleanup as a run: in fresh run files
(``/tmp/run`` on a new tmpfs, gone afterwards), in the worker's own network namespace (no
network), as the run user (the worker's own user as root: real and effective ids, saved id kept
so the worker can come back; without root: every capability of the user namespace out of
effect), with the run's memory, CPU, file and process limits as soft limits and its wall time
as a timer. Everything it started is killed when it ends. It protects against mistakes in
warmup code, not against code that deliberately takes its rights back.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
import traceback
from typing import Any

from . import linux, sandbox, supervisor

_LIMITS = (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE, resource.RLIMIT_NPROC)


class WarmupTimeout(BaseException):
    """Raised in warmup code that outlived the run timeout or its CPU time."""


def run(code: str, limits: dict[str, Any], ctx: dict[str, Any]) -> str | None:
    """Run ``code``; what it raised (or why it was stopped), None when it went well."""
    if not code.strip():
        return None
    area = sandbox.make_area(limits, ctx)
    saved = _save(area.path)
    error = None
    try:
        _lower(limits, ctx)
        exec(compile(code, "<qbank:warmup>", "exec", dont_inherit=True), {"__name__": "__warmup__"})
    except BaseException as exc:
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    finally:
        _restore(saved, ctx)
        supervisor.end_all()
        area.close()
    if threading.active_count() > 1:
        error = (error or "") + " warmup left threads running: forking runs is unsafe"
    return error


def _save(run_dir: str) -> dict[str, Any]:
    env = {name: os.environ.get(name) for name in ("HOME", "TMPDIR", "PWD")}
    rlimits = {kind: resource.getrlimit(kind) for kind in _LIMITS}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGALRM, signal.SIGXCPU)}
    os.environ.update(HOME=run_dir, TMPDIR=run_dir, PWD=run_dir)
    saved = {"cwd": os.getcwd(), "env": env, "rlimits": rlimits, "handlers": handlers}
    os.chdir(run_dir)
    return saved


def _stop(signum: int, frame: object) -> None:
    raise WarmupTimeout(f"warmup was stopped by {signal.Signals(signum).name} (run limits)")


def _lower(limits: dict[str, Any], ctx: dict[str, Any]) -> None:
    for sig in (signal.SIGALRM, signal.SIGXCPU):
        signal.signal(sig, _stop)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + float(limits["timeout"])) + 2
    wanted = {resource.RLIMIT_AS: int(limits["memory"]), resource.RLIMIT_CPU: cpu,
              resource.RLIMIT_FSIZE: int(limits["file_limit"])}  # fmt: skip
    if ctx.get("uid") is not None:
        wanted[resource.RLIMIT_NPROC] = 512
    for kind, value in wanted.items():
        hard = resource.getrlimit(kind)[1]
        resource.setrlimit(
            kind, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard)
        )
    if ctx.get("uid") is not None:
        os.setgroups([])
        os.setresgid(ctx["gid"], ctx["gid"], 0)
        os.setresuid(ctx["uid"], ctx["uid"], 0)
        linux.set_effective_capabilities(linux.CAP_DAC_READ_SEARCH_MASK)
    elif ctx["mode"] == "userns":
        linux.set_effective_capabilities(0)
    signal.setitimer(signal.ITIMER_REAL, float(limits["timeout"]))


def _restore(saved: dict[str, Any], ctx: dict[str, Any]) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    if ctx.get("uid") is not None:
        os.setresuid(0, 0, 0)  # the effective capabilities come back with uid 0
        os.setresgid(0, 0, 0)
    elif ctx["mode"] == "userns":
        linux.set_effective_capabilities(None)
    for kind, value in saved["rlimits"].items():
        resource.setrlimit(kind, value)
    for sig, handler in saved["handlers"].items():
        signal.signal(sig, handler)
    for name, value in saved["env"].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.chdir(saved["cwd"])
