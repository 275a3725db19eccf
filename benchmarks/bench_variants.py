"""What variants cost: 100 variants of one FastAPI question against 100 plain questions.

Two bank projects in a temporary folder, each validated by `qbank validate` as a whole
process, cold (an empty cache) then cached (the same command again):

* ``variants``: one `code_choice` FastAPI question with ``variants: 100``, whose `params`
  draw the two numbers of the request;
* ``plain``: the same question written out 100 times with those numbers inlined (the
  numbers the variants drew, so both banks prove exactly the same 100 questions).

A variant costs one `params` run for all 100 of them (one sandboxed run, cached) on top of
the runs of the question itself; the cached line should run nothing in either bank.

    .venv/bin/python benchmarks/bench_variants.py [--variants N] [-j JOBS]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = """\
  - id: {id}
    type: code_choice
    {head}prompt: |
      Which line makes `GET /add?a={a}&b={b}` answer `{{"total": {total}}}`?
    code: |
      from fastapi import FastAPI

      app = FastAPI()

      @app.get("/add")
      def add(a: int, b: int):
          ____
    run: |
      from fastapi.testclient import TestClient
      r = TestClient(app).get("/add", params={{"a": {a}, "b": {b}}})
    check: |
      assert r.status_code == 200 and r.json() == {{"total": {total}}}, r.text
    choices:
      - code: 'return {{"total": a + b}}'
        correct: true
      - code: 'return {{"total": a - b}}'
      - code: 'return {{"sum": a + b}}'
      - code: 'return {{"total": a * b}}'
"""
PARAMS = """variants: {n}
    params: |
      a = rng.randint(1000, 9999)
      b = rng.randint(1000, 9999)
      total = a + b
    """


def _bank(questions: str) -> str:
    head = "title: Bench\nrequires: [fastapi, httpx]\ntimeout: 10\n"
    warmup = "warmup: |\n  import fastapi, fastapi.testclient, httpx\n"
    return head + warmup + "questions:\n" + questions


def write_projects(root: Path, n: int, qbank: str) -> tuple[Path, Path]:
    """The two projects; the plain one holds the values the variants drew."""
    variants, plain = root / "variants", root / "plain"
    for folder in (variants, plain):
        folder.mkdir(parents=True)
        (folder / "qbank.toml").write_text("")
    template = QUESTION.format(
        id="add", head=PARAMS.format(n=n), a="{{ a }}", b="{{ b }}", total="{{ total }}"
    )
    (variants / "bank.yaml").write_text(_bank(template), encoding="utf-8")
    drawn = _drawn(variants, qbank)
    questions = "".join(
        QUESTION.format(id=f"add-{k}", head="", a=a, b=b, total=a + b)
        for k, (a, b) in enumerate(drawn, 1)
    )
    (plain / "bank.yaml").write_text(_bank(questions), encoding="utf-8")
    shutil.rmtree(variants / ".qbank_cache", ignore_errors=True)
    return variants, plain


def _drawn(project: Path, qbank: str) -> list[tuple[int, int]]:
    """The (a, b) of every variant, from `qbank validate --format json` (its cache dropped
    after, so the timed cold run starts empty)."""
    run = subprocess.run(
        [qbank, "validate", "--format", "json", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(run.stdout)
    (found,) = data["variants"]
    return [(int(v["params"]["a"]), int(v["params"]["b"])) for v in found["variants"]]


def timed(cmd: list[str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    summary = (run.stderr.strip().splitlines() or [""])[-1]
    return time.perf_counter() - started, run.returncode, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    qbank = str(Path(sys.executable).with_name("qbank"))
    root = Path(tempfile.mkdtemp(prefix="qbank-bench-variants-"))
    try:
        projects = write_projects(root, args.variants, qbank)
        rows: dict[tuple[str, str], float] = {}
        for project in projects:
            for label in ("cold", "cached"):
                cmd = [qbank, "validate", str(project), "-j", str(args.jobs)]
                seconds, code, summary = timed(cmd)
                rows[(project.name, label)] = seconds
                print(f"{project.name:9} {label:7} {seconds:7.2f} s  exit {code}  {summary}")
        print()
        print(f"{'':9} {'variants':>9} {'plain':>9} {'ratio':>7}")
        for label in ("cold", "cached"):
            v, p = rows[("variants", label)], rows[("plain", label)]
            print(f"{label:9} {v:8.2f}s {p:8.2f}s {v / p:7.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
