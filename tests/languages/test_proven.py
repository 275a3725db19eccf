"""Questions in JavaScript, SQL, bash and C, proven by the same truth table as Python.

Each test writes a small bank, validates it (runs included, in the real isolation) and reads
the report: states, problem codes and the YAML lines they point at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qbank.languages import backend
from qbank.languages.base import Toolchain
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate


def check(tmp_path: Path, text: str, **options: object) -> Report:
    (tmp_path / "qbank.toml").write_text("")
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8")
    options.setdefault("cache_dir", str(tmp_path / "cache"))
    return validate([str(tmp_path / "bank.yaml")], Options(**options))  # type: ignore[arg-type]


def states(report: Report) -> dict[str, str]:
    return {question: result.state for (_, question), result in report.results.items()}


def codes(report: Report) -> set[tuple[str | None, str]]:
    return {(p.question, p.code) for p in report.problems}


def line_of(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "bank.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


JS = """\
language: javascript
questions:
  - id: sort
    type: output
    prompt: What does this print?
    code: |
      console.log([10, 9, 1].sort().join(" "));
    answer: "1 10 9"
    choices: ["1 9 10", "10 9 1"]
  - id: exits
    type: output
    prompt: What does this print before exiting?
    code: |
      console.log("a");
      console.error("oops");
      process.exit(2);
    expect: {exit_code: 2, stderr: "oops\\n"}
    answer: "a"
  - id: strict
    type: code_choice
    prompt: Which comparison is false?
    code: |
      const same = (
        ____
      );
      if (same) throw new Error("equal");
    choices:
      - code: 1 === "1"
        correct: true
      - code: 1 == "1"
      - code: 1 === = "1"
"""


def test_javascript_keys_distractors_and_exit_codes(tmp_path: Path) -> None:
    """Distractor outputs are refuted, an expected exit status and stderr hold, a wrong
    choice that throws or does not parse is refuted."""
    report = check(tmp_path, JS)
    assert report.problems == []
    assert states(report) == {"sort": "options proven", "exits": "options proven",
                              "strict": "options proven"}  # fmt: skip


C = """\
language: c
questions:
  - id: divide
    type: output
    prompt: What does this print?
    setup: "#include <stdio.h>"
    code: |
      int main(void) {
          printf("%d %d\\n", 7 / 2, -7 / 2);
          return 0;
      }
    answer: "3 -3"
    choices: ["3 -4", "3.5 -3.5"]
  - id: add
    type: code_choice
    prompt: Which line returns the sum?
    setup: "#include <stdio.h>"
    code: |
      int add(int a, int b) {
          ____
      }
    run: |
      int main(void) { printf("%d\\n", add(2, 3)); return 0; }
    check: assert stdout == "5\\n", stdout
    choices:
      - code: return a + b;
        correct: true
      - code: return a - b;
      - code: return a + b
  - id: crash
    type: output
    prompt: What does this print?
    code: |
      #include <stdio.h>
      int main(void) { int *p = 0; puts("x"); fflush(stdout); return *p; }
    answer: "x"
"""


def test_c_compiles_runs_and_refutes(tmp_path: Path) -> None:
    """A wrong choice that does not compile is refuted by its CompileError; a program that
    dies by a signal does not hold (a crash), and the others are proven."""
    report = check(tmp_path, C)
    assert states(report)["divide"] == "options proven"
    assert states(report)["add"] == "options proven"
    assert codes(report) == {("crash", "run-fails")}
    (crashed,) = report.problems
    assert "crash" in crashed.message
    refuted = report.results[("bank", "add")].refutations
    assert "CompileError" in refuted[2] and "expected" in refuted[2]


def test_a_correct_c_choice_that_does_not_compile_is_a_static_error_at_its_line(
    tmp_path: Path,
) -> None:
    text = C.replace(
        "      - code: return a + b;\n        correct: true\n      - code: return a - b;\n"
        "      - code: return a + b\n",
        "      - code: return a + b\n        correct: true\n      - code: return a - b;\n",
    )
    assert text != C
    report = check(tmp_path, text, execute=False)
    (problem,) = [p for p in report.problems if p.question == "add"]
    assert problem.code == "syntax-error"
    assert problem.line == line_of(tmp_path, "- code: return a + b")
    assert "correct choice 1" in problem.message


def test_c_warnings_and_errors_land_on_their_yaml_lines(tmp_path: Path) -> None:
    text = """\
language: c
questions:
  - id: broken
    type: output
    prompt: What does this print?
    setup: "#include <stdio.h>"
    code: |
      int main(void) {
          int unused;
          printf("%d\\n", 1)
          return 0;
      }
    answer: "1"
