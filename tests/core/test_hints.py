"""`hint` is one text or a list of them (issue 10): how it loads and how each format shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.exporting import export
from qbank.loading import load_paths
from qbank.model import Bank
from qbank.options import Options

BANK = """\
id: hints
questions:
  - id: one
    type: true_false
    prompt: Is `1 + 1 == 2`?
    answer: true
    hint: Add them.
  - id: several
    type: true_false
    prompt: Is `2 * 3 == 6`?
    answer: true
    hint:
      - Multiply them.
      - It is **six**.
"""


def test_one_hint_is_a_list_of_one_and_a_list_is_kept_in_order() -> None:
    bank = Bank.model_validate(
        {"questions": [
            {"id": "a", "type": "essay", "prompt": "Why?", "hint": "One."},
            {"id": "b", "type": "essay", "prompt": "Why?", "hint": ["First.", "Second."]},
            {"id": "c", "type": "essay", "prompt": "Why?"},
            {"id": "d", "type": "essay", "prompt": "Why?", "hint": None},
        ]}
    )  # fmt: skip
    assert [q.hint for q in bank.questions] == [("One.",), ("First.", "Second."), (), ()]


@pytest.mark.parametrize("hint", ['""', '"  "', '["Fine.", ""]'])
def test_a_blank_hint_is_refused_at_its_line(tmp_path: Path, hint: str) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(f"questions:\n  - id: q\n    type: essay\n    prompt: Why?\n    hint: {hint}\n")
    _, problems = load_paths([str(path)])
    assert [(p.line, p.question) for p in problems] == [(5, "q")]
    assert "a hint is text, not blank" in problems[0].message


def _export(tmp_path: Path, fmt: str) -> tuple[str, list[str]]:
    bank = tmp_path / "hints.yaml"
    bank.write_text(BANK)
    out = tmp_path / fmt
    result = export(str(bank), fmt, out, validation=Options(cache=False))
    files = sorted(p for p in out.rglob("*") if p.is_file())
    text = files[0].read_text(errors="replace") if fmt != "anki" else ""
    return text, [w.message for w in result.warnings]


def test_markdown_folds_each_hint_and_numbers_several(tmp_path: Path) -> None:
    text, _ = _export(tmp_path, "markdown")
    assert "<summary>Hint</summary>\n\nAdd them." in text
    assert "<summary>Hint 1</summary>\n\nMultiply them." in text
    assert "<summary>Hint 2</summary>\n\nIt is **six**." in text


def test_gift_says_how_many_hints_it_cannot_carry(tmp_path: Path) -> None:
    _, warnings = _export(tmp_path, "gift")
    assert "GIFT cannot carry hints: the hint is not exported" in warnings
    assert "GIFT cannot carry hints: its 2 hints are not exported" in warnings
