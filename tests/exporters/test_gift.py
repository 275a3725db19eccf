"""The GIFT exporter: checked by the real gift-pegjs parser (through node) and by Moodle's own
import rules, which gift-pegjs does not enforce (see reference/gift.md §9 and §10)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qbank.exporters.base import ExportContext
from qbank.exporters.gift import GiftExporter, category_block, escape, html_part
from qbank.exporters.gift.weights import answer_weights, format_weight, nearest_allowed
from qbank.model import Bank, Choice, Collection, LoadedBank
from qbank.report import Report

sys.path.insert(0, str(Path(__file__).parent))
import gift_rules

PARSER = Path(__file__).resolve().parents[1] / "gift_parser"
BANK = "traps/everything"


def render(report: Report, **options: Any) -> tuple[str, ExportContext]:
    context = ExportContext(report)
    text = GiftExporter(options).render_bank(report.collection.banks[0], context)
    return text, context


def gift_pegjs(text: str) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not (PARSER / "node_modules" / "gift-pegjs").is_dir():
        missing = "node or gift-pegjs missing: run `cd tests/gift_parser && npm ci`"
        if os.environ.get("QBANK_GATE"):  # the gate installs it: missing is a broken setup
            pytest.fail(missing)
        pytest.skip(missing)
    run = subprocess.run(
        ["node", "parse.js"], input=text, capture_output=True, text=True, cwd=PARSER, timeout=60
    )
    parsed = json.loads(run.stdout)
    assert run.returncode == 0, parsed
    assert isinstance(parsed, list)
    return parsed


def test_golden(traps_report: Report, golden: Any) -> None:
    """The traps bank's GIFT matches its golden file, byte for byte, every time."""
    text, _ = render(traps_report)
    assert text == render(traps_report)[0]
    golden("traps.gift", text)


def test_gift_pegjs_parses_every_question(traps_report: Report) -> None:
    """The real parser reads the file: a category, then every question with its title."""
    text, context = render(traps_report)
    parsed = gift_pegjs(text)
    assert parsed[0] == {
        "type": "Category",
        "title": category_block(traps_report.collection.banks[0])[11:],
    }
    questions = traps_report.collection.banks[0].bank.questions
    assert [q["title"] for q in parsed[1:]] == [f"{BANK}/{q.id}" for q in questions]
    kinds = {q["title"].rsplit("/", 1)[1]: q["type"] for q in parsed[1:]}
    assert kinds == {
        "dict-literal": "Short", "computed": "Short", "pick-output": "MC", "unicode-mc": "MC",
        "several": "MC", "weighted": "MC", "statement": "TF", "false-statement": "TF",
        "name-it": "Short", "number": "Numerical", "tiny-number": "Numerical",
        "pairs": "Matching", "explain": "Essay", "fill-gap": "MC", "find-bug": "MC", "values": "MC",
    }  # fmt: skip
    assert not [w for w in context.warnings if w.code == "missing-key"]


def _code_blocks(html_text: str) -> list[str]:
    found = re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", html_text, flags=re.S)
    return [html.unescape(block) for block in found]


def test_round_trip_keeps_every_character_of_the_code(traps_report: Report) -> None:
    """Parsed back by gift-pegjs, every snippet (stem, code options, fix) is the authored code,
    indentation, blank lines, `0` and `//` lines, backslashes and `\\n` literals included."""
    _generated_feedback(traps_report)
    parsed = {q["title"].rsplit("/", 1)[-1]: q for q in gift_pegjs(render(traps_report)[0])[1:]}
    for question in traps_report.collection.banks[0].bank.questions:
        got = parsed[question.id]
        if question.code is not None:
            assert _code_blocks(got["stem"]["text"])[-1] == question.code, question.id
        for index, choice in enumerate(question.choices_list):
            if choice.code is not None:
                assert _code_blocks(got["choices"][index]["text"]["text"]) == [choice.code]
        fix = getattr(question, "fix", None)
        if fix is not None:
            assert _code_blocks(got["globalFeedback"]["text"]) == [fix]


def test_parsed_values_match_the_bank(traps_report: Report) -> None:
    """Keys, weights, numbers, pairs and feedback come back as the bank says."""
    _generated_feedback(traps_report)
    parsed = {q["title"].rsplit("/", 1)[-1]: q for q in gift_pegjs(render(traps_report)[0])[1:]}
    assert parsed["computed"]["choices"][0]["text"]["text"] == "###\n ##\n  #"
    assert [c["weight"] for c in parsed["several"]["choices"]] == [33.33333] * 3 + [-50, -50]
    assert [c["weight"] for c in parsed["weighted"]["choices"]] == [50, 50, -100]
    assert parsed["statement"]["isTrue"] is True and parsed["false-statement"]["isTrue"] is False
    assert parsed["number"]["choices"][0]["text"] == {
        "type": "range",
        "number": 0.3,
        "range": 0.005,
    }
    assert parsed["tiny-number"]["choices"][0]["text"]["number"] == 0.00001
    pairs = parsed["pairs"]["matchPairs"]
    assert html.unescape(pairs[0]["subquestion"]["text"]) == "<code>def f() -> int</code>"
    # gift-pegjs leaves Moodle's placeholders in right-hand sides (Moodle decodes them).
    assert gift_rules.post(pairs[1]["subanswer"]) == "a -> b mapping"
    assert [p["subquestion"]["text"] for p in pairs[3:]] == ["", ""]
    fill = parsed["fill-gap"]["choices"]
    assert fill[1]["feedback"]["text"] == "The program raises <code>KeyError: 0</code>."
    assert parsed["unicode-mc"]["choices"][0]["feedback"]["text"].startswith("Right:")
    assert parsed["name-it"]["choices"][2]["text"]["text"] == "a\\*b"  # `*` is literal in Moodle


