"""The bank-level proof memo: a bank whose questions were all decided is not judged again,
and anything that can change its proof is a miss."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import qbank.cache
import qbank.prove.coordinate as coordinate
from qbank.options import Options
from qbank.prove.environment import Environment
from qbank.report import Report
from qbank.validation import validate

CASES = Path(__file__).resolve().parents[2] / "tests" / "cases"

SLOW = """\
questions:
  - id: sleepy
    type: output
    prompt: What does it print?
    timeout: 0.5
    code: |
      import time
      time.sleep(30)
    answer: ""
  - id: quick
    type: output
    prompt: What does it print?
    code: print(1)
    answer: "1"
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "wrong-keys.yaml"
    shutil.copy(CASES / "wrong-keys.yaml", path)
    return path


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the questions planned (an empty list: the memo served every bank)."""
    seen: list[str] = []
    original = coordinate.plan_question

    def spy(bank: Any, question: Any) -> Any:
        seen.append(question.id)
        return original(bank, question)

    monkeypatch.setattr(coordinate, "plan_question", spy)
    return seen


def _options(tmp_path: Path, **changes: Any) -> Options:
    return Options(cache_dir=str(tmp_path / "cache"), **changes)


def _shown(report: Report) -> tuple[object, ...]:
    """The report as it is shown, without timings and where results came from."""
    results = [
        {k: v for k, v in r.to_dict().items() if k not in ("duration", "from_cache")}
        for r in report.results.values()
    ]
    return results, [p.format() for p in report.problems], report.counts().get("failed")


def test_a_second_validation_is_served_by_the_memo(
    tmp_path: Path, bank: Path, planned: list[str]
) -> None:
    first = validate([str(bank)], _options(tmp_path))
    assert planned and first.problems and not first.ok
    planned.clear()
    second = validate([str(bank)], _options(tmp_path))
    assert planned == []
    assert _shown(second) == _shown(first)
    ran = [k for k, r in first.results.items() if r.state not in ("not executed", "skipped")]
    assert ran and all(second.results[k].from_cache for k in ran)
    assert [p.path for p in second.problems] == [p.path for p in first.problems]


def test_the_memo_and_the_run_cache_agree(tmp_path: Path, bank: Path) -> None:
    validate([str(bank)], _options(tmp_path))
    memoised = validate([str(bank)], _options(tmp_path))
    from_runs = validate([str(bank)], _options(tmp_path / "other"))
    assert _shown(memoised) == _shown(from_runs)


def test_no_cache_bypasses_the_memo(tmp_path: Path, bank: Path, planned: list[str]) -> None:
    validate([str(bank)], _options(tmp_path))
    planned.clear()
    report = validate([str(bank)], _options(tmp_path, cache=False))
    assert planned and not any(r.from_cache for r in report.results.values())


def _change_question(bank: Path) -> None:
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("print(append_to(2))", "print(append_to(3))"), "utf-8")


def _change_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Environment, "fingerprint", property(lambda self: "another"))


def _change_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qbank.cache, "RUNNER_VERSION", "another runner")
    monkeypatch.setattr("qbank.prove.memo.RUNNER_VERSION", "another runner")


CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], dict[str, Any]]] = {
    "question": lambda bank, _mp: (_change_question(bank), {})[1],
    "environment": lambda _bank, mp: (_change_environment(mp), {})[1],
    "limits": lambda _bank, _mp: {"limits": {"timeout": 7.0}},
    "runner": lambda _bank, mp: (_change_runner(mp), {})[1],
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_misses_the_memo(
    tmp_path: Path,
    bank: Path,
    planned: list[str],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    validate([str(bank)], _options(tmp_path))
    planned.clear()
    extra = CHANGES[change](bank, monkeypatch)
    validate([str(bank)], _options(tmp_path, **extra))
    assert planned  # the memo did not serve it: the bank was planned again


def test_an_inconclusive_question_is_never_memoised(tmp_path: Path, planned: list[str]) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(SLOW, encoding="utf-8")
    first = validate([str(path)], _options(tmp_path))
    assert first.result("bank", "sleepy").state == "inconclusive"  # type: ignore[union-attr]
    planned.clear()
    second = validate([str(path)], _options(tmp_path))
    assert sorted(planned) == ["quick", "sleepy"]
    assert second.result("bank", "quick").from_cache  # type: ignore[union-attr]
    assert not second.result("bank", "sleepy").from_cache  # type: ignore[union-attr]


def test_a_damaged_memo_entry_is_a_miss(
    tmp_path: Path, bank: Path, planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = validate([str(bank)], _options(tmp_path))
    original = qbank.cache.Cache.get_object

    def damaged(self: qbank.cache.Cache, key: str) -> Any:
        return ("not", "an", "outcome") if key.startswith("proof:") else original(self, key)

    monkeypatch.setattr(qbank.cache.Cache, "get_object", damaged)
    planned.clear()
    second = validate([str(bank)], _options(tmp_path))
    assert planned and _shown(second) == _shown(first)
