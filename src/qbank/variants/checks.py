"""Checks of a template's variants as a set: distinct as learners see them, keys spread.

Two variants that show the learner the same thing (title, prompt, code, shown files,
options as shown) are one question twice: a learner who saw one has seen the other. Where
the options keep their authored order (`shuffle: false`), a key always at the same place
can be learned instead of the question; where platforms shuffle, the authored place says
nothing and is only reported.
"""

from __future__ import annotations

from qbank.errors import Problem
from qbank.model import FixtureFile, Matching, QuestionBase, WithChoices
from qbank.model.variants import Template


def shown(question: QuestionBase) -> tuple[object, ...]:
    """What a learner sees of a question, as a comparable value (its id left out)."""
    files = tuple(
        sorted(
            (name, item.content)
            for name, item in question.files.items()
            if isinstance(item, FixtureFile) and item.shown
        )
    )
    options = tuple(choice.shown.strip() for choice in question.choices_list)
    pairs = (
        tuple((p.left, p.right) for p in question.pairs) if isinstance(question, Matching) else ()
    )
    return (question.title, question.prompt.strip(), (question.code or "").strip(), files,
            options, pairs, question.figure)  # fmt: skip


def key_positions(question: QuestionBase) -> list[int]:
    """The 1-based places of the correct options, in the authored order (none: no options
    marked correct, as in `output` questions, whose key is `answer`)."""
    return [i + 1 for i, choice in enumerate(question.choices_list) if choice.correct]


def duplicates(path: str, line: int, variants: list[tuple[QuestionBase, str]]) -> list[Problem]:
    """`variant-duplicate` for each variant that shows what an earlier one shows."""
    seen: dict[tuple[object, ...], str] = {}
    problems = []
    for question, _ in variants:
        first = seen.setdefault(shown(question), question.id)
        if first != question.id:
            problems.append(
                Problem(
                    path,
                    line,
                    f"{first} and {question.id} are the same question as learners see it: make `params` draw values that change what is shown, or ask "
                    "for fewer `variants`",
                    "variant-duplicate",
                    question=question.id,
                )
            )
    return problems


def key_position(
    path: str, line: int, template: Template, questions: list[QuestionBase]
) -> list[Problem]:
    """`variant-key-position` when every variant, in its fixed order, has the key at the
    same place."""
    fixed = [q for q in questions if isinstance(q, WithChoices) and not q.shuffle]
    places = {tuple(key_positions(q)) for q in fixed}
    if len(fixed) < 2 or len(fixed) != len(questions) or len(places) != 1 or places == {()}:
        return []
    (place,) = places
    where = ", ".join(str(p) for p in place)
    return [
        Problem(
            path,
            line,
            f"every variant of {template.id} has its key at option {where} (`shuffle: false`): "
            "learners can learn the place instead of the answer; vary it in `params`",
            "variant-key-position",
            "warning",
            question=template.id,
        )
    ]


__all__ = ["duplicates", "key_position", "key_positions", "shown"]
