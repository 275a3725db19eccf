"""The shipped banks of other languages catch wrong keys: a few questions of each bank get a
planted mistake (a wrong output, the `correct` mark moved to a wrong choice, a flipped
true/false, another number), and validation fails for exactly those questions, with the
codes the truth table gives; every other question stays proven. The banks as shipped are
valid, with no problem at all.

The banks are read with PyYAML (the project's YAML library), changed as data and written
into `tmp_path` beside an empty `qbank.toml`, so their ids do not depend on where the tests
run. Every run has the banks' own `timeout`, far above what any question needs, so the
outcome does not depend on the machine's speed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import qbank
import qbank.options
from qbank.languages import backend
from qbank.report import Report

BANKS = Path(__file__).resolve().parents[2] / "banks"
PROVEN = {"options proven", "run proven"}

Question = dict[str, Any]


@dataclass(frozen=True)
class Plant:
    """A wrong key planted in question `question`, and the codes its errors must have."""

    question: str
    change: Callable[[Question], None]
    codes: frozenset[str]


def plant(question: str, change: Callable[[Question], None], *codes: str) -> Plant:
    return Plant(question, change, frozenset(codes))


# --- ways to plant a wrong key ----------------------------------------------------------------


def set_field(name: str, value: Any) -> Callable[[Question], None]:
    def change(question: Question) -> None:
        question[name] = value

    return change


def flip_answer(question: Question) -> None:
    assert isinstance(question["answer"], bool)
    question["answer"] = not question["answer"]


def move_correct(to: int) -> Callable[[Question], None]:
    """The single `correct: true` moves to choice `to` (which was wrong)."""

    def change(question: Question) -> None:
        choices = question["choices"]
        assert not choices[to].get("correct")
        for choice in choices:
            choice.pop("correct", None)
        choices[to]["correct"] = True

    return change


def mark_correct(index: int) -> Callable[[Question], None]:
    """A wrong choice of a multiple_answers question is marked correct too."""

    def change(question: Question) -> None:
        choice = question["choices"][index]
        assert not choice.get("correct")
        choice["correct"] = True

    return change


def add_distractor(text: str) -> Callable[[Question], None]:
    """A distractor of an output question that is in fact the real output."""

    def change(question: Question) -> None:
        question["choices"].append(text)

    return change


def swap_fix(question: Question) -> None:
    """A bug question whose `fix` is the buggy program itself."""
    question["fix"] = question["code"]


# --- the plants of each bank ------------------------------------------------------------------

PLANTS: dict[str, list[Plant]] = {
    "javascript": [
        plant("float-addition", set_field("answer", "0.3\nfalse\n0.3\n"), "answer-mismatch"),
        plant("closure-in-loop", move_correct(1), "key-refuted", "choice-holds"),
        plant("let-temporal-dead-zone", flip_answer, "key-refuted"),
        plant("math-round-halves", set_field("answer", 0), "key-refuted"),
        plant("default-sort", add_distractor("1,10,100,25,9"), "distractor-holds"),
        plant("loose-equality", mark_correct(5), "key-refuted"),
    ],
    "sql": [
        plant("count-and-null", set_field("answer", "3\t3\t30\t10.0"), "answer-mismatch"),
        plant("not-in-with-null", set_field("answer", 2), "key-refuted"),
        plant("inner-join-rows", mark_correct(2), "key-refuted"),
        plant("where-or-having", move_correct(3), "key-refuted", "choice-holds"),
        plant("equals-null", flip_answer, "key-refuted"),
    ],
    "bash": [
        plant(
            "set-e-grep", set_field("answer", "scanning app.log\nerrors: 0\n"), "answer-mismatch"
        ),
        plant("set-e-arithmetic", flip_answer, "key-refuted"),
        plant("leading-zero-octal", set_field("answer", 20), "key-refuted"),
        plant("subshell-variable", set_field("answers", ["changed"]), "key-refuted"),
        plant("test-comparison", move_correct(2), "key-refuted", "choice-holds"),
        plant("pipeline-subshell", swap_fix, "fix-fails"),
    ],
    "c": [
        plant("integer-division", set_field("answer", "3.5 3.5 -3 -1"), "answer-mismatch"),
        plant("mask-precedence", move_correct(3), "key-refuted", "choice-holds"),
        plant("unsigned-wraparound", move_correct(1), "key-refuted", "choice-holds"),
        plant("strlen-stops-at-nul", set_field("answer", 7), "key-refuted"),
        plant("integer-promotion", flip_answer, "key-refuted"),
        plant("off-by-one", swap_fix, "fix-fails"),
    ],
}


def needs(language: str) -> Any:
    kind = backend(language)
    assert kind is not None, language
    missing = kind.toolchain.missing
    return pytest.mark.skipif(missing is not None, reason=missing or "")


LANGUAGES = [pytest.param(name, marks=needs(name), id=name) for name in PLANTS]


def shipped(language: str) -> Path:
    return BANKS / language / "basics.yaml"


def validate(path: Path, tmp_path: Path) -> Report:
    options = qbank.options.Options(cache_dir=str(tmp_path / "cache"))
    return qbank.validate([str(path)], options)


def errors_by_question(report: Report) -> dict[str | None, set[str]]:
    found: dict[str | None, set[str]] = {}
    for problem in report.problems:
        if problem.severity == "error":
            found.setdefault(problem.question, set()).add(problem.code)
    return found


def states(report: Report) -> dict[str, str]:
    return {question: result.state for (_, question), result in report.results.items()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_bank_is_valid_and_every_question_is_proven(
    language: str, tmp_path: Path
) -> None:
    report = validate(shipped(language), tmp_path)
    assert report.ok, [p.format() for p in report.problems]
    assert report.problems == []
    found = states(report)
    assert len(found) >= 8
    assert set(found.values()) <= PROVEN, found


@pytest.mark.parametrize("language", LANGUAGES)
def test_planted_wrong_keys_fail_exactly_their_questions(language: str, tmp_path: Path) -> None:
    data = yaml.safe_load(shipped(language).read_text(encoding="utf-8"))
    original = copy.deepcopy(data)
    by_id = {q["id"]: q for q in data["questions"]}
    plants = PLANTS[language]
    for planted in plants:
        planted.change(by_id[planted.question])
        assert by_id[planted.question] != next(
            q for q in original["questions"] if q["id"] == planted.question
        ), f"{planted.question}: the plant changed nothing"
    (tmp_path / "qbank.toml").write_text("", encoding="utf-8")
    path = tmp_path / f"{language}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    report = validate(path, tmp_path)

    assert not report.ok
    assert errors_by_question(report) == {p.question: set(p.codes) for p in plants}, [
        p.format() for p in report.problems
    ]
    assert [p for p in report.problems if p.severity != "error"] == []
    planted_ids = {p.question for p in plants}
    found = states(report)
    assert {q for q, state in found.items() if state == "failed"} == planted_ids, found
    assert {found[q] for q in found if q not in planted_ids} <= PROVEN, found


def test_the_plants_cover_several_kinds_of_wrong_key() -> None:
    """Each bank has at least three plants, on questions of different types."""
    for language, plants in PLANTS.items():
        data = yaml.safe_load(shipped(language).read_text(encoding="utf-8"))
        types = {q["id"]: q["type"] for q in data["questions"]}
        assert len(plants) >= 3, language
        assert len({types[p.question] for p in plants}) >= 3, language
