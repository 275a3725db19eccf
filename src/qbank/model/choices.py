"""Choices, matching pairs and declarative expectations: the parts of a question."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from qbank.model.base import Strict


class Expect(Strict):
    """Declarative expectations about a run, checked after it however it ended."""

    stdout: str | None = None
    """Exactly what the run must print to standard output."""
    stderr: str | None = None
    """Exactly what the run must print to standard error."""
    raises: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")
    """Name of the exception class the run must raise (a subclass also matches)."""
    exit_code: int | None = None
    """Exit status the run must end with (0 for a normal end)."""
    files: dict[str, str | None] | None = None
    """File name -> content the file must have after the run (`null`: must not exist)."""


def shown_value(value: object) -> str:
    """A `value` as learners see it: a string as it is, anything else (and a blank string,
    which platforms would drop as an empty option) as its Python repr."""
    return value if isinstance(value, str) and value.strip() else repr(value)


def _choice_from_string(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


class Choice(Strict):
    """One option. Written as a plain string (a wrong option) or as a mapping."""

    text: str | None = None
    """The option as Markdown text."""
    code: str | None = None
    """The option as code (shown as code; spliced into the program in `code_choice`)."""
    value: JsonValue = None
    """Data bound to `answer` when `check` runs for this option."""
    expr: str | None = None
    """A Python expression (for values YAML cannot write: `(1, 2)`, `{1, 2}`, `None` vs
    `'None'`), evaluated in the run's namespace after the program and bound to `answer` when
    `check` runs for this option; shown as its source unless `text` is given."""
    correct: bool = False
    """Whether this option is right."""
    feedback: str | None = None
    """Shown to the learner who picks this option."""
    weight: float | None = Field(default=None, ge=-100, le=100)
    """Percentage of the points this option is worth (`multiple_answers` only)."""

    @property
    def shown(self) -> str:
        """What a learner reads of this option: its text or code, else its value (see
        :func:`shown_value`)."""
        if self.text is not None:
            return self.text
        if self.code is not None:
            return self.code
        if self.expr is not None:
            return self.expr.strip()
        return shown_value(self.value)

    @property
    def has_value(self) -> bool:
        """Whether the author gave a `value` (it may be `null`)."""
        return "value" in self.model_fields_set

    @property
    def binds_answer(self) -> bool:
        """Whether `check` runs with `answer` bound for this option: it has a `value` or an
        `expr`."""
        return self.has_value or self.expr is not None

    @model_validator(mode="after")
    def _one_form(self) -> Choice:
        forms = [self.text is not None, self.code is not None, self.has_value]
        if not any(forms) and self.expr is None:
            raise ValueError("a choice needs one of `text`, `code`, `value` or `expr`")
        if self.text is not None and self.code is not None:
            raise ValueError("a choice has either `text` or `code`, not both")
        if self.expr is not None and (self.code is not None or self.has_value):
            raise ValueError("a choice with `expr` has no `code` or `value` (a `text` may show it)")
        return self


class _StringOrMappingSchema:
    """Documents in the JSON Schema that a plain string is accepted (for a choice, a file)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [{"type": "string"}, handler(core)]}


ChoiceItem = Annotated[Choice, BeforeValidator(_choice_from_string), _StringOrMappingSchema]


class FixtureFile(Strict):
    """A fixture file, written into the run's working folder before the run.

    Written as a plain string (its content; not shown to the learner) or as a mapping."""

    content: str
    """The file's text."""
    shown: bool = False
    """Show the file to the learner: every export shows it after the prompt, as code headed
    by its name (for a module the code imports, or data it reads)."""


def _file_from_string(value: object) -> object:
    return {"content": value} if isinstance(value, str) else value


FileItem = Annotated[FixtureFile, BeforeValidator(_file_from_string), _StringOrMappingSchema]


class Pair(Strict):
    """One pair of a matching question."""

    left: str = Field(min_length=1)
    """The item shown on the left (Markdown)."""
    right: str = Field(min_length=1)
    """The item it matches (plain text, shown in a drop-down)."""
