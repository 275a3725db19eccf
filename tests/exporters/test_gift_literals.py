"""GIFT details found in review: generated feedback is Markdown and refutations never show,
Moodle's placeholders are warned about, category names that start with `/`, and tags as
Moodle unescapes them."""

from __future__ import annotations

import sys
from pathlib import Path

from qbank.exporters.base import ExportContext
from qbank.exporters.gift import GiftExporter, category_block
from qbank.model import Bank, LoadedBank
from qbank.report import QuestionResult, Report

sys.path.insert(0, str(Path(__file__).parent))
import gift_rules

from qbank.model import Collection


def _render(
    bank: dict[str, object],
    refutations: dict[int, str] | None = None,
    feedback: dict[int, str] | None = None,
) -> tuple[str, ExportContext]:
    loaded = LoadedBank(id="b", path="b.yaml", bank=Bank.model_validate(bank))
    report = Report(Collection([loaded]))
    question = loaded.bank.questions[0]
    report.results[("b", question.id)] = QuestionResult(
        "b", question.id, "b.yaml", 2, refutations=dict(refutations or {}),
        feedback=dict(feedback or {}),
    )  # fmt: skip
    context = ExportContext(report)
    return GiftExporter().render_bank(loaded, context), context


MC = {
    "questions": [
        {
            "id": "q",
            "type": "multiple_choice",
            "prompt": "Which?",
            "choices": [{"text": "a", "correct": True}, "b", {"text": "c", "feedback": "*so* `x`"}],
        }
    ]
}


def test_generated_feedback_keeps_its_lines_and_refutations_never_show() -> None:
    refutation = "AttributeError: 'int' object has no attribute '__len__'\n  left:  '\\n'"
    said = "The code prints:\n\n```\n__len__\n  a\\nb\n```"
    text, _ = _render(MC, {1: refutation}, {1: said})
    line = next(line for line in text.splitlines() if line.startswith("::"))
    wrong = gift_rules.pre(line).split("{", 1)[1].split("~")[1]  # the option `b` and its feedback
    feedback = gift_rules.post(wrong.split("#", 1)[1]).strip()
    assert "<strong>" not in feedback
    assert feedback == "<p>The code prints:</p>\n<pre><code>__len__\n  a\\nb\n</code></pre>"
    assert "left:" not in text and "'int' object" not in text


def test_authored_feedback_stays_markdown() -> None:
    text, _ = _render(MC)
    assert "<em>so</em> <code>x</code>" in text


def test_moodle_placeholders_in_plain_parts_are_warned_about() -> None:
    bank = {
        "questions": [{"id": "q", "type": "short_answer", "prompt": "p", "answers": ["a&&058;b"]}]
    }
    _, context = _render(bank)
    assert [w.code for w in context.warnings] == ["lossy-placeholder"]


def test_category_name_starting_with_a_slash_stays_one_level() -> None:
    loaded = LoadedBank(id="b", path="b.yaml", bank=Bank.model_validate({"title": "/lead/"}))
    block = category_block(loaded)
    assert block.startswith("$CATEGORY: $course$/top/ //lead// ")


def test_tags_are_escaped_as_moodle_unescapes_them() -> None:
    bank = {
        "tags": ["plain"],
        "questions": [{"id": "q", "type": "essay", "prompt": "p", "tags": ["a]b"]}],
    }
    text, _ = _render(bank)
    assert "[tag:a\\]b]" in text
