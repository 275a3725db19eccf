"""Moodle GIFT, written the way Moodle's importer really parses it (``reference/gift.md``).

* Each bank starts with a ``$CATEGORY: $course$/top/…`` block (its id path, the last segment
  replaced by the bank's title), then one block per question, blocks separated by blank lines.
  A question's variants (``id#1`` …) go in a category of their own, ``…/<bank title>/<id>``,
  from which a quiz's "random question" draws one per attempt; a ``$CATEGORY`` switches back
  to the bank's category before the plain questions that follow (:mod:`.categories`).
* Every question is ONE physical line (an optional ``// [tag:…]`` comment line before it):
  Moodle trims every physical line and ends a question at a blank line or a line ``0``, so
  newlines are written as ``\\n`` escapes and indentation survives.
* Every text part is ``[html]`` (the question's format, inherited by answers and feedback):
  Markdown rendered to HTML, code in ``<pre><code class="language-…">``, HTML-escaped first,
  then GIFT-escaped (``\\`` and ``~ = # { } :``, the ``#`` of entities too).
* The title ``::bank-id/question-id::`` is the question's identity (teachers see it in the
  question bank); a question's own ``title`` is the heading of its text, which learners see,
  and shown fixture files follow the prompt, each headed by its name.
* A wrong option without authored feedback gets the learner feedback validation generated
  (what the code prints, or raises), never the refutation (which quotes hidden code); a
  question that fails validation (``--allow-invalid``) gets none, and the tag
  ``qbank-invalid``.
* What GIFT cannot carry (hints, `shuffle: false`, points, case sensitivity, …) is reported
  through :meth:`ExportContext.warn`, never dropped silently. A question whose options would
  read the same once Moodle imported them (``x\\ry`` and ``xy``: GIFT has no carriage
  return) is left out with a ``lossy-option`` warning naming both (:mod:`.losses`).
* GIFT cannot carry files: an image a text shows (``![a binary tree](figures/tree.png)``)
  becomes its alt text in brackets, ``[image: a binary tree]``, and a `figure` is left out;
  one ``lossy-media`` warning per question names them. Images at a URL stay images.
"""

from __future__ import annotations

import re

from qbank.exporters.base import INVALID_TAG, ExportContext, Exporter, ExporterOptions
from qbank.exporters.display import choice_feedback, known_output_key, plain_number, shown_choice
from qbank.exporters.gift.categories import bank_path, placed
from qbank.exporters.gift.losses import same_in_moodle
from qbank.exporters.gift.weights import answer_weights, format_weight
from qbank.exporters.media import images_as_text
from qbank.exporters.rich import (
    code_html,
    files_html,
    inline_html,
    language_of,
    markdown_html,
    shown_html,
    title_html,
)
from qbank.model import (
    Bug,
    Collection,
    Essay,
    LoadedBank,
    Matching,
    MultipleAnswers,
    Numerical,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)
from qbank.model.media import question_images
from qbank.model.rules import normalise_output

_ESCAPES = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
     "\n": "\\n", "\r": ""}
)  # fmt: skip
_TAG_RE = re.compile(r"<[^>]*>")
_FORMAT_TAG_RE = re.compile(r"^\[(html|markdown|plain|moodle)\]")
_WEIGHT_RE = re.compile(r"^%-*[0-9]{1,2}\.?[0-9]*%")
MAX_TITLE = 255
CATEGORY = "$CATEGORY: "


def escape(text: str) -> str:
    """Moodle's ``repchar`` rule: ``\\`` first, then ``~ = # { } :``, LF as ``\\n``, no CR."""
    return text.translate(_ESCAPES)


def html_part(html: str) -> str:
    """An HTML text part, GIFT-escaped; a start Moodle would misread is written as an entity."""
    if html.startswith("%"):
        html = "&#37;" + html[1:]
    elif html.startswith("["):
        html = "&#91;" + html[1:]
    return escape(html)


class GiftOptions(ExporterOptions):
    """Options of the GIFT exporter."""

    refutation_feedback: bool = True
    """Give a wrong option without `feedback` the feedback validation generated for learners
    (what the code prints, or the exception it raises; never hidden code)."""


class GiftExporter(Exporter):
    """Moodle GIFT: one category per bank; a collection fits in one file."""

    name = "gift"
    file_extension = ".gift"
    description = "Moodle GIFT (one $CATEGORY per bank; HTML text, code kept verbatim)"
    collection_file = True
    draws_variants = True
    options_model = GiftOptions
    options: GiftOptions

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """The bank's category block, then one block per question; a question's variants
        in a category of their own (:mod:`.categories`), for a random-question slot."""
        written: dict[str, str] = {}
        for question in loaded.bank.questions:
            block = _QuestionWriter(self.options, loaded, question, context).block()
            if block is not None:
                written[question.id] = block
        kept = [q for q in loaded.bank.questions if q.id in written]
        parts = [category_block(loaded)]
        for place in placed(loaded, kept):
            if place.switch is not None:
                parts.append(CATEGORY + place.switch)
            parts.append(written[place.question.id])
        return "\n\n".join(parts) + "\n"

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        """Every bank of the collection, one after the other."""
        return "\n".join(self.render_bank(loaded, context) for loaded in collection)


