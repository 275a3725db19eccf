"""``qbank.validate``: load a collection, check it statically, then prove it by running it."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbank.cache import Cache
from qbank.compiler import LocalCompiler, RemoteCompiler, compiler_for
from qbank.errors import Problem
from qbank.loader import Collection, load_paths, project_root
from qbank.model import LoadedBank
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
    limits: dict[str, float] = field(default_factory=dict)
    """Default limits (`timeout`, `memory`, `output_limit`, `file_limit`) for runs whose
    question and bank set none."""
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
    cache = open_cache(paths, options)
    compiler = compiler_for(options.python)
    try:
        problems: list[Problem] = []
        if collection is None:
            collection, problems = load_paths(paths, cache)
        report = Report(collection, problems)
        for loaded in collection:
            report.problems.extend(_static_problems(loaded, cache, compiler))
            for index, question in enumerate(loaded.bank.questions):
                report.results.setdefault(
                    (loaded.id, question.id),
                    QuestionResult(
                        loaded.id, question.id, loaded.path, loaded.question_line(index)
                    ),
                )
        if options.execute:
            from qbank.execute import execute

            execute(report, options, cache)
    finally:
        if cache is not None:
            cache.close()
        if isinstance(compiler, RemoteCompiler):
            compiler.close()
    _mark_static_failures(report)
    report.duration = time.perf_counter() - started
    return report


def open_cache(paths: Sequence[str | os.PathLike[str]], options: Options) -> Cache | None:
    """The cache of the project the first of `paths` belongs to (None with `cache=False`)."""
    if not options.cache:
        return None
    if options.cache_dir:
        return Cache(options.cache_dir)
    first = Path(paths[0]) if paths else Path.cwd()
    anchor = first / "x" if first.is_dir() else first
    return Cache(project_root(anchor) / ".qbank_cache")


def _static_problems(
    loaded: LoadedBank, cache: Cache | None, compiler: LocalCompiler | RemoteCompiler
) -> list[Problem]:
    """The static problems of a bank, cached by the bank file's content and the compiler."""
    key = f"static:{loaded.digest}:{compiler.identity}"
    if cache is not None and loaded.digest:
        found = cache.get_object(key)
        if isinstance(found, list):
            return [dataclasses.replace(p, path=loaded.path) for p in found]
    problems = check_bank(loaded, compiler)
    if cache is not None and loaded.digest:
        cache.put_object(key, [dataclasses.replace(p, path="") for p in problems])
    return problems


def _mark_static_failures(report: Report) -> None:
    """A question with any error is `failed`, unless execution already called it inconclusive."""
    failing = {(p.path, p.question) for p in report.problems if p.severity == "error"}
    for result in report.results.values():
        if (result.path, result.question) in failing and result.state != "inconclusive":
            result.state = "failed"
