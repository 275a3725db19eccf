"""The question model: pure data, no I/O.

A **bank** (one YAML file) holds **questions**; a folder of banks is a **collection**. Every
model is strict (unknown keys are errors) and frozen. Question kinds form a union tagged on
``type``: adding a kind is one class here plus one entry in :data:`Question`.

The docstring under each field is what ``qbank schema`` shows authors in their editor.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    JsonValue,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

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


class Strict(BaseModel):
    """The base of every model: unknown keys are errors, instances are frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
    )


class Limits(Strict):
    """Resource limits of one run; unset values fall back to the bank, then to the defaults."""

    timeout: Seconds | None = None
    """Wall-clock seconds a run may take (default 10)."""
    memory: Size | None = None
    """Memory a run may use, e.g. `512MiB` or a number of bytes (default 1GiB)."""
    output_limit: Size | None = None
    """Most output a run may write to stdout or stderr, e.g. `1MiB` (default 1MiB)."""
    file_limit: Size | None = None
    """Largest file a run may write, e.g. `64MiB` (default 64MiB)."""


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
        return shown_value(self.value)

    @property
    def has_value(self) -> bool:
        """Whether the author gave a `value` (it may be `null`)."""
        return "value" in self.model_fields_set

    @model_validator(mode="after")
    def _one_form(self) -> Choice:
        forms = [self.text is not None, self.code is not None, self.has_value]
        if not any(forms):
            raise ValueError("a choice needs one of `text`, `code` or `value`")
        if self.text is not None and self.code is not None:
            raise ValueError("a choice has either `text` or `code`, not both")
        return self


