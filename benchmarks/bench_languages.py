"""What qbank's isolated runs cost for other languages: JavaScript and C (prints figures; not
a test).

It generates, in a temporary folder, a JavaScript bank and a C bank of ``N`` `output`
questions each (different programs: the constants vary), and times, each as a whole process
(wall clock from the parent, peak RSS of the child's process tree, as ``bench_validate.py``):

(a) qbank: ``qbank validate BANK --no-cache -j J`` (warm workers; each run starts the
    toolchain as a subprocess inside its sandbox: ``node``, or ``cc`` then the program);
(b) the naive way: a fresh process per program, ``J`` at a time from a thread pool (the same
    parallelism as (a)): ``node file.js``, or ``cc -o prog file.c && ./prog`` with qbank's
    flags, each in a fresh temp folder, its stdout compared with the expected output;
(c) qbank with a warm cache: ``qbank validate BANK`` once to fill the cache, then again,
    timed (it runs nothing).

(b) is the floor of running the toolchain at all (no sandbox, no limits, no static checks);
(a)/(b) is what qbank adds to it: the static check of each program (``node --check``, ``cc
-fsyntax-only``), the sandbox, the driver and the judging.

    .venv/bin/python benchmarks/bench_languages.py [--questions N] [-j J] [--keep DIR]

Exit status 0 unless the benchmark itself crashes, or a toolchain is missing (skipped).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import RSS_METHOD, Timing, timed  # noqa: E402

C_FLAGS = ("-std=c11", "-O0", "-pipe")
"""The flags qbank compiles a run's C program with (``qbank.languages.c``), -lm after."""


@dataclass(frozen=True)
class Program:
    """One generated question: its id, its program and what it prints."""

    id: str
    source: str
    output: str


def js_program(n: int) -> Program:
    a, b, c = 3 + n, 7 + 2 * n, n % 5 + 1
    source = (
        f"const xs = Array.from({{ length: {b} }}, (_, i) => i * {a});\n"
        f"const total = xs.filter((x) => x % {c} === 0).reduce((s, x) => s + x, 0);\n"
        "console.log(`${xs.length} ${total}`);\n"
    )
    total = sum(x for x in (i * a for i in range(b)) if x % c == 0)
    return Program(f"js-{n:03d}", source, f"{b} {total}\n")


def c_program(n: int) -> Program:
    a, b, c = 3 + n, 7 + 2 * n, n % 5 + 1
    source = (
        "#include <stdio.h>\n\n"
        "int main(void) {\n"
        "    long total = 0;\n"
        f"    for (int i = 0; i < {b}; i++)\n"
        f"        if ((i * {a}) % {c} == 0)\n"
        f"            total += i * {a};\n"
        f'    printf("%d %ld\\n", {b}, total);\n'
        "    return 0;\n"
        "}\n"
    )
    total = sum(x for x in (i * a for i in range(b)) if x % c == 0)
    return Program(f"c-{n:03d}", source, f"{b} {total}\n")


LANGUAGES: dict[str, tuple[str, str, Callable[[int], Program]]] = {
    "javascript": ("node", "js", js_program),
    "c": ("cc", "c", c_program),
}
"""language -> (the program it needs, file extension, generator of question n)."""


def _block(text: str) -> str:
    return "".join(f"      {line}\n" if line else "\n" for line in text.splitlines())


def write_project(root: Path, language: str, questions: int) -> tuple[Path, list[Program]]:
    """A project folder with one bank of `questions` output questions, and their programs."""
    _, _, make = LANGUAGES[language]
    folder = root / language
    folder.mkdir(parents=True)
    (folder / "qbank.toml").write_text("", encoding="utf-8")
    programs = [make(n) for n in range(questions)]
    parts = [f"language: {language}\nquestions:\n"]
    for program in programs:
        parts.append(
            f"  - id: {program.id}\n    type: output\n    prompt: What does this print?\n"
            f"    code: |\n{_block(program.source)}"
            f"    answer: {json.dumps(program.output.strip())}\n"
        )
    (folder / "bank.yaml").write_text("".join(parts), encoding="utf-8")
    (root / f"{language}.json").write_text(
        json.dumps([p.__dict__ for p in programs]), encoding="utf-8"
    )
    return folder, programs


# --- the driver of (b); runs as its own timed process -------------------------------------


def driver_naive(language: str, programs_file: str, jobs: int) -> None:
    """Run every program the naive way, `jobs` at a time; print how many printed the
    expected output, as JSON."""
    tool, ext, _ = LANGUAGES[language]
    found = shutil.which(tool)
    assert found is not None, tool
    programs = [Program(**p) for p in json.loads(Path(programs_file).read_text("utf-8"))]
    work = Path(tempfile.mkdtemp(prefix="qbank-bench-languages-"))

    def one(program: Program) -> bool:
        cwd = tempfile.mkdtemp(prefix="run-", dir=work)
        try:
            Path(cwd, f"program.{ext}").write_text(program.source, encoding="utf-8")
            if language == "c":
                argv = [found, *C_FLAGS, "-o", "prog", "program.c", "-lm"]
                built = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
                if built.returncode != 0:
                    return False
                command = ["./prog"]
            else:
                command = [found, "program.js"]
            done = subprocess.run(
                command,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            return done.returncode == 0 and done.stdout == program.output
        finally:
            shutil.rmtree(cwd, ignore_errors=True)

    try:
        with ThreadPoolExecutor(jobs) as pool:
            right = sum(pool.map(one, programs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"right": right, "programs": len(programs)}))