def test_moodle_rules(traps_report: Report) -> None:
    """Moodle's importer: one physical line per question, no line `0` or `//` (but the tag
    comment), the category block alone, weights from the allowed list summing to 100."""
    text, _ = render(traps_report)
    found = gift_rules.blocks(text)
    assert found[0] == [category_block(traps_report.collection.banks[0])]
    for block in found[1:]:
        assert len(block) == 2 and block[0].startswith("// [tag:"), block
        parsed = gift_rules.parse_block(block)
        assert parsed.comments == ["// [tag:traps] [tag:c++]"]
        assert len(gift_rules.post(parsed.name)) <= 255 and "<" not in parsed.name
        kind = gift_rules.qtype(parsed.answers)
        if kind == "multichoice":
            single, fractions = gift_rules.multichoice_fractions(parsed.answers)
            if single:
                assert fractions.count(100.0) == 1 and set(fractions) <= {0.0, 100.0}
            else:
                assert gift_rules.weights_ok(fractions), fractions
        if kind == "shortanswer":
            assert "->" not in parsed.answers
        if kind == "numerical":
            assert parsed.answers.startswith("#=")
        if kind == "match":
            for pair in parsed.answers.split("=")[1:]:
                assert pair.count("->") >= 1 and "->" not in pair.split("->", 1)[0]
    assert not re.search(r"^\s*>\s*\d", text, flags=re.M)


def test_lossy_conversions_warn_with_the_question_id(traps_report: Report) -> None:
    """Hints, `shuffle: false`, points, case sensitivity and answers GIFT cannot hold warn."""
    _, context = render(traps_report)
    found = {(w.question, w.code) for w in context.warnings}
    assert found == {
        ("dict-literal", "lossy-hint"), ("dict-literal", "lossy-whitespace"),
        ("computed", "lossy-whitespace"), ("unicode-mc", "lossy-shuffle"),
        ("unicode-mc", "lossy-points"), ("name-it", "lossy-case"), ("name-it", "lossy-answer"),
    }  # fmt: skip
    assert all(w.severity == "warning" and w.line > 1 for w in context.warnings)


def test_output_without_key_is_left_out_with_a_warning(traps_report: Report) -> None:
    """An `output` question with no answer and no computed one is not guessed."""
    result = traps_report.result(BANK, "computed")
    assert result is not None
    result.computed_answer = None
    text, context = render(traps_report)
    assert f"::{BANK}/computed::" not in text
    assert ("computed", "missing-key") in {(w.question, w.code) for w in context.warnings}


def _generated_feedback(report: Report) -> None:
    """Learner feedback as validation generates it, for one wrong option of `fill-gap`."""
    result = report.result(BANK, "fill-gap")
    assert result is not None
    result.feedback = {1: "The program raises `KeyError: 0`."}


def test_refutation_feedback_can_be_turned_off(traps_report: Report) -> None:
    """Generated feedback is given only while `refutation_feedback` is on (refutations never
    are); authored wins."""
    _generated_feedback(traps_report)
    on, _ = render(traps_report)
    off, _ = render(traps_report, refutation_feedback=False)
    assert "#The program raises <code>KeyError\\: 0</code>." in on and "KeyError" not in off
    assert "It is shared, but" in on and "It is shared, but" in off


def test_category_escapes_slashes_and_strips_tags() -> None:
    """A title's `/` is written `//` (Moodle's separator escape); `<…>` is stripped."""
    loaded = LoadedBank(id="a/b", path="x.yaml", bank=Bank(title="In/Out <b>now</b>"))
    assert category_block(loaded) == "$CATEGORY: $course$/top/a/In//Out now"


@given(st.text())
def test_escape_decodes_back_and_hides_structure(text: str) -> None:
    """Moodle decodes every escaped part to the original (CR dropped), and no structural
    character or line break is left for its parser to see."""
    escaped = escape(html.escape(text, quote=False))
    assert gift_rules.decode(escaped) == html.escape(text, quote=False).replace("\r", "")
    hidden = gift_rules.pre(escaped)
    assert not set(hidden) & set("{}~=#\n\r")


@given(st.text())
def test_html_parts_never_start_like_a_weight_or_format(text: str) -> None:
    """A part never starts with `%` or `[`, which Moodle would read as a weight or format."""
    part = gift_rules.decode(html_part(html.escape(text, quote=False)))
    assert not part.startswith(("%", "["))


