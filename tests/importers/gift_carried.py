"""What GIFT carries of a bank question, side by side with what the GIFT importer read back:
the round-trip tests compare the two field by field (tests/importers/test_gift_import.py)."""

from __future__ import annotations

from typing import Any

from qbank.exporters.display import shown_choice
from qbank.exporters.gift.weights import answer_weights
from qbank.importers.base import ImportedQuestion
from qbank.model import LoadedBank, QuestionBase

#: The type a question comes back as: GIFT has multiple choice and short answer only.
GIFT_TYPE = {"code_choice": "multiple_choice", "bug": "multiple_choice"}


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _code(value: str | None) -> str | None:
    return value.strip("\n") if value is not None else None


def carried(loaded: LoadedBank, q: QuestionBase) -> dict[str, Any]:
    """The fields of `q` that its GIFT form carries, as the importer should give them."""
    kind = GIFT_TYPE.get(q.type, q.type)
    if q.type == "output":
        kind = "multiple_choice" if q.choices_list else "short_answer"
    fields: dict[str, Any] = {
        "name": f"{loaded.id}/{q.id}",
        "type": kind,
        "title": _text(q.title),
        "prompt": _text(q.prompt),
        "code": _code(q.code),
        "language": (q.language or loaded.bank.language) if q.code is not None else None,
        "explanation": _text(q.explanation),
        "tags": list(dict.fromkeys((*loaded.bank.tags, *q.tags))) or None,
    }
    weights = answer_weights(q.choices_list).weights if q.type == "multiple_answers" else None
    if q.choices_list and q.type != "output":
        choices = []
        for index, choice in enumerate(q.choices_list):
            shown = shown_choice(q, choice)
            content = _text(shown.content) if shown.kind == "text" else _code(shown.content)
            item: dict[str, Any] = {"text" if shown.kind == "text" else "code": content}
            item["correct"] = choice.correct
            item["feedback"] = _text(choice.feedback)
            item["weight"] = weights[index] if weights else None
            choices.append(item)
        fields["choices"] = choices
    for key in ("answer", "answers", "tolerance"):
        value = getattr(q, key, None)
        fields[key] = list(value) if isinstance(value, tuple) else value
    if q.type == "numerical" and not fields["tolerance"]:
        fields["tolerance"] = None
    if q.type == "matching":
        fields["pairs"] = [{"left": p.left, "right": p.right} for p in q.pairs]  # type: ignore[attr-defined]
        fields["distractors"] = list(q.distractors) or None  # type: ignore[attr-defined]
    if q.type == "output":
        fields["answer"] = fields["answers"] = None
    return fields


def read_back(imported: ImportedQuestion) -> dict[str, Any]:
    """The same fields, from what the importer gave."""
    data = imported.data
    fields: dict[str, Any] = {
        "name": imported.title,
        "type": data["type"],
        "title": data.get("title"),
        "prompt": _text(data.get("prompt")),
        "code": _code(data.get("code")),
        "language": data.get("language"),
        "explanation": _text(data.get("explanation")),
        "tags": data.get("tags"),
    }
    if "choices" in data:
        fields["choices"] = [
            {
                "text" if "text" in c else "code": _text(c["text"])
                if "text" in c
                else _code(c["code"]),
                "correct": c.get("correct", False),
                "feedback": c.get("feedback"),
                "weight": float(c["weight"]) if "weight" in c else None,
            }
            for c in data["choices"]
        ]
    for key in ("answer", "answers", "tolerance", "pairs", "distractors"):
        if key in data or key in ("answer", "answers", "tolerance"):
            fields[key] = data.get(key)
    return fields


def differences(loaded: LoadedBank, q: QuestionBase, imported: ImportedQuestion) -> set[str]:
    """The fields that differ between `q` and what was imported of its GIFT form."""
    want, got = carried(loaded, q), read_back(imported)
    if q.type == "output" and "choices" in got:
        got.pop("choices")
    if q.type == "output":
        got["answers"] = None
    return {key for key in want.keys() | got.keys() if want.get(key) != got.get(key)}