def category_block(loaded: LoadedBank) -> str:
    """``$CATEGORY: $course$/top/<id path, last segment = title>`` (never GIFT-escaped:
    Moodle does not decode escapes there; ``/`` inside a name is written ``//``)."""
    return CATEGORY + bank_path(loaded)


def title(loaded: LoadedBank, question: QuestionBase) -> str:
    """``bank-id/question-id`` without anything ``strip_tags`` would eat, ≤ 255 characters."""
    text = _TAG_RE.sub("", f"{loaded.id}/{question.id}").replace("<", "").replace(">", "")
    return escape(text[:MAX_TITLE].strip())


def _tag(tag: str) -> str:
    return tag.replace("]", "\\]")  # Moodle unescapes `\]` only


_PLACEHOLDER_RE = re.compile(r"&&(?:058;|035;|061;|123;|125;|126;|010)")

number = plain_number
"""A plain decimal number (never `1e-05`): Moodle's `is_numeric` is the judge."""


class _QuestionWriter:
    """Writes one question as one physical line (plus an optional tag comment line)."""

    def __init__(
        self, options: GiftOptions, loaded: LoadedBank, question: QuestionBase, ctx: ExportContext
    ) -> None:
        self.options, self.loaded, self.q, self.ctx = options, loaded, question, ctx
        self.result = ctx.result(loaded, question)
        self.feedback = ctx.feedback(loaded, question)
        self.language = language_of(loaded, question)
        self.images = [ref.target for ref in question_images(question)]

    def plain(self, html: str) -> str:
        """Rendered HTML with the images shown as their alt text (GIFT carries no files)."""
        return images_as_text(html, self.images)

    def warn(self, message: str, code: str) -> None:
        self.ctx.warn(self.loaded, self.q, message, code)

    def block(self) -> str | None:
        self._warn_lossy()
        answers = self._answers()
        if answers is None:
            return None
        feedback = self._general_feedback()
        if feedback:
            answers += "####" + html_part(feedback)
        line = f"::{title(self.loaded, self.q)}::[html]{html_part(self._stem())}{{{answers}}}"
        tags = self._tags()
        return f"{tags}\n{line}" if tags else line

    def _warn_lossy(self) -> None:
        q = self.q
        if q.hint:
            what = "the hint is" if len(q.hint) == 1 else f"its {len(q.hint)} hints are"
            self.warn(f"GIFT cannot carry hints: {what} not exported", "lossy-hint")
        if isinstance(q, WithChoices) and not q.shuffle:
            self.warn(
                "GIFT cannot say `shuffle: false`: Moodle shuffles options if the quiz does",
                "lossy-shuffle",
            )
        if q.points != 1:
            self.warn(f"GIFT cannot carry points ({q.points:g}): Moodle uses 1", "lossy-points")
        if self.images or q.figure is not None:
            self._warn_media()

    def _warn_media(self) -> None:
        said = []
        if self.images:
            names = ", ".join(self.images)
            said.append(f"the image(s) {names} are shown as their alt text")
        if self.q.figure is not None:
            said.append(f"the figure {self.q.figure} is left out")
        self.warn(f"GIFT cannot carry files: {' and '.join(said)}", "lossy-media")

    def _tags(self) -> str:
        tags = dict.fromkeys((*self.loaded.bank.tags, *self.q.tags))
        if self.ctx.fails(self.loaded, self.q):
            tags[INVALID_TAG] = None
        return "// " + " ".join(f"[tag:{_tag(t)}]" for t in tags) if tags else ""

    def _stem(self) -> str:
        stem = title_html(self.q) + self.plain(markdown_html(self.q.prompt)) + files_html(self.q)
        if self.q.code is not None:
            stem += code_html(self.q.code, self.language)
        return stem

    def _general_feedback(self) -> str:
        feedback = self.plain(markdown_html(self.q.explanation)) if self.q.explanation else ""
        if isinstance(self.q, Bug):
            feedback += "<p>Fixed code:</p>" + code_html(self.q.fix, self.language)
        return feedback

    def _answers(self) -> str | None:
        q = self.q
        if isinstance(q, MultipleAnswers):
            return self._multiple_answers(q)
        if isinstance(q, WithChoices):
            return self._choices(q, None)
        if isinstance(q, TrueFalse):
            return "TRUE" if q.answer else "FALSE"
        if isinstance(q, ShortAnswer):
            if q.case_sensitive:
                self.warn("GIFT cannot make a short answer case-sensitive", "lossy-case")
            return self._short(q.answers)
        if isinstance(q, Numerical):
            tolerance = f":{number(q.tolerance)}" if q.tolerance else ""
            return f"#={number(q.answer)}{tolerance}"
        if isinstance(q, Matching):
            return self._matching(q)
        if isinstance(q, Output):
            return self._output(q)
        if isinstance(q, Essay):
            return ""
        self.warn(f"GIFT has no form for `{type(q).__name__}` questions", "lossy-type")
        return None

    def _option(self, index: int, html: str, mark: str) -> str:
        choices = self.q.choices_list
        text = mark + html_part(html)
        feedback = None
        if index < len(choices):
            choice = choices[index]
            said = choice_feedback(choice, index, self.feedback, self.options.refutation_feedback)
            if said and said.strip():
                feedback = self.plain(inline_html(said))  # authored or generated: Markdown
        return text + ("#" + html_part(feedback) if feedback else "")

    def _choices(
        self, q: QuestionBase, marks: list[str] | None, key: tuple[str, str] | None = None
    ) -> str | None:
        """The options (after an output `key`: its text and HTML), or None when two would
        read the same in Moodle (``lossy-option``)."""
        options, parts = [], [("the key", *key, html_part(key[1]))] if key else []
        for index, choice in enumerate(q.choices_list):
            mark = marks[index] if marks else ("=" if choice.correct else "~")
            shown = shown_choice(q, choice)
            html = self.plain(shown_html(shown, self.language))
            options.append(self._option(index, html, mark))
            parts.append((f"choice {index + 1}", shown.content, html, html_part(html)))
        return " ".join(options) if self._distinct(parts) else None

    def _distinct(self, parts: list[tuple[str, str, str, str]]) -> bool:
        clash = same_in_moodle(parts)
        if clash is not None:
            self.warn(clash, "lossy-option")
        return clash is None

    def _multiple_answers(self, q: MultipleAnswers) -> str | None:
        weights = answer_weights(q.choices)
        if not weights.exact:
            self.warn(
                "the correct options cannot share 100 % in Moodle's allowed grades: "
                "give them explicit `weight`s",
                "lossy-weight",
            )
        return self._choices(q, [f"~%{format_weight(w)}%" for w in weights.weights])

    def _short(self, answers: tuple[str, ...]) -> str | None:
        kept = []
        for answer in answers:
            text = answer.strip()
            if "->" in text or _FORMAT_TAG_RE.match(text) or _WEIGHT_RE.match(text) or not text:
                self.warn(f"GIFT cannot hold the short answer {answer!r}: left out", "lossy-answer")
                continue
            self._check_placeholders(text)
            kept.append("=" + escape(text.replace("*", "\\*")))
        if not kept:
            self.warn("no answer of this question fits in GIFT: question left out", "lossy-type")
            return None
        return " ".join(kept)

    def _matching(self, q: Matching) -> str | None:
        sides = [(f"the right side of pair {i + 1}", p.right) for i, p in enumerate(q.pairs)]
        sides += [(f"distractor {i + 1}", extra) for i, extra in enumerate(q.distractors)]
        if not self._distinct([(label, text, text, escape(text)) for label, text in sides]):
            return None
        pairs = [
            f"={html_part(self.plain(inline_html(p.left)).replace('->', '-&gt;'))} -> "
            f"{escape(p.right)}"
            for p in q.pairs
        ]
        pairs += [f"= -> {escape(extra)}" for extra in q.distractors]
        for text in (*(p.right for p in q.pairs), *q.distractors):
            self._check_placeholders(text)
        return " ".join(pairs)

    def _check_placeholders(self, text: str) -> None:
        """Plain-text parts cannot escape `&`: Moodle reads `&&058;` and friends as characters."""
        if _PLACEHOLDER_RE.search(text):
            self.warn(
                f"{text!r} holds one of Moodle's escape placeholders (`&&058;`, `&&010`, ...), "
                "which Moodle turns into another character",
                "lossy-placeholder",
            )

    def _output(self, q: Output) -> str | None:
        key = known_output_key(q, self.result, self.warn)
        if key is None:
            return None
        if q.choices:
            right = code_html(key, None)
            wrong = self._choices(q, ["~"] * len(q.choices), (key, right))
            return None if wrong is None else f"={html_part(right)} {wrong}"
        shown = key if q.exact else normalise_output(key)
        if "\n" in shown or shown != shown.strip() or q.exact:
            self.warn(
                "as a short answer, the output must be typed on one line and Moodle trims it: "
                "exact whitespace and line breaks cannot be asked for (add `choices`)",
                "lossy-whitespace",
            )
        return self._short((shown,))


__all__ = ["CATEGORY", "GiftExporter", "GiftOptions", "category_block", "escape", "number", "title"]