class _StringOrChoiceSchema:
    """Documents in the JSON Schema that a plain string is accepted for a choice."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [{"type": "string"}, handler(core)]}


ChoiceItem = Annotated[Choice, BeforeValidator(_choice_from_string), _StringOrChoiceSchema]


class Pair(Strict):
    """One pair of a matching question."""

    left: str = Field(min_length=1)
    """The item shown on the left (Markdown)."""
    right: str = Field(min_length=1)
    """The item it matches (plain text, shown in a drop-down)."""


class QuestionBase(Limits):
    """Fields every question has."""

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    """Unique in the bank and stable forever: Anki GUIDs and GIFT titles derive from it."""
    prompt: str = Field(min_length=1)
    """The question as Markdown."""
    code: str | None = None
    """The snippet shown to the learner (run when validating)."""
    language: str | None = None
    """Language of the snippets (default: the bank's)."""
    hint: str | None = None
    """A hint shown on request."""
    explanation: str | None = None
    """Why the answer is right (Markdown; the general feedback)."""
    tags: tuple[str, ...] = ()
    """Tags of this question (added to the bank's)."""
    difficulty: Literal["easy", "medium", "hard"] | None = None
    """How hard the question is."""
    points: float = Field(default=1, gt=0)
    """Points the question is worth."""
    setup: str | None = None
    """Hidden code run before `code`; its output is not captured."""
    run: str | None = None
    """Hidden driver code run after `code`, in the same namespace."""
    check: str | None = None
    """Hidden Python assertions run after the program, with `answer`, `stdout`, `stderr` bound."""
    expect: Expect | None = None
    """Declarative expectations about the run."""
    files: dict[str, str] = Field(default_factory=dict)
    """Fixture files written into the run's working folder: name -> content."""
    requires: tuple[Requirement, ...] = ()
    """Extra modules or requirements the snippets need (added to the bank's)."""
    limits_refute: bool = False
    """Wrong options may be refuted by hitting a limit (a wrong code choice, or the buggy
    program, meant to loop forever or exhaust memory); the key never is."""

    @field_validator("tags")
    @classmethod
    def _tags_are_portable(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return check_tags(tags)

    @property
    def executes(self) -> bool:
        """Whether validation runs code for this question."""
        return any((self.run, self.check, self.expect, self.setup))

    @property
    def choices_list(self) -> tuple[Choice, ...]:
        """The question's choices, empty for kinds without any."""
        return ()


class WithChoices(QuestionBase):
    choices: tuple[ChoiceItem, ...] = Field(min_length=2)
    """The options: plain strings are wrong options; mappings carry `correct: true`."""
    shuffle: bool = True
    """Whether platforms may shuffle the options."""

    @property
    def choices_list(self) -> tuple[Choice, ...]:
        return self.choices


class MultipleChoice(WithChoices):
    """Single-answer multiple choice."""

    type: Literal["multiple_choice"]
    """The kind of question."""


class MultipleAnswers(WithChoices):
    """Multiple-answer multiple choice: any number of options may be right."""

    type: Literal["multiple_answers"]
    """The kind of question."""


class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    """The kind of question."""
    answer: bool
    """Whether the statement is true."""


class ShortAnswer(QuestionBase):
    """A typed answer compared with the accepted strings."""

    type: Literal["short_answer"]
    """The kind of question."""
    answers: tuple[str, ...] = Field(min_length=1)
    """The accepted answers."""
    case_sensitive: bool = False
    """Whether case matters when comparing answers."""


class Numerical(QuestionBase):
    """A number, right within a tolerance."""

    type: Literal["numerical"]
    """The kind of question."""
    answer: float = Field(allow_inf_nan=False)
    """The right number."""
    tolerance: float = Field(default=0, allow_inf_nan=False)
    """How far from `answer` a response may be and still be right."""


class Matching(QuestionBase):
    """Match each left item with its right item."""

    type: Literal["matching"]
    """The kind of question."""
    pairs: tuple[Pair, ...] = Field(min_length=2)
    """The pairs that belong together."""
    distractors: tuple[str, ...] = ()
    """Extra right-hand items that match nothing."""


class Essay(QuestionBase):
    """A free-text answer, graded by a person."""

    type: Literal["essay"]
    """The kind of question."""


class Output(QuestionBase):
    """What does this code print?"""

    type: Literal["output"]
    """The kind of question."""
    code: str = Field(min_length=1)
    """The program whose output is asked for."""
    answer: str | None = None
    """Exactly what the program prints; when absent, validation computes it by running."""
    choices: tuple[ChoiceItem, ...] = ()
    """Wrong outputs to offer as options (the question is then multiple choice)."""
    exact: bool = False
    """Compare byte for byte (default: trailing whitespace of lines and of the text ignored)."""

    @property
    def executes(self) -> bool:
        return True

    @property
    def choices_list(self) -> tuple[Choice, ...]:
        return self.choices


class CodeChoice(WithChoices):
    """Which code goes in the gap? `code` holds a `____` line that each choice replaces."""

    type: Literal["code_choice"]
    """The kind of question."""
    code: str = Field(min_length=1)
    """The program with a line that is just `____` (indented where the choice goes)."""


class Bug(WithChoices):
    """Find the bug: `code` is the buggy program, `fix` the corrected one."""

    type: Literal["bug"]
    """The kind of question."""
    code: str = Field(min_length=1)
    """The buggy program."""
    fix: str = Field(min_length=1)
    """The corrected program (shown in the feedback)."""

    @property
    def executes(self) -> bool:
        return True


Question = Annotated[
    Union[  # noqa: UP007 - a discriminated union needs the explicit form for the schema title
        MultipleChoice,
        MultipleAnswers,
        TrueFalse,
        ShortAnswer,
        Numerical,
        Matching,
        Essay,
        Output,
        CodeChoice,
        Bug,
    ],
    Field(discriminator="type"),
]

QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "multiple_choice": MultipleChoice,
    "multiple_answers": MultipleAnswers,
    "true_false": TrueFalse,
    "short_answer": ShortAnswer,
    "numerical": Numerical,
    "matching": Matching,
    "essay": Essay,
    "output": Output,
    "code_choice": CodeChoice,
    "bug": Bug,
}


class Bank(Limits):
    """One YAML file of questions."""

    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)
    """Version of the bank format (this qbank reads version 1)."""
    id: str | None = Field(default=None, pattern=BANK_ID_PATTERN)
    """Stable id (default: the file's path under the project root, without suffix)."""
    title: str | None = None
    """Human title of the bank."""
    description: str | None = None
    """What the bank covers (Markdown)."""
    language: str = "python"
    """Default language of every snippet."""
    requires: tuple[Requirement, ...] = ()
    """Modules (`fastapi`) or requirements (`fastapi>=0.110`) the snippets import."""
    tags: tuple[str, ...] = ()
    """Tags of every question in the bank."""

    @field_validator("tags")
    @classmethod
    def _bank_tags_are_portable(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return check_tags(tags)

    warmup: str | None = None
    """Hidden code run once in each worker before any question, to warm imports up."""
    questions: tuple[Question, ...] = ()
    """The questions."""

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"this bank uses schema_version {version}, but this qbank reads up to "
                f"{SCHEMA_VERSION}: upgrade qbank"
            )
        return version


class LoadedBank(BaseModel):
    """A bank with where it came from: its resolved id and its file."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    """The bank's id (authored or derived from its path)."""
    path: str
    """The file it was loaded from, as given to the loader."""
    bank: Bank
    """The bank's content."""
    lines: Any = Field(default=None, exclude=True, repr=False)
    """Line lookup for problems (a :class:`qbank.yamlio.LineMap`), not part of the data."""
    digest: str = Field(default="", exclude=True, repr=False)
    """A hash of the file's bytes (and qbank's version): the key of cached work on this bank."""

    def line_of(self, *loc: str | int) -> int:
        """The 1-based line of the YAML node at `loc` (or its nearest parent)."""
        return int(self.lines.line(loc)) if self.lines is not None else 1

    def question_line(self, index: int, *loc: str | int) -> int:
        """The line of `loc` inside question number `index`."""
        return self.line_of("questions", index, *loc)


def effective_limits(bank: Bank, question: QuestionBase) -> dict[str, float | int | None]:
    """The limits of a question's runs: the question's, else the bank's (None: default)."""
    return {
        name: getattr(question, name)
        if getattr(question, name) is not None
        else getattr(bank, name)
        for name in ("timeout", "memory", "output_limit", "file_limit")
    }


__all__ = [
    "PLACEHOLDER",
    "QUESTION_TYPES",
    "SCHEMA_VERSION",
    "Bank",
    "Bug",
    "Choice",
    "CodeChoice",
    "Essay",
    "Expect",
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
    "TrueFalse",
]
