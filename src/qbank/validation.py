"""Validation: load a collection, check it statically, then prove it by running it."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path

from qbank.cache import Cache
from qbank.errors import Problem
from qbank.loading import load_paths, project_root
from qbank.model import Collection, LoadedBank
from qbank.options import Options
from qbank.report import QuestionResult, Report
from qbank.static.checks import check_bank
from qbank.static.compiler import LocalCompiler, RemoteCompiler, compiler_for


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
            from qbank.prove.coordinate import execute

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
