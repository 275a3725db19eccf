"""qbank export on awkward paths and selections: clear errors, nothing half-replaced, sane modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import qbank
from qbank.cli import main

BANK = """\
questions:
  - id: q
    type: true_false
    prompt: Is it?
    answer: true
    tags: [kept]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "qbank.toml").touch()
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "a.yaml").write_text(BANK)
    (tmp_path / "banks" / "b.yaml").write_text(BANK)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", "--no-cache", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_library_export_can_be_called_twice(project: Path) -> None:
    for name in ("one.gift", "two.gift"):
        qbank.export("banks", "gift", project / name)
    assert (project / "two.gift").stat().st_size > 0


def test_a_file_in_the_way_is_an_error_and_nothing_is_replaced(project: Path) -> None:
    (project / "out").mkdir()
    (project / "out" / "banks").mkdir()
    (project / "out" / "banks" / "a.gift").write_text("OLD")
    (project / "out" / "banks" / "b.gift").mkdir()  # a folder where a file must go
    code, _, err = _export("banks", "-f", "gift", "-o", "out")
    assert code == 1 and "qbank: error: cannot write the export, nothing was replaced" in err
    assert (project / "out" / "banks" / "a.gift").read_text() == "OLD"
    assert not [p for p in (project / "out").rglob("*.tmp")]


def test_exports_get_the_usual_file_mode(project: Path) -> None:
    old = os.umask(0o022)
    try:
        _export("banks", "-f", "gift", "-o", "quiz.gift")
    finally:
        os.umask(old)
    assert stat.S_IMODE((project / "quiz.gift").stat().st_mode) == 0o644


def test_nothing_selected_is_an_error(project: Path) -> None:
    code, _, err = _export("banks", "-f", "gift", "-o", "x.gift", "--tags", "nosuch")
    assert code == 1 and "no question to export with the tags nosuch" in err
    assert not (project / "x.gift").exists()


def test_allow_invalid_still_says_the_errors(project: Path) -> None:
    (project / "banks" / "c.yaml").write_text(BANK.replace("answer: true", "answer: maybe"))
    code, out, _ = _export("banks", "-f", "gift", "-o", "x.gift", "--allow-invalid")
    assert code == 0
    assert "banks/c.yaml:5: error:" in out


def test_a_failing_exporter_plugin_is_one_error(project: Path) -> None:
    (project / "exporters").mkdir()
    (project / "exporters" / "boom.py").write_text(
        "from qbank.exporters.base import Exporter\n"
        "class Boom(Exporter):\n"
        "    name = 'boom'\n"
        "    file_extension = '.txt'\n"
        "    def render_bank(self, loaded, context):\n"
        "        raise KeyError('oops')\n"
    )
    code, _, err = _export("banks", "-f", "boom", "-o", "out")
    assert code == 1 and "exporter boom failed: KeyError: 'oops'" in err


def test_validating_a_folder_without_banks_warns(project: Path) -> None:
    (project / "empty").mkdir()
    result = CliRunner().invoke(main, ["validate", "empty"])
    assert result.exit_code == 0
    assert result.stdout == "empty:1: warning: no bank (*.yaml, *.yml) in this folder [no-banks]\n"


def test_strict_json_is_not_ok_when_warnings_fail(project: Path) -> None:
    (project / "empty").mkdir()
    result = CliRunner().invoke(main, ["validate", "--strict", "--format", "json", "empty"])
    assert result.exit_code == 1 and '"ok": false' in result.stdout


def test_a_symlink_loop_is_a_problem_not_a_traceback(project: Path) -> None:
    loop = project / "banks" / "loop.yaml"
    loop.symlink_to(loop)
    result = CliRunner().invoke(main, ["validate", "--no-exec", "banks/loop.yaml"])
    assert result.exit_code == 1
    assert "banks/loop.yaml:1: error: a symbolic link that leads nowhere" in result.stdout