"""
    report = check(tmp_path, text, execute=False)
    found = {(p.code, p.line) for p in report.problems}
    assert ("compile-warning", line_of(tmp_path, "int unused;")) in found
    assert ("syntax-error", line_of(tmp_path, 'printf("%d')) in found


SQL = """\
language: sql
questions:
  - id: nulls
    type: output
    prompt: What does the query print?
    setup: |
      CREATE TABLE t (x INTEGER, y TEXT);
      INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');
    code: |
      SELECT x, y FROM t WHERE x > 1;
    answer: "2\\t\\n3\\tc"
    choices: ["2\\tNULL\\n3\\tc", "3\\tc"]
  - id: biggest
    type: multiple_choice
    prompt: What does `SELECT MAX(x) FROM t` give?
    setup: |
      CREATE TABLE t (x INTEGER);
      INSERT INTO t VALUES (4), (9), (2);
    code: SELECT MAX(x) FROM t;
    check: assert rows == [(answer,)], rows
    choices:
      - value: 9
        correct: true
      - value: 4
  - id: missing
    type: output
    prompt: What does the query print?
    code: |
      SELECT * FROM nowhere;
    answer: ""
"""


def test_sql_rows_null_and_errors(tmp_path: Path) -> None:
    """NULL prints as an empty field, `rows` holds the last query's rows, and a statement
    that fails (no such table) ends the run abnormally."""
    report = check(tmp_path, SQL)
    assert states(report)["nulls"] == "options proven"
    assert states(report)["biggest"] == "options proven"
    assert codes(report) == {("missing", "run-fails")}
    assert "no such table: nowhere" in report.problems[0].message


def test_sql_syntax_errors_are_static_and_a_missing_table_is_not(tmp_path: Path) -> None:
    text = """\
language: sql
questions:
  - id: typo
    type: output
    prompt: x
    code: |
      SELECT 1;
      SELEC 2;
    answer: "2"
  - id: later
    type: output
    prompt: x
    code: SELECT * FROM made_by_setup_elsewhere;
    answer: ""
