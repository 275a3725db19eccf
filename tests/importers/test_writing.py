"""Writing imported banks: house-style YAML that loads, ids and files that are stable and
unique, nothing lost, nothing overwritten."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.errors import ImportRefused
from qbank.importers import yamlstyle
from qbank.importers.base import ImportedBank, ImportedQuestion, ImportIssue, ImportResult
from qbank.importers.ids import MAX_ID, slug
from qbank.importers.media import hashed
from qbank.importers.writing import ImportPlan, plan_import, write_plan
from qbank.loading import load_paths
from qbank.loading.yamlio import compose, to_python

MC = {"type": "multiple_choice", "prompt": "Pick", "choices": [{"text": "a", "correct": True}, "b"]}


def _question(line: int, **kwargs: Any) -> ImportedQuestion:
    data = kwargs.pop("data", dict(MC))
    return ImportedQuestion(data=data, line=line, **kwargs)


def _bank(*questions: ImportedQuestion, **kwargs: Any) -> ImportedBank:
    kwargs.setdefault("source", "legacy.gift")
    return ImportedBank(questions=list(questions), **kwargs)


def _written(
    tmp_path: Path, *banks: ImportedBank, issues: list[ImportIssue] | None = None
) -> ImportPlan:
    plan = plan_import([ImportResult(list(banks), issues or [])], tmp_path / "out")
    write_plan(plan)
    collection, problems = load_paths([tmp_path / "out"])
    assert problems == [], [p.format() for p in problems]
    assert len(collection.banks) == len(banks)
    return plan


def test_house_style_text(tmp_path: Path) -> None:
    """Schema comment first (relative to the project's schema), `title:`, a comment with the
    source line and the importer's comments above each question, `|` blocks, key order."""
    (tmp_path / "qbank.toml").write_text("", encoding="utf-8")
    data = {
        "tags": ["x"],
        "explanation": "Because.",
        "choices": [{"feedback": "yes", "correct": True, "text": "a"}, "b"],
        "code": "x = 1\nprint(x)\n",
        "prompt": "What does\nthis do?",
        "type": "multiple_choice",
    }
    bank = _bank(_question(12, data=data, comments=["raw: {=a ~b}"]), category=("Python", "Loops"))
    _written(tmp_path, bank)
    text = (tmp_path / "out" / "python" / "loops.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/bank.schema.json"
    assert "title: Loops" in lines
    start = lines.index("  # from legacy.gift:12")
    assert lines[start + 1] == "  # raw: {=a ~b}"
    keys = [line.split(":")[0].strip() for line in lines[start + 2 :] if line.startswith("    ")]
    keys = [
        k for k in keys if k in {"id", "type", "prompt", "code", "choices", "explanation", "tags"}
    ]
    assert keys == ["type", "prompt", "code", "choices", "explanation", "tags"]
    assert "  - id: q1" in lines
    assert "    code: |\n      x = 1\n      print(x)\n" in text
    assert "      - text: a\n        correct: true\n        feedback: 'yes'\n" in text
    assert "    tags: [x]" in lines


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "1.0",
        "null",
        "~",
        "- x",
        ": x",
        "#c",
        "0x1f",
        "2024-01-01",
        " a",
        "a\r\nb",
        "x\u2028y",
        "tab\there\n",
    ],
)
def test_strings_yaml_would_misread_load_back_as_written(tmp_path: Path, value: str) -> None:
    """Every string loads back exactly: quoted where YAML would read something else."""
    data = {"type": "essay", "prompt": "p", "explanation": value}
    _written(tmp_path, _bank(_question(1, data=data)))
    collection, _ = load_paths([tmp_path / "out"])
    assert collection.banks[0].bank.questions[0].explanation == value


