"""Proving a collection by running it: plan the runs, reuse cached ones, run the rest, judge.

Questions with a static error are not run (their problem is already reported). A bank whose
`requires` cannot be imported by the target interpreter gets one problem, and its questions
are not run. Everything else runs in one pool of warm workers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qbank.cache import Cache, run_key
from qbank.errors import Problem
from qbank.languages import backend_for, toolchain_key
from qbank.model import Bank, Collection, LoadedBank, QuestionBase
from qbank.model.requirements import Requirement, requirements_of
from qbank.model.snippets import quiet_compiling, runs_python
from qbank.prove.environment import Environment, Probe, Probed, version_problem
from qbank.prove.memo import BankOutcome, QuestionProof, memo_key, recall, remember
from qbank.prove.plan import Run, bank_limits, plan_question
from qbank.prove.reading import RunView
from qbank.prove.truth import decide
from qbank.report import RunEnvironment
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


@dataclass
class Proof:
    """The outcome of proving a collection: per-question proofs, problems, the environment."""

    questions: dict[tuple[str, str], QuestionProof] = field(default_factory=dict)
    """(bank id, question id) -> what its runs established; absent: nothing was run."""
    problems: list[Problem] = field(default_factory=list)
    environment: RunEnvironment | None = None


def prove(
    collection: Collection, failing: set[tuple[str, str | None]], options: Options,
    cache: Cache | None, skipped: AbstractSet[tuple[str, str | None]] = frozenset(),
    started: Probe | Probed | None = None,
) -> Proof:  # fmt: skip
    """Run every question of `collection` that has code, except those in `failing` ((path,
    question id) pairs with a static error) and in `skipped` (a `python` requirement the
    target interpreter does not meet: their other requirements are not looked up either),
    and judge the results. `started`: the probe of `options.python`, begun by the caller
    so that it ran while the banks were loaded."""
    modules = {r.module for loaded in collection for r in _requirements(loaded, skipped)}
    environment = (started or Probe(options.python)).finish(sorted(modules))
    proof = Proof(environment=RunEnvironment(
        environment.python, environment.version, options.isolation
    ))  # fmt: skip
    blocked = _check_requirements(collection, environment, proof, skipped)
    skip = blocked | failing | set(skipped)
    keys = _memo_keys(collection, environment, skip, options) if cache is not None else {}
    recalled = _recall(cache, collection, keys)
    pending = [loaded for loaded in collection if id(loaded) not in recalled]
    jobs = _plan(pending, environment, skip, options.limits)
    if cache is not None:
        _from_cache(cache, jobs)
    _run_pending(jobs, proof, options)
    views = {id(job): _views(job) for job in jobs if job.results}
    if cache is not None:
        fresh = [j for j in jobs if j.results and not j.from_cache]
        decided = frozenset(j.key for j in fresh if not any(v.inconclusive for v in views[id(j)]))
        cache.put_many({j.key: j.results for j in fresh}, decided)
    outcomes = {id(loaded): BankOutcome() for loaded in pending}
    for job in jobs:
        _judge(outcomes[id(job.loaded)], job, views.get(id(job), []))
    if cache is not None:
        _remember(cache, pending, keys, outcomes, _undecided(jobs, views, proof))
    for loaded in collection:
        outcome = recalled.get(id(loaded)) or outcomes[id(loaded)]
        proof.questions.update({(loaded.id, q): p for q, p in outcome.questions.items()})
        proof.problems += outcome.problems
    return proof


def _memo_keys(
    collection: Collection, environment: Environment,
    skip: set[tuple[str, str | None]], options: Options,
) -> dict[int, str]:  # fmt: skip
    """id(bank) -> the key of its memoised proof, for every bank that is not blocked."""
    keys: dict[int, str] = {}
    for loaded in collection:
        if (loaded.path, None) in skip:
            continue
        warm = _warm(loaded, environment)
        # Another language's toolchain is part of what the proof depends on, as Python is.
        machine = f"{environment.fingerprint}|{toolchain_key(loaded.bank)}"
        key = memo_key(loaded, machine, options.limits, skip, warm)
        if key is not None:
            keys[id(loaded)] = key
    return keys


def _recall(
    cache: Cache | None, collection: Collection, keys: dict[int, str]
) -> dict[int, BankOutcome]:
    """id(bank) -> its memoised outcome, for the banks the memo holds."""
    found: dict[int, BankOutcome] = {}
    for loaded in collection:
        key = keys.get(id(loaded))
        outcome = recall(cache, key, loaded) if cache is not None and key else None
        if outcome is not None:
            found[id(loaded)] = outcome
    return found


def _undecided(jobs: list[Job], views: dict[int, list[RunView]], proof: Proof) -> set[int]:
    """id(bank) of the banks not to memoise: a run without a result or inconclusive, or a
    problem of this validation's runs (a failing warmup)."""
    undecided = {id(j.loaded) for j in jobs if len(j.results) != len(j.runs)}
    undecided |= {id(j.loaded) for j in jobs if any(v.inconclusive for v in views.get(id(j), []))}
    warmed = {p.path for p in proof.problems if p.code == "warmup-fails"}
    return undecided | {id(j.loaded) for j in jobs if j.loaded.path in warmed}


