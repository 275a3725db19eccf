"""Loading banks: ids relative to the project root, line mapping, and the typed model."""

from __future__ import annotations

from pathlib import Path

import pytest

import qbank
from qbank.loading import default_bank_id, load_file, load_paths
from qbank.model import Bank, Choice, CodeChoice, MultipleChoice, Output

ROOT = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "qbank.toml").write_text("")
    bank = tmp_path / "banks" / "topic" / "one.yaml"
    bank.parent.mkdir(parents=True)
    bank.write_text("questions:\n  - id: q\n    type: essay\n    prompt: Why?\n")
    return bank


def test_default_id_is_relative_to_project_root_not_to_the_typed_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = _project(tmp_path)
    monkeypatch.chdir(bank.parent)
    from_file, _ = load_paths(["one.yaml"])
    monkeypatch.chdir(tmp_path)
    from_folder, _ = load_paths(["banks"])
    assert [b.id for b in from_file] == [b.id for b in from_folder] == ["banks/topic/one"]
    assert default_bank_id(bank) == "banks/topic/one"


def test_folders_are_walked_recursively_and_hidden_folders_skipped(tmp_path: Path) -> None:
    bank = _project(tmp_path)
    hidden = tmp_path / "banks" / ".trash" / "old.yaml"
    hidden.parent.mkdir()
    hidden.write_text("questions: []\n")
    (bank.parent / "two.yml").write_text("questions: []\n")
    collection, problems = load_paths([tmp_path / "banks"])
    assert problems == []
    assert sorted(b.id for b in collection) == ["banks/topic/one", "banks/topic/two"]


def test_line_of_nested_values(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(
        "questions:\n"
        "  - id: q\n"
        "    type: code_choice\n"
        "    prompt: Which?\n"
        "    code: |\n"
        "      x = 1\n"
        "      ____\n"
        "    choices:\n"
        "      - {code: 'x += 1', correct: true}\n"
        "      - code: x -= 1\n"
    )
    loaded, problems = load_file(str(path))
    assert problems == [] and loaded is not None
    assert loaded.question_line(0) == 2
    assert loaded.question_line(0, "choices", 1) == 10
    assert loaded.lines.snippet_line(("questions", 0, "code"), 1) == 6
    assert loaded.lines.snippet_line(("questions", 0, "code"), 2) == 7
    assert loaded.lines.snippet_line(("questions", 0, "choices", 0, "code"), 1) == 9
    question = loaded.bank.questions[0]
    assert isinstance(question, CodeChoice)
    assert question.choices[0] == Choice(code="x += 1", correct=True)


def test_plain_string_choices_are_wrong_options() -> None:
    bank = Bank.model_validate(
        {
            "questions": [
                {
                    "id": "q",
                    "type": "multiple_choice",
                    "prompt": "p",
                    "choices": ["a", {"text": "b", "correct": True}],
                }
            ]
        }
    )
    question = bank.questions[0]
    assert isinstance(question, MultipleChoice)
    assert [(c.text, c.correct) for c in question.choices] == [("a", False), ("b", True)]


def test_value_choice_may_be_null_and_is_still_a_value() -> None:
    choice = Choice.model_validate({"value": None})
    assert choice.has_value and choice.value is None
    assert not Choice.model_validate({"text": "x"}).has_value


def test_sizes_accept_units() -> None:
    bank = Bank.model_validate({"memory": "512MiB", "output_limit": "1 MB", "file_limit": 1024})
    assert (bank.memory, bank.output_limit, bank.file_limit) == (512 * 1024**2, 10**6, 1024)


def test_output_question_without_answer_is_allowed() -> None:
    bank = Bank.model_validate(
        {"questions": [{"id": "o", "type": "output", "prompt": "p", "code": "print(1)"}]}
    )
    assert isinstance(bank.questions[0], Output) and bank.questions[0].answer is None


def test_models_are_frozen() -> None:
    choice = Choice(text="a")
    with pytest.raises(ValueError):
        choice.correct = True  # type: ignore[misc]


def test_library_load_raises_with_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("questions:\n  - id: q\n    type: essay\n")
    (tmp_path / "b.yaml").write_text("title: x\ntitle: y\n")
    with pytest.raises(qbank.BankLoadError) as caught:
        qbank.load(tmp_path)
    assert isinstance(caught.value, ValueError)
    assert [p.code for p in caught.value.problems] == ["missing-key", "duplicate-key"]


def test_library_load_returns_typed_banks() -> None:
    collection = qbank.load(ROOT / "banks")
    assert collection.question_count >= 20
    assert collection.get("banks/fastapi/background-tasks").bank.requires == ("fastapi", "httpx")


def test_public_names() -> None:
    exported = set(qbank.__all__)
    assert {"load", "validate", "Bank", "Report", "Problem", "QbankError"} <= exported
    for name in exported:
        assert hasattr(qbank, name), name


class _Store:
    """An in-memory object store, as the cache is one."""

    def __init__(self) -> None:
        self.objects: dict[str, object] = {}

    def get_object(self, key: str) -> object:
        return self.objects.get(key)

    def put_object(self, key: str, value: object) -> None:
        self.objects[key] = value


@pytest.mark.parametrize("store", [None, _Store()])
def test_a_default_id_is_checked_like_an_authored_one(tmp_path: Path, store: _Store | None) -> None:
    """`my quiz.yaml` without `id` would get the id `my quiz`, which no authored `id` may be
    and a JSON export of it would not load back (issue 9, defect 8): a problem at line 1
    naming the file, saying to rename it or give an `id`; with the same content cached under
    a good name, too."""
    (tmp_path / "qbank.toml").write_text("")
    body = "questions:\n  - id: q\n    type: essay\n    prompt: Why?\n"
    (tmp_path / "good_one.yaml").write_text(body)
    bad = tmp_path / "my quiz.yaml"
    bad.write_text(body)
    collection, problems = load_paths([tmp_path], store)
    assert [b.id for b in collection] == ["good_one"]
    assert [(Path(p.path).name, p.line, p.code) for p in problems] == [
        ("my quiz.yaml", 1, "invalid-value")
    ]
    said = problems[0].message
    assert "'my quiz.yaml'" in said and "the id 'my quiz', which is not a valid bank id" in said
    assert said.endswith("rename the file (or its folder), or give the bank an `id`")


def test_a_bank_given_an_id_exports_json_that_loads_back(tmp_path: Path) -> None:
    (tmp_path / "qbank.toml").write_text("")
    bank = tmp_path / "my quiz.yaml"
    bank.write_text("id: my-quiz\nquestions:\n  - id: q\n    type: essay\n    prompt: Why?\n")
    out = tmp_path / "out.json"
    qbank.export([bank], "json", out, validation=qbank.Options(execute=False, cache=False))
    loaded, problems = load_file(str(out))
    assert loaded is not None and loaded.id == "my-quiz" and problems == []
