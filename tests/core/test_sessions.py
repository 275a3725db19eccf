"""Interactive sessions (`>>> ` code run like the shell, transcripts checked like doctest)
and code that must not compile (`expect: {raises: SyntaxError}`): DESIGN section 7."""

from __future__ import annotations

import textwrap
from pathlib import Path

from qbank.exporters.base import ExportContext
from qbank.exporters.markdown import MarkdownExporter
from qbank.model.session import is_session, normalise_transcript, parse_session
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate


def _report(tmp_path: Path, text: str) -> Report:
    (tmp_path / "qbank.toml").touch()
    (tmp_path / "bank.yaml").write_text(textwrap.dedent(text))
    return validate([str(tmp_path / "bank.yaml")], Options(cache_dir=str(tmp_path / "cache")))


def _problems(report: Report) -> list[tuple[str | None, int, str]]:
    """(question, line, code) of each problem; `key-unproven` warnings (about keys that no
    run decides, whatever the code is) are not what these tests are about."""
    return [(p.question, p.line, p.code) for p in report.problems if p.code != "key-unproven"]


def _messages(report: Report) -> list[str]:
    return [p.message for p in report.problems if p.code != "key-unproven"]


def _state(report: Report, question: str) -> str:
    return next(r.state for r in report.results.values() if r.question == question)


def _computed(report: Report, question: str) -> str | None:
    return next(r.computed_answer for r in report.results.values() if r.question == question)


# --- Parsing -----------------------------------------------------------------------------------


def test_a_session_is_code_whose_first_non_blank_line_is_a_prompt() -> None:
    assert is_session("\n>>> 1 + 1\n2\n")
    assert is_session(">>>\n")
    assert not is_session("x = 1\n>>> x\n")
    assert not is_session(">>>x\n") and not is_session(None) and not is_session("")


def test_statements_take_their_continuation_lines_and_the_lines_under_them() -> None:
    lines = [">>> for i in range(2):", "...     print(i)", "...", "0", "1", "", ">>> x = 1"]
    statements = parse_session("\n".join([*lines, ">>> x", "1   ", ""]))
    assert [(s.source, s.line, s.transcript) for s in statements] == [
        ("for i in range(2):\n    print(i)\n\n", 1, "0\n1\n"),
        ("x = 1\n", 7, None),
        ("x\n", 8, "1   \n"),
    ]
    assert statements[2].expected == "1"


def test_an_indented_session_is_read_at_its_prompts_indentation() -> None:
    statements = parse_session("  >>> 'a'\n  'a'\n")
    assert [(s.source, s.transcript) for s in statements] == [("'a'\n", "'a'\n")]


def test_transcripts_compare_the_last_line_of_an_exception_like_doctest() -> None:
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "<stdin>", line 1, in <module>\n'
        "    1 / 0\n"
        "ZeroDivisionError: division by zero\n"
    )
    assert normalise_transcript("before\n" + traceback) == (
        "before\nZeroDivisionError: division by zero"
    )
    shell = '  File "<stdin>", line 1\n    1 +\n       ^\nSyntaxError: invalid syntax\n'
    assert normalise_transcript(shell) == "SyntaxError: invalid syntax"
    (statement,) = parse_session(">>> 1 +\n" + shell)
    assert statement.expects_compile_error


# --- Running -----------------------------------------------------------------------------------


def test_a_session_runs_like_the_shell_and_answers_with_its_echo(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: shell
            type: output
            prompt: What does the last statement show?
            code: |
              >>> a = [1, 2]
              >>> a.append(3)
              >>> a
              [1, 2, 3]
              >>> 1 / 0
              Traceback (most recent call last):
                File "<stdin>", line 1, in <module>
              ZeroDivisionError: division by zero
              >>> _ + [4]
              [1, 2, 3, 4]
              >>> import os; n = os.write(1, b"fd\\n")
              fd
              >>> for c in "ab":
              ...     print(c)
              ...
              a
              b
              >>> len(_), 'x'
            answer: "(4, 'x')\\n"
        """,
    )
    assert _problems(report) == []
    assert _state(report, "shell") == "options proven"


def test_an_uncaught_exception_prints_its_last_line_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: goes-on
            type: output
            prompt: What does the session show?
            code: |
              >>> {}["k"]
              >>> int("x")
              >>> print("still here")
        """,
    )
    assert _problems(report) == []
    assert _computed(report, "goes-on") == (
        "KeyError: 'k'\nValueError: invalid literal for int() with base 10: 'x'\nstill here\n"
    )


def test_statements_are_compiled_one_by_one(tmp_path: Path) -> None:
    """Constants of separate statements are not shared, as in the shell (a script would
    compile `257` once)."""
    report = _report(
        tmp_path,
        """\
        questions:
          - id: one-by-one
            type: true_false
            prompt: "`a is b` is true."
            answer: false
            code: |
              >>> a = 257
              >>> b = 257
              >>> a is b
              False
              >>> c = 257; d = 257
              >>> c is d
              True
        """,
    )
    assert _problems(report) == []
    assert _state(report, "one-by-one") == "run proven"


