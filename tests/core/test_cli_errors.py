"""Every command fails the same way for the same cause (one error → exit-code mapping)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = str(ROOT / "banks" / "python" / "quickstart.yaml")


@pytest.mark.parametrize(
    "command",
    [
        ["validate", QUICKSTART],
        ["export", QUICKSTART, "-f", "gift", "-o", "{out}"],
    ],
)
def test_a_missing_interpreter_is_one_clean_error(command: list[str], tmp_path: Path) -> None:
    """`--python /nonexistent` is one `qbank: error:` line and exit 1 for `validate` and
    `export` alike, never a traceback."""
    args = [a.format(out=tmp_path / "out.gift") for a in command]
    result = CliRunner().invoke(main, [*args, "--no-cache", "--python", "/nonexistent"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "qbank: error: cannot start the interpreter /nonexistent" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.gift").exists()


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    """An exporter name that does not exist exits 2 with "did you mean"."""
    result = CliRunner().invoke(main, ["export", QUICKSTART, "-f", "gfit", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "did you mean `gift`" in result.output
