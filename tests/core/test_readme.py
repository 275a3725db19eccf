"""The README's quickstart is true: its bank is the real file, its outputs are what qbank says."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUICKSTART = ROOT / "banks" / "python" / "quickstart.yaml"


def _block(language: str, after: str) -> str:
    start = README.index(after)
    return README[start:].split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_quickstart_bank_is_the_real_file() -> None:
    assert _block("yaml", "## 30-second quickstart") == QUICKSTART.read_text(encoding="utf-8")


def test_quickstart_verbose_output(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    shown = _block("console", "## 30-second quickstart").splitlines()
    result = CliRunner().invoke(
        main, ["validate", "-v", "--no-cache", "banks/python/quickstart.yaml"]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == shown[1:-2]  # the command, stdout, then stderr's 2 lines
    assert result.stderr.splitlines()[-2] == shown[-2]
    assert result.stderr.splitlines()[-1].split(" in ")[0] == shown[-1].split(" in ")[0]


def test_quickstart_wrong_key_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "qbank.toml").touch()
    bank = tmp_path / "banks" / "python" / "quickstart.yaml"
    bank.parent.mkdir(parents=True)
    bank.write_text(
        QUICKSTART.read_text(encoding="utf-8").replace('answer: "[1, 2]\\n"', 'answer: "[2]\\n"')
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "banks/python/quickstart.yaml"])
    assert result.exit_code == 1
    assert result.stdout == _block("text", "Change the key")
