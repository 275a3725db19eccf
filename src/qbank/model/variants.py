"""A question with variants (``variants: N`` and ``params``): a template, kept apart.

A template cannot be validated as its type: ``answer: "{{ key }}"`` is not a number until
``params`` has run. So a bank's ``questions:`` list is split before validation: mappings with
``variants`` or ``params`` become :class:`Template`\\ s (their fields kept raw, their place in
the list remembered), the others are validated as questions. Expansion (``qbank.variants``)
later runs ``params`` and validates each variant as a plain question.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field, field_validator

from qbank.model.base import ID_PATTERN, Strict
from qbank.model.questions import QUESTION_TYPES

MAX_VARIANTS = 500
"""The most variants one template may ask for (each is proven like a question)."""

TEMPLATE_KEYS = ("variants", "params")
"""The keys that make a question mapping a template."""


class Template(Strict):
    """A question with variants, as authored: what expansion needs, the rest raw."""

    position: int = Field(ge=0)
    """Its place in the bank's `questions:` list (where its problems are reported)."""
    id: str = Field(pattern=ID_PATTERN, max_length=110)
    """The question's id; variant k is `id#k`."""
    type: str
    """The question type every variant has."""
    variants: int = Field(ge=1, le=MAX_VARIANTS)
    """How many variants to generate (1 to 500)."""
    params: str = Field(min_length=1)
    """Hidden Python run once per variant, with `rng` a seeded `random.Random`."""
    fields: dict[str, Any] = Field(default_factory=dict)
    """Every other key of the question, raw: filled and validated per variant."""

    @field_validator("type")
    @classmethod
    def _known_type(cls, kind: str) -> str:
        if kind not in QUESTION_TYPES:
            raise ValueError(f"unknown question type `{kind}` (one of {', '.join(QUESTION_TYPES)})")
        return kind


def is_template(item: object) -> bool:
    """Whether a raw `questions:` item is a template (has `variants` or `params`)."""
    return isinstance(item, dict) and any(key in item for key in TEMPLATE_KEYS)


def split_questions(data: Any) -> Any:
    """The raw bank with its templates moved from `questions` to `templates` (each as the
    mapping a :class:`Template` validates); anything unexpected is left for Pydantic."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return data
    if "templates" in data:
        raise ValueError(
            "unknown key `templates` in the bank: templates are questions with `variants`"
        )
    items = data["questions"]
    templates = [_template_data(i, item) for i, item in enumerate(items) if is_template(item)]
    if not templates:
        return data
    plain = [item for item in items if not is_template(item)]
    return {**data, "questions": plain, "templates": templates}


def _template_data(position: int, item: dict[str, Any]) -> dict[str, Any]:
    picked = {key: item[key] for key in ("id", "type", *TEMPLATE_KEYS) if key in item}
    fields = {k: v for k, v in item.items() if k not in picked}
    return {"position": position, **picked, "fields": fields}


def template_mapping(template: Template) -> dict[str, Any]:
    """The template as its author wrote it: a question mapping with `variants` and `params`."""
    head = {"id": template.id, "type": template.type, "variants": template.variants}
    return {**head, "params": template.params, **template.fields}


def positions(items: list[Any]) -> tuple[list[int], list[int]]:
    """(positions of plain questions, positions of templates) in a raw `questions:` list."""
    plain = [i for i, item in enumerate(items) if not is_template(item)]
    return plain, [i for i, item in enumerate(items) if is_template(item)]


def variant_seed(bank_id: str, question_id: str, k: int) -> int:
    """The seed of variant `k`'s `rng`: the same on every machine and Python version (an
    int seeds `random.Random` without hashing)."""
    digest = hashlib.sha256(f"{bank_id}\0{question_id}\0{k}".encode()).hexdigest()
    return int(digest[:16], 16)


def variant_id(question_id: str, k: int) -> str:
    """The id of variant `k` (1-based) of a question."""
    return f"{question_id}#{k}"


__all__ = [
    "MAX_VARIANTS",
    "TEMPLATE_KEYS",
    "Template",
    "is_template",
    "positions",
    "split_questions",
    "template_mapping",
    "variant_id",
    "variant_seed",
]
