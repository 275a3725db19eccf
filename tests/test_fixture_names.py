"""Names of a run's files (`files`, `expect.files`), issue 9 defect 7: a bad name is a
`bad-file-name` problem at its line, found without running anything; a legal name (`..config`,
`a..b`, `sub/dir/x.txt`) is written and read back; the runner refuses a bad name that reaches
it as an inconclusive run, never an exception, by the same rule as the static checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import qbank
from qbank.model.rules import FILE_NAME_RULE, file_name_flaw
from qbank.options import Options
from qbank.runner import Pool, RunSpec
from qbank.runner.sandbox import bad_file_name

BAD = ["../../x", "/abs", ".", "..", "a/../../b", "", "a\0b", "a//b", "dir/", "./a", "a/.",
       "\ud800", "x" * 256, "ok/" + "é" * 128]  # fmt: skip
LEGAL = ["..config", "a..b", "sub/dir/x.txt", ".hidden", "...", "x/..y", "a b", "a\\b", "é" * 127]

BANK = """\
questions:
  - id: bad
    type: essay
    prompt: Why?
    code: print(1)
    files:
      ../../x: up
      ok.txt: fine
    expect:
      files:
        /abs: null
  - id: legal
    type: essay
    prompt: Why?
    code: |
      print(open("..config").read(), end="")
      open("sub/dir/out.txt", "w").write(open("a..b").read())
    files:
      ..config: "hidden\\n"
      a..b: dots
      sub/dir/x.txt: nested
    expect:
      stdout: "hidden\\n"
      files:
        sub/dir/x.txt: nested
        sub/dir/out.txt: dots
        ..missing: null
"""


@pytest.mark.parametrize("name", BAD)
def test_bad_names_are_refused_with_a_reason(name: str) -> None:
    assert file_name_flaw(name)


@pytest.mark.parametrize("name", LEGAL)
def test_legal_names_pass(name: str) -> None:
    assert file_name_flaw(name) is None


@given(st.text(st.sampled_from(["a", ".", "/", "\0", "é", "\\", " "]), max_size=12))
def test_the_runner_refuses_exactly_what_the_static_checks_refuse(name: str) -> None:
    """Two copies of one rule (the worker imports only the standard library): the same
    verdict and the same reason, for every name."""
    assert bad_file_name(name) == file_name_flaw(name)


def test_the_runner_agrees_on_the_listed_names() -> None:
    for name in BAD + LEGAL:
        assert bad_file_name(name) == file_name_flaw(name), name
    assert bad_file_name(3) == "is not text"


@pytest.fixture
def bank(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "qbank.toml").touch()
    path = tmp_path / "names.yaml"
    path.write_text(BANK, encoding="utf-8")
    yield path


@pytest.mark.parametrize("execute", [False, True])
def test_bad_names_are_problems_at_their_lines_and_never_run(bank: Path, execute: bool) -> None:
    report = qbank.validate([bank], Options(execute=execute, cache=False))
    found = [(p.line, p.code, p.question) for p in report.problems]
    assert found == [(7, "bad-file-name", "bad"), (11, "bad-file-name", "bad")]
    assert "'../../x' has a `..` part" in report.problems[0].message
    assert FILE_NAME_RULE in report.problems[0].message
    assert "'/abs' is an absolute path" in report.problems[1].message
    bad, legal = report.result("names", "bad"), report.result("names", "legal")
    assert bad is not None and bad.state == "failed" and bad.duration == 0
    assert legal is not None
    assert legal.state == ("run proven" if execute else "not executed")


def test_runner_given_bad_names_reports_an_inconclusive_run() -> None:
    """RunSpec takes any name; the worker refuses the run (`worker-died`, with the reason)
    without writing anything, and goes on serving."""
    specs = [RunSpec("print(1)", files=((name, "x"),)) for name in BAD]
    specs += [RunSpec("print(1)", collect_files=(name,)) for name in BAD]
    specs.append(RunSpec("print(open('..config').read())", files=(("..config", "ok"),)))
    with Pool(jobs=1) as pool:
        results = pool.run_many(specs)
    for spec, result in zip(specs[:-1], results[:-1], strict=True):
        assert result.status == "worker-died", (spec, result)
        assert result.failure is not None
        assert "a file name must be a relative path inside the run" in result.failure.message
    assert results[-1].status == "normal" and results[-1].stdout == "ok\n"
