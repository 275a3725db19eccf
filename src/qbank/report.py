"""The outcome of validating a collection: problems plus what was proven per question."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from qbank.errors import Problem, has_errors
from qbank.model import Collection

State = Literal["options proven", "run proven", "not executed", "skipped", "failed", "inconclusive"]
STATES: tuple[State, ...] = (
    "options proven",
    "run proven",
    "not executed",
    "skipped",
    "failed",
    "inconclusive",
)


@dataclass
class QuestionResult:
    """What validation established about one question."""

    bank: str
    """The bank's id."""
    question: str
    """The question's id."""
    path: str
    """The bank file."""
    line: int
    """The line the question starts on."""
    state: State = "not executed"
    """How far the question was proven (or `failed` / `inconclusive`; `skipped` when a
    `python` requirement excludes the target interpreter)."""
    reason: str | None = None
    """Why the question is `skipped`: `needs python<3.8, running 3.11.7`."""
    computed_answer: str | None = None
    """For `output` questions: what the program printed (the key when none was written)."""
    refutations: dict[int, str] = field(default_factory=dict)
    """Choice index -> how that wrong option failed, in full (for the author: may quote
    hidden snippets and assertion operands)."""
    feedback: dict[int, str] = field(default_factory=dict)
    """Choice index -> what a learner who picks that wrong option is told (Markdown): only
    what the learner can see ("The code prints:" and the output, or the exception line)."""
    figure: bytes | None = None
    """For a question with `figure:`: the image file the key's run wrote (what exports show)."""
    from_cache: bool = False
    """Whether the result came from the cache, without running anything."""
    duration: float = 0.0
    """Seconds spent running this question's code."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "bank": self.bank,
            "question": self.question,
            "path": self.path,
            "line": self.line,
            "state": self.state,
            "reason": self.reason,
            "computed_answer": self.computed_answer,
            "refutations": {str(k): v for k, v in sorted(self.refutations.items())},
            "feedback": {str(k): v for k, v in sorted(self.feedback.items())},
            "from_cache": self.from_cache,
            "duration": round(self.duration, 4),
        }


@dataclass
class RunEnvironment:
    """Where the runs happened: what each proof held for."""

    python: str
    """The interpreter that ran the snippets."""
    python_version: str
    """Its version."""
    isolation: str
    """`fork` or `subprocess`."""
    requires: dict[str, str] = field(default_factory=dict)
    """Distribution -> installed version, for every requirement of the banks."""
    network_isolated: bool | None = None
    """Whether runs had the network cut off (None: nothing ran)."""

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (`network_isolated` only once something ran)."""
        data: dict[str, object] = {
            "python": self.python,
            "python_version": self.python_version,
            "isolation": self.isolation,
            "requires": dict(self.requires),
        }
        if self.network_isolated is not None:
            data["network_isolated"] = self.network_isolated
        return data

    def __getitem__(self, key: str) -> object:
        """Mapping-style access to :meth:`to_dict` (``report.environment["python"]``)."""
        return self.to_dict()[key]


@dataclass
class Variant:
    """One generated variant of a question: its id, values and where its key is."""

    question: str
    """`id#k`."""
    params: dict[str, str]
    """Each name `params` defined -> the repr of its value."""
    key_positions: list[int]
    """1-based places of the correct options in the authored order (empty: no options)."""
    key: str | None = None
    """What a learner must answer, as text (None: not known; see :mod:`qbank.variants.keys`)."""


@dataclass
class VariantSet:
    """The variants a question with `variants: N` generated (an R/exams-style stress
    summary: which values, where the keys fell)."""

    bank: str
    question: str
    """The template's id."""
    path: str
    line: int
    requested: int
    """`variants: N`."""
    shuffle: bool | None
    """Whether platforms shuffle the options (then the authored key place is not shown)."""
    variants: list[Variant] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form, with the spread of key places across variants."""
        spread = Counter(",".join(map(str, v.key_positions)) for v in self.variants)
        return {
            "bank": self.bank,
            "question": self.question,
            "path": self.path,
            "line": self.line,
            "requested": self.requested,
            "shuffle": self.shuffle,
            "key_spread": {k: n for k, n in sorted(spread.items()) if k},
            "distinct_keys": len({v.key for v in self.variants if v.key is not None}),
            "variants": [dataclasses.asdict(v) for v in self.variants],
        }


@dataclass
class Report:
    """Everything `qbank validate` found: the collection, its problems, per-question results."""

    collection: Collection
    problems: list[Problem] = field(default_factory=list)
    results: dict[tuple[str, str], QuestionResult] = field(default_factory=dict)
    duration: float = 0.0
    environment: RunEnvironment | None = None
    """Interpreter, required distributions and their versions, isolation in force (None
    when nothing was executed)."""
    variants: list[VariantSet] = field(default_factory=list)
    """The variants of each question with `variants: N` (its results are the variants')."""

    @property
    def ok(self) -> bool:
        """Whether no problem is an error."""
        return not has_errors(self.problems)

    def result(self, bank_id: str, question_id: str) -> QuestionResult | None:
        """The result of one question, if it was validated."""
        return self.results.get((bank_id, question_id))

    def problems_of(self, bank_id: str, question_id: str | None = None) -> list[Problem]:
        """The problems of a bank (or of one of its questions)."""
        paths = {b.path for b in self.collection.banks if b.id == bank_id}
        return [
            p
            for p in self.problems
            if p.path in paths and (question_id is None or p.question == question_id)
        ]

    def counts(self) -> dict[str, int]:
        """Questions per state, plus errors, warnings and cached results."""
        states = Counter(r.state for r in self.results.values())
        counts: dict[str, int] = {"banks": len(self.collection), "questions": len(self.results)}
        counts.update({state: states.get(state, 0) for state in STATES})
        counts["from cache"] = sum(r.from_cache for r in self.results.values())
        if self.variants:  # only then: reports without variants keep their form
            counts["variants"] = sum(len(v.variants) for v in self.variants)
            counts["varied questions"] = len(self.variants)
        counts["errors"] = sum(p.severity == "error" for p in self.problems)
        counts["warnings"] = sum(p.severity == "warning" for p in self.problems)
        return counts

    def summary(self) -> str:
        """One line: banks, questions, states, problems, time."""
        c = self.counts()
        parts = [f"{c['banks']} bank(s)", f"{c['questions']} question(s)"]
        if self.variants:
            parts.append(f"{c['variants']} variant(s) of {c['varied questions']} question(s)")
        parts += [f"{c[s]} {s}" for s in STATES if c[s] or s in ("options proven", "run proven")]
        if c["from cache"]:
            parts.append(f"{c['from cache']} from cache")
        parts.append(f"{c['errors']} error(s), {c['warnings']} warning(s)")
        return ", ".join(parts) + f" in {self.duration:.2f}s"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (what `qbank validate --format json` prints)."""
        return {
            "ok": self.ok,
            "summary": self.counts(),
            "duration": round(self.duration, 3),
            "environment": self.environment.to_dict() if self.environment else {},
            "problems": [p.to_dict() for p in sorted(self.problems)],
            "questions": [r.to_dict() for _, r in sorted(self.results.items())],
            **({"variants": [v.to_dict() for v in self.variants]} if self.variants else {}),
        }
