"""DESIGN section 7, truth second pass: no silent unproven key, numbers keep their type,
tolerance proven, the true/false wording, learner-facing feedback (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.model import Numerical
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

UNPROVEN = "the key is not proven by running: add a check that uses answer [key-unproven]"


def _bank(tmp_path: Path, text: str) -> Path:
    (tmp_path / "qbank.toml").touch()
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _validate(tmp_path: Path, text: str, *, execute: bool = True) -> Report:
    path = _bank(tmp_path, text)
    return validate([str(path)], Options(execute=execute, cache_dir=str(tmp_path / "cache")))


def _lines(report: Report) -> list[str]:
    return [p.format().split("/")[-1] for p in sorted(report.problems)]


# --- 1. No silent unproven key -----------------------------------------------------------

UNPROVEN_BANK = """\
questions:
  - id: tf
    type: true_false
    prompt: Is x 3?
    code: "x = 2"
    answer: true
  - id: short
    type: short_answer
    prompt: What is x?
    code: "x = 2"
    answers: ["2"]
  - id: number
    type: numerical
    prompt: What is x?
    code: "x = 2"
    check: assert x == 2
    answer: 2
  - id: texts
    type: multiple_choice
    prompt: What is x?
    code: "x = 2"
    choices:
      - "1"
      - text: "2"
        correct: true
  - id: values-unused
    type: multiple_answers
    prompt: What is x?
    code: "x = 2"
    check: assert x == 2
    choices:
      - value: 1
      - value: 2
        correct: true
"""


def test_a_key_no_run_decides_is_a_warning_at_the_keys_line(tmp_path: Path) -> None:
    report = _validate(tmp_path, UNPROVEN_BANK, execute=False)
    assert _lines(report) == [
        f"bank.yaml:6: warning: tf: {UNPROVEN}",
        f"bank.yaml:11: warning: short: {UNPROVEN}",
        f"bank.yaml:17: warning: number: {UNPROVEN}",
        f"bank.yaml:24: warning: texts: {UNPROVEN}",
        f"bank.yaml:33: warning: values-unused: {UNPROVEN}",
    ]


def test_key_unproven_is_fatal_under_strict(tmp_path: Path) -> None:
    path = _bank(tmp_path, UNPROVEN_BANK.split("  - id: short")[0])
    runner = CliRunner()
    plain = runner.invoke(main, ["validate", "--no-exec", "--no-cache", str(path)])
    strict = runner.invoke(main, ["validate", "--no-exec", "--no-cache", "--strict", str(path)])
    assert plain.exit_code == 0 and "[key-unproven]" in plain.stdout
    assert strict.exit_code == 1 and "[key-unproven]" in strict.stdout


def test_no_key_unproven_where_a_run_decides_or_nothing_runs(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
questions:
  - id: checked-tf
    type: true_false
    prompt: Is x 2?
    code: "x = 2"
    check: assert (x == 2) == answer
    answer: true
  - id: by-value
    type: multiple_choice
    prompt: What is x?
    code: "x = 2"
    check: assert x == answer
    choices:
      - value: 1
      - value: 2
        correct: true
  - id: no-code
    type: true_false
    prompt: Is 2 even?
    answer: true
  - id: shown-output
    type: output
    prompt: What does it print?
    code: print(2)
    answer: "2\\n"
  - id: fill
    type: code_choice
    prompt: Which line prints 2?
    code: |
      ____
    check: assert stdout == "2\\n"
    choices:
      - code: print(2)
        correct: true
      - code: print(3)
  - id: cause
    type: bug
    prompt: Why does it fail?
    code: print(1 / 0)
    fix: print(1)
    choices:
      - text: Division by zero
        correct: true
      - text: A typo
""",
    )
    assert _lines(report) == []
    assert report.result("bank", "checked-tf").state == "options proven"  # type: ignore[union-attr]


def test_a_wrong_key_no_longer_passes_silently_with_strict(tmp_path: Path) -> None:
    """Issue 8, defect 1: `x = 2`, `answer: true` for "x is 3" passed, exit 0 with --strict."""
    path = _bank(tmp_path, UNPROVEN_BANK.split("  - id: short")[0])
    result = CliRunner().invoke(main, ["validate", "--strict", "--no-cache", str(path)])
    assert result.exit_code == 1
    assert f"bank.yaml:6: warning: tf: {UNPROVEN}" in result.stdout


