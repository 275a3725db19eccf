"""`expr` choices: values YAML cannot write, evaluated in the run after the program and
bound to `answer` (DESIGN section 7)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from qbank.exporters.display import shown_choice
from qbank.model import Choice, MultipleChoice
from qbank.options import Options
from qbank.prove.exprs import DECODE, choice_answers, decoding
from qbank.report import Report
from qbank.schema import bank_schema
from qbank.validation import validate


def _report(tmp_path: Path, text: str) -> Report:
    (tmp_path / "qbank.toml").touch()
    (tmp_path / "bank.yaml").write_text(textwrap.dedent(text))
    return validate([str(tmp_path / "bank.yaml")], Options(cache_dir=str(tmp_path / "cache")))


def _problems(report: Report) -> list[tuple[str | None, int, str]]:
    """(question, line, code) of each problem (`key-unproven` warnings aside)."""
    return [(p.question, p.line, p.code) for p in report.problems if p.code != "key-unproven"]


def _result(report: Report, question: str) -> tuple[str, dict[int, str]]:
    found = next(r for r in report.results.values() if r.question == question)
    return found.state, found.refutations


# --- The model ---------------------------------------------------------------------------------


def test_an_expr_is_one_form_of_a_choice_and_shows_as_its_source() -> None:
    assert Choice(expr=" (1, 2) ").shown == "(1, 2)"
    assert Choice(expr="(1, 2)", text="a pair").shown == "a pair"
    assert Choice(expr="None").binds_answer and Choice(value=None).binds_answer
    assert not Choice(text="x").binds_answer
    for wrong in ({"expr": "1", "value": 1}, {"expr": "1", "code": "1"}):
        with pytest.raises(ValidationError, match="with `expr` has no `code` or `value`"):
            Choice.model_validate(wrong)


def test_exports_show_an_expr_as_its_source() -> None:
    question = MultipleChoice(
        id="q",
        type="multiple_choice",
        prompt="p",
        choices=({"expr": "{1, 2}"}, {"expr": "None", "text": "nothing"}),  # type: ignore[arg-type]
    )
    assert shown_choice(question, question.choices[0]).content == "{1, 2}"
    assert shown_choice(question, question.choices[1]).content == "nothing"


def test_the_schema_documents_expr() -> None:
    choice = bank_schema()["$defs"]["Choice"]["properties"]
    assert "expr" in choice and "evaluated in the run" in choice["expr"]["description"]


# --- Running -----------------------------------------------------------------------------------


def test_tuples_sets_and_none_are_proven_and_refuted(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: pair
            type: multiple_choice
            prompt: What is `t`?
            code: t = tuple([1, 2])
            check: assert t == answer and type(t) is type(answer)
            choices:
              - expr: "(1, 2)"
                correct: true
              - value: [1, 2]
              - expr: "{1, 2}"
              - expr: "None"
              - value: "None"
                text: "the string `'None'`"
          - id: nothing
            type: multiple_answers
            prompt: What does `print` return?
            code: r = print("x")
            check: assert r is answer
            choices:
              - expr: "None"
                correct: true
              - expr: "'None'"
              - value: ""
                text: the empty string
        """,
    )
    assert _problems(report) == []
    state, refutations = _result(report, "pair")
    assert state == "options proven" and sorted(refutations) == [1, 2, 3, 4]
    assert _result(report, "nothing")[0] == "options proven"


def test_an_expr_is_evaluated_in_the_program_namespace(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: names
            type: multiple_choice
            prompt: Which object is `b`?
            code: |
              a = [1]
              b = a
              c = list(a)
            check: assert b is answer
            choices:
              - expr: a
                correct: true
              - expr: c
              - expr: "[1]"
              - expr: no_such_name
        """,
    )
    assert _problems(report) == []
    refutations = _result(report, "names")[1]
    assert "NameError: name 'no_such_name' is not defined" in refutations[3]


def test_a_wrong_key_and_a_right_distractor_are_caught(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: slices
            type: multiple_choice
            prompt: What is `t[::-1]`?
            code: t = (1, 2)
            check: |
              # the reversed tuple
              if True:
                  assert t[::-1] == answer
            choices:
              - expr: "(1, 2)"
                correct: true
              - expr: "tuple(reversed(t))"
        """,
    )
    assert _problems(report) == [("slices", 11, "key-refuted"), ("slices", 13, "choice-holds")]


def test_an_expr_must_be_an_expression(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        """\
        questions:
          - id: broken
            type: multiple_choice
            prompt: What is `x`?
            code: x = 1
            check: assert x == answer
            choices:
              - expr: "1"
                correct: true
              - expr: "x = 2"
              - expr: "1 +"
              - expr: " "
        """,
    )
    assert _problems(report) == [
        ("broken", 10, "syntax-error"),
        ("broken", 11, "syntax-error"),
        ("broken", 12, "syntax-error"),
    ]
    said = [p.message for p in report.problems if p.code == "syntax-error"]
    assert "the `expr` of choice 2 is not an expression" in said[0]


def test_choices_that_read_the_same_are_a_static_problem(tmp_path: Path) -> None:
    """`expr: "None"` and `value: "None"` are different values, but learners read both as
    `None`: one needs a `text` (or the expr `"'None'"`, shown with its quotes)."""
    report = _report(
        tmp_path,
        """\
        questions:
          - id: same
            type: multiple_choice
            prompt: What is `x`?
            code: x = None
            check: assert x is answer
            choices:
              - expr: "None"
                correct: true
              - value: "None"
        """,
    )
    assert _problems(report) == [("same", 10, "duplicate-option")]


# --- The decoding of answers -------------------------------------------------------------------


def test_answers_are_pairs_only_when_a_choice_is_an_expr() -> None:
    values = (Choice(value=[1]), Choice(value=None))
    assert choice_answers(values) == ([1], None)
    mixed = (Choice(expr=" (1,) "), Choice(value=[1]))
    assert choice_answers(mixed) == (["expr", "(1,)"], ["value", [1]])


@pytest.mark.parametrize(
    ("check", "first"),
    [
        ("assert answer == 1\nassert True", f"{DECODE}; assert answer == 1"),
        ("\n# why\nassert answer", DECODE),
        ("# why\nassert answer", f"{DECODE}  # why"),
        ("@d\ndef f(): pass", f"{DECODE}\n@d"),
        ("if answer:\n    pass", f"{DECODE}\nif answer:"),
    ],
)
def test_decoding_keeps_the_lines_of_check_where_it_can(check: str, first: str) -> None:
    decoded = decoding(check)
    assert decoded.startswith(first)
    ast.parse(decoded)
    shifted = first.count("\n")
    assert decoded.split("\n")[1 + shifted :] == check.split("\n")[1:]