@pytest.mark.parametrize("n_correct", range(1, 11))
@pytest.mark.parametrize("n_wrong", [0, 1, 2, 3, 7, 11, 25])
def test_weights_are_allowed_and_sum_to_100(n_correct: int, n_wrong: int) -> None:
    """Default weights: correct ones share 100, wrong ones cost about 100 together."""
    choices = (Choice(text="r", correct=True),) * n_correct + (Choice(text="w"),) * n_wrong
    weights = answer_weights(choices)
    fractions: list[float | None] = [float(format_weight(w)) for w in weights.weights]
    assert weights.exact and gift_rules.weights_ok(fractions)
    if n_wrong:
        assert all(w < 0 for w in weights.weights[n_correct:])
        assert abs(sum(weights.weights[n_correct:]) + 100) <= 50


def test_weights_explicit_and_unrepresentable() -> None:
    """Explicit weights are kept; 11 correct options cannot share 100 and say so."""
    explicit = answer_weights(
        (
            Choice(text="a", correct=True, weight=75),
            Choice(text="b", correct=True),
            Choice(text="c", weight=-5),
        )
    )
    assert explicit.weights == (75.0, 25.0, -5.0) and explicit.exact
    eleven = answer_weights((Choice(text="r", correct=True),) * 11)
    assert not eleven.exact and set(eleven.weights) == {10}
    assert nearest_allowed(-9.09) == -10 and format_weight(-33.333333) == "-33.33333"
    assert format_weight(100) == "100" and format_weight(12.5) == "12.5"


# --- Options that GIFT's own losses would make the same (issue 9, defect 8) ----------------


def _bank_report(*questions: dict[str, Any]) -> Report:
    bank = Bank.model_validate({"id": "lossy", "questions": list(questions)})
    return Report(Collection([LoadedBank(id="lossy", path="lossy.yaml", bank=bank)]))


CR_QUESTIONS: list[dict[str, Any]] = [
    {"id": "cr-value", "type": "multiple_choice", "prompt": "Which?", "code": 'x = "x\\ry"',
     "check": "assert x == answer",
     "choices": [{"value": "x\ry", "correct": True}, {"value": "xy"}]},
    {"id": "cr-output", "type": "output", "prompt": "Prints?", "code": 'print("a\\rb", end="")',
     "answer": "a\rb", "exact": True, "choices": ["ab"]},
    {"id": "cr-right", "type": "matching", "prompt": "Match.",
     "pairs": [{"left": "one", "right": "x\ry"}, {"left": "two", "right": "z"}],
     "distractors": ["xy"]},
    {"id": "kept", "type": "multiple_choice", "prompt": "Which?",
     "choices": [{"text": "x y", "correct": True}, {"text": "xy"}]},
    {"id": "same-right", "type": "matching", "prompt": "Match.",
     "pairs": [{"left": "a", "right": "int"}, {"left": "b", "right": "int"}]},
]  # fmt: skip


def test_options_that_read_the_same_in_moodle_are_left_out_with_a_warning() -> None:
    """A key `x\\ry` and a distractor `xy` are one option once GIFT drops the `\\r`: the
    question is left out, with a `lossy-option` warning naming both; questions whose options
    stay distinct (or are meant to be equal: two pairs sharing a right side) are kept."""
    text, context = render(_bank_report(*CR_QUESTIONS))
    lossy = {w.question: w.message for w in context.warnings if w.code == "lossy-option"}
    assert set(lossy) == {"cr-value", "cr-output", "cr-right"}
    assert lossy["cr-value"].startswith("choice 1 ('x\\ry') and choice 2 ('xy') would read the")
    assert lossy["cr-output"].startswith("the key ('a\\rb') and choice 1 ('ab')")
    assert lossy["cr-right"].startswith("the right side of pair 1 ('x\\ry') and distractor 1")
    parsed = gift_pegjs(text)
    assert [q["title"] for q in parsed[1:]] == ["lossy/kept", "lossy/same-right"]


@example(["x\ry", "xy"])
@given(st.lists(st.text(st.sampled_from("ab \r\n:&"), min_size=1, max_size=4), min_size=2,
                max_size=4, unique=True))  # fmt: skip
def test_exported_options_are_distinct_as_moodle_reads_them(values: list[str]) -> None:
    """Whatever the values, an exported question's options read differently once Moodle's
    importer decoded and trimmed them (reference/gift.md §2); otherwise it is left out."""
    choices = [{"value": v, "correct": i == 0} for i, v in enumerate(values)]
    question = {"id": "q", "type": "multiple_choice", "prompt": "Which?", "code": "x = 1",
                "check": "assert answer", "choices": choices}  # fmt: skip
    text, context = render(_bank_report(question))
    blocks = gift_rules.blocks(text)[1:]
    if any(w.code == "lossy-option" for w in context.warnings):
        assert blocks == []
        return
    (block,) = blocks
    answers = gift_rules.parse_block(block).answers
    options = [p.split("#", 1)[0] for p in answers.replace("=", "~").split("~")[1:]]
    read = [gift_rules.post(option).strip(" \t\r\n\0\x0b") for option in options]
    assert len(set(read)) == len(values), read
