"""The bank-level proof memo: a bank whose every question was decided is not judged again.

Re-validating an unchanged bank would plan its runs, hash their keys, decode their cached
results and judge them, only to reach the verdicts it reached last time. The memo stores
those verdicts (and the problems judging found, paths stripped) under one key per bank that
covers everything that can change them: the bank file's digest (which includes qbank's own
code), the environment fingerprint, the runner, the default limits of the command line, the
workers' preload and warmup, and which questions static errors or a `python` requirement
keep from running. Only a bank whose runs were all decided is stored; an entry that does
not decode is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from qbank.cache import CACHE_FORMAT, RUNNER_VERSION, Cache
from qbank.errors import Problem
from qbank.model import LoadedBank
from qbank.report import State

MEMO_FORMAT = 2
"""Part of every memo key (2: each question's proof holds its figure's bytes)."""


@dataclass
class QuestionProof:
    """What running established about one question (its state is final unless a static
    error makes it `failed`, which the validation decides)."""

    state: State
    computed_answer: str | None
    refutations: dict[int, str]
    feedback: dict[int, str]
    from_cache: bool
    duration: float
    figure: bytes | None = None
    """The image its `figure` run wrote (None: no figure, or not proven)."""


@dataclass
class BankOutcome:
    """What proving established about one bank: its questions' proofs and its problems."""

    questions: dict[str, QuestionProof] = field(default_factory=dict)
    """Question id -> its proof."""
    problems: list[Problem] = field(default_factory=list)


def memo_key(
    loaded: LoadedBank,
    fingerprint: str,
    limits: dict[str, float],
    skip: AbstractSet[tuple[str, str | None]],
    warm: object,
) -> str | None:
    """The memo key of a bank's proof (None: the bank has no digest, it is not memoised)."""
    if not loaded.digest:
        return None
    excluded = sorted(q.id for q in loaded.bank.questions if (loaded.path, q.id) in skip)
    text = repr(
        (
            MEMO_FORMAT,
            CACHE_FORMAT,
            RUNNER_VERSION,
            loaded.digest,
            loaded.id,
            fingerprint,
            sorted(limits.items()),
            excluded,
            warm,
        )
    )
    return "proof:" + hashlib.sha256(text.encode()).hexdigest()


def recall(cache: Cache, key: str, loaded: LoadedBank) -> BankOutcome | None:
    """The memoised outcome of a bank (None: a miss, whatever is stored), from the cache:
    its questions are `from_cache`, its problems at the bank's path."""
    found = cache.get_object(key)
    try:
        rows, problems = found
        questions = {
            qid: QuestionProof(state, answer, refutations, feedback, True, duration, figure)
            for qid, state, answer, refutations, feedback, duration, figure in rows
        }
    except (TypeError, ValueError):
        return None
    if not all(isinstance(p, Problem) for p in problems):
        return None
    if not all(isinstance(p.figure, bytes | None) for p in questions.values()):
        return None
    return BankOutcome(questions, [dataclasses.replace(p, path=loaded.path) for p in problems])


def remember(cache: Cache, key: str, outcome: BankOutcome) -> None:
    """Store a bank's outcome as plain values (its problems without their path)."""
    rows = [
        (qid, p.state, p.computed_answer, p.refutations, p.feedback, p.duration, p.figure)
        for qid, p in outcome.questions.items()
    ]
    cache.put_object(key, (rows, [dataclasses.replace(p, path="") for p in outcome.problems]))
