"""The pieces every model is built from: the strict base, ids, sizes, limits and tags."""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

#: The newest bank format this version of qbank reads.
SCHEMA_VERSION = 1

#: The line of a ``code_choice`` template that a choice's code replaces.
PLACEHOLDER = "____"

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
BANK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*$"
REQUIREMENT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*([<>=!~]=?[^;]*)?$"

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gib": 1024**3,
}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def parse_size(value: object) -> object:
    """Turn ``512MiB`` / ``1 GB`` / ``1048576`` into a number of bytes."""
    if isinstance(value, str):
        match = _SIZE_RE.match(value)
        unit = match.group(2).lower() if match else None
        if match is None or unit not in _UNITS:
            raise ValueError(
                f"not a size: {value!r} (write e.g. 512MiB, 1GiB or a number of bytes)"
            )
        return int(float(match.group(1)) * _UNITS[unit])
    return value


Size = Annotated[
    int,
    BeforeValidator(parse_size),
    Field(ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*([kKmMgG]i?[bB]?|[bB])?\s*$"},
            ]
        }
    ),
]
Seconds = Annotated[float, Field(gt=0)]


def _number(value: object) -> int | float:
    """An int stays an int and a float a float (a key written `1` binds the int `1`);
    booleans, strings and non-finite numbers are refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return value


#: A finite number that keeps the type the author wrote: `104` is an int, `2.5` a float.
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Requirement = Annotated[str, Field(pattern=REQUIREMENT_PATTERN)]


_TAG_RE = re.compile(r"^[^\s<>`:\\](?:[^\s<>`\\]*[^\s<>`:\\])?$")


def check_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags that every platform keeps: no spaces, `<`, `>`, backticks or backslashes (Moodle
    drops or mangles them), and no `:` at either end (Anki's `::` hierarchy)."""
    for tag in tags:
        if not _TAG_RE.match(tag):
            raise ValueError(
                f"tag {tag!r} must be non-empty, without spaces, `<`, `>`, backticks or "
                "backslashes, and not start or end with `:`"
            )
    return tags


RUN_LANGUAGES = ("python", "javascript", "sql", "bash", "c")
"""The languages whose snippets qbank runs (:mod:`qbank.languages`); any other `language` is
shown and highlighted, never run."""
_LANGUAGE = {
    "anyOf": [{"enum": list(RUN_LANGUAGES)}, {"type": "string", "minLength": 1}],
    "description": "Language of the snippets: python, javascript (node), sql (SQLite), bash or "
    "c are run; any other name is highlighted, not run.",
}
LANGUAGE_SCHEMA = _LANGUAGE
"""The JSON Schema of a bank's `language` (editors offer the languages qbank runs)."""
QUESTION_LANGUAGE_SCHEMA = {"anyOf": [*_LANGUAGE["anyOf"], {"type": "null"}]} | {
    "description": "Language of the snippets (default: the bank's): python, javascript, sql, "
    "bash or c are run; any other name is highlighted, not run."
}
"""The JSON Schema of a question's `language` (null: the bank's)."""


class Strict(BaseModel):
    """The base of every model: unknown keys are errors, instances are frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
        defer_build=True,  # built on first validation: a cached bank is never validated
    )


#: The limits of one run, by name: the fields of :class:`Limits`, the ``--limit`` names.
LIMIT_NAMES = ("timeout", "memory", "output_limit", "file_limit")

#: What a limit is when neither the question, the bank nor the command line sets it.
LIMIT_DEFAULTS: dict[str, float] = {
    "timeout": 10.0,
    "memory": 1 << 30,
    "output_limit": 1 << 20,
    "file_limit": 64 << 20,
}


class Limits(Strict):
    """Resource limits of one run; unset values fall back to the bank, then to the defaults."""

    timeout: Seconds | None = None
    """Wall-clock seconds a run may take (default 10)."""
    memory: Size | None = None
    """Memory a run may use, e.g. `512MiB` or a number of bytes (default 1GiB)."""
    output_limit: Size | None = None
    """Most output a run may write to stdout or stderr, e.g. `1MiB` (default 1MiB)."""
    file_limit: Size | None = None
    """Most a run may write to files in all, e.g. `64MiB` (default 64MiB): its working folder,
    `/tmp`, `/var/tmp` and `/dev/shm` together."""
