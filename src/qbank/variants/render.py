"""One variant of a template: its fields filled with its values, validated as its type.

Every problem is located where the template's author wrote it: a placeholder that cannot
be filled at its field (at its very line, in a `|` block), a value Pydantic refuses at the
field's line, as the loader reports a plain question's.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from qbank.errors import Problem
from qbank.loading.locate import pydantic_problems
from qbank.loading.yamlio import LineMap
from qbank.model import QUESTION_TYPES, QuestionBase
from qbank.model.templates import TemplateError, is_whole, render_value
from qbank.model.variants import Template, variant_id

Loc = tuple[str | int, ...]


class Misplaced(Exception):
    """A placeholder that cannot be filled, at `loc` (and 1-based `line` of its text)."""

    def __init__(self, loc: Loc, line: int, error: TemplateError) -> None:
        super().__init__(str(error))
        self.loc, self.line, self.error = loc, line, error


def fill(value: Any, values: dict[str, object], loc: Loc) -> Any:
    """`value` filled in (as :func:`render_value` does), raising :class:`Misplaced`."""
    if isinstance(value, list | tuple):
        return [fill(item, values, (*loc, i)) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            _fill_key(k, values, loc): fill(v, values, (*loc, k) if isinstance(k, str) else loc)
            for k, v in value.items()
        }
    try:
        return render_value(value, values)
    except TemplateError as error:
        raise Misplaced(loc, _line_in(value, values), error) from None


def _fill_key(key: object, values: dict[str, object], loc: Loc) -> object:
    try:
        return render_value(key, values) if isinstance(key, str) else key
    except TemplateError as error:
        raise Misplaced((*loc, str(key)), 1, error) from None


def _line_in(text: object, values: dict[str, object]) -> int:
    """The 1-based line of `text` whose placeholder fails (1 if none fails alone)."""
    if not isinstance(text, str):
        return 1
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            render_value(line, values)
        except TemplateError:
            return number
    return 1


def build(
    path: str, template: Template, k: int, values: dict[str, object], lines: LineMap
) -> tuple[QuestionBase | None, list[Problem]]:
    """Variant `k` as a question of its type (None, with problems, if it is not one)."""
    place = ("questions", template.position)
    try:
        filled = fill(template.fields, values, place)
    except Misplaced as bad:
        line = lines.snippet_line(bad.loc, bad.line)
        return None, [Problem(path, line, str(bad.error), "template-error", question=template.id)]
    data = {"id": template.id, "type": template.type, **filled}
    for attempt in range(2):
        try:
            question = QUESTION_TYPES[template.type].model_validate(data)
        except ValidationError as exc:
            if attempt == 0 and _as_text(data, template.fields, exc):
                continue
            raw = {"questions": [{}] * template.position + [data]}
            return None, pydantic_problems(path, exc, raw, lines, prefix=place)
        break
    return question.model_copy(update={"id": variant_id(template.id, k)}), []


_WANTS_TEXT = frozenset({"string_type", "model_type", "dict_type", "model_attributes_type"})


def _as_text(data: dict[str, Any], fields: dict[str, Any], error: ValidationError) -> bool:
    """Replace by its `str` each number or boolean that a whole placeholder put where text
    belongs (``text: "{{ big }}"`` with `big` an int); whether any was replaced."""
    changed = False
    for item in error.errors(include_url=False):
        if item["type"] not in _WANTS_TEXT:
            continue
        found = _walk(data, fields, item["loc"])
        if found is not None:
            container, key = found
            container[key] = str(container[key])
            changed = True
    return changed


def _walk(data: Any, raw: Any, loc: tuple[Any, ...]) -> tuple[Any, Any] | None:
    """The (container, key) of `loc` in `data` if its raw value is one placeholder that
    gave a number or boolean; parts of `loc` that index nothing (union tags) are skipped."""
    parent: Any = None
    key: Any = None
    for part in loc:
        holds = isinstance(data, dict) and part in data
        holds = holds or (isinstance(data, list) and isinstance(part, int) and part < len(data))
        if not holds:
            continue
        parent, key, data = data, part, data[part]
        raw = raw[part] if isinstance(raw, dict | list) and _has(raw, part) else None
    if parent is None or not is_whole(raw) or not isinstance(data, int | float):
        return None  # bool is an int
    return parent, key


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(part, int) and part < len(container)


__all__ = ["Misplaced", "build", "fill"]
