"""Export benchmark: a generated bank of N questions (default 10,000) through every registered
format; prints the time (best of 3) and the peak Python memory (tracemalloc) per format.

    python benchmarks/bench_export.py [N]

Target: each text format well under 1 s per 10,000 questions. Formats that cannot be loaded
(e.g. a missing optional dependency) are reported as skipped, with the reason.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from qbank import exporters as registry
from qbank.exporters.base import ExportContext, Exporter
from qbank.exporting import plan
from qbank.fileio import write_atomic
from qbank.model import Bank, Collection, LoadedBank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

ROOT = Path(__file__).resolve().parents[1]
CODE = 'def f(d: dict[str, int]) -> int:\n    return sum(d.values())  # {braces}: =\n\nprint(f({"a": 1}))\n'


def question(index: int) -> dict[str, object]:
    """One generated question; the type cycles through the common kinds."""
    base: dict[str, object] = {
        "id": f"q{index}",
        "prompt": f"Question {index}: what does `f` return for **this** input?",
        "code": CODE,
        "hint": "Read it twice.",
        "explanation": "Because `sum` adds the values.",
    }
    kind = index % 5
    if kind == 0:
        choices = [{"text": "`1`", "correct": True}, "`0`", "`{'a': 1}`", {"code": "f({})"}]
        return {**base, "type": "multiple_choice", "choices": choices}
    if kind == 1:
        return {**base, "type": "output", "answer": "1\n", "choices": ["0\n", "2\n"]}
    if kind == 2:
        return {**base, "type": "true_false", "answer": True}
    if kind == 3:
        return {**base, "type": "short_answer", "answers": ["1", "one"]}
    pairs = [{"left": "`dict`", "right": "mapping"}, {"left": "`list`", "right": "sequence"}]
    return {**base, "type": "matching", "pairs": pairs}


def generated_report(count: int) -> Report:
    bank = Bank.model_validate(
        {"id": "bench/big", "title": "Benchmark", "questions": [question(i) for i in range(count)]}
    )
    collection = Collection([LoadedBank(id="bench/big", path="bench.yaml", bank=bank)])
    return validate((), Options(execute=False), collection=collection)


def export_once(exporter: Exporter, report: Report, out: Path) -> int:
    context = ExportContext(report)
    files = plan(exporter, list(report.collection.banks), out, context)
    for path, data in files:
        write_atomic(path, data)
    return sum(len(data) for _, data in files)


def measure(name: str, report: Report, out: Path) -> str:
    try:
        exporter = registry.get(name, ROOT)()
    except Exception as exc:  # report and go on: one format must not stop the benchmark
        return f"{name:14} skipped: {str(exc).splitlines()[0]}"
    times = []
    for _ in range(3):
        started = time.perf_counter()
        size = export_once(exporter, report, out / name)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    export_once(exporter, report, out / name)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return f"{name:14} {min(times):7.3f} s  {peak / 2**20:7.1f} MiB peak  {size / 2**20:6.1f} MiB written"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.perf_counter()
    report = generated_report(count)
    print(f"{count} questions generated and checked in {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        for name in registry.names(ROOT):
            print(measure(name, report, Path(folder)), flush=True)
    anki_versus_genanki(count)


def anki_versus_genanki(count: int) -> None:
    """The Anki target: within 2x of genanki writing the same notes with pre-rendered fields."""
    try:
        from qbank.exporters.anki.apkg import benchmark
    except ImportError as exc:
        print(f"anki vs genanki skipped: {exc}")
        return
    print(f"\n.apkg of {count} questions: qbank vs genanki writing pre-rendered fields")
    cases = [
        ("100 distinct snippets", 100, False),
        (f"{count} distinct snippets, cold", count, False),
        (f"{count} distinct snippets, highlights cached", count, True),
    ]
    for label, distinct, warm in cases:
        figures = benchmark(count, distinct, warm=warm)
        verdict = "ok" if figures["ratio"] <= 2 else "MISSED (target <= 2x)"
        print(
            f"  {label:44} qbank {figures['qbank']:6.2f} s  genanki {figures['genanki']:5.2f} s"
            f"  ratio {figures['ratio']:4.1f}x  {verdict}  (Pygments alone {figures['pygments']:.2f} s)"
        )


if __name__ == "__main__":
    main()