def _remember(
    cache: Cache, banks: list[LoadedBank], keys: dict[int, str],
    outcomes: dict[int, BankOutcome], undecided: set[int],
) -> None:  # fmt: skip
    """Memoise the outcome of every bank whose questions were all decided."""
    for loaded in banks:
        key, outcome = keys.get(id(loaded)), outcomes[id(loaded)]
        if key is None or id(loaded) in undecided:
            continue
        if any(p.state == "inconclusive" for p in outcome.questions.values()):
            continue
        remember(cache, key, outcome)


def _requirements(
    loaded: LoadedBank, skipped: AbstractSet[tuple[str, str | None]] = frozenset()
) -> list[Requirement]:
    """The modules the bank's questions need (the bank's and each question's, except those
    of skipped questions; none when all are skipped); `python` is the interpreter, not a
    module, and is left out."""
    kept = [q for q in loaded.bank.questions if (loaded.path, q.id) not in skipped]
    found = {r.text: r for q in kept for r in requirements_of(loaded.bank, q)}
    if not loaded.bank.questions:
        found = {r.text: r for r in requirements_of(loaded.bank)}
    return [r for r in found.values() if not r.is_python]


def _check_requirements(
    collection: Collection, environment: Environment, proof: Proof,
    skipped: AbstractSet[tuple[str, str | None]],
) -> set[tuple[str, str | None]]:  # fmt: skip
    """One problem per bank whose requirements are missing or of the wrong version; returns
    those banks, as (path, None): none of their questions runs."""
    blocked: set[tuple[str, str | None]] = set()
    versions: dict[str, str] = {}
    for loaded in collection:
        for requirement in _requirements(loaded, skipped):
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
                proof.problems.append(Problem(loaded.path, line, problem, "missing-requirement"))
                blocked.add((loaded.path, None))
    assert proof.environment is not None
    proof.environment.requires = versions
    return blocked


def _plan(
    collection: Iterable[LoadedBank],
    environment: Environment,
    skip: set[tuple[str, str | None]],
    defaults: dict[str, float],
) -> list[Job]:
    """The jobs of every question to run: not in a bank or question of `skip`, in Python."""
    jobs: list[Job] = []
    with quiet_compiling():  # compiler warnings are the static checks' to report
        for loaded in collection:
            if (loaded.path, None) not in skip:
                jobs += _bank_jobs(loaded, environment, skip, defaults)
    return jobs


