"""Highlighted snippets are kept in the project's cache: a re-export highlights only changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.exporters import highlight
from qbank.exporting import export
from qbank.options import Options

BANK = """\
questions:
{questions}
"""
QUESTION = """\
  - id: q{i}
    type: output
    prompt: What does it print?
    code: print({v} + {v})
    answer: "{double}\\n"
"""


def _write(folder: Path, values: range, changed: int | None = None) -> Path:
    (folder / "qbank.toml").touch()
    text = ""
    for i in values:
        value = i + 1000 if i == changed else i
        text += QUESTION.format(i=i, v=value, double=2 * value)
    path = folder / "bank.yaml"
    path.write_text(BANK.format(questions=text))
    return path


def test_re_export_highlights_only_changed_snippets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = highlight.pygments_highlight

    def counting(code: str, *args: object) -> str:
        calls.append(code)
        return str(real(code, *args))  # type: ignore[arg-type]

    monkeypatch.setattr(highlight, "pygments_highlight", counting)
    options = Options(cache_dir=str(tmp_path / "cache"))
    path = _write(tmp_path, range(5))
    highlight.forget()
    export([str(path)], "anki-text", tmp_path / "out", validation=options)
    assert len(calls) == 5

    highlight.forget()  # as in a new process
    calls.clear()
    _write(tmp_path, range(5), changed=3)
    export([str(path)], "anki-text", tmp_path / "out", validation=options)
    assert calls == ["print(1003 + 1003)"]


def test_without_cache_nothing_is_stored(tmp_path: Path) -> None:
    path = _write(tmp_path, range(2))
    export([str(path)], "anki-text", tmp_path / "out", validation=Options(cache=False))
    assert not (tmp_path / ".qbank_cache").exists()
