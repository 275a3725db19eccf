"""One question as the fields, GUID, deck and tags of an Anki note (shared by apkg and TSV).

Options are shown in a fixed order (:func:`qbank.exporters.display.option_order`, shared with
the Markdown export): the authored order when ``shuffle: false``, otherwise a shuffle seeded by
the bank and question ids (deterministic, and the key is not always "A"). The right output of
an ``output`` question is placed among its wrong outputs the same way. Options are shown as
every format shows them (:func:`qbank.exporters.display.shown_choice`): a ``value`` without
``text`` as its value, a string as preformatted text, anything else as its Python repr.

The ``Question`` field is what a learner reads first, and the note type's sort field (the
browser lists it): the question's ``title`` as a heading when it has one (never its id, which
may give the answer away), the prompt, then the fixture files marked ``shown``, each headed by
its name. ``Feedback`` holds, per wrong option, the authored feedback or else the learner
feedback validation generated (what the code prints or raises), never the refutation (which
quotes hidden code); none for a question that fails validation, tagged ``qbank-invalid``.

No field holds U+001F, Anki's field separator in its database (one would split the field and
make the whole package unimportable): it is written as the character reference ``&#31;``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass

from qbank.exporters.anki import html as h
from qbank.exporters.anki.notetype import FIELDS, GUID_NAMESPACE, deck_name
from qbank.exporters.base import INVALID_TAG, ExportContext
from qbank.exporters.display import KEY, file_language, letter, option_order, shown_choice
from qbank.exporters.highlight import highlight, preformatted
from qbank.exporters.media import MediaFile, figure_html, question_media, rewrite_images
from qbank.model import (
    Bug,
    CodeChoice,
    LoadedBank,
    Matching,
    Numerical,
    Output,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
from qbank.model.snippets import PYTHON, splice
from qbank.report import QuestionResult

SEPARATOR = "\x1f"
"""Anki's field separator: never inside a field."""


@dataclass(frozen=True)
class NoteData:
    """What Anki needs for one question: identity, place, tags and the field values."""

    guid: str
    deck: str
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    media: tuple[MediaFile, ...] = ()
    """The images the fields show, each referenced by its bare :attr:`MediaFile.name` (Anki's
    media folder has no subfolders)."""


@dataclass(frozen=True)
class _Item:
    """What is rendered for one question, plus where warnings go."""

    loaded: LoadedBank
    question: QuestionBase
    result: QuestionResult | None
    context: ExportContext

    @property
    def language(self) -> str:
        return self.question.language or self.loaded.bank.language

    def md(self, text: str | None, *, compact: bool = False) -> str:
        return h.markdown(text, self.language, compact=compact)


def _hints(item: _Item, hints: tuple[str, ...]) -> str:
    """One hint as it is; several as a numbered list (Anki reveals the field at once)."""
    if len(hints) <= 1:
        return item.md(hints[0] if hints else None)
    return '<ol class="hints">' + "".join(f"<li>{item.md(hint)}</li>" for hint in hints) + "</ol>"


def guid(bank_id: str, question_id: str) -> str:
    """The note's GUID: from the bank id and question id only, never from content, and one
    pair of ids per GUID.

    genanki's ``guid_for("qbank", bank_id, question_id)`` hashes the ids joined by ``__``,
    which two pairs can share once a bank id holds ``__``: bank ``x__y`` question ``z`` and
    bank ``x`` question ``y__z`` both hash ``qbank__x__y__z``. A bank id without ``__`` keeps
    that GUID, so notes imported before update in place: among such pairs the join is
    unambiguous (another split would put ``__`` in the bank id, or start the question id
    with ``_``, which ids cannot). A bank id with ``__`` hashes the pair as a JSON list under
    ``qbank:pair``, an input no ``qbank__…`` join can be."""
    from genanki import guid_for

    if "__" not in bank_id:
        return str(guid_for(GUID_NAMESPACE, bank_id, question_id))
    return str(guid_for(GUID_NAMESPACE + ":pair", json.dumps([bank_id, question_id])))


