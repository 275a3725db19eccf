"""`python` requirements (DESIGN section 7): a question whose `python` requirement the target
interpreter does not meet is neither compiled nor run; it is `skipped`, with the reason in
the summary, never a pass, never an error, never "pip install python" (issue 8, defect 5)."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

RUNNING = platform.python_version()

BANK = """\
requires: ["python>=3.0"]
questions:
  - id: too-new
    type: output
    requires: ["python<3.8"]
    prompt: What does it print?
    code: |
      print "old"  # Python 2: a SyntaxError if it were compiled
  - id: current
    type: output
    prompt: What does it print?
    code: print(1)
    answer: "1\\n"
"""


def _write(tmp_path: Path, text: str = BANK) -> Path:
    (tmp_path / "qbank.toml").touch()
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _validate(tmp_path: Path, text: str = BANK, *, execute: bool = True) -> Report:
    path = _write(tmp_path, text)
    return validate([str(path)], Options(execute=execute, cache_dir=str(tmp_path / "cache")))


@pytest.mark.parametrize("execute", [True, False], ids=["exec", "no-exec"])
def test_an_unmet_python_requirement_skips_the_question(tmp_path: Path, execute: bool) -> None:
    report = _validate(tmp_path, execute=execute)
    assert report.problems == []  # not compiled (no syntax-error), no missing-requirement
    skipped = report.result("bank", "too-new")
    assert skipped is not None
    assert (skipped.state, skipped.reason) == ("skipped", f"needs python<3.8, running {RUNNING}")
    current = report.result("bank", "current")
    assert current is not None
    assert current.state == ("options proven" if execute else "not executed")
    assert report.ok and report.counts()["skipped"] == 1
    assert "1 skipped" in report.summary()


def test_the_summary_says_why_on_stderr(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--no-cache", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # not a problem
    assert f"bank.yaml:3: too-new: skipped: needs python<3.8, running {RUNNING}\n" in result.stderr
    assert "1 skipped" in result.stderr and "pip install" not in result.output


def test_the_json_report_gives_state_and_reason(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--no-cache", "--format", "json", str(path)])
    data = json.loads(result.stdout)
    question = next(q for q in data["questions"] if q["question"] == "too-new")
    assert question["state"] == "skipped"
    assert question["reason"] == f"needs python<3.8, running {RUNNING}"
    assert data["summary"]["skipped"] == 1 and data["ok"] is True


def test_a_bank_level_requirement_skips_every_question_and_its_modules(tmp_path: Path) -> None:
    """Issue 8, defect 5: `requires: ["python<3.7"]` said "install it there (e.g. pip install
    python)"; the bank's other requirements are not looked up for skipped questions either."""
    report = _validate(
        tmp_path,
        """\
requires: ["python<3.7", "no_such_module_qbank"]
questions:
  - id: a
    type: output
    prompt: What does it print?
    code: print(1)
  - id: b
    type: essay
    prompt: Why?
    code: x = (
""",
    )
    assert report.problems == []
    assert {r.question: r.state for r in report.results.values()} == {
        "a": "skipped",
        "b": "skipped",
    }


def test_a_met_requirement_runs_and_no_python_is_looked_up(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
requires: ["python>=3.9", "python"]
questions:
  - id: runs
    type: output
    prompt: What does it print?
    code: print(2)
    answer: "2\\n"
""",
    )
    assert report.problems == []
    assert report.result("bank", "runs").state == "options proven"  # type: ignore[union-attr]


def test_a_specifier_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        """\
questions:
  - id: q
    type: output
    requires: ["python>=three"]
    prompt: What does it print?
    code: print(2)
""",
        execute=False,
    )
    assert [(p.line, p.code, p.message) for p in report.problems] == [
        (
            4,
            "invalid-value",
            "`python>=three` is not a valid version specifier for python (write e.g. python>=3.10)",
        )
    ]


def test_the_junit_report_marks_it_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path)
    target = tmp_path / "junit.xml"
    CliRunner().invoke(main, ["validate", "--no-exec", "--junit-xml", str(target), str(path)])
    xml = target.read_text(encoding="utf-8")
    assert f'<skipped message="needs python&lt;3.8, running {RUNNING}"' in xml
    assert 'skipped="1"' in xml


def test_the_pytest_plugin_reports_a_pytest_skip(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nqbank_banks = banks\n")
    (pytester.path / "banks").mkdir()
    (pytester.path / "banks" / "bank.yaml").write_text(BANK, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines([f"*skipped: needs python<3.8, running {RUNNING}*"])