# --- 2. Numbers keep their type ----------------------------------------------------------


def test_an_integer_key_binds_an_int(tmp_path: Path) -> None:
    """Issue 8, defect 2: `answer: 1` was bound as `1.0` (`list indices must be integers`)."""
    report = _validate(
        tmp_path,
        """\
questions:
  - id: index
    type: numerical
    prompt: At which index is 20?
    code: data = [10, 20, 30]
    check: assert data[answer] == 20
    answer: 1
""",
    )
    assert _lines(report) == []
    question = report.collection.banks[0].bank.questions[0]
    assert isinstance(question, Numerical)
    assert type(question.answer) is int and type(question.tolerance) is int


@pytest.mark.parametrize(("written", "kind"), [("1", int), ("2.5", float), ("-3", int)])
def test_numbers_keep_the_type_the_author_wrote(tmp_path: Path, written: str, kind: type) -> None:
    text = f"questions:\n  - {{id: n, type: numerical, prompt: p, answer: {written}}}\n"
    report = _validate(tmp_path, text, execute=False)
    question = report.collection.banks[0].bank.questions[0]
    assert isinstance(question, Numerical) and type(question.answer) is kind


@pytest.mark.parametrize("written", ["true", "'5'", ".nan"])
def test_booleans_strings_and_nan_are_not_numbers(tmp_path: Path, written: str) -> None:
    text = f"questions:\n  - {{id: n, type: numerical, prompt: p, answer: {written}}}\n"
    report = _validate(tmp_path, text, execute=False)
    assert [p.code for p in report.problems] in (["wrong-type"], ["invalid-value"])


def test_messages_show_the_number_as_written(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
questions:
  - id: count
    type: numerical
    prompt: How many?
    code: n = 103
    check: assert n == answer
    answer: 104
""",
    )
    (problem,) = report.problems
    assert problem.code == "key-refuted"
    assert problem.message.startswith("the key 104 fails: check failed: AssertionError")
    assert "104.0" not in problem.message


# --- 3. Tolerance is proven --------------------------------------------------------------

TOLERANCE = """\
questions:
  - id: length
    type: numerical
    prompt: How long is `s`?
    code: s = "x" * 4300
    check: {check}
    answer: 4300
    tolerance: {tolerance}
"""


def test_a_tolerance_the_check_refutes_is_too_wide(tmp_path: Path) -> None:
    """Issue 8, defect 3: `answer: 4300, tolerance: 1000` was "options proven"."""
    text = TOLERANCE.format(check="assert answer == len(s)", tolerance=1000)
    report = _validate(tmp_path, text)
    (problem,) = report.problems
    assert (problem.line, problem.code, problem.severity) == (8, "tolerance-too-wide", "error")
    assert problem.message.startswith(
        "the check fails for 3300 (answer - tolerance) and 5300 (answer + tolerance): "
        "Moodle would accept 3300..5300"
    )
    assert report.result("bank", "length").state == "failed"  # type: ignore[union-attr]


def test_one_end_failing_names_that_end(tmp_path: Path) -> None:
    text = TOLERANCE.format(check="assert len(s) - 1000 <= answer <= len(s) + 999", tolerance=1000)
    (problem,) = _validate(tmp_path, text).problems
    assert problem.message.startswith(
        "the check fails for 5300 (answer + tolerance): Moodle would accept 3300..5300"
    )


def test_a_check_that_accepts_the_whole_range_proves_the_tolerance(tmp_path: Path) -> None:
    text = TOLERANCE.format(check="assert abs(answer - len(s)) <= 1000", tolerance=1000)
    report = _validate(tmp_path, text)
    assert _lines(report) == []
    assert report.result("bank", "length").state == "options proven"  # type: ignore[union-attr]


def test_float_ends_are_added_in_decimal(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
questions:
  - id: third
    type: numerical
    prompt: About how much is `x`?
    code: x = 0.3
    check: assert answer in (0.2, 0.3, 0.4)
    answer: 0.3
    tolerance: 0.1
""",
    )
    assert _lines(report) == []  # 0.3 - 0.1 is 0.2 and 0.3 + 0.1 is 0.4, as written


def test_a_failing_key_is_refuted_not_too_wide(tmp_path: Path) -> None:
    text = TOLERANCE.format(check="assert answer == len(s) + 1", tolerance=1)
    assert [p.code for p in _validate(tmp_path, text).problems] == ["key-refuted"]


