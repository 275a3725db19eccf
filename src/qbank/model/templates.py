"""The ``{{ name }}`` placeholders of a question with variants, filled with one variant's values.

A question with ``variants: N`` and ``params`` (hidden Python run once per variant) is a
template: every text and snippet field may hold ``{{ name }}`` for a name ``params``
defines. Only that is evaluated — no filters, no expressions, no statements — so a bank
cannot do in a template what it could not do in its snippets, and what is shown is exactly
what was proven.

* ``{{ name }}`` inside a longer text becomes ``str(value)`` (Jinja's rule).
* A value that is exactly one placeholder (``answer: "{{ key }}"``, a choice's ``value``)
  takes the value itself, of any type, so keys and values can be computed (where the field
  takes text and the value is a number or a boolean, expansion uses its ``str``).
* ``\\{{`` is a literal ``{{`` (Python's f-strings write ``{{`` for a brace, so code in a
  template escapes it); no other backslash is touched.
* Anything else between ``{{`` and ``}}`` is an error naming it, as is a name ``params``
  does not define (strict: never an empty string in place of a typo).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(r"\\\{\{|\{\{(.*?)\}\}", re.S)
_WHOLE = re.compile(rf"\A\{{\{{\s*({_NAME})\s*\}}\}}\Z")
_PLACEHOLDER = re.compile(rf"\A\s*({_NAME})\s*\Z")
ESCAPE = "\\{{"
"""How a template writes a literal ``{{``."""


@dataclass(frozen=True)
class TemplateError(ValueError):
    """A placeholder that cannot be filled: an undefined name, or not just a name."""

    message: str

    def __str__(self) -> str:
        return self.message


def names_in(text: str) -> list[str]:
    """The names `text` uses, in order, each once (a malformed placeholder raises)."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        if match.group(0) == ESCAPE:
            continue
        name = _name_of(match.group(1))
        if name not in found:
            found.append(name)
    return found


def _name_of(inner: str) -> str:
    match = _PLACEHOLDER.match(inner)
    if match is None:
        raise TemplateError(
            f"`{{{{{inner}}}}}` is not a placeholder: only `{{{{ name }}}}` is filled (no "
            f"filters or expressions); write `{ESCAPE}` for a literal `{{{{`"
        )
    return match.group(1)


def is_whole(value: object) -> bool:
    """Whether `value` is exactly one placeholder (so it takes the value itself)."""
    return isinstance(value, str) and _WHOLE.match(value) is not None


def render_text(text: str, values: Mapping[str, object]) -> str:
    """`text` with every ``{{ name }}`` replaced by ``str(value)`` and ``\\{{`` by ``{{``."""

    def fill(match: re.Match[str]) -> str:
        if match.group(0) == ESCAPE:
            return "{{"
        name = _name_of(match.group(1))
        if name not in values:
            raise TemplateError(_undefined(name, values))
        return str(values[name])

    return _TOKEN.sub(fill, text)


def render_value(value: object, values: Mapping[str, object]) -> object:
    """A field's value filled in: a string that is one placeholder becomes the value itself;
    other strings are rendered; lists and mappings are filled item by item (their keys too)."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole is not None:
            name = whole.group(1)
            if name not in values:
                raise TemplateError(_undefined(name, values))
            return values[name]
        return render_text(value, values) if "{{" in value else value
    if isinstance(value, list | tuple):
        return [render_value(item, values) for item in value]
    if isinstance(value, dict):
        return {
            (render_text(k, values) if isinstance(k, str) else k): render_value(v, values)
            for k, v in value.items()
        }
    return value


def _undefined(name: str, values: Mapping[str, object]) -> str:
    defined = ", ".join(f"`{n}`" for n in sorted(values)) or "nothing"
    return f"`{{{{ {name} }}}}`: `params` does not define `{name}` (it defines {defined})"


__all__ = ["ESCAPE", "TemplateError", "is_whole", "names_in", "render_text", "render_value"]