def tags(loaded: LoadedBank, question: QuestionBase, invalid: bool = False) -> tuple[str, ...]:
    """Bank tags, question tags, ``type::<kind>`` and ``difficulty::<level>``, no spaces;
    ``qbank-invalid`` for a question exported although it fails validation."""
    kind = getattr(question, "type", "question")
    found = [*loaded.bank.tags, *question.tags, f"type::{kind}"]
    if question.difficulty:
        found.append(f"difficulty::{question.difficulty}")
    if invalid:
        found.append(INVALID_TAG)
    return tuple(dict.fromkeys("_".join(tag.split()) for tag in found if tag.strip()))


def note_data(loaded: LoadedBank, question: QuestionBase, context: ExportContext) -> NoteData:
    """Everything Anki gets for `question`."""
    item = _Item(loaded, question, context.result(loaded, question), context)
    files = question_media(loaded, question, context)
    order = _options(item)
    values = {
        "QID": h.text(f"{loaded.id}/{question.id}"),
        "Type": getattr(question, "type", ""),
        "Question": _question(item, files),
        "Code": _code(item),
        "Choices": _front(item, order),
        "Hint": _hints(item, question.hint),
        "Answer": _answer(item, order),
        "Feedback": _feedback(item, order),
        "Explanation": item.md(question.explanation),
        "Source": h.text(f"{loaded.bank.title or loaded.id} ({loaded.id})"),
    }
    fields = tuple(
        rewrite_images(values[name], files, _bare).replace(SEPARATOR, "&#31;") for name in FIELDS
    )
    found = tags(loaded, question, context.fails(loaded, question))
    media = tuple(dict.fromkeys(files.values()))
    return NoteData(guid(loaded.id, question.id), deck_name(loaded.id), found, fields, media)


def _bare(item: MediaFile) -> str:
    return item.name


def _question(item: _Item, files: Mapping[str, MediaFile]) -> str:
    """The title (a heading), the prompt, the figure its program draws, then the fixture
    files learners see."""
    question = item.question
    drawn = next((f for f in files.values() if f.figure), None)
    figure = figure_html(drawn, drawn.name) if drawn is not None else ""
    title = f'<h3 class="title">{h.text(question.title.strip())}</h3>' if question.title else ""
    shown = "".join(
        f'<p class="file"><strong><code>{h.text(name)}</code></strong></p>'
        + highlight(file.content, file_language(name) or "text")
        for name, file in question.shown_files
    )
    return title + item.md(question.prompt) + figure + shown


def _code(item: _Item) -> str:
    code = item.question.code
    return highlight(code, item.language) if code else ""


def _options(item: _Item) -> list[int]:
    """Option indexes in display order (`KEY` for the right output of an `output` question)."""
    has_key = isinstance(item.question, Output) and _output_key(item) is not None
    return option_order(item.loaded.id, item.question, has_key)


def _option_html(item: _Item, index: int) -> str:
    if index == KEY:
        return preformatted(_output_key(item) or "")
    shown = shown_choice(item.question, item.question.choices_list[index])
    if shown.kind == "code":
        return highlight(shown.content, item.language)
    if shown.kind == "pre":
        return preformatted(shown.content)
    return item.md(shown.content, compact=True)


def _front(item: _Item, order: list[int]) -> str:
    question = item.question
    if order:
        return h.options([(letter(p), _option_html(item, i)) for p, i in enumerate(order)])
    prompts = {
        TrueFalse: "True or false?",
        Numerical: "Answer with a number.",
        ShortAnswer: "Type your answer.",
        Output: "What does it print?",
    }
    if isinstance(question, Matching):
        return _matching_front(item, question)
    return next((f"<p>{p}</p>" for kind, p in prompts.items() if isinstance(question, kind)), "")


