"""Proving a collection by running it: plan the runs, reuse cached ones, run the rest, judge.

Questions with a static error are not run (their problem is already reported). A bank whose
`requires` cannot be imported by the target interpreter gets one problem, and its questions
are not run. Everything else runs in one pool of warm workers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qbank.cache import Cache, run_key
from qbank.errors import Problem
from qbank.model import LoadedBank, QuestionBase
from qbank.model.snippets import runs_python
from qbank.prove.environment import (
    Environment,
    Requirement,
    parse_requirement,
    probe,
    version_problem,
)
from qbank.prove.plan import Run, plan_question
from qbank.prove.reading import RunView
from qbank.prove.truth import decide
from qbank.report import Report
from qbank.runner import Pool, RunResult

if TYPE_CHECKING:
    from qbank.options import Options


@dataclass(frozen=True, order=True)
class Warm:
    """What a bank's workers load before any run: runs of banks that differ here never share
    a worker (a warmup's side effects must not leak into another bank's runs), and it is
    part of every cache key."""

    preload: tuple[str, ...]
    warmup: str


@dataclass
class Job:
    """One question to prove: its runs, their cache key, and (once known) their results."""

    loaded: LoadedBank
    index: int
    question: QuestionBase
    runs: list[Run]
    key: str
    warm: Warm
    """The workers this question's runs need (preloaded modules and warmup)."""
    results: list[RunResult] = field(default_factory=list)
    from_cache: bool = False


def execute(report: Report, options: Options, cache: Cache | None) -> None:
    """Run every question of `report.collection` that has code, and record the verdicts."""
    modules = {r.module for loaded in report.collection for r in _requirements(loaded)}
    environment = probe(options.python, sorted(modules))
    report.environment.update(_describe(environment, options))
    blocked = _check_requirements(report, environment)
    jobs = _plan(report, environment, blocked, options.limits)
    if cache is not None:
        _from_cache(cache, jobs)
    _run_pending(jobs, report, options, environment.importable)
    views = {id(job): _views(job) for job in jobs if job.results}
    if cache is not None:
        fresh = [j for j in jobs if j.results and not j.from_cache]
        decided = frozenset(j.key for j in fresh if not any(v.inconclusive for v in views[id(j)]))
        cache.put_many({j.key: j.results for j in fresh}, decided)
    for job in jobs:
        _judge(report, job, views.get(id(job), []))


def _describe(environment: Environment, options: Options) -> dict[str, object]:
    return {
        "python": environment.python,
        "python_version": environment.version,
        "isolation": options.isolation,
    }


def _requirements(loaded: LoadedBank) -> list[Requirement]:
    texts = list(loaded.bank.requires)
    for question in loaded.bank.questions:
        texts.extend(question.requires)
    return [parse_requirement(t) for t in dict.fromkeys(texts)]


def _check_requirements(report: Report, environment: Environment) -> set[str]:
    """One problem per bank whose requirements are missing or of the wrong version."""
    blocked: set[str] = set()
    versions: dict[str, str] = {}
    for loaded in report.collection:
        for requirement in _requirements(loaded):
            installed = environment.version_of(requirement.name)
            if installed is not None:
                versions[requirement.name] = installed
            importable = requirement.module in environment.importable
            if installed is None and not importable:
                problem: str | None = (
                    f"bank {loaded.id} needs `{requirement.module}`, not importable by "
                    f"{environment.python}: install it there (e.g. pip install {requirement.name})"
                )
            else:
                problem = version_problem(requirement, environment)
            if problem:
                line = loaded.line_of("requires")
                report.problems.append(Problem(loaded.path, line, problem, "missing-requirement"))
                blocked.add(loaded.id)
    report.environment["requires"] = versions
    return blocked