def test_a_transcript_that_does_not_hold_is_reported_at_its_statement(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: wrong
            type: essay
            prompt: What does it show?
            code: |
              >>> x = [1]
              >>> x * 2
              [1, 1]
              >>> x + x
              [2]
              >>> print("a  ")
              a
              >>> len(x)
              2
        """,
    )
    assert _problems(report) == [
        ("wrong", 9, "transcript-mismatch"),
        ("wrong", 13, "transcript-mismatch"),
    ]
    messages = _messages(report)
    assert "`>>> x + x` printed '[1, 1]', the transcript says '[2]'" in messages[0]
    assert "line 4 of `code`" in messages[0]
    assert _state(report, "wrong") == "failed"


def test_system_exit_ends_the_session(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: ends
            type: output
            prompt: What does it print?
            code: |
              >>> print("a")
              >>> raise SystemExit
              >>> print("b")
            answer: "a\\n"
          - id: unreached
            type: essay
            prompt: What does it print?
            code: |
              >>> import sys
              >>> sys.exit(0)
              >>> 1 + 1
              2
        """,
    )
    assert _problems(report) == [("unreached", 16, "transcript-mismatch")]
    assert "did not run" in _messages(report)[0]
    assert _state(report, "ends") == "options proven"


def test_check_sees_the_session_namespace_and_its_echo(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: checked
            type: multiple_choice
            prompt: What is `y`?
            code: |
              >>> y = (1, 2)
              >>> y
              (1, 2)
              >>> y[0]
            check: assert y == answer and stdout == "1\\n"
            choices:
              - expr: "(1, 2)"
                correct: true
              - value: [1, 2]
        """,
    )
    assert _problems(report) == []
    assert _state(report, "checked") == "options proven"


def test_a_statement_that_does_not_compile_is_a_static_error(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: broken
            type: essay
            prompt: What happens?
            code: |
              >>> x = 1
              >>> x +
              >>> x = 2
              ... y = 3
          - id: shown
            type: output
            prompt: What happens?
            code: |
              >>> x +
                File "<stdin>", line 1
                  x +
                     ^
              SyntaxError: invalid syntax
              >>> print("ok")
            answer: "ok\\n"
        """,
    )
    assert _problems(report) == [("broken", 7, "syntax-error"), ("broken", 8, "syntax-error")]
    assert "the statement at line 2 of the session" in _messages(report)[0]
    assert "multiple statements" in _messages(report)[1]
    assert _state(report, "shown") == "options proven"


def test_a_bug_whose_code_and_fix_are_sessions(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: alias
            type: bug
            prompt: Why does `a` change?
            code: |
              >>> a = [1]
              >>> b = a
              >>> b += [2]
              >>> a
              [1]
            fix: |
              >>> a = [1]
              >>> b = a + [2]
              >>> a
              [1]
            check: assert a == [1]
            choices:
              - text: "`+=` changes the list in place"
                correct: true
              - text: "`b = a` copies the list"
        """,
    )
    assert _problems(report) == [("alias", 9, "transcript-mismatch")]
    assert "printed '[1, 2]'" in _messages(report)[0]


def test_exports_show_the_session_as_written(tmp_path: Path) -> None:
    session = ">>> 'a' * 2\n'aa'\n>>> len('ab')\n"
    report = _report(
        tmp_path,
        f"""\
        questions:
          - id: shown
            type: output
            prompt: What is shown last?
            code: {session!r}
            answer: "2\\n"
        """,
    )
    assert _problems(report) == []
    files = MarkdownExporter().render_bank_files(report.collection.banks[0], ExportContext(report))
    assert f"```pycon\n{session}```" in str(files[""])


# --- Code that must not compile ----------------------------------------------------------------


def test_expected_syntax_error_holds_with_its_message_line_and_check(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: walrus
            type: essay
            prompt: What happens?
            code: |
              x = 1
              y := 2
            expect:
              raises: SyntaxError
              stderr: "SyntaxError: invalid syntax\\n"
            check: assert stdout == ""
          - id: indented
            type: essay
            prompt: What happens?
            code: |
              def f():
              return 1
            expect: {raises: SyntaxError}
          - id: subclass
            type: essay
            prompt: What happens?
            code: "if True:\\nx = 1\\n"
            expect: {raises: IndentationError}
        """,
    )
    assert _problems(report) == []
    assert {_state(report, q) for q in ("walrus", "indented", "subclass")} == {"run proven"}


def test_what_does_not_compile_must_be_what_the_question_says(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: value-error
            type: essay
            prompt: What happens?
            code: |
              x = (
            expect: {raises: ValueError}
          - id: not-indentation
            type: essay
            prompt: What happens?
            code: |
              x = 1
              x ==== 2
            expect: {raises: IndentationError}
          - id: compiles
            type: essay
            prompt: What happens?
            code: x = 1
            expect: {raises: SyntaxError}
          - id: other-message
            type: essay
            prompt: What happens?
            code: print(1
            expect: {raises: SyntaxError, stderr: "SyntaxError: invalid syntax\\n"}
        """,
    )
    assert _problems(report) == [
        ("value-error", 6, "syntax-error"),
        ("not-indentation", 13, "run-fails"),
        ("compiles", 15, "run-fails"),
        ("other-message", 23, "run-fails"),
    ]
    said = _messages(report)
    assert "expected it to raise IndentationError, it raised SyntaxError: invalid syntax" in said[1]
    assert "it raised nothing" in said[2]
    assert "the run wrote \"SyntaxError: '(' was never closed\\n\"" in said[3]
