"""Turning Pydantic's validation errors into problems at YAML lines, with "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from qbank.errors import Problem
from qbank.loading.yamlio import LineMap
from qbank.model import QUESTION_TYPES, Bank, Choice, Expect, Pair
from qbank.model.variants import positions

_CHILD_MODELS: dict[str, type[BaseModel]] = {
    "choices": Choice,
    "expect": Expect,
    "pairs": Pair,
}


def pydantic_problems(
    path: str,
    error: ValidationError,
    raw: dict[Any, Any],
    lines: LineMap,
    prefix: tuple[str | int, ...] = (),
) -> list[Problem]:
    """One problem per Pydantic error, at the line of the offending key or value (`prefix`:
    where in the bank the validated value is, when it is not the whole bank)."""
    problems = []
    items = error.errors(include_url=False)
    listed = raw.get("questions")
    places = positions(listed) if isinstance(listed, list) else ([], [])  # once: not per error
    locs = [_authored_loc((*prefix, *_clean_loc(item["loc"], raw)), places) for item in items]
    inner = _proper_prefixes(locs)
    for item, loc in zip(items, locs, strict=True):
        if item["type"] == "too_short" and loc in inner:
            continue  # the list is short only because some of its items are invalid
        problems.append(
            Problem(
                path,
                lines.line(loc),
                _message(item, loc, raw),
                _code(item["type"]),
                question=_question_id(loc, raw),
            )
        )
    return sorted(set(problems), key=lambda p: (p.line, p.message))


def _clean_loc(loc: Sequence[str | int], raw: dict[Any, Any]) -> tuple[str | int, ...]:
    """Drop the union tag Pydantic inserts after a question's index (and validator names)."""
    cleaned: list[str | int] = []
    for i, part in enumerate(loc):
        after_question = i == 2 and loc[0] == "questions"
        if after_question and isinstance(part, str) and part in QUESTION_TYPES:
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _authored_loc(
    loc: tuple[str | int, ...], places: tuple[list[int], list[int]]
) -> tuple[str | int, ...]:
    """The location in the file: Pydantic counts plain questions and templates (questions
    with `variants`) apart, the YAML list holds both (`places`: the YAML positions of each,
    :func:`qbank.model.variants.positions`)."""
    if len(loc) < 2 or not isinstance(loc[1], int):
        return loc
    plain, templates = places
    if loc[0] == "questions" and loc[1] < len(plain):
        return ("questions", plain[loc[1]], *loc[2:])
    if loc[0] == "templates" and loc[1] < len(templates):
        rest = loc[3:] if loc[2:3] == ("fields",) else loc[2:]
        return ("questions", templates[loc[1]], *rest)
    return loc


def _proper_prefixes(locs: list[tuple[str | int, ...]]) -> set[tuple[str | int, ...]]:
    """Every location some error lies inside (a set: asking each error of each other one
    made 2,000 errors cost seconds)."""
    return {other[:length] for other in locs for length in range(len(other))}


def _question_id(loc: Sequence[str | int], raw: dict[Any, Any]) -> str | None:
    if len(loc) < 2 or loc[0] != "questions" or not isinstance(loc[1], int):
        return None
    questions = raw.get("questions")
    if isinstance(questions, list) and loc[1] < len(questions):
        question = questions[loc[1]]
        if isinstance(question, dict) and isinstance(question.get("id"), str):
            return str(question["id"])
        return f"#{loc[1] + 1}"
    return None


def _model_at(loc: Sequence[str | int], raw: dict[Any, Any]) -> type[BaseModel] | None:
    """The model whose keys are allowed at the mapping holding `loc`'s last key."""
    parent = loc[:-1]
    if not parent:
        return Bank
    if parent[0] == "questions" and len(parent) >= 2:
        questions = raw.get("questions") or []
        question = questions[parent[1]] if isinstance(parent[1], int) else None
        kind = question.get("type") if isinstance(question, dict) else None
        if len(parent) == 2:
            return QUESTION_TYPES.get(kind) if isinstance(kind, str) else None
        return _CHILD_MODELS.get(str(parent[2]))
    return None


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _message(item: Any, loc: Sequence[str | int], raw: dict[Any, Any]) -> str:
    kind = item["type"]
    key = str(loc[-1]) if loc else "bank"
    if loc and isinstance(loc[-1], int) and len(loc) >= 2 and isinstance(loc[-2], str):
        key = f"{loc[-2]}[{loc[-1]}]"  # an item of a list: `tags[0]`, not `0`
    where = _describe(loc)
    if kind == "extra_forbidden":
        model = _model_at(loc, raw)
        hint = _did_you_mean(key, list(model.model_fields)) if model else ""
        return f"unknown key `{key}` in {_describe(loc[:-1])}{hint}"
    if kind == "union_tag_invalid":
        tag = str(item["ctx"].get("tag", ""))
        return f"unknown question type `{tag}`{_did_you_mean(tag, list(QUESTION_TYPES))}" + (
            ""
            if _did_you_mean(tag, list(QUESTION_TYPES))
            else f" (one of {', '.join(QUESTION_TYPES)})"
        )
    if kind == "union_tag_not_found":
        return f"a question needs a `type`: one of {', '.join(QUESTION_TYPES)}"
    if kind == "missing":
        return f"missing required key `{key}` in {_describe(loc[:-1])}"
    if kind in ("tuple_type", "list_type"):
        return f"{where} must be a list, not {_shown(item.get('input'))}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{where} must be a mapping, not {_shown(item.get('input'))}"
    if kind == "string_pattern_mismatch" and key == "id":
        return (
            f"`id` {_shown(item.get('input'))} must start with a letter or digit and hold only "
            "letters, digits, `_`, `.` and `-`"
            + (" (and `/` between parts)" if len(loc) == 1 else "")
        )
    if kind == "too_short":
        ctx = item.get("ctx", {})
        return f"`{key}` needs at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    message = str(item["msg"]).removeprefix("Value error, ")
    hint = _null_hint(item.get("input"), kind)
    return f"`{key}`: {message} (got {_shown(item.get('input'))}){hint}"


def _null_hint(value: object, kind: str) -> str:
    """For a text that YAML read as null, boolean or a number: how to keep it text."""
    if kind == "string_type" and (value is None or isinstance(value, bool | int | float)):
        return '; YAML reads a bare null, yes/no, true/false or a number as that value: quote it ("null")'
    return ""


def _describe(loc: Sequence[str | int]) -> str:
    if not loc:
        return "the bank"
    if loc[0] == "questions" and len(loc) >= 2 and isinstance(loc[1], int):
        rest = loc[2:]
        if not rest:
            return "the question"
        if rest[0] in ("choices", "pairs") and len(rest) >= 2 and isinstance(rest[1], int):
            noun = "choice" if rest[0] == "choices" else "pair"
            return (
                f"{noun} {rest[1] + 1}"
                if len(rest) <= 2
                else f"`{rest[-1]}` of {noun} {rest[1] + 1}"
            )
        return f"`{'.'.join(str(p) for p in rest)}`"
    return f"`{'.'.join(str(p) for p in loc)}`"


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _code(kind: str) -> str:
    return {
        "extra_forbidden": "unknown-key",
        "union_tag_invalid": "unknown-type",
        "union_tag_not_found": "missing-type",
        "missing": "missing-key",
    }.get(kind, "wrong-type" if kind.endswith("_type") or "parsing" in kind else "invalid-value")
