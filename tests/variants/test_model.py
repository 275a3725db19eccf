"""A template in the model: kept apart from the questions, at its place, in the schema."""

from __future__ import annotations

import jsonschema
import pytest
from helpers_variants import Bank as BankFile

import qbank
from qbank.model import QUESTION_TYPES, Bank
from qbank.schema import bank_schema

TEMPLATE = {"id": "t", "type": "numerical", "variants": 3, "params": "k = 2", "prompt": "p",
            "answer": "{{ k }}"}  # fmt: skip
PLAIN = {"id": "p", "type": "essay", "prompt": "Why?"}


def test_templates_leave_the_questions_and_remember_their_place() -> None:
    bank = Bank.model_validate({"questions": [PLAIN, TEMPLATE, {**PLAIN, "id": "q"}]})
    assert [q.id for q in bank.questions] == ["p", "q"]
    (template,) = bank.templates
    assert (template.position, template.fields) == (1, {"prompt": "p", "answer": "{{ k }}"})
    assert bank.yaml_positions() == [0, 2]
    assert [item.id for _, item in bank.placed()] == ["p", "t", "q"]


def test_a_bank_dumps_its_templates_back_in_place() -> None:
    authored = {"questions": [PLAIN, TEMPLATE, {**PLAIN, "id": "q"}]}
    dumped = Bank.model_validate(authored).model_dump(exclude_unset=True)
    assert dumped["questions"][1] == TEMPLATE
    assert Bank.model_validate(dumped) == Bank.model_validate(authored)


def test_templates_is_not_a_key_authors_write() -> None:
    with pytest.raises(ValueError, match="unknown key `templates`"):
        Bank.model_validate({"questions": [], "templates": []})


def test_template_keys_are_checked_at_their_lines(bank: BankFile) -> None:
    bank.write("""\
  - id: fine
    type: essay
    prompt: Why?
  - id: "bad#id"
    type: output
    variants: 501
    params: x = 1
    prompt: p
  - id: typo
    type: outptu
    variants: 2
    params: x = 1
""")
    with pytest.raises(qbank.BankLoadError) as caught:
        qbank.load(str(bank.path))
    found = {(p.question, p.line, p.code) for p in caught.value.problems}
    assert found == {
        ("bad#id", bank.line('- id: "bad#id"'), "invalid-value"),
        ("bad#id", bank.line("variants: 501"), "invalid-value"),
        ("typo", bank.line("type: outptu"), "invalid-value"),
    }


def test_what_params_prints_is_not_read_as_values(bank: BankFile) -> None:
    """Printed output is not read; the driver's mark written to the file descriptor is an
    error, not a traceback."""
    report = bank.write("""\
  - id: noisy
    type: output
    variants: 2
    params: |
      import sys
      print("\\x1eqbank-variant {}")
      n = rng.randint(1, 10**9)
    prompt: What does this print?
    code: print({{ n }})
""").validate()
    assert report.ok, [p.format() for p in report.problems]
    assert [sorted(v.params) for s in report.variants for v in s.variants] == [["n"], ["n"]]
    text = bank.path.read_text(encoding="utf-8").replace("import sys", "import os")
    bank.path.write_text(text.replace('print("', 'os.write(1, b"').replace('{}")', '{}\\n")'))
    (problem,) = bank.of(bank.validate(), "params-error")
    assert "lines the driver did not" in problem.message


def test_the_schema_takes_variants_and_placeholders_on_every_type() -> None:
    schema = bank_schema()
    for kind in QUESTION_TYPES.values():
        properties = schema["$defs"][kind.__name__]["properties"]
        assert {"variants", "params"} <= set(properties), kind.__name__
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate({"questions": [TEMPLATE]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"questions": [{**TEMPLATE, "answer": "{{ k + 1 }}"}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"questions": [{**TEMPLATE, "variants": 501}]})
