"""Markdown for people: a student version and an answer key per bank, rendering on GitHub.

``<bank-id>.md`` holds the questions (headed by their title, else ``Question <n>``: never
the id, which may give the answer away; shown fixture files after the prompt, each headed by
its name; code fenced with its language, options as a lettered list, hints folded in
``<details>``); ``<bank-id>.key.md`` adds under each question a ``<details>`` block with the
answer, why each wrong option is wrong (authored feedback, else the learner feedback
validation generated: never the refutation, which quotes hidden code) and the explanation.
The page layout lives in Jinja2 templates (``templates/markdown/``) that a project may
override; the pieces are prepared here.

Markdown (prompts, options, hints, feedback, explanations) stays Markdown but is made safe to
embed in the page (:func:`safe_markdown`): raw HTML is shown as text, as the other exporters
show it, and a fence left open is closed. Options appear in the order the Anki export
uses (:func:`option_order`): shuffled with a seed from the bank and question ids, unless
``shuffle: false``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from qbank.exporters import media
from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.display import (
    KEY,
    choice_feedback,
    file_language,
    heading,
    known_output_key,
    letter,
    option_order,
    plain_number,
    shown_choice,
)
from qbank.exporters.rich import language_of
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
from qbank.model.session import is_session

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
"""Option index of the right output of an `output` question (not one of its `choices`)."""

_PARSER = MarkdownIt("commonmark", {"html": False})
_PUNCTUATION = frozenset(string.punctuation)
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_BACKTICKS = re.compile(r"`+")


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
    """Continuation lines of a list item (empty lines stay empty; spaces in code are kept)."""
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


def safe_markdown(text: str) -> str:
    """Authored Markdown, safe to embed in a page that GitHub renders with raw HTML on.

    Every ``<`` outside code (fences, indented code, code spans) and autolinks becomes
    ``&lt;``, so the page shows what the other exporters show (they render Markdown with raw
    HTML off): ``List<int>`` stays visible and ``</details>`` cannot close the answer fold.
    Entities and ``>`` (block quotes) are left alone; they mean the same in both. A fence left
    open at the end is closed, so it cannot swallow the rest of the page. Blocks are found
    with markdown-it (CommonMark), the parser the other exporters use.
    """
    text = re.sub(r"\A(?:[ \t]*\n)+", "", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.rstrip()
    if not text:
        return ""
    lines = text.split("\n")
    closing = ""
    for token in _PARSER.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "inline":
            lines[start:end] = _escape_html("\n".join(lines[start:end])).split("\n")
        elif token.type == "fence" and token.level == 0 and end >= len(lines):
            closed = end - 1 > start and _closes(lines[end - 1], token.markup)
            closing = "" if closed else "\n" + token.markup
    return "\n".join(lines) + closing


def _closes(line: str, marker: str) -> bool:
    """Whether `line` is a closing fence for the opening `marker` (```` ``` ```` or ``~~~``)."""
    run = re.escape(marker[0])
    return re.fullmatch(rf" {{0,3}}{run}{{{len(marker)},}}[ \t]*", line) is not None


def _escape_html(text: str) -> str:
    """Inline Markdown with every ``<`` outside code spans and autolinks as ``&lt;``."""
    if "<" not in text:
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        end = position + 1
        if char == "\\" and text[position + 1 : position + 2] in _PUNCTUATION:
            end = position + 2
        elif char == "`":
            run = _BACKTICKS.match(text, position)
            assert run is not None
            end = run.end()
            for closer in _BACKTICKS.finditer(text, end):
                if len(closer.group()) == len(run.group()):
                    end = closer.end()
                    break
        elif char == "<":
            link = _AUTOLINK.match(text, position)
            if link is None:
                out.append("&lt;")
                position = end
                continue
            end = link.end()
        out.append(text[position:end])
        position = end
    return "".join(out)


def literal(text: str) -> str:
    """Program text shown exactly as written: a code span, or a fenced block when it has
    several lines. Nothing in it is read as Markdown."""
    text = text.strip("\n")
    if "\n" in text:
        return fence(text)
    return _code_span(text)


@dataclass
class QuestionView:
    """The pieces of one question, ready for the templates."""

    number: int
    id: str
    """The identity: never shown by the built-in templates (it may give the answer away)."""
    type: str
    prompt: str
    code: str | None
    heading: str = ""
    """What the question is headed by: ``3. <title>``, or ``Question 3``."""
    figure: str = ""
    """The image the question's program draws (`figure:`), as a Markdown image."""
    files: list[str] = field(default_factory=list)
    """The fixture files learners see: each its name, then its content fenced."""
    options: list[str] = field(default_factory=list)
    """Lettered list lines (`- **A.** …`), each possibly several lines."""
    student_extra: str = ""
    """What else the learner needs (true/false, matching lists)."""
    answer: str = ""
    """The key, as Markdown."""
    explanation: str = ""
    hint: str = ""
    """Every hint, joined by a blank line (what templates written for one hint show)."""
    hints: list[str] = field(default_factory=list)
    """Each hint, as Markdown, in order."""


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

    def render_bank_assets(self, loaded: LoadedBank, context: ExportContext) -> dict[str, bytes]:
        """The images the questions show, copied into ``media/`` beside the pages."""
        return media.media_assets(loaded, context)

    def _render(
        self, loaded: LoadedBank, context: ExportContext, views: list[QuestionView], key: bool
    ) -> str:
        template = environment(context.template_dirs).get_template("markdown/bank.md.j2")
        text = template.render(
            title=escape(loaded.bank.title or loaded.id),
            bank_id=loaded.id,
            description=safe_markdown(loaded.bank.description or ""),
            questions=views,
            key=key,
        )
        return text.strip("\n") + "\n"


def _views(loaded: LoadedBank, context: ExportContext) -> list[QuestionView]:
    return [_view(loaded, q, n, context) for n, q in enumerate(loaded.bank.questions, 1)]


Text = Callable[[str], str]
"""Authored Markdown made safe for the page, its images pointed at their copies."""
_How = tuple[str, Text]  # the question's language, and how its Markdown is made safe


def _text(files: Mapping[str, media.MediaFile]) -> Text:
    return lambda text: safe_markdown(media.rewrite_markdown(text, files, media.media_src))


def _figure(files: Mapping[str, media.MediaFile]) -> str:
    item = next((f for f in files.values() if f.figure), None)
    return f"![{escape(media.figure_alt(item))}]({media.media_src(item)})" if item else ""


def _view(loaded: LoadedBank, q: QuestionBase, number: int, ctx: ExportContext) -> QuestionView:
    language = language_of(loaded, q)
    files = media.question_media(loaded, q, ctx)
    md = _text(files)
    view = QuestionView(
        number=number,
        id=q.id,
        type=q.type,  # type: ignore[attr-defined]
        prompt=md(q.prompt),
        figure=_figure(files),
        code=(
            fence(q.code, "pycon" if is_session(q.code) else language)
            if q.code is not None
            else None
        ),
        explanation=md(q.explanation or ""),
        hint="\n\n".join(md(hint) for hint in q.hint),
        hints=[md(hint) for hint in q.hint],
        heading=f"{number}. {escape(q.title)}" if q.title else escape(heading(q, number)),
        files=[
            f"**{_code_span(name)}**\n\n{fence(file.content, file_language(name))}"
            for name, file in q.shown_files
        ],
    )
    _fill(view, loaded, q, ctx, (language, md))
    return view


def _fill(
    view: QuestionView, loaded: LoadedBank, q: QuestionBase, ctx: ExportContext, how: _How
) -> None:
    language, md = how
    result = ctx.result(loaded, q)
    if isinstance(q, Output):
        key = known_output_key(
            q,
            result,
            lambda message, code: ctx.warn(loaded, q, message, code),
            "the key shows none",
        )
        shown = fence(key) if key is not None else "*(not computed: validate with execution)*"
        order = option_order(loaded.id, q, key is not None)
        if order:
            view.options = _options(
                [fence(key or "") if i == KEY else _option_body(q, i, how) for i in order]
            )
            answer = f"**Answer: {letter(order.index(KEY))}**" if key is not None else shown
            view.answer = answer + _why_wrong(q, ctx.feedback(loaded, q), order, md)
        else:
            view.answer = "**Expected output:**\n\n" + shown
        return
    if q.choices_list:
        order = option_order(loaded.id, q, False)
        view.options = _options([_option_body(q, i, how) for i in order])
        right = [letter(p) for p, i in enumerate(order) if q.choices_list[i].correct]
        label = "Answers" if isinstance(q, MultipleAnswers) else "Answer"
        view.answer = f"**{label}: {', '.join(right)}**" + _why_wrong(
            q, ctx.feedback(loaded, q), order, md
        )
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
        _matching(view, q, md)
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


def _option_body(q: QuestionBase, index: int, how: _How) -> str:
    language, md = how
    shown = shown_choice(q, q.choices_list[index])
    if shown.kind == "text":
        return md(shown.content)
    return fence(shown.content, language if shown.kind == "code" else "")


def _why_wrong(q: QuestionBase, generated: dict[int, str], order: list[int], md: Text) -> str:
    """Per option, in display order: authored feedback, else the generated one (both
    Markdown; a fenced output keeps its lines)."""
    notes = []
    for position, index in enumerate(order):
        if index == KEY:
            continue
        feedback = choice_feedback(q.choices_list[index], index, generated)
        if not feedback or not feedback.strip():
            continue
        body = md(feedback)
        notes.append(f"- **{letter(position)}:** {indent(body, 2).lstrip()}")
    return "\n\n" + "\n".join(notes) if notes else ""


def _matching(view: QuestionView, q: Matching, md: Text) -> None:
    rights = sorted({p.right for p in q.pairs} | set(q.distractors))
    view.student_extra = "\n".join(
        [f"{i}. {indent(md(p.left)).lstrip()}" for i, p in enumerate(q.pairs, 1)]
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
    # CommonMark strips one space at each end of a code span that has both (and non-spaces).
    spaced = text.startswith(" ") and text.endswith(" ") and bool(text.strip())
    pad = " " if text.startswith("`") or text.endswith("`") or spaced else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


__all__ = [
    "MarkdownExporter",
    "MarkdownOptions",
    "escape",
    "fence",
    "literal",
    "safe_markdown",
]
