"""Each variant is proven like a plain question, and the variants of a question must differ."""

from __future__ import annotations

import re

from helpers_variants import Bank

TWO_VERSIONS = """\
  - id: coin
    type: output
    variants: 6
    params: |
      n = rng.choice([1, 2])
    prompt: What does this print?
    code: |
      print({{ n }} * 10)
"""

SOME_WRONG = """\
  - id: halves
    type: numerical
    variants: 12
    params: |
      a = rng.randint(1, 600)
      key = a // 2 if a % 3 else a // 2 + 1   # wrong when a is a multiple of 3
    prompt: What is `{{ a }} // 2`?
    code: |
      result = {{ a }} // 2
    answer: "{{ key }}"
    check: |
      assert result == answer
"""


def test_two_versions_asked_for_six_times_fail_as_duplicates(bank: Bank) -> None:
    report = bank.write(TWO_VERSIONS).validate()
    duplicates = bank.of(report, "variant-duplicate")
    values = {v.question: v.params["n"] for s in report.variants for v in s.variants}
    assert sorted(set(values.values())) == ["1", "2"]
    assert len(duplicates) == 6 - 2  # every variant after the first of its version
    for problem in duplicates:
        first, later = re.findall(r"coin#\d", problem.message)[:2]
        assert problem.question == later and values[first] == values[later]
        assert f"(n={values[later]})" in problem.message
        assert problem.line == bank.line("- id: coin")
    assert not report.ok


def test_a_key_formula_wrong_for_some_variants_fails_on_exactly_those(bank: Bank) -> None:
    report = bank.write(SOME_WRONG).validate()
    drawn = {v.question: int(v.params["a"]) for s in report.variants for v in s.variants}
    wrong = {vid for vid, a in drawn.items() if a % 3 == 0}
    assert wrong and wrong != set(drawn), "the seeds must draw both kinds"
    assert {p.code for p in report.problems} == {"key-refuted"}
    assert {p.question for p in report.problems} == wrong
    failed = {q for (_, q), r in report.results.items() if r.state == "failed"}
    assert failed == wrong
    for problem in report.problems:
        first_line = problem.message.splitlines()[0]
        assert first_line.endswith(
            f"(a={drawn[str(problem.question)]}, key={drawn[str(problem.question)] // 2 + 1})"
        )


def test_a_distractor_equal_to_its_output_is_an_error_naming_the_variant(bank: Bank) -> None:
    report = bank.write("""\
  - id: echo
    type: output
    variants: 4
    params: |
      n = rng.randint(1, 6)
      wrong = n if n % 2 else n + 1    # what the code prints, for odd n
    prompt: What does this print?
    code: print({{ n }})
    choices: ["{{ wrong }}", "nothing"]
""").validate()
    drawn = {v.question: int(v.params["n"]) for s in report.variants for v in s.variants}
    odd = {vid for vid, n in drawn.items() if n % 2}
    assert odd and odd != set(drawn)
    holds = bank.of(report, "distractor-holds")
    assert {p.question for p in holds} == odd
    assert all(p.line == bank.line('choices: ["{{ wrong }}"') for p in holds)
    assert all(f"(n={drawn[str(p.question)]}, wrong=" in p.message for p in holds)


def test_a_generated_option_equal_to_the_key_is_an_error_naming_the_variant(bank: Bank) -> None:
    report = bank.write("""\
  - id: double
    type: multiple_choice
    variants: 4
    params: |
      n = rng.randint(1, 6)
      key = 2 * n
      wrong = key if n % 2 else n     # the key itself for odd n
    prompt: What is `2 * {{ n }}`?
    choices:
      - {text: "{{ key }}", correct: true}
      - {text: "{{ wrong }}"}
""").validate()
    drawn = {v.question: int(v.params["n"]) for s in report.variants for v in s.variants}
    odd = {vid for vid, n in drawn.items() if n % 2}
    assert odd and odd != set(drawn)
    same = bank.of(report, "duplicate-option")
    assert {p.question for p in same} == odd


def test_a_fixed_key_place_in_every_variant_is_a_warning(bank: Bank) -> None:
    question = """\
  - id: bigger
    type: multiple_choice
    variants: 3
    params: |
      a, b = rng.sample(range(10, 99), 2)
      big, small = max(a, b), min(a, b)
    prompt: Which is bigger, {{ a }} or {{ b }}?
    shuffle: SHUFFLE
    choices:
      - {text: "{{ big }}", correct: true}
      - {text: "{{ small }}"}
"""
    fixed = bank.write(question.replace("SHUFFLE", "false")).validate(execute=False)
    assert [p.question for p in bank.of(fixed, "variant-key-position")] == []  # not run
    fixed = bank.write(question.replace("SHUFFLE", "false")).validate()
    (warning,) = bank.of(fixed, "variant-key-position")
    assert warning.severity == "warning" and warning.question == "bigger" and fixed.ok
    (spread,) = fixed.to_dict()["variants"]  # type: ignore[attr-defined]
    assert spread["key_spread"] == {"1": 3} and spread["shuffle"] is False
    shuffled = bank.write(question.replace("SHUFFLE", "true")).validate()
    assert bank.of(shuffled, "variant-key-position") == [] and shuffled.ok


def test_variants_are_counted_in_the_summary_and_listed_in_json(bank: Bank) -> None:
    report = bank.write(SOME_WRONG.replace("variants: 12", "variants: 4") + TWO_VERSIONS.replace(
        "variants: 6", "variants: 1")).validate()  # fmt: skip
    assert "5 variant(s) of 2 question(s)" in report.summary()
    listed = report.to_dict()["variants"]
    assert [s["question"] for s in listed] == ["halves", "coin"]  # type: ignore[index]
    first = listed[0]["variants"][0]  # type: ignore[index]
    assert first["question"] == "halves#1" and set(first["params"]) == {"a", "key"}
