"""A bank (one YAML file), a loaded bank (with where it came from), and a collection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from qbank.model.base import (
    BANK_ID_PATTERN,
    LANGUAGE_SCHEMA,
    LIMIT_NAMES,
    SCHEMA_VERSION,
    Limits,
    Requirement,
    Size,
    check_tags,
)
from qbank.model.questions import Question, QuestionBase
from qbank.model.variants import Template, split_questions, template_mapping


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
    language: Annotated[str, WithJsonSchema(LANGUAGE_SCHEMA)] = "python"
    """Default language of every snippet."""
    requires: tuple[Requirement, ...] = ()
    """Modules (`fastapi`) or requirements (`fastapi>=0.110`) the snippets import."""
    tags: tuple[str, ...] = ()
    """Tags of every question in the bank."""

    @field_validator("tags")
    @classmethod
    def _bank_tags_are_portable(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return check_tags(tags)

    media_limit: Size | None = None
    """The largest image file a question may reference (default 1 MiB): exports embed
    images, and Moodle and Anki keep every byte in their databases."""
    warmup: str | None = None
    """Hidden code run once in each worker before any question, to warm imports up."""
    questions: tuple[Question, ...] = ()
    """The questions."""
    templates: SkipJsonSchema[tuple[Template, ...]] = Field(default=(), exclude=True)
    """Not authored: the questions with `variants`, taken out of `questions` before they are
    validated (expansion turns each into its variants)."""

    @model_validator(mode="before")
    @classmethod
    def _take_templates_out(cls, data: Any) -> Any:
        return split_questions(data)

    @model_serializer(mode="wrap")
    def _templates_back_in_place(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Dumped as authored: each template back in `questions`, at its place."""
        data = handler(self)
        if (
            self.templates
            and isinstance(data, dict)
            and isinstance(data.get("questions"), list | tuple)
        ):
            plain = iter(data["questions"])
            data["questions"] = [
                template_mapping(item) if isinstance(item, Template) else next(plain)
                for _, item in self.placed()
            ]
        return data

    def yaml_positions(self) -> list[int]:
        """The place in the YAML `questions:` list of each of `questions` (templates take
        places too, so the two differ once a bank has one)."""
        taken = {t.position for t in self.templates}
        free = (i for i in range(len(self.questions) + len(taken)) if i not in taken)
        return [next(free) for _ in self.questions]

    def placed(self) -> list[tuple[int, QuestionBase | Template]]:
        """Questions and templates in the order of the file, each with its place there."""
        items: list[tuple[int, QuestionBase | Template]] = [
            *zip(self.yaml_positions(), self.questions, strict=True),
            *((t.position, t) for t in self.templates),
        ]
        return sorted(items, key=lambda pair: pair[0])

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

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    id: str
    """The bank's id (authored or derived from its path)."""
    path: str
    """The file it was loaded from, as given to the loader."""
    bank: Bank
    """The bank's content."""
    lines: Any = Field(default=None, exclude=True, repr=False)
    """Line lookup for problems (a :class:`qbank.loading.yamlio.LineMap`), not part of the data."""
    digest: str = Field(default="", exclude=True, repr=False)
    """A hash of the file's bytes (and qbank's version): the key of cached work on this bank."""
    authored: Bank | None = Field(default=None, exclude=True, repr=False)
    """The bank as its file has it, when validation changed `bank` (a question with
    `variants` expanded into its variants): what a full-fidelity export writes."""

    def line_of(self, *loc: str | int) -> int:
        """The 1-based line of the YAML node at `loc` (or its nearest parent)."""
        return int(self.lines.line(loc)) if self.lines is not None else 1

    def question_line(self, index: int, *loc: str | int) -> int:
        """The line of `loc` inside question number `index`."""
        return self.line_of("questions", index, *loc)


@dataclass
class Collection:
    """The banks of one or more files and folders, in a stable order."""

    banks: list[LoadedBank] = field(default_factory=list)

    def __iter__(self) -> Iterator[LoadedBank]:
        return iter(self.banks)

    def __len__(self) -> int:
        return len(self.banks)

    def get(self, bank_id: str) -> LoadedBank:
        """The bank with that id (KeyError if none)."""
        for bank in self.banks:
            if bank.id == bank_id:
                return bank
        raise KeyError(bank_id)

    @property
    def question_count(self) -> int:
        """How many questions the collection holds."""
        return sum(len(b.bank.questions) for b in self.banks)


def effective_limits(bank: Bank, question: QuestionBase) -> dict[str, float | int | None]:
    """The limits of a question's runs: the question's, else the bank's (None: default)."""
    return {
        name: getattr(question, name)
        if getattr(question, name) is not None
        else getattr(bank, name)
        for name in LIMIT_NAMES
    }
