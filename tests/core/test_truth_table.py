"""Edge cases of DESIGN section 2's truth table, each a bank that must pass or fail exactly so."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.model.snippets import placeholder_line, splice
from qbank.options import Options
from qbank.validation import validate


def _validate(tmp_path: Path, text: str, name: str = "bank.yaml") -> dict[str, list[str]]:
    """Validate a bank; question id -> codes of its problems (empty list: it passed)."""
    (tmp_path / "qbank.toml").touch()
    (tmp_path / name).write_text(text)
    report = validate([str(tmp_path / name)], Options(cache_dir=str(tmp_path / "cache")))
    codes: dict[str, list[str]] = {r.question: [] for r in report.results.values()}
    for problem in report.problems:
        codes.setdefault(problem.question or "", []).append(problem.code)
    return codes


def test_a_form_feed_is_not_a_line_break(tmp_path: Path) -> None:
    codes = _validate(
        tmp_path,
        """\
questions:
  - id: ff
    type: output
    prompt: What does it print?
    code: print("a\\x0cb")
    answer: "a\\nb\\n"
""",
    )
    assert codes == {"ff": ["answer-mismatch"]}


def test_trailing_whitespace_is_ignored_unless_exact(tmp_path: Path) -> None:
    bank = """\
questions:
  - id: spaces
    type: output
    prompt: What does it print?
    code: print("a  ")
    answer: "a"
    exact: {exact}
"""
    assert _validate(tmp_path, bank.format(exact="false")) == {"spaces": []}
    assert _validate(tmp_path, bank.format(exact="true")) == {"spaces": ["answer-mismatch"]}


def test_a_code_distractor_equal_to_the_output_is_caught(tmp_path: Path) -> None:
    codes = _validate(
        tmp_path,
        """\
questions:
  - id: code-distractor
    type: output
    prompt: What does it print?
    code: print(42)
    choices: [{code: "42"}, "43"]
""",
    )
    assert codes == {"code-distractor": ["distractor-holds"]}


def test_expected_system_exit_holds_and_check_runs(tmp_path: Path) -> None:
    bank = """\
questions:
  - id: exits
    type: essay
    prompt: What status does it exit with?
    code: |
      import sys
      print("bye")
      sys.exit(2)
    expect: {{raises: SystemExit, exit_code: 2}}
    check: assert stdout == {stdout!r}
"""
    assert _validate(tmp_path, bank.format(stdout="bye\n")) == {"exits": []}
    assert _validate(tmp_path, bank.format(stdout="nope\n")) == {"exits": ["run-fails"]}


def test_a_warmup_does_not_leak_into_another_bank(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        """\
warmup: |
  import os
  os.environ["QB"] = "from-a"
questions:
  - {id: qa, type: essay, prompt: p, check: pass}
"""
    )
    codes = _validate(
        tmp_path,
        """\
questions:
  - id: qb
    type: output
    prompt: What does it print?
    code: |
      import os
      print(os.environ.get("QB"))
    answer: "None\\n"
""",
        name="b.yaml",
    )
    assert codes == {"qb": []}
    report = validate([str(tmp_path)], Options(cache_dir=str(tmp_path / "cache")))
    assert report.ok, [p.format() for p in report.problems]


def test_a_failing_warmup_is_one_problem_of_its_bank(tmp_path: Path) -> None:
    codes = _validate(
        tmp_path,
        """\
warmup: raise RuntimeError("cold")
questions:
  - {id: q, type: essay, prompt: p, check: pass}
""",
    )
    assert codes == {"q": [], "": ["warmup-fails"]}


@pytest.mark.parametrize(
    "template",
    ["____\nresult = s\n", "def f():\n    if True:\n        ____\n    return s\nresult = f()\n"],
)
def test_splicing_keeps_multi_line_strings_intact(template: str) -> None:
    spliced = splice(template, 's = """a\nb"""')
    namespace: dict[str, object] = {}
    exec(spliced.source, namespace)
    assert namespace["result"] == "a\nb"


def test_a_placeholder_inside_a_docstring_is_text() -> None:
    template = 'def f():\n    """\n____\n    """\n    ____\n'
    assert placeholder_line(template) == 4


HANGING = """\
questions:
  - id: loop-or-not
    type: code_choice
    prompt: Which line stops the loop?
    timeout: 1
    limits_refute: {refute}
    code: |
      n = 0
      while True:
          n += 1
          ____
      print(n)
    check: assert stdout == "3\\n"
    choices:
      - code: "if n == 3: break"
        correct: true
      - code: "if n == -1: break"
"""


def test_a_wrong_choice_that_hangs_is_inconclusive_unless_the_question_says_so(
    tmp_path: Path,
) -> None:
    assert _validate(tmp_path, HANGING.format(refute="false")) == {"loop-or-not": ["run-timeout"]}
    assert _validate(tmp_path, HANGING.format(refute="true")) == {"loop-or-not": []}


def test_a_wrong_choice_refuted_by_a_limit_is_cached(tmp_path: Path) -> None:
    _validate(tmp_path, HANGING.format(refute="true"))
    report = validate([str(tmp_path / "bank.yaml")], Options(cache_dir=str(tmp_path / "cache")))
    result = report.result("bank", "loop-or-not")
    assert result is not None and result.from_cache and result.state == "options proven"
    assert "did not finish within 1s" in result.refutations[1]
