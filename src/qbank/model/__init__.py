"""The question model: pure data, no I/O.

A **bank** (one YAML file) holds **questions**; a folder of banks is a **collection**. Every
model is strict (unknown keys are errors) and frozen. Question kinds form a union tagged on
``type``: adding a kind is one class in :mod:`qbank.model.questions` plus one entry in
:data:`Question`.

The docstring under each field is what ``qbank schema`` shows authors in their editor.

- :mod:`~qbank.model.base`: the strict base, ids, sizes, tags, limits and their defaults;
- :mod:`~qbank.model.choices`: choices, matching pairs, `expect`, fixture files;
- :mod:`~qbank.model.questions`: the question kinds;
- :mod:`~qbank.model.bank`: a bank, a loaded bank, a collection;
- :mod:`~qbank.model.rules`: rules of the format more than one stage applies (Moodle's grade
  list, the output comparison).
"""

from __future__ import annotations

from qbank.model.bank import Bank, Collection, LoadedBank, effective_limits
from qbank.model.base import (
    LIMIT_DEFAULTS,
    LIMIT_NAMES,
    PLACEHOLDER,
    SCHEMA_VERSION,
    Limits,
    Strict,
    check_tags,
    parse_size,
)
from qbank.model.choices import Choice, Expect, FixtureFile, Pair, shown_value
from qbank.model.questions import (
    QUESTION_TYPES,
    Bug,
    CodeChoice,
    Essay,
    Matching,
    MultipleAnswers,
    MultipleChoice,
    Numerical,
    Output,
    Question,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)

__all__ = [
    "LIMIT_DEFAULTS",
    "LIMIT_NAMES",
    "PLACEHOLDER",
    "QUESTION_TYPES",
    "SCHEMA_VERSION",
    "Bank",
    "Bug",
    "Choice",
    "CodeChoice",
    "Collection",
    "Essay",
    "Expect",
    "FixtureFile",
    "Limits",
    "LoadedBank",
    "Matching",
    "MultipleAnswers",
    "MultipleChoice",
    "Numerical",
    "Output",
    "Pair",
    "Question",
    "QuestionBase",
    "ShortAnswer",
    "Strict",
    "TrueFalse",
    "WithChoices",
    "check_tags",
    "effective_limits",
    "parse_size",
    "shown_value",
]
