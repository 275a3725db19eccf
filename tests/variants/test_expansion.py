"""Expansion: `params` run once per template, its values filled in, problems at their lines."""

from __future__ import annotations

import hashlib
import random

import pytest
from helpers_variants import Bank

import qbank
from qbank.model.variants import variant_seed

SLICE = """\
  - id: slice-tail
    type: output
    variants: 5
    params: |
      n = rng.randint(4, 30)
      k = rng.randint(1, n - 2)
    prompt: What does this print?
    code: |
      xs = list(range({{ n }}))
      print(xs[{{ k }}:])
"""

PLAIN_AFTER = """\
  - id: after
    type: output
    prompt: What does this print?
    code: print(1 + 1)
    answer: "3"
"""


def test_the_seed_is_the_sha256_of_bank_question_and_number() -> None:
    digest = hashlib.sha256(b"var\0slice-tail\x003").hexdigest()
    assert variant_seed("var", "slice-tail", 3) == int(digest[:16], 16)
    assert variant_seed("var", "slice-tail", 3) != variant_seed("var", "slice-tail", 4)


def test_variants_are_drawn_from_the_seeds_and_the_same_every_time(bank: Bank) -> None:
    first = bank.write(SLICE).validate(cache=False)
    second = bank.write(SLICE).validate(cache=False)
    assert first.ok, [p.format() for p in first.problems]
    drawn = [(v.question, v.params) for s in first.variants for v in s.variants]
    assert drawn == [(v.question, v.params) for s in second.variants for v in s.variants]
    for k, (vid, params) in enumerate(drawn, start=1):
        rng = random.Random(variant_seed("var", "slice-tail", k))
        n = rng.randint(4, 30)
        assert vid == f"slice-tail#{k}" and params == {
            "n": repr(n),
            "k": repr(rng.randint(1, n - 2)),
        }
    computed = {q: r.computed_answer for (_, q), r in first.results.items()}
    for vid, params in drawn:
        n, k = int(params["n"]), int(params["k"])
        assert computed[vid] == f"{list(range(n))[k:]}\n"


def test_an_undefined_name_is_a_problem_at_its_line(bank: Bank) -> None:
    report = bank.write(SLICE.replace("print(xs[{{ k }}:])", "print(xs[{{ kk }}:])")).validate()
    (problem,) = bank.of(report, "template-error")
    assert problem.line == bank.line("print(xs[{{ kk }}:])")
    assert "`kk`" in problem.message and "defines `k`, `n`" in problem.message
    assert problem.question == "slice-tail#1" and not report.ok


def test_params_that_raise_are_a_problem_at_their_line_naming_the_variant(bank: Bank) -> None:
    raising = SLICE.replace("k = rng.randint(1, n - 2)", "k = 1 // (n % 2)")
    report = bank.write(raising).validate()
    (problem,) = bank.of(report, "params-error")
    assert problem.line == bank.line("k = 1 // (n % 2)")
    assert "ZeroDivisionError" in problem.message and "line 2 of `params`" in problem.message
    assert problem.question is not None and problem.question.startswith("slice-tail#")
    even = [
        k
        for k in range(1, 6)
        if random.Random(variant_seed("var", "slice-tail", k)).randint(4, 30) % 2 == 0
    ]
    assert problem.question == f"slice-tail#{even[0]}"
    assert sorted(q for _, q in report.results) == [
        f"slice-tail#{k}" for k in range(1, 6) if k not in even
    ]


def test_a_value_that_is_not_a_literal_is_a_problem_naming_it(bank: Bank) -> None:
    report = bank.write(SLICE.replace("k = rng.randint(1, n - 2)", "k = object()")).validate()
    (problem,) = bank.of(report, "params-error")
    assert "`k` is a object" in problem.message and "not a literal" in problem.message
    assert problem.question == "slice-tail#1" and "(and 4 more variant(s))" in problem.message


def test_params_that_do_not_compile_are_one_problem(bank: Bank) -> None:
    report = bank.write(SLICE.replace("k = rng.randint(1, n - 2)", "k = (")).validate()
    (problem,) = bank.of(report, "params-error")
    assert "does not compile" in problem.message and problem.question == "slice-tail"
    assert problem.line == bank.line("params: |")


def test_without_execution_each_template_is_one_warning(bank: Bank) -> None:
    report = bank.write(SLICE + SLICE.replace("slice-tail", "other") + PLAIN_AFTER).validate(
        execute=False
    )
    warned = bank.of(report, "params-not-run")
    assert [(p.question, p.line) for p in warned] == [
        ("slice-tail", bank.line("params: |")),
        ("other", bank.line("params: |") + SLICE.count("\n")),
    ]
    assert all(p.severity == "warning" for p in warned) and report.ok
    assert [q for _, q in report.results] == ["after"]


def test_plain_questions_after_a_template_keep_their_lines(bank: Bank) -> None:
    report = bank.write(SLICE + PLAIN_AFTER + "    bogus: 1\n").validate()
    (unknown,) = bank.of(report, "unknown-key")
    assert (unknown.question, unknown.line) == ("after", bank.line("bogus: 1"))
    report = bank.write(SLICE + PLAIN_AFTER).validate()
    (wrong,) = bank.of(report, "answer-mismatch")
    assert (wrong.question, wrong.line) == ("after", bank.line('answer: "3"'))
    result = report.result("var", "after")
    assert result is not None and result.line == bank.line("- id: after")
    first = report.result("var", "slice-tail#1")
    assert first is not None and first.line == bank.line("- id: slice-tail")


def test_a_second_validation_runs_nothing(bank: Bank, runs: list[int]) -> None:
    bank.write(SLICE + PLAIN_AFTER.replace('"3"', '"2"'))
    first = bank.validate()
    assert first.ok and sum(runs) == 1 + 5 + 1  # params, five variants, the plain question
    runs.clear()
    second = bank.validate()
    assert sum(runs) == 0, second.summary()
    assert second.counts() == {**first.counts(), "from cache": 6}
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]


def test_params_without_variants_is_an_error_at_the_question(bank: Bank) -> None:
    bank.write(SLICE.replace("    variants: 5\n", ""))
    with pytest.raises(qbank.BankLoadError) as caught:
        qbank.load(str(bank.path))
    (problem,) = caught.value.problems
    assert problem.code == "missing-key" and "`variants`" in problem.message
    assert (problem.question, problem.line) == ("slice-tail", bank.line("- id: slice-tail"))


def test_loading_keeps_templates_apart_and_validation_expands_them(bank: Bank) -> None:
    bank.write(PLAIN_AFTER + SLICE)
    (loaded,) = qbank.load(str(bank.path)).banks
    assert [q.id for q in loaded.bank.questions] == ["after"]
    (template,) = loaded.bank.templates
    assert (template.id, template.position, template.variants) == ("slice-tail", 1, 5)
    assert loaded.question_line(0) == bank.line("- id: after")
    report = bank.validate()
    (expanded,) = report.collection.banks
    assert [q.id for q in expanded.bank.questions] == [
        "after",
        *(f"slice-tail#{k}" for k in range(1, 6)),
    ]
