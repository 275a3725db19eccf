"""Validation by execution: shipped banks are proven, wrong keys fail exactly where they are wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.options import Options
from qbank.validation import validate

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"


@pytest.fixture
def options(tmp_path: Path) -> Options:
    return Options(cache_dir=str(tmp_path / "cache"))


def test_shipped_banks_are_proven(options: Options) -> None:
    report = validate([str(ROOT / "banks")], options)
    assert [p.format() for p in report.problems] == []
    states = {r.question: r.state for r in report.results.values()}
    assert "failed" not in states.values()
    assert "inconclusive" not in states.values()
    assert states["add-cleanup"] == "options proven"
    assert states["log-order"] == "options proven"
    assert states["add-task-called"] == "run proven"


def test_wrong_keys_fail_on_exactly_those_questions(options: Options) -> None:
    report = validate([str(CASES / "wrong-keys.yaml")], options)
    expected = (CASES / "wrong-keys.expected").read_text().split()
    failed = sorted({p.question for p in report.problems if p.severity == "error"})
    assert failed == sorted(expected)
    assert all(p.question is not None for p in report.problems)
    passing = {r.question for r in report.results.values() if r.state != "failed"}
    assert passing and not passing & set(expected)


def test_problem_codes_name_each_kind_of_wrong_key(options: Options) -> None:
    report = validate([str(CASES / "wrong-keys.yaml")], options)
    codes = {p.question: p.code for p in report.problems}
    assert codes["wrong-output-key"] == "answer-mismatch"
    assert codes["distractor-equals-output"] == "distractor-holds"
    assert codes["wrong-code-choice-passes"] == "choice-holds"
    assert codes["fix-still-fails"] == "fix-fails"
    assert codes["buggy-program-passes"] == "bug-holds"
    assert codes["wrong-value-key"] in ("key-refuted", "choice-holds")
    assert codes["wrong-true-false"] in ("key-refuted", "choice-holds")


def test_false_seed_claim_file_stays_empty_is_refuted(options: Options) -> None:
    report = validate([str(CASES / "false-seed-claims" / "bug-file-stays-empty.yaml")], options)
    messages = [p.message for p in report.problems if p.code == "symptom-missing"]
    assert any("log.txt" in m and "'Logged\\n'" in m for m in messages), messages


def test_false_seed_claim_task_not_scheduled_is_refuted(options: Options) -> None:
    report = validate([str(CASES / "false-seed-claims" / "task-not-scheduled.yaml")], options)
    assert not report.ok
    assert {p.question for p in report.problems} == {"not-scheduled"}


def test_wrong_options_keep_how_they_failed(options: Options) -> None:
    report = validate([str(ROOT / "banks" / "fastapi")], options)
    result = next(r for r in report.results.values() if r.question == "add-cleanup")
    reasons = list(result.refutations.values())
    assert any(
        "AttributeError: 'BackgroundTasks' object has no attribute 'run'" in r for r in reasons
    )


def test_second_validation_comes_from_cache(options: Options) -> None:
    first = validate([str(ROOT / "banks" / "python")], options)
    second = validate([str(ROOT / "banks" / "python")], options)
    executed = [r for r in first.results.values() if r.state not in ("not executed", "skipped")]
    assert executed and not any(r.from_cache for r in first.results.values())
    assert all(second.results[(r.bank, r.question)].from_cache for r in executed)
    assert second.counts() == {**first.counts(), "from cache": len(executed)}