# --- 6. The true/false wording -----------------------------------------------------------


def test_a_wrong_true_false_key_says_the_key_is_wrong(tmp_path: Path) -> None:
    """Issue 8, defect 6: it said "the check also passes with answer True: the key cannot
    be told apart" though the key fails and only the opposite passes."""
    report = _validate(
        tmp_path,
        """\
questions:
  - id: tf
    type: true_false
    prompt: "`x` is 3."
    code: x = 2
    check: assert (x == 3) == answer
    answer: true
""",
    )
    (problem,) = report.problems
    assert (problem.code, problem.line) == ("key-refuted", 7)
    assert problem.message.startswith(
        "the key is wrong: the check fails with answer True and passes with False, so the "
        "statement is false (write `answer: false`)"
    )
    assert "told apart" not in problem.message


def test_a_check_passing_both_ways_cannot_tell_the_key_apart(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
questions:
  - id: tf
    type: true_false
    prompt: "`x` is 2."
    code: x = 2
    check: assert x == 2 or answer
    answer: true
""",
    )
    assert [(p.code, p.message) for p in report.problems] == [
        ("choice-holds", "the check also passes with answer False: the key cannot be told apart")
    ]


# --- 7. Feedback for learners ------------------------------------------------------------

FEEDBACK_BANK = """\
questions:
  - id: printed
    type: output
    prompt: What does it print?
    code: print("a\\nb")
    choices: ["a b", "a\\\\nb"]
  - id: raising
    type: code_choice
    prompt: Which line greets?
    setup: SECRET_SETUP = 1
    code: |
      class Greeter:
          def hello(self):
              print("hello")
      ____
    run: SECRET_RUN = 2
    check: assert stdout == "hello\\n"
    choices:
      - code: Greeter().hello()
        correct: true
      - code: Greeter().run()
      - code: print("bye")
  - id: valued
    type: multiple_choice
    prompt: What is `xs` at the end?
    code: |
      xs = [1, 2]
      xs.append(3)
    check: assert xs == answer
    choices:
      - value: [1, 2, 3]
        correct: true
      - value: [1, 2]
  - id: valued-printing
    type: multiple_choice
    prompt: What is `n`?
    code: |
      n = 3
      print("n is", n)
    check: assert n == answer
    choices:
      - value: 3
        correct: true
      - value: 4
"""


@pytest.fixture(name="feedback_report")
def _feedback_report(tmp_path: Path) -> Report:
    report = _validate(tmp_path, FEEDBACK_BANK)
    assert _lines(report) == []
    return report


def _feedback(report: Report, question: str) -> dict[int, str]:
    result = report.result("bank", question)
    assert result is not None
    return result.feedback


def test_an_output_distractor_is_told_what_the_code_prints(feedback_report: Report) -> None:
    said = "The code prints:\n\n```\na\nb\n```"
    assert _feedback(feedback_report, "printed") == {0: said, 1: said}


def test_a_code_choice_is_told_the_exception_line(feedback_report: Report) -> None:
    feedback = _feedback(feedback_report, "raising")
    assert feedback == {
        1: "With this line the program raises `AttributeError: 'Greeter' object has no "
        "attribute 'run'`.",
        2: "With this line the program prints:\n\n```\nbye\n```",
    }


def test_a_value_choice_is_told_what_the_learner_can_see(feedback_report: Report) -> None:
    assert _feedback(feedback_report, "valued") == {1: "This is not what the program produces."}
    assert _feedback(feedback_report, "valued-printing") == {
        1: "The code prints:\n\n```\nn is 3\n```"
    }


def test_feedback_never_shows_hidden_snippets_or_operands(feedback_report: Report) -> None:
    said = json.dumps([r.feedback for r in feedback_report.results.values()])
    for hidden in ("SECRET", "assert", "left:", "right:", "check failed", "answer", "\\\\n"):
        assert hidden not in said, hidden


def test_refutations_keep_the_full_detail_for_authors(feedback_report: Report) -> None:
    refutations = feedback_report.result("bank", "valued").refutations  # type: ignore[union-attr]
    assert refutations[1].startswith("check failed: AssertionError: assert xs == answer")
    assert "left:" in refutations[1]
    printed = feedback_report.result("bank", "printed").refutations  # type: ignore[union-attr]
    assert printed == {0: "the code prints 'a\\nb\\n'", 1: "the code prints 'a\\nb\\n'"}