def _plan(
    report: Report, environment: Environment, blocked: set[str], defaults: dict[str, float]
) -> list[Job]:
    failing = {(p.path, p.question) for p in report.problems if p.severity == "error"}
    jobs = []
    for loaded in report.collection:
        if loaded.id in blocked:
            continue
        # Limits the command line gives replace the defaults: what neither the question
        # nor the bank sets.
        unset = {k: v for k, v in defaults.items() if getattr(loaded.bank, k) is None}
        bank = loaded.bank.model_copy(update=unset)
        for index, question in enumerate(loaded.bank.questions):
            if (loaded.path, question.id) in failing or not runs_python(loaded.bank, question):
                continue
            runs = plan_question(bank, question)
            if runs:
                warm = _warm(loaded, environment)
                key = run_key([r.spec for r in runs], f"{environment.fingerprint}:{warm!r}")
                jobs.append(Job(loaded, index, question, runs, key, warm))
    return jobs


def _warm(loaded: LoadedBank, environment: Environment) -> Warm:
    modules = {r.module for r in _requirements(loaded)} & environment.importable
    return Warm(tuple(sorted(modules)), loaded.bank.warmup or "")


def _from_cache(cache: Cache, jobs: list[Job]) -> None:
    found = cache.get_many([j.key for j in jobs])
    for job in jobs:
        cached = found.get(job.key)
        if cached is not None and len(cached) == len(job.runs):
            job.results, job.from_cache = cached, True


def _run_pending(
    jobs: list[Job], report: Report, options: Options, importable: frozenset[str]
) -> None:
    pending = [j for j in jobs if not j.from_cache]
    specs = [(job, run.spec) for job in pending for run in job.runs]
    if not specs:
        return
    progress: Callable[[int, RunResult], None] | None = None
    if options.progress is not None:
        total, done = len(specs), [0]

        def progress(_index: int, _result: RunResult) -> None:
            done[0] += 1
            options.progress(done[0], total)  # type: ignore[misc]

    isolated = []
    for warm in sorted({job.warm for job in pending}):
        group = [job for job in pending if job.warm == warm]
        runs = sum(len(job.runs) for job in group)
        workers = min(options.jobs or os.cpu_count() or 1, runs)  # no idle workers to start
        with Pool(
            python=options.python or sys.executable, jobs=workers, preload=warm.preload,
            warmup=warm.warmup, isolation=options.isolation,
        ) as pool:  # fmt: skip
            _warmup_problems(report, group, pool.warmup_error)
            results = pool.run_many([r.spec for job in group for r in job.runs], on_result=progress)
        isolated += [r.network_isolated for r in results]
        position = 0
        for job in group:
            job.results = results[position : position + len(job.runs)]
            position += len(job.runs)
    report.environment["network_isolated"] = all(isolated)


def _warmup_problems(report: Report, group: list[Job], error: str | None) -> None:
    """A bank whose `warmup` fails gets one problem (its runs go ahead, unwarmed)."""
    if not error:
        return
    for loaded in {id(j.loaded): j.loaded for j in group}.values():
        if loaded.bank.warmup:
            line = loaded.line_of("warmup")
            message = f"the bank's `warmup` failed: {error}"
            report.problems.append(Problem(loaded.path, line, message, "warmup-fails"))


def _views(job: Job) -> list[RunView]:
    """The job's results, read the way the truth table reads them."""
    loaded, index = job.loaded, job.index

    def locate(snippet: str, line: int, prefix: tuple[str | int, ...]) -> int:
        return int(loaded.lines.snippet_line(("questions", index, *prefix, snippet), line))

    return [
        RunView(run, result, job.question, locate)
        for run, result in zip(job.runs, job.results, strict=True)
    ]


def _judge(report: Report, job: Job, views: list[RunView]) -> None:
    loaded, index = job.loaded, job.index
    verdict = decide(job.question, views)
    result = report.results[(loaded.id, job.question.id)]
    result.state = verdict.state
    result.computed_answer = verdict.computed_answer
    result.refutations = verdict.refutations
    result.from_cache = job.from_cache
    result.duration = sum(r.duration for r in job.results)
    question_line = loaded.question_line(index)
    for finding in verdict.findings:
        line = finding.line
        if line is None and finding.choice is not None:
            line = loaded.question_line(index, "choices", finding.choice)
        if line is None and finding.field is not None:
            line = loaded.question_line(index, finding.field)
        report.problems.append(
            Problem(
                loaded.path,
                line or question_line,
                finding.message,
                finding.code,
                "error",
                job.question.id,
            )
        )
