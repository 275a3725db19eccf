"""Execution against an environment: requirements, another interpreter, and the cache's rules."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qbank.errors import RunnerError
from qbank.options import Options
from qbank.validation import validate

BANK = """\
requires: [{requires}]
questions:
  - id: one
    type: output
    prompt: What does it print?
    code: print(6 * 7)
    answer: "42\\n"
  - id: two
    type: true_false
    prompt: Is 2 even?
    answer: true
    check: assert (2 % 2 == 0) == answer
"""


def _bank(tmp_path: Path, requires: str = "", name: str = "bank.yaml", text: str = BANK) -> Path:
    (tmp_path / "qbank.toml").touch()
    path = tmp_path / name
    path.write_text(text.format(requires=requires))
    return path


def _options(tmp_path: Path, **kwargs: object) -> Options:
    return Options(cache_dir=str(tmp_path / "cache"), **kwargs)  # type: ignore[arg-type]


def test_missing_module_is_one_problem_for_the_bank(tmp_path: Path) -> None:
    path = _bank(tmp_path, "no_such_module_qbank")
    report = validate([str(path)], _options(tmp_path))
    assert [(p.line, p.code, p.question) for p in report.problems] == [
        (1, "missing-requirement", None)
    ]
    assert "needs `no_such_module_qbank`, not importable by" in report.problems[0].message
    assert {r.state for r in report.results.values()} == {"not executed"}


def test_wrong_version_is_one_problem(tmp_path: Path) -> None:
    path = _bank(tmp_path, "'pyyaml<1'")
    report = validate([str(path)], _options(tmp_path))
    assert [p.code for p in report.problems] == ["missing-requirement"]
    assert "needs `pyyaml<1`, but" in report.problems[0].message


def test_report_records_the_versions_proofs_held_for(tmp_path: Path) -> None:
    path = _bank(tmp_path, "'pyyaml>=5'")
    report = validate([str(path)], _options(tmp_path))
    assert report.ok, [p.format() for p in report.problems]
    assert "pyyaml" in report.environment["requires"]  # type: ignore[operator]


def test_another_interpreter_without_qbank(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    path = _bank(tmp_path)
    report = validate([str(path)], _options(tmp_path, python=str(python)))
    assert report.ok, [p.format() for p in report.problems]
    assert report.environment["python"] == str(python)
    assert {r.state for r in report.results.values()} == {"options proven"}


def test_snippets_compile_in_the_target_interpreter(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    broken = BANK.replace("print(6 * 7)", "print(6 *)")
    path = _bank(tmp_path, text=broken)
    local = validate([str(path)], _options(tmp_path, execute=False))
    remote = validate(
        [str(path)], _options(tmp_path, execute=False, python=str(venv / "bin" / "python"))
    )
    assert [p.format() for p in remote.problems] == [p.format() for p in local.problems]
    assert [(p.line, p.code) for p in remote.problems] == [(6, "syntax-error")]


def _old_python() -> str | None:
    installed = sorted(Path("/root/.pyenv/versions").glob("3.9*/bin/python3.9"))
    if installed:
        return str(installed[0])
    found = shutil.which("python3.9")
    ok = (
        found
        and subprocess.run([found, "-c", ""], capture_output=True, check=False).returncode == 0
    )
    return found if ok else None


def test_syntax_new_in_the_host_is_an_error_for_an_older_target(tmp_path: Path) -> None:
    old = _old_python()
    if old is None:
        pytest.skip("no Python 3.9 on this machine to compile for")
    matching = BANK.replace(
        "print(6 * 7)", "|\n      match 42:\n          case n:\n              print(n)"
    )
    path = _bank(tmp_path, text=matching)
    here = validate([str(path)], _options(tmp_path, execute=False))
    there = validate([str(path)], _options(tmp_path, execute=False, python=old))
    assert here.ok
    assert [(p.line, p.code) for p in there.problems] == [(7, "syntax-error")]


def test_a_python_that_is_not_an_interpreter_is_one_clear_error(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    with pytest.raises(RunnerError, match="false"):
        validate([str(path)], _options(tmp_path, python="/bin/false"))


def test_corrupt_cache_entries_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    validate([str(path)], _options(tmp_path))
    with sqlite3.connect(tmp_path / "cache" / "results.sqlite") as db:
        db.execute("UPDATE results SET value = 'not json'")
        db.execute("UPDATE blobs SET value = x'00'")
    again = validate([str(path)], _options(tmp_path))
    assert again.ok and not any(r.from_cache for r in again.results.values())
    third = validate([str(path)], _options(tmp_path))
    assert all(r.from_cache for r in third.results.values())


def test_a_cache_file_that_is_not_a_database_is_set_aside_and_replaced(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "results.sqlite").write_bytes(b"garbage" * 100)
    report = validate([str(path)], _options(tmp_path))
    assert report.ok
    assert [(p.code, p.severity) for p in report.problems] == [("cache-unusable", "warning")]
    [aside] = tmp_path.glob("cache.damaged-*")
    assert (aside / "results.sqlite").read_bytes() == b"garbage" * 100
    assert validate([str(path)], _options(tmp_path)).problems == []  # a new cache


def test_inconclusive_results_are_never_cached(tmp_path: Path) -> None:
    slow = """\
questions:
  - id: sleepy
    type: output
    prompt: What does it print?
    timeout: 0.5
    code: |
      import time
      time.sleep(30)
    answer: ""
"""
    path = _bank(tmp_path, text=slow)
    first = validate([str(path)], _options(tmp_path))
    assert [p.code for p in first.problems] == ["run-timeout"]
    assert first.result("bank", "sleepy").state == "inconclusive"  # type: ignore[union-attr]
    second = validate([str(path)], _options(tmp_path))
    assert not second.result("bank", "sleepy").from_cache  # type: ignore[union-attr]


def test_no_cache_runs_everything(tmp_path: Path) -> None:
    path = _bank(tmp_path)
    validate([str(path)], _options(tmp_path))
    report = validate([str(path)], _options(tmp_path, cache=False))
    assert not any(r.from_cache for r in report.results.values())


@pytest.mark.parametrize("isolation", ["subprocess"])
def test_subprocess_isolation_proves_the_same(tmp_path: Path, isolation: str) -> None:
    path = _bank(tmp_path)
    report = validate([str(path)], _options(tmp_path, isolation=isolation, cache=False))
    assert report.ok and {r.state for r in report.results.values()} == {"options proven"}