def _bank_jobs(
    loaded: LoadedBank,
    environment: Environment,
    skip: set[tuple[str, str | None]],
    defaults: dict[str, float],
) -> list[Job]:
    """The jobs of one bank's questions that run (in Python, not in `skip`)."""
    # Limits the command line gives replace the defaults: what neither the question nor the
    # bank sets.
    unset = {k: v for k, v in defaults.items() if getattr(loaded.bank, k) is None}
    bank = loaded.bank.model_copy(update=unset)
    warm = _warm(loaded, environment)  # once per bank: it reads every question
    salt = f"{environment.fingerprint}:{warm!r}"
    jobs = []
    for index, question in enumerate(loaded.bank.questions):
        if (loaded.path, question.id) in skip or not _runs(loaded.bank, question):
            continue
        runs = plan_question(bank, question)
        if runs:
            key = run_key([r.spec for r in runs], salt)
            jobs.append(Job(loaded, index, question, runs, key, warm))
    return jobs


def _runs(bank: Bank, question: QuestionBase) -> bool:
    """Whether qbank runs the question: Python, or a language whose toolchain is here (a
    missing one is `language-unavailable`, reported by the static checks)."""
    if runs_python(bank, question):
        return True
    other = backend_for(bank, question)
    return other is not None and other.toolchain.missing is None


def _warm(loaded: LoadedBank, environment: Environment) -> Warm:
    modules = {r.module for r in _requirements(loaded)} & environment.importable
    return Warm(tuple(sorted(modules)), loaded.bank.warmup or "")


def _from_cache(cache: Cache, jobs: list[Job]) -> None:
    found = cache.get_many([j.key for j in jobs])
    for job in jobs:
        cached = found.get(job.key)
        if cached is not None and len(cached) == len(job.runs):
            job.results, job.from_cache = cached, True


def _run_pending(jobs: list[Job], proof: Proof, options: Options) -> None:
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
            warmup_limits=bank_limits(group[0].loaded.bank, options.limits),
        ) as pool:  # fmt: skip
            proof.problems += _warmup_problems(group, pool.warmup_error)
            results = pool.run_many([r.spec for job in group for r in job.runs], on_result=progress)
        isolated += [r.network_isolated for r in results]
        position = 0
        for job in group:
            job.results = results[position : position + len(job.runs)]
            position += len(job.runs)
    assert proof.environment is not None
    proof.environment.network_isolated = all(isolated)


def _warmup_problems(group: list[Job], error: str | None) -> list[Problem]:
    """A bank whose `warmup` fails gets one problem (its runs go ahead, unwarmed)."""
    if not error:
        return []
    message = f"the bank's `warmup` failed: {error}"
    banks = {id(j.loaded): j.loaded for j in group}.values()
    return [
        Problem(loaded.path, loaded.line_of("warmup"), message, "warmup-fails")
        for loaded in banks
        if loaded.bank.warmup
    ]


def _views(job: Job) -> list[RunView]:
    """The job's results, read the way the truth table reads them."""
    loaded, index = job.loaded, job.index

    def locate(snippet: str, line: int, prefix: tuple[str | int, ...]) -> int:
        return int(loaded.lines.snippet_line(("questions", index, *prefix, snippet), line))

    return [
        RunView(run, result, job.question, locate)
        for run, result in zip(job.runs, job.results, strict=True)
    ]


def _judge(outcome: BankOutcome, job: Job, views: list[RunView]) -> None:
    loaded, index = job.loaded, job.index
    verdict = decide(job.question, views)
    outcome.questions[job.question.id] = QuestionProof(
        verdict.state,
        verdict.computed_answer,
        verdict.refutations,
        verdict.feedback,
        job.from_cache,
        sum(r.duration for r in job.results),
        verdict.figure,
    )
    question_line = loaded.question_line(index)
    for finding in verdict.findings:
        line = finding.line
        if line is None and finding.choice is not None:
            line = loaded.question_line(index, "choices", finding.choice)
        if line is None and finding.field is not None:
            line = loaded.question_line(index, finding.field)
        outcome.problems.append(
            Problem(
                loaded.path,
                line or question_line,
                finding.message,
                finding.code,
                "error",
                job.question.id,
            )
        )