"""
    report = check(tmp_path, text, execute=False)
    (problem,) = report.problems
    assert (problem.question, problem.code) == ("typo", "syntax-error")
    assert problem.line == line_of(tmp_path, "SELEC 2;")
    assert 'near "SELEC"' in problem.message


BASH = """\
language: bash
questions:
  - id: split
    type: output
    prompt: What does this print?
    code: |
      words="a b  c"
      for w in $words; do echo "[$w]"; done
    answer: "[a]\\n[b]\\n[c]"
    choices: ["[a b  c]", "[a]\\n[b]\\n[]\\n[c]"]
  - id: grep-status
    type: true_false
    prompt: "`grep -q` exits with status 1 when nothing matches."
    code: echo abc | grep -q z
    expect: {exit_code: 1}
    check: assert exit_code == 1 and answer is True
    answer: true
  - id: subshell
    type: bug
    prompt: Why does `count` stay 0?
    code: |
      count=0
      printf 'a\\nb\\n' | while read -r line; do count=$((count + 1)); done
      echo "$count" > count.txt
    expect: {files: {count.txt: "0\\n"}}
    fix: |
      count=0
      while read -r line; do count=$((count + 1)); done < <(printf 'a\\nb\\n')
      echo "$count" > count.txt
    check: assert open("count.txt").read() == "2\\n"
    choices:
      - text: The loop runs in a subshell (a pipeline's part), so its `count` is a copy.
        correct: true
      - text: "`read -r` skips the last line."
"""


def test_bash_output_exit_status_and_a_bug_with_its_fix(tmp_path: Path) -> None:
    report = check(tmp_path, BASH)
    assert report.problems == []
    assert states(report) == {"split": "options proven", "grep-status": "options proven",
                              "subshell": "run proven"}  # fmt: skip


def test_bash_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = "language: bash\nquestions:\n  - id: b\n    type: output\n    prompt: x\n    code: |\n      echo hi\n      if then\n    answer: hi\n"
    report = check(tmp_path, text, execute=False)
    (problem,) = report.problems
    assert problem.code == "syntax-error" and problem.line == line_of(tmp_path, "if then")


def test_javascript_syntax_error_at_its_line(tmp_path: Path) -> None:
    text = "language: javascript\nquestions:\n  - id: j\n    type: output\n    prompt: x\n    code: |\n      let a = 1;\n      let b = ;\n    answer: '1'\n"
    report = check(tmp_path, text, execute=False)
    (problem,) = report.problems
    assert problem.code == "syntax-error" and problem.line == line_of(tmp_path, "let b = ;")
    assert "SyntaxError" in problem.message


def test_a_missing_toolchain_is_one_problem_per_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without node: one `language-unavailable` naming what to install, nothing run, no
    traceback; the other languages of the bank still run."""
    js = backend("javascript")
    assert js is not None
    missing = Toolchain(missing="`node` is not on PATH (apt-get install nodejs)")
    monkeypatch.setitem(js.__dict__, "toolchain", missing)
    bash = BASH.split("questions:\n", 1)[1]
    text = JS + re.sub(r"(  - id: \S+\n)", r"\1    language: bash\n", bash)
    report = check(tmp_path, text)
    (problem,) = [p for p in report.problems if p.code == "language-unavailable"]
    assert problem.severity == "error" and "3 javascript question(s)" in problem.message
    assert "apt-get install nodejs" in problem.message
    assert states(report)["sort"] == "not executed"
    assert states(report)["split"] == "options proven"


def test_a_second_validation_runs_nothing_and_a_new_toolchain_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = check(tmp_path, JS)
    assert first.problems == []
    again = check(tmp_path, JS)
    assert all(r.from_cache for r in again.results.values())
    js = backend("javascript")
    assert js is not None
    newer = Toolchain(js.toolchain.paths, "v99.0.0")
    monkeypatch.setitem(js.__dict__, "toolchain", newer)
    upgraded = check(tmp_path, JS)
    assert not any(r.from_cache for r in upgraded.results.values())


def test_check_gets_the_files_the_program_wrote(tmp_path: Path) -> None:
    """`files` in `check`: path -> text (bytes when not UTF-8) of the working folder after
    the program, fixtures included, the driver's own files left out."""
    text = """\
language: bash
questions:
  - id: appends
    type: true_false
    prompt: "`>>` appends."
    files:
      seed.txt: "s\\n"
    code: |
      echo a > log.txt
      echo b >> log.txt
      mkdir -p out && printf 'x' > out/deep.txt
    check: |
      assert (files["log.txt"] == "a\\nb\\n") == answer, files
      assert files["seed.txt"] == "s\\n" and files["out/deep.txt"] == "x", files
      assert not [name for name in files if name.startswith(".qbank-")], files
    answer: true
  - id: database
    type: true_false
    language: sql
    prompt: The database is a file of the run.
    code: CREATE TABLE t (x);
    check: assert isinstance(files["qbank.db"], bytes) == answer, files
    answer: true
"""
    report = check(tmp_path, text)
    assert report.problems == []
    assert set(states(report).values()) == {"options proven"}


def test_sql_statements_split_where_sqlite_completes_them(tmp_path: Path) -> None:
    """Two statements on one line, a `;` inside a string, a trigger's body: each statement
    runs once, in order; a syntax error is at the line where its statement starts."""
    text = """\
language: sql
questions:
  - id: split
    type: output
    prompt: x
    setup: |
      CREATE TABLE t (a TEXT); CREATE TABLE log (n INTEGER);
      CREATE TRIGGER count_it AFTER INSERT ON t BEGIN
        INSERT INTO log VALUES (1); INSERT INTO log VALUES (2);
      END;
    code: |
      INSERT INTO t VALUES ('x;y'); INSERT INTO t VALUES ('z');
      SELECT (SELECT group_concat(a, '|') FROM t), (SELECT SUM(n) FROM log);
    answer: "x;y|z\\t6"
  - id: broken
    type: output
    prompt: x
    code: |
      SELECT 1;
      SELECT 2; SELEC 3;
    answer: "3"
"""
    report = check(tmp_path, text)
    assert states(report)["split"] in ("run proven", "options proven")
    (problem,) = report.problems
    assert (problem.question, problem.code) == ("broken", "syntax-error")
    assert problem.line == line_of(tmp_path, "SELEC 3;")


REVIEW = """\
language: bash
questions:
  - id: heredoc-choice
    type: code_choice
    prompt: Which prints hi?
    code: |
      f() {
          ____
      }
      f
    check: assert stdout == "hi\\n", stdout
    choices:
      - code: |
          cat <<EOF
          hi
          EOF
        correct: true
      - code: echo ho
  - id: template-literal
    type: code_choice
    language: javascript
    prompt: Which prints two lines?
    code: |
      function f() {
        ____
      }
      f();
    check: assert stdout == "a\\nb\\n", stdout
    choices:
      - code: |
          console.log(`a
          b`);
        correct: true
      - code: console.log("a b");
  - id: include-fixture
    type: output
    language: c
    prompt: What does this print?
    files:
      square.h: |
        static int square(int x) { return x * x; }
    setup: |
      #include <stdio.h>
      #include "square.h"
    code: |
      int main(void) { printf("%d\\n", square(3)); return 0; }
    answer: "9"
    choices: ["6"]
  - id: does-not-compile
    type: code_choice
    language: c
    prompt: Which line does not compile?
    code: |
      int main(void) {
          ____
          return 0;
      }
    expect: {raises: CompileError}
    choices:
      - code: int x = ;
        correct: true
      - code: int x = 1;
"""


def test_found_in_review_splices_fixtures_and_expected_compile_errors(tmp_path: Path) -> None:
    """A choice goes in as written in another language (a heredoc's end, a template
    literal's second line keep their place); a C fixture header is beside the program the
    compiler checks; `expect: {raises: CompileError}` keeps the static check off choices."""
    report = check(tmp_path, REVIEW)
    assert report.problems == []
    assert set(states(report).values()) == {"options proven"}
