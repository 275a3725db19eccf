"""``qbank.validate``: load a collection, check it statically, then prove it by running it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qbank.errors import Problem
from qbank.loader import Collection, load_paths
from qbank.report import QuestionResult, Report
from qbank.static import check_bank


@dataclass(frozen=True)
class Options:
    """How to validate (the `qbank validate` flags)."""

    execute: bool = True
    """Run the code (False: static checks only)."""
    jobs: int | None = None
    """Worker processes (default: one per core)."""
    python: str | None = None
    """Interpreter that runs the snippets (default: the current one)."""
    isolation: str = "fork"
    """`fork` (warm workers) or `subprocess` (a fresh interpreter per run)."""
    cache: bool = True
    """Reuse results of unchanged runs from `.qbank_cache/`."""
    cache_dir: str | None = None
    """Where the cache lives (default: `.qbank_cache` under the project root)."""
    progress: Callable[[int, int], None] | None = None
    """Called with (runs done, runs to do) as runs finish (for progress bars)."""


def validate(
    paths: Sequence[str | os.PathLike[str]] = ("banks",),
    options: Options | None = None,
    *,
    collection: Collection | None = None,
) -> Report:
    """Validate the banks under `paths` (or an already loaded `collection`)."""
    options = options or Options()
    started = time.perf_counter()
    problems: list[Problem] = []
    if collection is None:
        collection, problems = load_paths(paths)
    report = Report(collection, problems)
    for loaded in collection:
        report.problems.extend(check_bank(loaded))
        for index, question in enumerate(loaded.bank.questions):
            key = (loaded.id, question.id)
            report.results.setdefault(
                key,
                QuestionResult(loaded.id, question.id, loaded.path, loaded.question_line(index)),
            )
    if options.execute:
        from qbank.execute import execute

        execute(report, options)
    _mark_static_failures(report)
    report.duration = time.perf_counter() - started
    return report


def _mark_static_failures(report: Report) -> None:
    """A question with any error is `failed`, unless execution already called it inconclusive."""
    failing = {(p.path, p.question) for p in report.problems if p.severity == "error"}
    for result in report.results.values():
        if (result.path, result.question) in failing and result.state != "inconclusive":
            result.state = "failed"
