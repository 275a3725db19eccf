"""How fast is `qbank validate`? The benchmark of DESIGN section 3 (prints figures; not a test).

It generates a bank project (``generate_bank.py``) and times, each as a whole process (wall
clock from the parent, peak RSS of the child's process tree):

(a) qbank's runner: ``qbank validate BANK --no-cache -j J`` (fork isolation, warm workers);
(b) one fresh interpreter per run: a driver plans the same runs with ``plan_question`` and
    starts ``python RUNNER SPEC.json`` in a fresh temp folder for every run, ``J`` at a time
    (the same parallelism as (a), for fairness);
(c) every run in one process without isolation (the floor): one Python process exec()s each
    run's setup, program, run and check in a fresh dict and a fresh temp folder, capturing
    stdout with ``contextlib.redirect_stdout`` (no fork, no limits, sequential);
(d) qbank with a warm cache: ``qbank validate`` twice on the small-question bank; the second
    (fully cached) run is timed;
(e) for reference: ``qbank validate --isolation subprocess --no-cache -j J``.

(b) and (c) load and plan the bank with qbank inside the timed process, as (a) does; they do
not judge the results, but the driver checks that both give the same outcome for every run.

    .venv/bin/python benchmarks/bench_validate.py [--questions N] [--cache-questions M]
        [--quick] [-j J] [--skip-naive] [--skip-subprocess] [--profile] [--keep DIR]

Exit status 0 unless the benchmark itself crashes; a missed target is printed, not fatal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_bank import (  # noqa: E402
    QUICK_CACHE_QUESTIONS,
    QUICK_QUESTIONS,
    generate,
)

if TYPE_CHECKING:
    from qbank.runner import RunSpec

GNU_TIME = "/usr/bin/time"
TARGET_NAIVE = 10.0  # (b)/(a) at least
TARGET_FLOOR = 3.0  # (a)/(c) at most
TARGET_CACHED = 1.0  # seconds for (d), about

# The code one run executes, shared by (b) (written to a script run by a fresh interpreter)
# and (c) (exec()ed once in the floor process). Stdlib only. Same order as qbank's runner:
# files, setup (output not captured), program + run (stdout/stderr captured), then check once
# per answer after a normal end (or the exception `expect_raises` names).
RUNNER_SOURCE = r"""
import contextlib as _contextlib
import io as _io
import os as _os


def run_spec(spec):
    for name, text in spec["files"]:
        folder = _os.path.dirname(name)
        if folder:
            _os.makedirs(folder, exist_ok=True)
        with open(name, "w", encoding="utf-8") as f:
            f.write(text)
    ns = {"__name__": "__main__", "__builtins__": __builtins__}
    error = None
    try:
        exec(compile(spec["setup"], "<setup>", "exec"), ns)
    except BaseException as exc:
        error = exc
    out, err = _io.StringIO(), _io.StringIO()
    if error is None:
        with _contextlib.redirect_stdout(out), _contextlib.redirect_stderr(err):
            try:
                exec(compile(spec["program"], "<program>", "exec"), ns)
                exec(compile(spec["run"], "<run>", "exec"), ns)
            except SystemExit as exc:
                if exc.code not in (None, 0):
                    error = exc
            except BaseException as exc:
                error = exc
    status = "normal" if error is None else type(error).__name__
    expected = spec["expect_raises"]
    raised_expected = error is not None and bool(expected) and any(
        c.__name__ == expected for c in type(error).__mro__
    )
    checks = []
    if spec["check"].strip() and (error is None or raised_expected):
        ns["stdout"], ns["stderr"] = out.getvalue(), err.getvalue()
        with _contextlib.redirect_stdout(_io.StringIO()), _contextlib.redirect_stderr(_io.StringIO()):
            try:
                code = compile(spec["check"], "<check>", "exec")
            except SyntaxError:
                code = None
            for answer in spec["answers"]:
                ns["answer"] = answer
                try:
                    exec(code, ns)
                    checks.append(code is not None)
                except BaseException:
                    checks.append(False)
    return {"status": status, "raised_expected": raised_expected, "checks": checks}
"""

RUNNER_MAIN = r"""
if __name__ == "__main__":
    import json as _json
    import sys as _sys

    with open(_sys.argv[1], encoding="utf-8") as _f:
        _result = run_spec(_json.load(_f))
    with open(_sys.argv[2], "w", encoding="utf-8") as _f:
        _json.dump(_result, _f)
