"""The keys of a question's variants: recorded per variant, counted, and a warning when
every variant has the same one (learners could share it)."""

from __future__ import annotations

from click.testing import CliRunner
from helpers_variants import Bank

from qbank.cli import main

SAME_OUTPUT = """\
  - id: parity
    type: output
    variants: 4
    params: |
      n = 2 * rng.randint(1, 10**9)
    prompt: What does this print?
    code: |
      print({{ n }} % 2)
"""

SAME_NUMBER = """\
  - id: zero
    type: numerical
    variants: 3
    params: |
      a = rng.randint(1, 10**9)
    prompt: What is `{{ a }} - {{ a }}`?
    code: |
      result = {{ a }} - {{ a }}
    answer: 0
    check: assert result == answer
"""

DIFFERENT = """\
  - id: double
    type: output
    variants: 4
    params: |
      n = rng.randint(1, 10**9)
    prompt: What does this print?
    code: |
      print({{ n }} * 2)
"""


def test_variants_whose_output_is_always_the_same_are_warned(bank: Bank) -> None:
    """Four different programs that all print 0: proven, but one answer for all."""
    report = bank.write(SAME_OUTPUT).validate()
    (problem,) = report.problems
    assert problem.code == "variant-same-key" and problem.severity == "warning"
    assert problem.question == "parity" and problem.line == bank.line("- id: parity")
    assert "all 4 variants of parity have the same key ('0')" in problem.message
    assert report.ok  # a warning
    (variants,) = report.variants
    assert [v.key for v in variants.variants] == ["0"] * 4
    assert variants.to_dict()["distinct_keys"] == 1


def test_a_number_the_same_in_every_variant_is_warned(bank: Bank) -> None:
    report = bank.write(SAME_NUMBER).validate()
    assert [p.code for p in report.problems] == ["variant-same-key"]


def test_different_keys_are_counted_and_not_warned(bank: Bank) -> None:
    report = bank.write(DIFFERENT).validate()
    assert report.problems == []
    (variants,) = report.variants
    numbers = [int(v.params["n"]) for v in variants.variants]
    assert [v.key for v in variants.variants] == [str(2 * n) for n in numbers]
    assert variants.to_dict()["distinct_keys"] == len(set(numbers))


def test_verbose_text_gives_each_variant_its_values_and_key(bank: Bank) -> None:
    """`qbank validate -v`: per question with variants, how many and how many distinct
    keys, then each variant's values and key."""
    bank.write(DIFFERENT).validate()  # fills the cache the CLI run reads
    result = CliRunner().invoke(main, ["validate", "-v", str(bank.path)])
    assert result.exit_code == 0, result.output
    report = bank.validate()
    (variants,) = report.variants
    assert f"double: 4 of 4 variants, {variants.to_dict()['distinct_keys']} distinct key(s)" in (
        result.output
    )
    for variant in variants.variants:
        line = f"    {variant.question} (n={variant.params['n']}): key '{variant.key}'"
        assert line in result.output.splitlines()
