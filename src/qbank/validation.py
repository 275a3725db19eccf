"""Validation: load a collection, check it statically, then prove it by running it."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qbank.cache import Cache
from qbank.errors import Problem
from qbank.languages import toolchain_key
from qbank.loading import load_paths, project_root
from qbank.model import Collection, LoadedBank
from qbank.model.requirements import python_skip
from qbank.model.snippets import runs_python
from qbank.options import Options
from qbank.report import QuestionResult, Report
from qbank.static.checks import check_bank
from qbank.static.compiler import LocalCompiler, RemoteCompiler, compiler_for
from qbank.static.media import media_key
from qbank.variants import expand, requirement_modules
from qbank.variants.keys import record_keys

if TYPE_CHECKING:
    from qbank.prove.coordinate import Proof
    from qbank.prove.environment import Probe, Probed


def validate(
    paths: Sequence[str | os.PathLike[str]] = ("banks",),
    options: Options | None = None,
    *,
    collection: Collection | None = None,
) -> Report:
    """Validate the banks under `paths` (or an already loaded `collection`).

    Questions with `variants` are expanded first (their `params` run): every later stage
    sees their variants as plain questions. The report is built once, here: loading and
    static problems, then the proof's problems, and each question's state decided from both.
    """
    options = options or Options()
    started = time.perf_counter()
    cache = open_cache(paths, options)
    compiler = compiler_for(options.python)
    proof: Proof | None = None
    probing = _start_probe(options)
    try:
        problems: list[Problem] = []
        if collection is None:
            collection, problems = load_paths(paths, cache)
        early = _read_early(probing, collection)
        expansion = expand(collection, options, cache, early)
        collection, problems = expansion.collection, problems + expansion.problems
        for loaded in collection:
            problems.extend(_static_problems(loaded, cache, compiler))
        skipped = _skipped(collection, compiler)
        if options.execute:
            from qbank.prove import prove

            probed = early or probing
            proof = prove(collection, _failing(problems), options, cache, set(skipped), probed)
            problems.extend(proof.problems)
    finally:
        _close(probing, cache, compiler)
    if cache is not None and cache.problem is not None:
        problems.append(cache.problem)  # the cache's one warning: it never stops a validation
    problems = expansion.annotate(problems)
    results = _results(collection, problems, proof, skipped)
    problems = problems + record_keys(expansion.sets, collection, results)  # fills their keys
    environment = proof.environment if proof else None
    report = Report(collection, problems, results, environment=environment, variants=expansion.sets)
    report.duration = time.perf_counter() - started
    return report


def _close(
    probing: Probe | None, cache: Cache | None, compiler: LocalCompiler | RemoteCompiler
) -> None:
    """Stop what a validation started: the probe, the cache, a remote compiler."""
    if probing is not None:
        probing.close()
    if cache is not None:
        cache.close()
    if isinstance(compiler, RemoteCompiler):
        compiler.close()


def _read_early(probing: Probe | None, collection: Collection) -> Probed | None:
    """The probe, read now if a question has variants: their `params` runs need the
    interpreter's fingerprint (None: nothing to read early, or execution is off)."""
    if probing is None or not any(loaded.bank.templates for loaded in collection):
        return None
    from qbank.prove.environment import Probed

    return Probed(probing, requirement_modules(collection))


def _start_probe(options: Options) -> Probe | None:
    """The probe of the target interpreter, begun now to run while the banks load (it costs
    a fifth of a second, as much as loading 10,000 cached questions)."""
    if not options.execute:
        return None
    from qbank.prove.environment import Probe

    return Probe(options.python)


def _skipped(
    collection: Collection, compiler: LocalCompiler | RemoteCompiler
) -> dict[tuple[str, str], str]:
    """(path, question id) -> why: the questions a `python` requirement keeps from the
    target interpreter (neither compiled nor run; never a pass, never an error)."""
    skipped: dict[tuple[str, str], str] = {}
    for loaded in collection:
        for question in loaded.bank.questions:
            reason = python_skip(loaded.bank, question, lambda: compiler.version)
            if reason is not None and runs_python(loaded.bank, question):
                skipped.setdefault((loaded.path, question.id), reason)
    return skipped


def _failing(problems: list[Problem]) -> set[tuple[str, str | None]]:
    """(path, question id) of every question with an error: those are not run."""
    return {
        (p.path, p.question) for p in problems if p.severity == "error" and p.question is not None
    }


def _results(
    collection: Collection,
    problems: list[Problem],
    proof: Proof | None,
    skipped: dict[tuple[str, str], str],
) -> dict[tuple[str, str], QuestionResult]:
    """One result per question, its state decided once: what its runs proved, except that a
    question with any error is `failed` (unless a run was inconclusive: it stays so), and a
    question without one that a `python` requirement excludes is `skipped`."""
    failing = _failing(problems)
    results: dict[tuple[str, str], QuestionResult] = {}
    for loaded in collection:
        for index, question in enumerate(loaded.bank.questions):
            key = (loaded.id, question.id)
            if key in results:
                continue
            result = QuestionResult(
                loaded.id, question.id, loaded.path, loaded.question_line(index)
            )
            proven = proof.questions.get(key) if proof is not None else None
            if proven is not None:
                result.state = proven.state
                result.computed_answer = proven.computed_answer
                result.refutations = proven.refutations
                result.feedback = proven.feedback
                result.figure = proven.figure
                result.from_cache = proven.from_cache
                result.duration = proven.duration
            if (loaded.path, question.id) in failing and result.state != "inconclusive":
                result.state = "failed"
            reason = skipped.get((loaded.path, question.id))
            if reason is not None and result.state != "failed":
                result.state, result.reason = "skipped", reason
            results[key] = result
    return results


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
    """The static problems of a bank, cached by the bank file's content, the compiler, and
    the content of every image its questions reference (a changed image is checked again)."""
    tools = toolchain_key(loaded.bank)  # other languages' toolchains, with their versions
    key = f"static:{loaded.digest}:{compiler.identity}:{media_key(loaded)}:{tools}"
    if cache is not None and loaded.digest:
        found = cache.get_object(key)
        if isinstance(found, list):
            return [dataclasses.replace(p, path=loaded.path) for p in found]
    problems = check_bank(loaded, compiler)
    if cache is not None and loaded.digest:
        cache.put_object(key, [dataclasses.replace(p, path="") for p in problems])
    return problems
