"""`--infer`: legacy "what does this print?" items become questions validation checks, and
validation then audits their keys."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import qbank
from qbank.importers.base import ImportedBank, ImportedQuestion, ImportResult
from qbank.importers.infer import infer, looks_like_output
from qbank.importers.writing import plan_import, write_plan
from qbank.options import Options

FENCED = "What does this code print?\n\n```python\nprint(1 + 1)\n```\n"


def _mc(prompt: str, choices: list[Any], **extra: Any) -> dict[str, Any]:
    return {"type": "multiple_choice", "prompt": prompt, "choices": choices, **extra}


def _inferred(data: dict[str, Any]) -> tuple[ImportedQuestion, ImportResult]:
    question = ImportedQuestion(data=data, line=7)
    result = infer(ImportResult([ImportedBank("legacy.gift", questions=[question])]))
    return question, result


def test_a_fenced_print_question_becomes_output() -> None:
    """The one fence is lifted into `code`, the key is `answer`, the others distractors
    (feedback kept; the key's feedback becomes the explanation)."""
    question, result = _inferred(
        _mc(
            FENCED,
            [
                {"text": "2", "correct": True, "feedback": "1 + 1 is 2"},
                {"text": "`11`", "feedback": "not strings"},
                "3",
            ],
            shuffle=False,
        )
    )
    assert question.data == {
        "type": "output",
        "prompt": "What does this code print?",
        "code": "print(1 + 1)\n",
        "answer": "2\n",
        "choices": [{"text": "11", "feedback": "not strings"}, "3"],
        "explanation": "1 + 1 is 2",
    }
    [issue] = result.issues
    assert issue.format() == (
        "legacy.gift:7: warning: became an output question: validate to check its key [import-inferred]"
    )
    assert any("--infer" in c for c in question.comments)
    assert any("shuffle" in c for c in question.comments)


def test_a_code_field_and_output_looking_options() -> None:
    question, _ = _inferred(
        _mc(
            "What is the output?",
            [{"text": "[1, 2]", "correct": True}, "TypeError", "True", "\\[2\\]"],
            code="print([1, 2])\n",
        )
    )
    assert question.data["type"] == "output" and question.data["choices"] == [
        "TypeError",
        "True",
        "[2]",
    ]


@pytest.mark.parametrize(
    "data",
    [
        _mc(FENCED, [{"text": "2", "correct": True}, "It prints the sum of the numbers."]),
        _mc(FENCED, [{"text": "2", "correct": True}, "none of the above"]),
        _mc(FENCED + "\n```python\nx = 2\n```\n", [{"text": "2", "correct": True}, "3"]),
        _mc("Which is a list?", [{"text": "2", "correct": True}, "3"], code="print(2)\n"),
        _mc(
            "What does f(2) return?",
            [{"text": "2", "correct": True}, "3"],
            code="def f(x):\n    return x\n",
        ),
        _mc(FENCED, [{"text": "2", "correct": True}, {"text": "3", "correct": True}]),
        _mc(FENCED, [{"value": 2, "correct": True}, "3"]),
        _mc(
            "What does this print?",
            [{"text": "2", "correct": True}, "3"],
            code="echo 2",
            language="bash",
        ),
        {"type": "short_answer", "prompt": FENCED, "answers": ["2"]},
    ],
    ids=[
        "prose",
        "phrase",
        "two-blocks",
        "not-asked",
        "returns-no-print",
        "two-keys",
        "values",
        "bash",
        "not-mc",
    ],
)
def test_what_is_not_clearly_an_output_question_is_left(data: dict[str, Any]) -> None:
    before = {**data}
    question, result = _inferred(data)
    assert question.data == before and result.issues == [] and question.comments == []


def test_returns_counts_when_the_code_prints() -> None:
    question, _ = _inferred(
        _mc(
            "What does this return and print?",
            [{"text": "4", "correct": True}, "2"],
            code="print(2 * 2)\n",
        )
    )
    assert question.data["type"] == "output"


def test_code_line_options_with_one_blank_become_code_choice() -> None:
    code = "items = [3, 1, 2]\n___\nprint(items)\n"
    question, result = _inferred(
        _mc(
            "Which line sorts `items` in place?",
            [
                {"text": "`items.sort()`", "correct": True},
                "`sorted(items)`",
                {"code": "items.sorted()"},
            ],
            code=code,
        )
    )
    assert question.data["type"] == "code_choice"
    assert question.data["code"] == "items = [3, 1, 2]\n____\nprint(items)\n"
    assert question.data["choices"] == [
        {"code": "items.sort()", "correct": True},
        {"code": "sorted(items)"},
        {"code": "items.sorted()"},
    ]
    assert "code_choice" in result.issues[0].message


def test_code_choice_only_when_unambiguous() -> None:
    two_blanks = "____\nx = 1\n____\n"
    question, _ = _inferred(
        _mc("Fill in", [{"text": "`a()`", "correct": True}, "`b()`"], code=two_blanks)
    )
    assert question.data["type"] == "multiple_choice"
    prose = "x = 1\n____\n"
    question, _ = _inferred(
        _mc("Fill in", [{"text": "`a()`", "correct": True}, "call b"], code=prose)
    )
    assert question.data["type"] == "multiple_choice"


def test_looks_like_output() -> None:
    assert all(
        map(
            looks_like_output,
            ["42", "[1, 2]", "True", "ZeroDivisionError", "Hello World", "a\nb", "..."],
        )
    )
    assert not any(map(looks_like_output, ["It prints 3.", "The loop never ends", "", "x" * 300]))


# --- the audit: validate proves or refutes the legacy keys -----------------------------------


def _audit(tmp_path: Path, result: ImportResult) -> dict[str, set[str]]:
    """Write the inferred result, validate it, and give each question's problem codes."""
    plan = plan_import([infer(result)], tmp_path / "out")
    write_plan(plan)
    report = qbank.validate(tmp_path / "out", Options(cache_dir=str(tmp_path / "cache")))
    found: dict[str, set[str]] = {}
    for problem in report.problems:
        found.setdefault(problem.question or "", set()).add(problem.code)
    return found


def test_validate_refutes_a_wrong_key_and_a_right_distractor(tmp_path: Path) -> None:
    """A legacy key that is wrong fails with `answer-mismatch`; a distractor that is what
    the code really prints fails with `distractor-holds`; a right item passes."""
    wrong_key = _mc(FENCED, [{"text": "3", "correct": True}, "4", "11"], id="wrong-key")
    distractor = _mc(
        "What does this program output?",
        [{"text": "[1, 2]", "correct": True}, "[1, 2, 3]"],
        code="xs = [1, 2]\nxs.append(3)\nprint(xs)\n",
        id="right-distractor",
    )
    right = _mc(FENCED, [{"text": "2", "correct": True}, "11"], id="right")
    questions = [
        ImportedQuestion(d, line) for line, d in enumerate([wrong_key, distractor, right], 1)
    ]
    found = _audit(tmp_path, ImportResult([ImportedBank("legacy.gift", questions=questions)]))
    assert "answer-mismatch" in found["wrong-key"]
    assert "answer-mismatch" in found["right-distractor"]
    assert "distractor-holds" in found["right-distractor"]
    assert "right" not in found


GIFT = """\
::wrong key::[markdown]What does this code print?\\n\\n```python\\nprint(len("abc"))\\n```{
=4
~3
~abc
}

::right distractor::[markdown]What does this code print?\\n\\n```python\\nprint(2 ** 3)\\n```{
=6
~8
~9
}
"""


def test_a_legacy_gift_file_is_audited(tmp_path: Path) -> None:
    """End to end from GIFT: `qbank import --infer` then `qbank validate` finds both."""
    if importlib.util.find_spec("qbank.importers.gift") is None:
        pytest.skip("the GIFT importer (qbank.importers.gift) is not written yet")
    source = tmp_path / "legacy.gift"
    source.write_text(GIFT, encoding="utf-8")
    report = qbank.import_banks(source, tmp_path / "out", infer=True)
    assert [i.code for i in report.issues].count("import-inferred") == 2, report.issues
    validated = qbank.validate(tmp_path / "out", Options(cache_dir=str(tmp_path / "cache")))
    codes = {p.code for p in validated.problems}
    assert {"answer-mismatch", "distractor-holds"} <= codes, [
        p.format() for p in validated.problems
    ]


CODE = "for i in range(3):\n    print(i)\n"


@pytest.mark.parametrize(
    "prompt",
    [
        "Predict the output of this program.",
        "What will this code print?",
        "The code below prints what?",
        "Give the output of the snippet.",
        "What is printed?",
        "Which value is printed?",
        "What is the program's output?",
    ],
)
def test_prompts_asking_what_the_code_prints_become_output(prompt: str) -> None:
    question, _ = _inferred(_mc(prompt, [{"text": "0 1 2", "correct": True}, "1 2 3"], code=CODE))
    assert question.data["type"] == "output"


@pytest.mark.parametrize(
    "prompt",
    [
        "Which line shows the bug?",
        "Which variable is written to last?",
        "Which of these outputs is impossible?",
        "Which of these is NOT printed?",
        "What can't this code print?",
        "How many lines are in the output?",
        "What is the time complexity shown by this loop?",
    ],
)
def test_prompts_about_something_else_than_the_output_are_left(prompt: str) -> None:
    data = _mc(prompt, [{"text": "Line 1", "correct": True}, "Line 2"], code=CODE)
    before = {**data}
    question, result = _inferred(data)
    assert question.data == before and result.issues == []


def test_the_keys_feedback_displaced_by_an_explanation_is_kept_as_a_comment() -> None:
    """An output question has one explanation: the legacy one stays, and the key's own
    feedback is a comment with an import-lost issue, not silently dropped."""
    choices = [{"text": "2", "correct": True, "feedback": "Right: integers add."}, "11"]
    question, result = _inferred(_mc(FENCED, choices, explanation="Addition of ints."))
    assert question.data["explanation"] == "Addition of ints."
    assert "feedback of the key (the answer): Right: integers add." in question.comments
    assert [i.code for i in result.issues] == ["import-inferred", "import-lost"]
    assert "key's feedback" in result.issues[1].message
