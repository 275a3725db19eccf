"""The question kinds: a union tagged on ``type``; adding a kind is one class plus one entry."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, WithJsonSchema, field_validator

from qbank.model.base import (
    ID_PATTERN,
    QUESTION_LANGUAGE_SCHEMA,
    Limits,
    Number,
    Requirement,
    check_tags,
)
from qbank.model.choices import Choice, ChoiceItem, Expect, FileItem, FixtureFile, Pair

TITLE_PATTERN = r"^[^\r\n]*\S[^\r\n]*$"
"""A title is one line that is not blank."""


_NOT_BLANK = {"type": "string", "pattern": r"\S"}
_HINT_SCHEMA = {"anyOf": [_NOT_BLANK, {"type": "array", "items": _NOT_BLANK}, {"type": "null"}]}
"""What `hint` accepts as written (null too: JSON exports of qbank before 0.3 wrote it)."""


class QuestionBase(Limits):
    """Fields every question has."""

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    """Unique in the bank and stable forever: Anki GUIDs and GIFT titles derive from it."""
    title: str | None = Field(
        default=None, max_length=200, json_schema_extra={"pattern": TITLE_PATTERN}
    )
    """A short name for the question, shown to learners as its heading (one line of plain
    text). Exports never show learners the id, which may give the answer away: without a
    title they number the questions instead ("Question 3")."""
    prompt: str = Field(min_length=1)
    """The question as Markdown."""
    code: str | None = None
    """The snippet shown to the learner (run when validating)."""
    language: Annotated[str | None, WithJsonSchema(QUESTION_LANGUAGE_SCHEMA)] = None
    """Language of the snippets (default: the bank's)."""
    hint: Annotated[tuple[str, ...], WithJsonSchema(_HINT_SCHEMA)] = ()
    """Hints shown on request, one per try where the platform does so (Moodle's interactive
    mode): one Markdown text, or a list of them. None may be blank."""
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
    files: dict[str, FileItem] = Field(default_factory=dict)
    """Fixture files written into the run's working folder: name -> content, or name ->
    `{content: ..., shown: true}` for a file every export shows the learner after the prompt."""
    figure: str | None = None
    """An image file the program writes in its working folder (`plot.png`, a matplotlib
    chart): the run must write it (else the question fails), and what it wrote is shown
    with the question in every export, after the prompt."""
    requires: tuple[Requirement, ...] = ()
    """Extra modules or requirements the snippets need (added to the bank's)."""
    limits_refute: bool = False
    """Wrong options may be refuted by hitting a limit (a wrong code choice, or the buggy
    program, meant to loop forever or exhaust memory); the key never is."""

    @field_validator("title")
    @classmethod
    def _title_is_one_line(cls, title: str | None) -> str | None:
        if title is not None and (not title.strip() or "\n" in title or "\r" in title):
            raise ValueError("a title is one line of text, not blank")
        return title

    @field_validator("hint", mode="before")
    @classmethod
    def _one_hint_or_a_list(cls, hint: object) -> object:
        return () if hint is None else (hint,) if isinstance(hint, str) else hint

    @field_validator("hint")
    @classmethod
    def _hints_are_not_blank(cls, hints: tuple[str, ...]) -> tuple[str, ...]:
        if any(not hint.strip() for hint in hints):
            raise ValueError("a hint is text, not blank")
        return hints

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

    @property
    def shown_files(self) -> tuple[tuple[str, FixtureFile], ...]:
        """The fixture files learners see (`shown: true`), in the order they are written."""
        return tuple((name, file) for name, file in self.files.items() if file.shown)


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
    answer: Number
    """The right number (an int stays an int: `answer: 1` binds `1`, not `1.0`)."""
    tolerance: Number = 0
    """How far from `answer` a response may be and still be right (Moodle accepts
    `answer - tolerance` .. `answer + tolerance`; a `check` using `answer` is run with both
    ends)."""


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
