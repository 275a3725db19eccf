"""The JSON exporter: full fidelity, schema-valid, deterministic, and loadable back by qbank
to an equal bank (checked on the traps bank and on generated banks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbank.cli import main
from qbank.exporters.base import ExportContext
from qbank.exporters.json import JsonExporter, dumps
from qbank.loading import load_file
from qbank.loading.yamlio import compose, to_python
from qbank.model import Bank, LoadedBank
from qbank.report import Report
from qbank.schema import bank_schema

VALIDATOR = jsonschema.Draft202012Validator(bank_schema())


def render(loaded: LoadedBank, report: Report | None = None) -> str:
    text = JsonExporter().render_bank(loaded, ExportContext(report or Report(collection=None)))  # type: ignore[arg-type]
    assert isinstance(text, str)
    return text


def read_back(text: str) -> Bank:
    """What qbank's loader makes of the file: JSON read through the YAML parser."""
    root, issue = compose(text)
    assert issue is None and root is not None
    return Bank.model_validate(to_python(root))


def test_golden(traps_report: Report, golden: Any) -> None:
    """The traps bank's JSON matches its golden file and is the same every time."""
    loaded = traps_report.collection.banks[0]
    assert render(loaded) == render(loaded)
    golden("traps.json", render(loaded))


def test_schema_valid_sorted_and_stamped(traps_report: Report) -> None:
    """The JSON validates against `qbank schema`, has sorted keys, its id and schema_version."""
    text = render(traps_report.collection.banks[0])
    data = json.loads(text)
    VALIDATOR.validate(data)
    assert data["id"] == "traps/everything" and data["schema_version"] == 1
    orders: list[list[str]] = []
    json.loads(text, object_pairs_hook=lambda pairs: orders.append([k for k, _ in pairs]))
    assert orders and all(keys == sorted(keys) for keys in orders)


def test_null_value_kept_only_when_given(traps_report: Report) -> None:
    """`value: null` written by the author stays; a choice without `value` gets none."""
    questions = {
        q["id"]: q for q in json.loads(render(traps_report.collection.banks[0]))["questions"]
    }
    values = questions["values"]["choices"]
    assert "value" in values[1] and values[1]["value"] is None
    assert all("value" not in c for c in questions["unicode-mc"]["choices"])


def test_loads_back_equal_through_the_cli(traps_report: Report, tmp_path: Path) -> None:
    """`qbank validate out.json` accepts the file, and it loads to the same bank."""
    original = traps_report.collection.banks[0]
    out = tmp_path / "traps.json"
    out.write_text(render(original), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(out), "--no-exec"])
    assert result.exit_code == 0, result.output
    loaded, problems = load_file(str(out))
    assert loaded is not None and not problems
    assert loaded.bank == original.bank.model_copy(update={"id": "traps/everything"})
    assert loaded.bank.questions[-1].choices_list[1].has_value  # type: ignore[attr-defined]


def test_numbers_yaml_would_misread() -> None:
    """Floats keep a `.` and a signed exponent, so YAML 1.1 reads numbers, not strings."""
    for number in (1e-05, 1e16, 5e-324, 0.1, -2.0, 1.7976931348623157e308):
        assert read_back_value(dumps(number)) == number


def read_back_value(text: str) -> object:
    root, issue = compose(text)
    assert issue is None and root is not None
    return to_python(root)


def test_strings_yaml_would_misread() -> None:
    """C1 controls, line and paragraph separators and a BOM survive the YAML reader."""
    for text in ("\x85", "\u2028\u2029", "\x7f\x9f", "\ufeffx", "tab\tnew\nline", "🐍 ünï", "\\n"):
        assert read_back_value(dumps(text)) == text
        assert json.loads(dumps(text)) == text


# --- generated banks -------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
NONEMPTY = TEXT.filter(lambda t: t.strip() != "")
IDS = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,10}", fullmatch=True)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False, width=64)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(IDS, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def choices(draw: st.DrawFn, n_correct: int | None = 1) -> list[object]:
    items: list[object] = []
    for index in range(draw(st.integers(2, 4))):
        correct = index == 0 if n_correct == 1 else draw(st.booleans()) or index == 0
        choice: dict[str, object] = {"text": draw(NONEMPTY), "correct": correct}
        if draw(st.booleans()):
            choice["value"] = draw(JSON_VALUES)
        if draw(st.booleans()):
            choice["feedback"] = draw(TEXT)
        items.append(choice if correct or draw(st.booleans()) else draw(NONEMPTY))
    return items


@st.composite
def questions(draw: st.DrawFn, qid: str) -> dict[str, object]:
    base: dict[str, object] = {"id": qid, "prompt": draw(NONEMPTY)}
    for name in ("code", "explanation", "check"):
        if draw(st.booleans()):
            base[name] = draw(TEXT)
    hints = st.text(min_size=1).filter(str.strip)
    base["hint"] = draw(st.one_of(st.just(()), hints, st.lists(hints, max_size=3)))
    kind = draw(st.sampled_from(["mc", "ma", "tf", "short", "num", "match", "essay", "output"]))
    if kind in ("mc", "ma"):
        base.update(type="multiple_choice" if kind == "mc" else "multiple_answers")
        base["choices"] = draw(choices(1 if kind == "mc" else None))
        base["shuffle"] = draw(st.booleans())
    elif kind == "tf":
        base.update(type="true_false", answer=draw(st.booleans()))
    elif kind == "short":
        base.update(type="short_answer", answers=draw(st.lists(TEXT, min_size=1, max_size=3)))
    elif kind == "num":
        base.update(type="numerical", answer=draw(NUMBERS), tolerance=abs(draw(NUMBERS)))
    elif kind == "match":
        pair = st.fixed_dictionaries({"left": NONEMPTY, "right": NONEMPTY})
        base.update(type="matching", pairs=draw(st.lists(pair, min_size=2, max_size=3)))
    elif kind == "essay":
        base.update(type="essay", points=draw(st.floats(0.5, 10)))
    else:
        base.update(type="output", code=draw(NONEMPTY), answer=draw(st.none() | TEXT))
        base["files"] = draw(st.dictionaries(IDS, TEXT, max_size=2))
    return base


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    data: dict[str, object] = {"questions": [draw(questions(qid)) for qid in ids]}
    if draw(st.booleans()):
        data["title"] = draw(TEXT)
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(IDS, max_size=3))
    if draw(st.booleans()):
        data["timeout"] = draw(st.floats(0.1, 100))
    return Bank.model_validate(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_generated_banks_round_trip(bank: Bank) -> None:
    """Any bank, exported and read back through qbank's YAML reader, is the same bank, and
    its JSON validates against the schema."""
    text = render(LoadedBank(id="gen/bank", path="gen.yaml", bank=bank))
    VALIDATOR.validate(json.loads(text))
    back = read_back(text)
    assert back == bank.model_copy(update={"id": "gen/bank"})
    for mine, theirs in zip(back.questions, bank.questions, strict=True):
        assert [c.has_value for c in mine.choices_list] == [
            c.has_value for c in theirs.choices_list
        ]
