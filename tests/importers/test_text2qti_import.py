"""The text2qti importer: a quiz using every construct, read with exact data; the same quiz
converted by the real text2qti package and read back by the QTI importer."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from qbank.importers.base import ImportResult
from qbank.importers.qti import QtiImporter
from qbank.importers.text2qti import Text2qtiImporter

PNG = b"\x89PNG\r\n\x1a\n"
QUIZ = """\
Quiz title: Python basics
Quiz description: A short quiz on loops and values.

Title: Range end
Points: 2
1.  What does this print?

    ```python
    for i in range(3):
        print(i, end=" ")
    ```
... `range(3)` stops before 3.
+   Right.
-   Look at where range stops.
*a) 0 1 2
... It starts at 0.
b)  1 2 3
... It starts at 0, not 1.
c)  0 1 2 3

2.  Is `[]` truthy?
a)  True
*b) False

Points: 1.5
3.  Which values are falsy? ![a dot](dot.png)
[*] `0`
[*] `""`
[ ] `[0]`
... A non-empty list is true.

4.  Name a keyword that starts a function definition.
*   def
*   async

5.  What is `len("hello")`?
=   5

6.  Give pi to two decimals.
=   3.14 +- 0.01

7.  Give a number between 1 and 2.
=   [1, 2]

8.  Explain the loop.
____

9.  Upload your script.
^^^^

10. What is $x^2$ when x is 3?
=   9
"""

EXPECTED: list[dict[str, Any]] = [
    {
        "type": "multiple_choice",
        "title": "Range end",
        "prompt": "What does this print?",
        "code": 'for i in range(3):\n    print(i, end=" ")\n',
        "language": "python",
        "choices": [
            {"text": "0 1 2", "correct": True, "feedback": "It starts at 0."},
            {"text": "1 2 3", "feedback": "It starts at 0, not 1."},
            "0 1 2 3",
        ],
        "points": 2,
        "explanation": "`range(3)` stops before 3.\n\nRight.",
    },
    {"type": "true_false", "prompt": "Is `[]` truthy?", "answer": False},
    {
        "type": "multiple_answers",
        "prompt": "Which values are falsy? ![a dot](media/dot.png)",
        "choices": [
            {"text": "`0`", "correct": True},
            {"text": '`""`', "correct": True},
            {"text": "`[0]`", "feedback": "A non-empty list is true."},
        ],
        "points": 1.5,
    },
    {
        "type": "short_answer",
        "prompt": "Name a keyword that starts a function definition.",
        "answers": ["def", "async"],
    },
    {"type": "numerical", "prompt": 'What is `len("hello")`?', "answer": 5},
    {"type": "numerical", "prompt": "Give pi to two decimals.", "answer": 3.14, "tolerance": 0.01},
    {
        "type": "numerical",
        "prompt": "Give a number between 1 and 2.",
        "answer": 1.5,
        "tolerance": 0.5,
    },
    {"type": "essay", "prompt": "Explain the loop."},
    {"type": "essay", "prompt": "Upload your script."},
    {"type": "numerical", "prompt": "What is $x^2$ when x is 3?", "answer": 9},
]
KINDS = ["import-lost", "import-unknown-type", "import-math"]


def write_quiz(folder: Path) -> Path:
    (folder / "dot.png").write_bytes(PNG)
    path = folder / "quiz.md"
    path.write_text(QUIZ, encoding="utf-8")
    return path


def read(path: Path) -> ImportResult:
    return Text2qtiImporter().read(path)


def test_every_construct_is_read_exactly(tmp_path: Path) -> None:
    result = read(write_quiz(tmp_path))
    (bank,) = result.banks
    assert bank.title == "Python basics"
    assert bank.data == {"description": "A short quiz on loops and values."}
    assert bank.media == {"media/dot.png": PNG}
    assert [q.data for q in bank.questions] == EXPECTED
    assert [q.line for q in bank.questions][:3] == [6, 21, 26]
    assert bank.questions[0].comments == ["incorrect feedback: Look at where range stops."]
    assert [i.code for i in result.issues] == KINDS
    assert Text2qtiImporter.sniff(tmp_path / "quiz.md", QUIZ.encode())


def convert_with_text2qti(quiz: Path) -> Path:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    config = Config()
    config.load()
    parsed = Quiz(
        quiz.read_text("utf-8"),
        config=config,
        source_name=str(quiz),
        resource_path=str(quiz.parent),
    )
    target = quiz.with_suffix(".zip")
    QTI(parsed).save(target)
    return target


@pytest.mark.skipif(
    importlib.util.find_spec("text2qti") is None,
    reason="the real text2qti package is not installed (it is in the dev extra)",
)
def test_both_routes_give_the_same_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # text2qti finds images from the working folder
    quiz = write_quiz(tmp_path)
    direct = read(quiz)
    packaged = QtiImporter().read(convert_with_text2qti(quiz))
    (mine,), (theirs,) = direct.banks, packaged.banks
    assert [q.data for q in theirs.questions] == [q.data for q in mine.questions] == EXPECTED
    assert [q.comments for q in theirs.questions] == [q.comments for q in mine.questions]
    assert (theirs.title, theirs.data, theirs.media) == (mine.title, mine.data, mine.media)
    assert [i.code for i in packaged.issues] == [i.code for i in direct.issues]


def test_malformed_entries_are_issues(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text(
        "Quiz title: Bad\n\n1.  Pick one.\na)  this\nb)  that\n\n2.  How many?\n=   many\n\n"
        "stray text\n\n3.  No response at all.\n",
        encoding="utf-8",
    )
    result = read(path)
    assert [q.data["type"] for q in result.banks[0].questions] == [
        "multiple_choice",
        "numerical",
        "essay",
    ]
    assert sorted((i.line, i.code) for i in result.issues) == [
        (3, "import-invalid"),
        (8, "import-invalid"),
        (10, "import-syntax"),
        (12, "import-syntax"),
    ]


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ("=   inf +- 1", 4),
        ("=   1 +- nan", 4),
        ("=   [nan, 2]", 4),
        ("=   1e999999 +- 1e999999%", 4),  # decimal overflows in the percentage
        ("=   1e400 +- 1", 4),  # finite as a decimal, infinite as a float
    ],
)
def test_non_finite_numerical_answers_are_invalid_not_a_crash(
    tmp_path: Path, entry: str, line: int
) -> None:
    path = tmp_path / "inf.md"
    path.write_text(f"Quiz title: T\n\n1.  How big?\n{entry}\n", encoding="utf-8")
    result = read(path)
    (question,) = result.banks[0].questions
    assert "answer" not in question.data
    assert question.comments == [entry.replace("=   ", "= ")]
    assert [(i.line, i.code) for i in result.issues] == [(line, "import-invalid")]


@pytest.mark.parametrize("points", ["nan", "inf", "-Infinity", "sNaN", "lots"])
def test_points_that_are_no_finite_number_are_reported_at_their_line(
    tmp_path: Path, points: str
) -> None:
    path = tmp_path / "pts.md"
    path.write_text(f"Quiz title: T\n\nPoints: {points}\n1.  What?\n*   yes\n", encoding="utf-8")
    result = read(path)
    (question,) = result.banks[0].questions
    assert "points" not in question.data
    assert question.comments == [f"Points: {points}"]
    assert [(i.line, i.code) for i in result.issues] == [(3, "import-invalid")]