def test_ids_from_idnumber_title_position_slugged_unique(tmp_path: Path) -> None:
    """Ids come from the data's id, the idnumber, the title, else the position; they are
    slugged, at most 120 characters, unique (`-2`), and the same on every run."""
    questions = [
        _question(1, idnumber="ABC 12"),
        _question(2, title="Élan: what prints?"),
        _question(3, title="Élan: what prints?"),
        _question(4),
        _question(5, data={**MC, "id": "kept.id"}),
        _question(6, title="x" * 300),
        _question(7, data={**MC, "id": "bad id!"}),
    ]
    plan = _written(tmp_path, _bank(*questions))
    collection, _ = load_paths([tmp_path / "out"])
    ids = [q.id for q in collection.banks[0].bank.questions]
    assert ids == [
        "abc-12",
        "elan-what-prints",
        "elan-what-prints-2",
        "q4",
        "kept.id",
        "x" * MAX_ID,
        "bad-id",
    ]
    changed = {(i.line, i.code) for i in plan.issues}
    assert changed == {(3, "import-id"), (7, "import-id")}
    again = plan_import([ImportResult([_bank(*questions)])], tmp_path / "out")
    assert again.files == plan.files


def test_slug() -> None:
    assert slug("  Python / Loops!  ") == "python-loops"
    assert slug("日本") == ""
    assert slug("a" * 200).__len__() == MAX_ID


def test_an_invalid_question_is_commented_out_never_lost(tmp_path: Path) -> None:
    """A question the model refuses is written as a comment with the reason, and reported
    as `import-invalid` at its source line; the file still loads."""
    broken = _question(9, data={"type": "multiple_choice", "prompt": "Only one", "choices": ["a"]})
    plan = _written(tmp_path, _bank(_question(3), broken))
    text = (tmp_path / "out" / "legacy.yaml").read_text(encoding="utf-8")
    assert "  # [import-invalid] choices:" in text
    assert "  # - id: q2\n  #   type: multiple_choice\n  #   prompt: Only one\n" in text
    [issue] = [i for i in plan.issues if i.code == "import-invalid"]
    assert (issue.path, issue.line, issue.question) == ("legacy.gift", 9, "q2")
    assert plan.banks[0].questions == 1 and plan.banks[0].invalid == 1
    assert issue.format().startswith("legacy.gift:9: warning: q2: choices:")
    lines = text.splitlines()
    start = lines.index("  # - id: q2")
    block = [line.removeprefix("  # ") for line in lines[start:] if line.startswith("  # ")]
    assert yaml.safe_load("\n".join(block)) == [{"id": "q2", **broken.data}]  # all of it


def test_a_bank_of_only_invalid_questions_still_loads(tmp_path: Path) -> None:
    broken = _question(2, data={"type": "no-such-type", "prompt": "?"})
    plan = _written(tmp_path, _bank(broken))
    assert "questions: []" in (tmp_path / "out" / "legacy.yaml").read_text(encoding="utf-8")
    assert [i.code for i in plan.issues] == ["import-invalid"]


def test_importer_issues_get_the_question_id(tmp_path: Path) -> None:
    issue = ImportIssue("legacy.gift", 5, "the hint is lost", "lost")
    plan = _written(tmp_path, _bank(_question(5, title="Hinted")), issues=[issue])
    assert [i.format() for i in plan.issues] == [
        "legacy.gift:5: warning: hinted: the hint is lost [import-lost]"
    ]


def test_bank_files_from_categories_collisions_numbered(tmp_path: Path) -> None:
    """One file per category path; two banks that would share a file get `-2`; no category:
    the source's name."""
    banks = [
        _bank(_question(1), category=("Top", "Python")),
        _bank(_question(2), category=("top", "python!")),
        _bank(_question(3), source="old/Legacy Quiz.txt"),
    ]
    plan = _written(tmp_path, *banks)
    out = tmp_path / "out"
    assert [b.path for b in plan.banks] == [
        out / "top" / "python.yaml",
        out / "top" / "python-2.yaml",
        out / "legacy-quiz.yaml",
    ]