"""


# --- planning (shared by the drivers and the report) --------------------------------------


def plan_runs(bank_path: str) -> tuple[list[RunSpec], list[str]]:
    """Every run qbank would execute for the bank, and each run's kind."""
    import qbank
    from qbank.prove.plan import plan_question

    specs: list[RunSpec] = []
    kinds: list[str] = []
    for loaded in qbank.load([bank_path]):
        for question in loaded.bank.questions:
            for run in plan_question(loaded.bank, question):
                specs.append(run.spec)
                kinds.append(question.id.split("-", 1)[1])
    return specs, kinds


def plan_specs(bank_path: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The JSON form of every run qbank would execute for the bank, and each run's kind."""
    specs, kinds = plan_runs(bank_path)
    return [spec.to_json() for spec in specs], kinds


# --- the drivers of (b) and (c); each runs as its own timed process -----------------------


def driver_naive(bank: str, jobs: int) -> None:
    started = time.perf_counter()
    specs, _ = plan_specs(bank)
    planned = time.perf_counter() - started
    work = Path(tempfile.mkdtemp(prefix="qbank-bench-naive-"))
    try:
        runner = work / "runner.py"
        runner.write_text(RUNNER_SOURCE + RUNNER_MAIN, encoding="utf-8")

        def one(index: int) -> dict[str, Any]:
            spec_file, result_file = work / f"{index}.json", work / f"{index}.result.json"
            spec_file.write_text(json.dumps(specs[index]), encoding="utf-8")
            cwd = tempfile.mkdtemp(prefix="run-", dir=work)
            try:
                proc = subprocess.run(
                    [sys.executable, str(runner), str(spec_file), str(result_file)],
                    cwd=cwd,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=120,
                    check=False,
                )
                if result_file.exists():
                    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
                    return result
                return {"status": f"crash {proc.returncode}", "checks": []}
            finally:
                shutil.rmtree(cwd, ignore_errors=True)

        with ThreadPoolExecutor(jobs) as pool:
            results = list(pool.map(one, range(len(specs))))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"plan_seconds": planned, "results": results}))


def driver_inprocess(bank: str) -> None:
    started = time.perf_counter()
    specs, _ = plan_specs(bank)
    planned = time.perf_counter() - started
    namespace: dict[str, Any] = {}
    exec(compile(RUNNER_SOURCE, "<runner>", "exec"), namespace)
    run_spec = namespace["run_spec"]
    home = os.getcwd()
    base = tempfile.mkdtemp(prefix="qbank-bench-floor-")
    results = []
    try:
        for index, spec in enumerate(specs):
            cwd = os.path.join(base, str(index))
            os.mkdir(cwd)
            os.chdir(cwd)
            try:
                results.append(run_spec(spec))
            finally:
                os.chdir(home)
                shutil.rmtree(cwd, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(json.dumps({"plan_seconds": planned, "results": results}))


# --- timing whole processes ---------------------------------------------------------------


@dataclass
class Timing:
    name: str
    runs: int
    wall: float
    peak_rss_mb: float | None
    """Largest resident set of any single process of the tree (GNU time %M / ru_maxrss)."""
    tree_rss_mb: float | None
    """Largest sum of the RSS of the whole tree, sampled from /proc every 0.2 s (Linux)."""
    returncode: int
    stdout: str
    stderr: str

    @property
    def ms_per_run(self) -> float | None:
        return self.wall * 1000 / self.runs if self.runs else None


def _children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss(root: int) -> int:
    tree, total, todo = _children_map(), 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            pass
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, _tree_rss(self.pid))