def _matching_front(item: _Item, question: Matching) -> str:
    rights = [pair.right for pair in question.pairs] + list(question.distractors)
    random.Random(f"{item.loaded.id}/{question.id}").shuffle(rights)
    rows = [(item.md(pair.left, compact=True), "?") for pair in question.pairs]
    lefts = h.table(rows, ("Item", "Matches"))
    return lefts + h.options([(letter(p), h.text(r)) for p, r in enumerate(rights)])


def _correct(item: _Item, index: int) -> bool:
    return index == KEY or (index >= 0 and item.question.choices_list[index].correct)


def _key_options(item: _Item, order: list[int]) -> str:
    """The right options, with their letters (not for `output`: its key is shown as output)."""
    if isinstance(item.question, Output):
        return ""
    right = [(letter(p), _option_html(item, i)) for p, i in enumerate(order) if _correct(item, i)]
    return h.options(right, "key")


def _answer(item: _Item, order: list[int]) -> str:
    question = item.question
    parts = [_key_options(item, order)]
    if isinstance(question, Output):
        parts.append(_output_answer(item, order))
    elif isinstance(question, CodeChoice):
        parts.extend(_completed(item, question))
    elif isinstance(question, Bug):
        parts.append(f"<p>The fix:</p>{highlight(question.fix, item.language)}")
    elif isinstance(question, TrueFalse):
        parts.append(f"<p><strong>{'True' if question.answer else 'False'}</strong></p>")
    elif isinstance(question, Numerical):
        parts.append(f"<p><strong>{_number(question)}</strong></p>")
    elif isinstance(question, ShortAnswer):
        parts.append(
            h.options([("", f"<code>{h.text(a)}</code>") for a in question.answers], "accepted")
        )
    elif isinstance(question, Matching):
        rows = [(item.md(pair.left, compact=True), h.text(pair.right)) for pair in question.pairs]
        parts.append(h.table(rows, ("Item", "Matches")))
    return "".join(parts)


def _completed(item: _Item, question: CodeChoice) -> list[str]:
    right = [c for c in question.choices if c.correct and c.code is not None]
    if len(right) != 1:
        return []
    python = item.language.strip().lower() in PYTHON  # other languages go in as written
    program = splice(question.code, right[0].code or "", python=python).source
    return [f"<p>The completed program:</p>{highlight(program, item.language)}"]


def _output_key(item: _Item) -> str | None:
    question = item.question
    assert isinstance(question, Output)
    if question.answer is not None:
        return question.answer
    return item.result.computed_answer if item.result else None


def _output_answer(item: _Item, order: list[int]) -> str:
    key = _output_key(item)
    if key is None:
        item.context.warn(
            item.loaded,
            item.question,
            "no output to show as the answer: the question has no `answer` and was not run",
            "anki-no-answer",
        )
        return "<p>(not computed: validate the bank with execution first)</p>"
    label = letter(order.index(KEY)) + ". " if order else ""
    return f"<p><strong>{label}It prints:</strong></p>{preformatted(key)}"


def _number(question: Numerical) -> str:
    def fmt(x: float) -> str:  # an int (`answer: 1` stays one) or a float
        return str(int(x)) if float(x).is_integer() else repr(float(x))

    tolerance = f" ± {fmt(question.tolerance)}" if question.tolerance else ""
    return fmt(question.answer) + tolerance


def _feedback(item: _Item, order: list[int]) -> str:
    """Per wrong option: authored feedback, else the generated learner feedback (Markdown;
    its unlabelled fences are program output, shown as plain text)."""
    generated = item.context.feedback(item.loaded, item.question)
    entries = []
    for position, index in enumerate(order):
        if index == KEY:
            continue
        choice = item.question.choices_list[index]
        if choice.feedback:
            entries.append((letter(position), item.md(choice.feedback, compact=True)))
        elif not choice.correct and generated.get(index, "").strip():
            said = h.markdown(generated[index], "text", compact=True)
            entries.append((letter(position), f'<span class="generated">{said}</span>'))
    return h.options(entries, "feedback")
