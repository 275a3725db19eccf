"""Markdown for people: a student version and an answer key per bank, rendering on GitHub.

``<bank-id>.md`` holds the questions (code fenced with its language, options as a lettered
list, hints folded in ``<details>``); ``<bank-id>.key.md`` adds under each question a
``<details>`` block with the answer, why each wrong option is wrong (authored feedback, else
how validation refuted it) and the explanation. The page layout lives in Jinja2 templates
(``templates/markdown/``) that a project may override; the pieces are prepared here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.rich import (
    choice_feedback,
    language_of,
    output_key,
    plain_number,
    shown_choice,
)
from qbank.exporters.templating import environment
from qbank.model import (
    Bug,
    LoadedBank,
    Matching,
    MultipleAnswers,
    Numerical,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def escape(text: str) -> str:
    """Plain text made literal in Markdown (one line)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def fence(code: str, language: str = "") -> str:
    """A fenced code block that no backtick run inside the code can close."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = code if code.endswith("\n") else code + "\n"
    return f"{ticks}{language}\n{body}{ticks}"


def indent(text: str, spaces: int = 3) -> str:
    """Continuation lines of a list item (blank lines stay empty)."""
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.split("\n"))


def letter(index: int) -> str:
    """A, B, ..., Z, then AA, AB, ..."""
    return LETTERS[index] if index < 26 else letter(index // 26 - 1) + LETTERS[index % 26]


@dataclass
class QuestionView:
    """The pieces of one question, ready for the templates."""

    number: int
    id: str
    type: str
    prompt: str
    code: str | None
    options: list[str] = field(default_factory=list)
    """Lettered list lines (`- **A.** …`), each possibly several lines."""
    student_extra: str = ""
    """What else the learner needs (true/false, matching lists)."""
    answer: str = ""
    """The key, as Markdown."""
    explanation: str = ""
    hint: str = ""


class MarkdownOptions(ExporterOptions):
    """Options of the Markdown exporter."""

    answer_key: bool = True
    """Also write `<bank-id>.key.md` with the answers."""


class MarkdownExporter(Exporter):
    """A student version (`.md`) and an answer key (`.key.md`) per bank."""

    name = "markdown"
    file_extension = ".md"
    description = "Markdown for GitHub: student version + answer key with <details> (per bank)"
    options_model = MarkdownOptions
    options: MarkdownOptions

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """The student version."""
        return self._render(loaded, context, _views(loaded, context), key=False)

    def render_key(self, loaded: LoadedBank, context: ExportContext) -> str:
        """The answer key."""
        return self._render(loaded, context, _views(loaded, context), key=True)

    def render_bank_files(
        self, loaded: LoadedBank, context: ExportContext
    ) -> dict[str, str | bytes]:
        """The student version, plus the answer key unless `answer_key` is off."""
        views = _views(loaded, context)
        files: dict[str, str | bytes] = {"": self._render(loaded, context, views, key=False)}
        if self.options.answer_key:
            files[".key"] = self._render(loaded, context, views, key=True)
        return files

    def _render(
        self, loaded: LoadedBank, context: ExportContext, views: list[QuestionView], key: bool
    ) -> str:
        template = environment(context.template_dirs).get_template("markdown/bank.md.j2")
        text = template.render(
            title=escape(loaded.bank.title or loaded.id),
            bank_id=loaded.id,
            description=(loaded.bank.description or "").strip(),
            questions=views,
            key=key,
        )
        return text.strip("\n") + "\n"


def _views(loaded: LoadedBank, context: ExportContext) -> list[QuestionView]:
    return [_view(loaded, q, n, context) for n, q in enumerate(loaded.bank.questions, 1)]


def _view(loaded: LoadedBank, q: QuestionBase, number: int, ctx: ExportContext) -> QuestionView:
    language = language_of(loaded, q)
    view = QuestionView(
        number=number,
        id=q.id,
        type=q.type,  # type: ignore[attr-defined]
        prompt=q.prompt.strip(),
        code=fence(q.code, language) if q.code is not None else None,
        explanation=(q.explanation or "").strip(),
        hint=(q.hint or "").strip(),
    )
    _fill(view, loaded, q, ctx, language)
    return view


def _fill(
    view: QuestionView, loaded: LoadedBank, q: QuestionBase, ctx: ExportContext, language: str
) -> None:
    result = ctx.result(loaded, q)
    if isinstance(q, Output):
        key = output_key(q, result)
        if key is None:
            ctx.warn(loaded, q, "no `answer` and none computed: the key shows none", "missing-key")
        shown = fence(key) if key is not None else "*(not computed: validate with execution)*"
        if q.choices:
            view.options = _options(
                [fence(key or "")] + [_option_body(q, i, language) for i in range(len(q.choices))]
            )
            view.answer = "**Answer: A**"
            view.answer += _why_wrong(q, result, offset=1)
        else:
            view.answer = "**Expected output:**\n\n" + shown
        return
    if q.choices_list:
        view.options = _options([_option_body(q, i, language) for i in range(len(q.choices_list))])
        right = [letter(i) for i, c in enumerate(q.choices_list) if c.correct]
        label = "Answers" if isinstance(q, MultipleAnswers) else "Answer"
        view.answer = f"**{label}: {', '.join(right)}**" + _why_wrong(q, result)
    elif isinstance(q, TrueFalse):
        view.student_extra = "**True or false?**"
        view.answer = f"**Answer: {'True' if q.answer else 'False'}**"
    elif isinstance(q, ShortAnswer):
        accepted = ", ".join(_code_span(a) for a in q.answers)
        case = " (case-sensitive)" if q.case_sensitive else ""
        view.answer = f"**Accepted answers{case}:** {accepted}"
    elif isinstance(q, Numerical):
        tolerance = f" ± {q.tolerance:g}" if q.tolerance else ""
        view.answer = f"**Answer:** {plain_number(q.answer)}{tolerance}"
    elif isinstance(q, Matching):
        _matching(view, q)
    if isinstance(q, Bug):
        view.answer += "\n\n**Fixed code:**\n\n" + fence(q.fix, language)


def _options(bodies: list[str]) -> list[str]:
    lines = []
    for index, body in enumerate(bodies):
        head = f"- **{letter(index)}.**"
        if "\n" in body:
            lines.append(f"{head}\n\n{indent(body)}")
        else:
            lines.append(f"{head} {body}")
    return lines


def _option_body(q: QuestionBase, index: int, language: str) -> str:
    shown = shown_choice(q, q.choices_list[index])
    if shown.kind == "text":
        return shown.content.strip()
    return fence(shown.content, language if shown.kind == "code" else "")


def _why_wrong(q: QuestionBase, result: object, offset: int = 0) -> str:
    notes = []
    for index, choice in enumerate(q.choices_list):
        feedback = choice_feedback(choice, index, result)  # type: ignore[arg-type]
        if feedback:
            notes.append(f"- **{letter(index + offset)}:** {indent(feedback.strip(), 2).lstrip()}")
    return "\n\n" + "\n".join(notes) if notes else ""


def _matching(view: QuestionView, q: Matching) -> None:
    rights = sorted({p.right for p in q.pairs} | set(q.distractors))
    view.student_extra = "\n".join(
        [f"{i}. {indent(p.left.strip()).lstrip()}" for i, p in enumerate(q.pairs, 1)]
        + [""]
        + [f"- **{letter(i)}.** {escape(r)}" for i, r in enumerate(rights)]
    )
    view.answer = "**Answer:**\n\n" + "\n".join(
        f"{i}. → **{letter(rights.index(p.right))}** ({escape(p.right)})"
        for i, p in enumerate(q.pairs, 1)
    )


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


__all__ = ["MarkdownExporter", "MarkdownOptions", "escape", "fence"]
