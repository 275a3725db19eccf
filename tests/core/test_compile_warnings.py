"""Compiler warnings are problems (DESIGN section 7): a `SyntaxWarning`/`DeprecationWarning`
while compiling a snippet is a `compile-warning` at the snippet's YAML line, and nothing
reaches stderr raw (issue 8, defect 4)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qbank.options import Options
from qbank.static.compiler import CompileWarning, LocalCompiler, RemoteCompiler
from qbank.validation import validate

BANK = """\
questions:
  - id: is-literal
    type: output
    prompt: What does it print?
    code: |
      x = 1
      print(x is 1)
    check: assert stdout == "True\\n" and answer is not 1
    answer: "True\\n"
  - id: escape
    type: essay
    prompt: Why?
    code: |
      pattern = "\\d+"
  - id: fill
    type: code_choice
    prompt: Which line?
    code: |
      y = 2
      ____
    choices:
      - code: print(y is 2)
        correct: true
      - code: print(y)
    check: assert stdout == "True\\n"
"""


def _validate(tmp_path: Path, *, execute: bool, python: str | None = None) -> list[str]:
    (tmp_path / "qbank.toml").touch()
    (tmp_path / "bank.yaml").write_text(BANK, encoding="utf-8")
    options = Options(execute=execute, python=python, cache_dir=str(tmp_path / "cache"))
    report = validate([str(tmp_path / "bank.yaml")], options)
    return [p.format().split("/")[-1] for p in sorted(report.problems)]


EXPECTED = [
    'bank.yaml:7: warning: is-literal: `code` compiles with a warning: SyntaxWarning: "is" '
    'with a literal. Did you mean "=="? (line 2 of the snippet): print(x is 1) [compile-warning]',
    'bank.yaml:8: warning: is-literal: `check` compiles with a warning: SyntaxWarning: "is not" '
    'with a literal. Did you mean "!="? (line 1 of the snippet): assert stdout == "True\\n" '
    "and answer is not 1 [compile-warning]",
    "bank.yaml:14: warning: escape: `code` compiles with a warning: DeprecationWarning: invalid "
    "escape sequence '\\d' (line 1 of the snippet): pattern = \"\\d+\" [compile-warning]",
    "bank.yaml:22: warning: fill: correct choice 1 in place of `____` compiles with a warning: "
    'SyntaxWarning: "is" with a literal. Did you mean "=="? (choice line 1): print(y is 2) '
    "[compile-warning]",
]


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the warnings' wording is 3.11's")
@pytest.mark.parametrize("execute", [False, True], ids=["no-exec", "exec"])
def test_compiler_warnings_are_problems_at_their_lines(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], execute: bool
) -> None:
    assert _validate(tmp_path, execute=execute) == EXPECTED
    captured = capfd.readouterr()
    assert "Warning" not in captured.err and "<snippet>" not in captured.err
    assert captured.out == ""


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the warnings' wording is 3.11's")
def test_a_remote_compiler_reports_them_too(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """`--python` naming another interpreter compiles there; the warnings come back too."""
    other = tmp_path / "other-python"  # another interpreter, as far as qbank can tell
    other.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    other.chmod(0o755)
    assert _validate(tmp_path, execute=False, python=str(other)) == EXPECTED
    assert "Warning" not in capfd.readouterr().err


@pytest.mark.parametrize("compiler", [LocalCompiler, lambda: RemoteCompiler(sys.executable)])
def test_compilers_return_warnings_with_their_lines(compiler: object) -> None:
    compile_ = compiler()  # type: ignore[operator]
    try:
        compiled = compile_.compile("x = 1\n\nprint(x is 1)\n")
        assert compiled.error is None
        (warned,) = compiled.warnings
        assert isinstance(warned, CompileWarning)
        assert (warned.category, warned.line) == ("SyntaxWarning", 3)
        broken = compile_.compile("print(1 is 1)\nx = (\n")
        assert broken.error is not None  # the error is the problem; the warning is not needed
        assert compile_.version == "{}.{}.{}".format(*sys.version_info[:3])
    finally:
        if isinstance(compile_, RemoteCompiler):
            compile_.close()