def test_media_written_beside_the_bank(tmp_path: Path) -> None:
    """Images go at their path relative to the bank; one outside its folder is not written
    and is reported."""
    data = {"type": "essay", "prompt": "![tree](media/tree.png)"}
    bank = _bank(
        _question(1, data=data),
        category=("A",),
        media={"media/tree.png": b"\x89PNG", "../evil.png": b"x"},
    )
    plan = _written(tmp_path, bank)
    assert (tmp_path / "out" / "media" / "tree.png").read_bytes() == b"\x89PNG"
    assert not (tmp_path / "out" / "evil.png").exists()
    assert [i.code for i in plan.issues] == ["import-lost"]


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path) -> None:
    """The import is refused before anything is written; `force` overwrites."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "legacy.yaml").write_text("old", encoding="utf-8")
    plan = plan_import(
        [ImportResult([_bank(_question(1)), _bank(_question(1), category=("b",))])], out
    )
    with pytest.raises(ImportRefused, match="already exist"):
        write_plan(plan)
    assert (out / "legacy.yaml").read_text(encoding="utf-8") == "old"
    assert not (out / "b.yaml").exists()
    write_plan(plan, force=True)
    assert (out / "legacy.yaml").read_text(encoding="utf-8") != "old"


def test_bank_keys_the_model_refuses_are_kept_as_comments(tmp_path: Path) -> None:
    bank = _bank(_question(1), data={"timeout": "soon"})
    plan = _written(tmp_path, bank)
    text = (tmp_path / "out" / "legacy.yaml").read_text(encoding="utf-8")
    assert "# timeout: soon" in text
    assert [i.code for i in plan.issues] == ["import-invalid"]


def test_an_idnumber_with_a_bank_path_gives_its_last_part_as_the_id() -> None:
    """qbank's own Moodle export writes `bank-id/question-id`: importing it back gives the
    question its old id, not the whole path slugged."""
    from qbank.importers.base import ImportedQuestion
    from qbank.importers.ids import question_ids

    questions = [
        ImportedQuestion({"type": "essay", "prompt": "Why?"}, 1, idnumber="banks/python/x/why"),
        ImportedQuestion({"type": "essay", "prompt": "How?"}, 2, idnumber="plain-id"),
    ]
    assert [i for i, _ in question_ids(questions)] == ["why", "plain-id"]


SPECIAL = "\t\n\r\x00\x1b\x7f\x85\x9f\xa0\u2028\u2029\ufeff\ufffe x#:-|'\""
TEXTS = st.text(
    st.one_of(st.sampled_from(SPECIAL), st.characters(blacklist_categories=("Cs",))),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_any_value_loads_back_as_written_with_both_loaders(text: str) -> None:
    """Every string is written in a style that PyYAML and qbank's own loader (libyaml when
    present) read back identical: tabs in `|` blocks, controls as escapes."""
    written = yamlstyle.dump([{"code": text, "tags": [text]}])
    assert yaml.safe_load(written) == [{"code": text, "tags": [text]}]
    root, issue = compose(written)
    assert issue is None and root is not None
    assert to_python(root) == [{"code": text, "tags": [text]}]


@pytest.mark.parametrize(
    "code",
    [
        "func main() {\n\tfmt.Println(1)\n}\n",
        "\tint x;\n\treturn x;\n",  # a tab first: libyaml needs the `|2` indicator
        "all:\n\tcc -o a a.c\n",
    ],
)
def test_code_with_tabs_is_a_block(code: str) -> None:
    written = yamlstyle.dump({"code": code})
    assert written.startswith(("code: |\n", "code: |2\n")), written
    root, _ = compose(written)
    assert root is not None and to_python(root) == {"code": code}


@pytest.mark.parametrize("text", ["See the docs.\n\n", "\n", "a\n\n\n"])
def test_text_ending_in_blank_lines_needs_no_document_end(tmp_path: Path, text: str) -> None:
    """`|+` would take in the blank line after the question, and PyYAML ends the document
    with `...` after it (an indented `...` breaks the file): such text is double-quoted."""
    data = {"type": "essay", "prompt": "p", "explanation": text}
    bank = _bank(_question(1, data=data), _question(2, data=dict(data)), data={"description": text})
    _written(tmp_path, bank)
    written = (tmp_path / "out" / "legacy.yaml").read_text(encoding="utf-8")
    assert "..." not in written
    collection, _ = load_paths([tmp_path / "out"])
    loaded = collection.banks[0].bank
    assert loaded.description == text
    assert [q.explanation for q in loaded.questions] == [text, text]


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_any_comment_stays_a_comment(text: str) -> None:
    """A comment of any text (raw GIFT, a category name, Latin-1 bytes) is only `#` lines
    the loader skips: a control is shown as its escape, a line break starts a new line."""
    lines = yamlstyle.comment_lines(text, indent="  ")
    assert all(line.startswith("  #") for line in lines)
    written = "\n".join(["a: 1", *lines, "b: 2"]) + "\n"
    root, issue = compose(written)
    assert issue is None and root is not None
    assert to_python(root) == {"a": 1, "b": 2}


def test_controls_in_comments_and_category_names_are_visible_and_load(tmp_path: Path) -> None:
    comments = ["raw: \x1b[1mbold\x1b[0m\x00", "two\rlines\u2028here\x85end"]
    bank = _bank(_question(1, comments=comments), category=("Week 1:\nloops",))
    _written(tmp_path, bank)
    (path,) = (tmp_path / "out").glob("*.yaml")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "  # raw: \\x1b[1mbold\\x1b[0m\\x00" in lines
    assert lines[lines.index("  # two") :][:4] == ["  # two", "  # lines", "  # here", "  # end"]
    assert "# loops)." in lines


def test_two_banks_images_of_one_name_stay_apart(tmp_path: Path) -> None:
    """Two banks in one folder, each with its own `media/fig.png`: the second one's copy is
    hash-suffixed and its links follow, so each question shows its own image; the same
    bytes under one name are shared."""
    first = _bank(
        _question(1, data={"type": "essay", "prompt": "Look ![](media/fig.png)"}),
        category=("Py", "Loops"),
        media={"media/fig.png": b"AAAA", "media/same.png": b"S"},
    )
    data = {
        "type": "multiple_choice",
        "prompt": "Look ![](media/fig.png) and ![](media/fig.png.bak)",
        "choices": [{"text": "![](media/fig.png)", "correct": True}, "![](media/same.png)"],
    }
    second = _bank(
        _question(2, data=data),
        category=("Py", "Funcs"),
        media={"media/fig.png": b"BBBB", "media/same.png": b"S"},
        data={"description": "See media/fig.png."},
    )
    plan = _written(tmp_path, first, second)
    assert plan.issues == []
    folder = tmp_path / "out" / "py"
    renamed = hashed("media/fig.png", b"BBBB")
    assert renamed != "media/fig.png"
    assert (folder / "media" / "fig.png").read_bytes() == b"AAAA"
    assert (folder / renamed).read_bytes() == b"BBBB"
    assert sorted(p.name for p in (folder / "media").iterdir()) == sorted(
        ["fig.png", "same.png", PurePosixPath(renamed).name]
    )
    collection, _ = load_paths([tmp_path / "out"])
    loaded = {b.bank.title: b.bank for b in collection.banks}
    assert loaded["Loops"].questions[0].prompt == "Look ![](media/fig.png)"
    funcs = loaded["Funcs"]
    assert funcs.questions[0].prompt == f"Look ![]({renamed}) and ![](media/fig.png.bak)"
    assert funcs.description == f"See {renamed}."
    choices = funcs.questions[0].choices  # type: ignore[union-attr]
    assert [c.text for c in choices] == [f"![]({renamed})", "![](media/same.png)"]
