"""Each malformed bank gives exactly the problem lines in its `.expected` file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "malformed"
NAMES = sorted(p.stem for p in CASES.glob("*.expected"))


def _case_path(name: str) -> str:
    folder = CASES / name
    target = folder if folder.is_dir() else CASES / f"{name}.yaml"
    return target.relative_to(ROOT).as_posix()


def test_every_case_has_an_expectation() -> None:
    cases = {p.stem for p in CASES.glob("*.yaml")} | {p.name for p in CASES.iterdir() if p.is_dir()}
    assert cases == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_malformed_bank_reports_exact_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate", "--no-exec", _case_path(name)])
    expected = (CASES / f"{name}.expected").read_text(encoding="utf-8")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout == expected
    only_warnings = all(": warning: " in line for line in expected.splitlines())
    assert result.exit_code == (0 if only_warnings else 1)
