"""The keys of a question's variants, once proven: what each variant's right answer is, how
many differ, and a warning when they are all the same.

Variants whose keys are all equal give every learner the same answer to copy, whatever
else differs: `variant-same-key` (a warning: the author may mean it, as with a true/false
whose statement changes but stays true). The key is what a learner must give: an `output`
question's output (computed by its run, else authored), a numerical answer with its
tolerance, the accepted short answers, true or false, the right options as shown, the
matching pairs.
"""

from __future__ import annotations

from qbank.errors import Problem
from qbank.model import (
    Collection,
    Matching,
    Numerical,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
from qbank.report import QuestionResult, VariantSet


def key_of(question: QuestionBase, result: QuestionResult | None) -> str | None:
    """What a learner must answer to `question`, as text (None: not known, an output never
    computed, an essay)."""
    if isinstance(question, Output) and not question.choices:
        computed = result.computed_answer if result is not None else None
        found = computed if computed is not None else question.answer
        return found.rstrip() if found is not None else None
    if isinstance(question, Numerical):
        return (
            f"{question.answer} ± {question.tolerance}"
            if question.tolerance
            else str(question.answer)
        )
    if isinstance(question, ShortAnswer):
        return " | ".join(question.answers)
    if isinstance(question, TrueFalse):
        return "true" if question.answer else "false"
    if isinstance(question, Matching):
        return " | ".join(f"{p.left} -> {p.right}" for p in question.pairs)
    right = [c.shown.strip() for c in question.choices_list if c.correct]
    return " | ".join(right) if right else None


def record_keys(
    sets: list[VariantSet], collection: Collection, results: dict[tuple[str, str], QuestionResult]
) -> list[Problem]:
    """Fill each variant's `key` in `sets`; `variant-same-key` for each question whose
    variants (two or more, every key known) all have the same one."""
    questions = {(b.id, q.id): q for b in collection for q in b.bank.questions}
    problems = []
    for variants in sets:
        for variant in variants.variants:
            question = questions.get((variants.bank, variant.question))
            if question is not None:
                result = results.get((variants.bank, variant.question))
                variant.key = key_of(question, result)
        keys = {v.key for v in variants.variants}
        if len(variants.variants) < 2 or len(keys) != 1:
            continue
        (key,) = keys
        if key is None:
            continue
        shown = key if len(key) <= 60 else key[:57] + "..."
        problems.append(
            Problem(
                variants.path,
                variants.line,
                f"all {len(variants.variants)} variants of {variants.question} have the same "
                f"key ({shown!r}): learners can share the answer; make `params` change it",
                "variant-same-key",
                "warning",
                question=variants.question,
            )
        )
    return problems


__all__ = ["key_of", "record_keys"]
