"""The `qbank` command: report lines, summary, exit codes, JSON and JUnit output."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_shipped_banks_pass_statically() -> None:
    result = CliRunner().invoke(main, ["validate", "--no-exec"])
    assert result.exit_code == 0, result.output
    # Only the questions with variants say something: their `params` cannot run.
    said = result.stdout.splitlines()
    assert said and all(line.endswith("[params-not-run]") for line in said), said
    banks = len(list(Path("banks").rglob("*.yaml")))
    assert f"{banks} bank(s)" in result.stderr and "0 error(s)" in result.stderr


def test_problems_exit_1_and_usage_errors_exit_2() -> None:
    bad = CliRunner().invoke(main, ["validate", "--no-exec", "tests/malformed/empty.yaml"])
    assert bad.exit_code == 1
    usage = CliRunner().invoke(main, ["validate", "--jobs", "0"])
    assert usage.exit_code == 2


def test_strict_makes_warnings_fatal() -> None:
    relaxed = CliRunner().invoke(main, ["validate", "--no-exec", "tests/malformed/bom.yaml"])
    strict = CliRunner().invoke(
        main, ["validate", "--no-exec", "--strict", "tests/malformed/bom.yaml"]
    )
    assert (relaxed.exit_code, strict.exit_code) == (0, 1)


def test_json_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["validate", "--no-exec", "--format", "json", "tests/malformed/correct-count.yaml"]
    )
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [p["question"] for p in data["problems"]] == [
        "none-correct",
        "two-correct",
        "answers-none",
    ]
    assert data["summary"]["failed"] == 3


def test_junit_xml(tmp_path: Path) -> None:
    target = tmp_path / "junit.xml"
    CliRunner().invoke(
        main,
        ["validate", "--no-exec", "--junit-xml", str(target), "tests/malformed/correct-count.yaml"],
    )
    root = ET.parse(target).getroot()
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["none-correct", "two-correct", "answers-none"]
    assert all(c.find("failure") is not None for c in cases)


def test_verbose_lists_states_and_computed_outputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "-v", "--no-cache", "banks/python/basics.yaml"])
    assert result.exit_code == 0, result.output
    assert "mutable-default: options proven" in result.stdout
    assert "output: '[1]\\n[1, 2]\\n'" in result.stdout


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qbank", "validate", "--no-exec", "banks"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_limit_overrides_the_default_limits(tmp_path: Path) -> None:
    (tmp_path / "qbank.toml").touch()
    bank = tmp_path / "slow.yaml"
    bank.write_text(
        "questions:\n  - id: slow\n    type: output\n    prompt: p\n"
        "    code: |\n      import time\n      time.sleep(5)\n    answer: ''\n"
    )
    args = ["validate", "--no-cache", str(bank)]
    limited = CliRunner().invoke(main, [*args, "--limit", "timeout=0.5"])
    assert limited.exit_code == 1 and "did not finish within 0.5s [run-timeout]" in limited.stdout
    bad = CliRunner().invoke(main, [*args, "--limit", "speed=3"])
    assert bad.exit_code == 2