RSS_METHOD = (
    "GNU /usr/bin/time %M (wait4 rusage: largest single process of the tree, children included)"
    if os.access(GNU_TIME, os.X_OK)
    else "resource.getrusage(RUSAGE_CHILDREN).ru_maxrss of a wrapper process (largest single process of the tree)"
)
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def timed(name: str, cmd: Sequence[str], cwd: str, runs: int) -> Timing:
    fd, rss_file = tempfile.mkstemp(prefix="qbank-bench-rss-")
    os.close(fd)
    if os.access(GNU_TIME, os.X_OK):
        full = [GNU_TIME, "-f", "%M", "-o", rss_file, *cmd]
    else:
        full = [sys.executable, "-c", _WRAPPER, rss_file, *cmd]
    sampler = None
    started = time.perf_counter()
    proc = subprocess.Popen(
        full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if sys.platform.startswith("linux"):
        sampler = _Sampler(proc.pid)
        sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if sampler is not None:
        sampler.done.set()
        sampler.join()
    peak: float | None = None
    try:
        text = Path(rss_file).read_text().strip().splitlines()
        kb = int(text[-1])
        peak = kb / 1024 if sys.platform != "darwin" else kb / 2**20
    except (OSError, ValueError, IndexError):
        pass
    finally:
        os.unlink(rss_file)
    tree = sampler.peak / 2**20 if sampler is not None and sampler.peak else None
    return Timing(name, runs, wall, peak, tree, proc.returncode, out, err)


# --- profiling the runner through its public API ------------------------------------------


def profile_runner(bank: str, jobs: int) -> None:
    """Where does (a)'s time go? Pool start-up, then run_many over each kind of run.

    The pool is warmed the way ``qbank validate`` warms it (``qbank.prove.coordinate``): the
    bank's ``requires`` preloaded and its ``warmup`` run once per worker (the worker itself
    guards the warmup; ``Pool.warmup_error`` says if it failed).
    """
    import qbank
    from qbank.model.requirements import parse_requirement
    from qbank.runner import Pool

    loaded = next(iter(qbank.load([bank])))
    t0 = time.perf_counter()
    specs, kinds = plan_runs(bank)
    print(f"  load + plan: {time.perf_counter() - t0:.2f} s for {len(specs)} runs")
    preload = sorted({parse_requirement(r).module for r in loaded.bank.requires})
    warmup = loaded.bank.warmup or ""
    for j in sorted({1, jobs}):
        started = time.perf_counter()
        with Pool(jobs=j, preload=preload, warmup=warmup) as pool:
            ready = time.perf_counter() - started
            if pool.warmup_error:
                print(f"  -j {j}: the bank's warmup failed: {pool.warmup_error}")
            by_kind: dict[str, list[int]] = {}
            for index, kind in enumerate(kinds):
                by_kind.setdefault(kind.split("-")[0], []).append(index)
            modules = ", ".join(preload) or "nothing"
            print(f"  -j {j}: pool start (spawn, import {modules}, warm up): {ready:.2f} s")
            for family, indexes in sorted(by_kind.items()):
                batch = [specs[i] for i in indexes]
                t = time.perf_counter()
                results = pool.run_many(batch)
                wall = time.perf_counter() - t
                durations = sorted(r.duration * 1000 for r in results)
                median = statistics.median(durations)
                p90 = durations[int(len(durations) * 0.9)]
                print(
                    f"  -j {j}: {family:7} {len(batch):4} runs in {wall:6.2f} s = "
                    f"{wall * 1000 / len(batch):6.1f} ms/run wall; per-run duration "
                    f"median {median:.1f} ms, p90 {p90:.1f} ms"
                )
        print(f"  -j {j}: total incl. pool close {time.perf_counter() - started:.2f} s")


# --- the benchmark ------------------------------------------------------------------------


def _outcome(result: dict[str, Any]) -> tuple[bool, tuple[bool, ...]]:
    ended = result["status"] == "normal" or bool(result.get("raised_expected"))
    return ended, tuple(result["checks"])


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--cache-questions", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="small banks: a smoke run")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-naive", action="store_true", help="skip (b), the slowest")
    parser.add_argument("--skip-subprocess", action="store_true", help="skip (e)")
    parser.add_argument("--profile", action="store_true", help="time the runner's Pool too")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--driver", choices=["naive", "inprocess"], help=argparse.SUPPRESS)
    parser.add_argument("bank", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.driver == "naive":
        driver_naive(args.bank, args.jobs)
        return 0
    if args.driver == "inprocess":
        driver_inprocess(args.bank)
        return 0
    if args.quick:
        args.questions, args.cache_questions = QUICK_QUESTIONS, QUICK_CACHE_QUESTIONS

    root = Path(args.keep or tempfile.mkdtemp(prefix="qbank-bench-"))
    try:
        return _bench(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def _bench(args: argparse.Namespace, root: Path) -> int:
    qbank_cli = str(Path(sys.executable).with_name("qbank"))
    if not os.access(qbank_cli, os.X_OK):
        qbank_cli = ""
    qbank_cmd = [qbank_cli] if qbank_cli else [sys.executable, "-m", "qbank"]
    jobs = args.jobs
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"cpu count {os.cpu_count()}, -j {jobs} for (a), (b) and (e); {platform.platform()}")
    paths = generate(root, args.questions, args.cache_questions)
    heavy, cache = str(paths["heavy"]), str(paths["cache"])
    specs, kinds = plan_specs(heavy)
    fastapi_runs = sum(k.startswith("fa-") for k in kinds)
    print(
        f"bank: {args.questions} questions -> {len(specs)} runs "
        f"({fastapi_runs} FastAPI, {len(specs) - fastapi_runs} plain Python); "
        f"cache bank: {args.cache_questions} questions"
    )
    print(f"peak RSS: {RSS_METHOD}; tree RSS: sum over the tree, sampled every 0.2 s")
    print(flush=True)

    me = str(Path(__file__).resolve())
    rows: dict[str, Timing] = {}

    def scenario(key: str, title: str, cmd: list[str], runs: int) -> Timing:
        print(f"running {key} {title} ...", flush=True)
        t = timed(f"({key}) {title}", cmd, str(root), runs)
        rows[key] = t
        if t.returncode != 0:
            print(f"  !! exit status {t.returncode}")
            print("  " + (t.stdout + t.stderr)[-3000:].replace("\n", "\n  "))
        return t

    no_cache = ["validate", heavy, "--no-cache", "-j", str(jobs)]
    scenario("a", "qbank validate --no-cache (fork)", [*qbank_cmd, *no_cache], len(specs))
    if not args.skip_naive:
        scenario(
            "b",
            "fresh python per run",
            [sys.executable, me, "--driver", "naive", "-j", str(jobs), heavy],
            len(specs),
        )
    scenario(
        "c",
        "one process, no isolation",
        [sys.executable, me, "--driver", "inprocess", heavy],
        len(specs),
    )
    cold = scenario("d0", "qbank validate, cache bank, cold", [*qbank_cmd, "validate", cache], 0)
    scenario("d", "qbank validate, cache bank, warm", [*qbank_cmd, "validate", cache], 0)
    if not args.skip_subprocess:
        scenario(
            "e",
            "qbank validate --isolation subprocess",
            [*qbank_cmd, *no_cache, "--isolation", "subprocess"],
            len(specs),
        )
    del cold

    # (b) and (c) must have done the same work: same outcome for every run.
    outcomes = {}
    for key in ("b", "c"):
        if key in rows and rows[key].returncode == 0:
            data = json.loads(rows[key].stdout.strip().splitlines()[-1])
            outcomes[key] = [_outcome(r) for r in data["results"]]
            rows[key].name += f" [plan {data['plan_seconds']:.2f}s]"
    if len(outcomes) == 2:
        differ = sum(x != y for x, y in zip(outcomes["b"], outcomes["c"], strict=True))
        print(f"\n(b) and (c) agree on {len(specs) - differ}/{len(specs)} run outcomes")

    print()
    header = (
        f"{'scenario':58} {'runs':>5} {'wall s':>8} {'ms/run':>8} {'peak MB':>8} {'tree MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for t in rows.values():
        runs = str(t.runs) if t.runs else "-"
        print(
            f"{t.name:58} {runs:>5} {t.wall:8.2f} {_fmt(t.ms_per_run, '8.1f'):>8} "
            f"{_fmt(t.peak_rss_mb, '8.0f'):>8} {_fmt(t.tree_rss_mb, '8.0f'):>8}"
        )
    print()
    missed = []
    a, c, d = rows["a"], rows["c"], rows["d"]
    if "b" in rows:
        ratio = rows["b"].wall / a.wall
        ok = ratio >= TARGET_NAIVE
        print(
            f"(b)/(a) = {ratio:5.1f}x   target >= {TARGET_NAIVE:.0f}x  {'ok' if ok else 'MISSED'}"
        )
        if not ok:
            missed.append("(b)/(a)")
    ratio = a.wall / c.wall
    ok = ratio <= TARGET_FLOOR
    print(f"(a)/(c) = {ratio:5.1f}x   target <= {TARGET_FLOOR:.0f}x   {'ok' if ok else 'MISSED'}")
    if not ok:
        missed.append("(a)/(c)")
    ok = d.wall <= TARGET_CACHED * 1.5
    print(
        f"(d)     = {d.wall:5.2f} s  for {args.cache_questions} cached questions, "
        f"target ~{TARGET_CACHED:.0f} s  {'ok' if ok else 'MISSED'}"
    )
    if not ok:
        missed.append("(d)")
    if "e" in rows:
        print(f"(e)/(a) = {rows['e'].wall / a.wall:5.1f}x   (subprocess isolation vs fork)")
    if missed:
        print(f"\nTARGETS MISSED: {', '.join(missed)}")
    else:
        print("\nall targets met")
    if args.profile:
        print("\nprofile of the runner (qbank.runner.Pool.run_many, in this process):")
        profile_runner(heavy, jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