# --- the benchmark ------------------------------------------------------------------------


def _summary(t: Timing) -> str:
    """The last line of `qbank validate` (its counts), or the naive driver's agreement."""
    lines = (t.stdout + t.stderr).strip().splitlines()
    if not lines:
        return ""
    last = lines[-1]
    if last.startswith("{"):
        data = json.loads(last)
        return f"{data['right']}/{data['programs']} printed the expected output"
    return last


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--driver", choices=sorted(LANGUAGES), help=argparse.SUPPRESS)
    parser.add_argument("programs", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.driver:
        driver_naive(args.driver, args.programs, args.jobs)
        return 0
    root = Path(args.keep or tempfile.mkdtemp(prefix="qbank-bench-languages-"))
    try:
        return _bench(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def _bench(args: argparse.Namespace, root: Path) -> int:
    qbank_cli = str(Path(sys.executable).with_name("qbank"))
    qbank_cmd = [qbank_cli] if os.access(qbank_cli, os.X_OK) else [sys.executable, "-m", "qbank"]
    jobs, me = args.jobs, str(Path(__file__).resolve())
    print(f"python {platform.python_version()} ({sys.executable})")
    print(f"cpu count {os.cpu_count()}, -j {jobs} for (a) and (b); {platform.platform()}")
    print(f"peak RSS: {RSS_METHOD}; tree RSS: sum over the tree, sampled every 0.2 s")
    rows: list[tuple[str, Timing]] = []
    for language, (tool, _, _) in LANGUAGES.items():
        found = shutil.which(tool)
        if found is None:
            print(f"{language}: `{tool}` is not on PATH: skipped")
            continue
        version = subprocess.run(
            [found, "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()
        folder, programs = write_project(root, language, args.questions)
        bank, runs = str(folder / "bank.yaml"), len(programs)
        print(
            f"\n{language}: {runs} output questions, {runs} runs ({version[0] if version else tool})"
        )
        scenarios = [
            ("a", "qbank validate --no-cache", [*qbank_cmd, "validate", bank, "--no-cache", "-j", str(jobs)]),
            ("b", "fresh process per program", [sys.executable, me, "--driver", language, "-j", str(jobs), str(root / f"{language}.json")]),
            ("c0", "qbank validate, cold cache", [*qbank_cmd, "validate", bank, "-j", str(jobs)]),
            ("c", "qbank validate, warm cache", [*qbank_cmd, "validate", bank, "-j", str(jobs)]),
        ]  # fmt: skip
        for key, title, cmd in scenarios:
            print(f"running ({key}) {title} ...", flush=True)
            t = timed(f"{language} ({key}) {title}", cmd, str(folder), runs)
            print(f"  {_summary(t)}")
            if t.returncode != 0:
                print(f"  !! exit status {t.returncode}")
                print("  " + (t.stdout + t.stderr)[-3000:].replace("\n", "\n  "))
            if key != "c0":
                rows.append((language, t))
    if not rows:
        return 0
    print()
    header = (
        f"{'scenario':44} {'runs':>5} {'wall s':>8} {'ms/run':>8} {'x (a)':>7} "
        f"{'peak MB':>8} {'tree MB':>8}"
    )
    print(header)
    print("-" * len(header))
    base: dict[str, float] = {}
    for language, t in rows:
        base.setdefault(language, t.wall)  # (a) comes first for each language
        ms = t.wall * 1000 / t.runs if t.runs else 0.0
        peak = "-" if t.peak_rss_mb is None else f"{t.peak_rss_mb:.0f}"
        tree = "-" if t.tree_rss_mb is None else f"{t.tree_rss_mb:.0f}"
        print(
            f"{t.name:44} {t.runs:>5} {t.wall:8.2f} {ms:8.1f} {t.wall / base[language]:7.2f} "
            f"{peak:>8} {tree:>8}"
        )
    print()
    by_key = {(language, t.name.split("(")[1][0]): t for language, t in rows}
    for language in base:
        a, b, c = (by_key.get((language, key)) for key in "abc")
        if a is None or b is None or c is None:
            continue
        print(
            f"{language:10}: (a)/(b) = {a.wall / b.wall:4.2f}x (qbank over the naive floor), "
            f"(a)/(c) = {a.wall / c.wall:5.1f}x (a warm cache), (c) {c.wall:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
