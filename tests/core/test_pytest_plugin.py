"""The pytest plugin: each question of the configured banks is an item named by its id."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
questions:
  - id: adds-up
    type: output
    prompt: What does it print?
    code: print(1 + 1)
    answer: "2\\n"
  - id: plain
    type: essay
    prompt: Why?
"""

BAD = """\
questions:
  - id: wrong-sum
    type: output
    prompt: What does it print?
    code: print(2 + 2)
    answer: "5\\n"
"""


def _project(pytester: pytest.Pytester, *, execute: bool = True) -> None:
    pytester.makeini(
        f"[pytest]\nqbank_banks = banks\nqbank_execute = {'true' if execute else 'false'}\n"
    )
    (pytester.path / "banks").mkdir()
    (pytester.path / "banks" / "good.yaml").write_text(GOOD)
    (pytester.path / "banks" / "bad.yaml").write_text(BAD)


def test_each_question_is_an_item(pytester: pytest.Pytester) -> None:
    _project(pytester)
    result = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        ["banks/bad.yaml::wrong-sum", "banks/good.yaml::adds-up", "banks/good.yaml::plain"]
    )


def test_failing_question_reports_path_line_and_message(pytester: pytest.Pytester) -> None:
    _project(pytester)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["banks/bad.yaml:6: error: wrong-sum: expected output '5\\n', the run wrote '4\\n'*"]
    )


def test_without_configuration_nothing_is_collected(pytester: pytest.Pytester) -> None:
    (pytester.path / "bank.yaml").write_text(BAD)
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_static_only_mode(pytester: pytest.Pytester) -> None:
    _project(pytester, execute=False)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
