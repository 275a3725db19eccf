"""Moodle XML: the full-fidelity route into Moodle, written the way Moodle 4.5's importer
(``question/format/xml/format.php``) reads it; see ``docs/moodle.md``.

* One ``<quiz>``; per bank a category question (``$course$/top/<id path, last segment the
  bank's title>``, as in GIFT), then its questions. A question's variants (``id#1`` …) go in
  a category of their own, ``…/<bank title>/<question id>``, whose ``<info>`` says how many
  and to add a random question from it (a quiz's random slot draws one per attempt); a
  category question switches back to the bank's before the plain questions that follow.
* Every text in CDATA (:mod:`.text`): Moodle's reader drops whitespace between entity
  references, and CDATA has none. HTML fields are Markdown with code highlighted.
* Each question carries what GIFT cannot: hints (one ``<hint>`` each), points
  (``<defaultgrade>``), ``shuffle``, case sensitivity, per-answer feedback, tags, an
  ``<idnumber>`` (``bank-id/question-id``, at most 100 characters), and its media as files of
  the field that shows them (:mod:`.files`).
* A wrong option without authored feedback gets the learner feedback validation generated,
  never the refutation; a question that fails validation gets none, and the tag
  ``qbank-invalid``. Weights off Moodle's grade list are a ``lossy-weight`` problem, as in
  GIFT (:mod:`qbank.exporters.gift.weights`).
"""

from __future__ import annotations

from html import escape
from typing import Literal

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.gift.categories import placed
from qbank.exporters.moodle import names
from qbank.exporters.moodle.item import Item
from qbank.exporters.moodle.question import question_xml
from qbank.exporters.moodle.xml import Field, block, plain_text, rich
from qbank.exporters.variants import Group
from qbank.model import Collection, LoadedBank

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


class MoodleOptions(ExporterOptions):
    """Options of the Moodle XML exporter."""

    refutation_feedback: bool = True
    """Give a wrong option without `feedback` the feedback validation generated for learners
    (what the code prints, or the exception it raises; never hidden code)."""
    penalty: float = 0.3333333
    """Fraction of the points lost per wrong try in Moodle's interactive modes (Moodle's
    default: a third)."""
    answer_numbering: Literal["abc", "ABCD", "123", "iii", "IIII", "none"] = "abc"
    """How Moodle numbers the options of a multiple-choice question."""


class MoodleExporter(Exporter):
    """Moodle XML: one category per bank; a collection fits in one file."""

    name = "moodle"
    file_extension = ".xml"
    description = "Moodle XML (categories, hints, points, feedback, tags; code highlighted)"
    collection_file = True
    draws_variants = True
    highlights_code = True
    options_model = MoodleOptions
    options: MoodleOptions

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """One ``<quiz>`` holding the bank's category and its questions."""
        return _quiz(self._questions(loaded, context, set()))

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        """One ``<quiz>`` holding every bank, each under its own category."""
        used: set[str] = set()
        return _quiz([x for loaded in collection for x in self._questions(loaded, context, used)])

    def _questions(self, loaded: LoadedBank, context: ExportContext, used: set[str]) -> list[str]:
        options = self.options
        written: dict[str, str] = {}
        for question in loaded.bank.questions:
            item = Item(loaded, question, context, options.refutation_feedback)
            found = question_xml(
                item,
                used,
                shuffle=True,
                numbering=options.answer_numbering,
                penalty=options.penalty,
            )
            if found is not None:
                written[question.id] = found
        kept = [q for q in loaded.bank.questions if q.id in written]
        parts = [_category(loaded, names.category(loaded), _info(loaded))]
        for place in placed(loaded, kept):
            if place.switch is not None:
                info = _variants_info(loaded, place.group) if place.group.varied else _info(loaded)
                parts.append(_category(loaded, place.switch, info))
            parts.append(written[place.question.id])
        return parts


def _category(loaded: LoadedBank, path: str, info: str) -> str:
    """The category question that puts the following questions in the category `path`
    (Moodle creates it, and its parents, if missing; its `info` is the description)."""
    return block(
        "question", [plain_text("category", path), rich("info", Field(info))], 2, type="category"
    )


def _info(loaded: LoadedBank) -> str:
    from qbank.exporters.moodle import text

    description = loaded.bank.description
    return text.markdown(description, loaded.bank.language) if description else ""


def _variants_info(loaded: LoadedBank, group: Group) -> str:
    """What teachers read of a variants category: how many, of which question, and how a
    quiz draws one."""
    first = group.questions[0]
    which = f"{loaded.id}/{group.id}" + (f" ({first.title.strip()})" if first.title else "")
    count = len(group.questions)
    said = f"{count} variant{'s' if count != 1 else ''} of question {which}"
    return f"<p>{escape(said)}; add a random question from this category.</p>"


def _quiz(questions: list[str]) -> str:
    return HEADER + "<quiz>\n" + "".join(f"  {q}\n" for q in questions) + "</quiz>\n"


__all__ = ["MoodleExporter", "MoodleOptions"]
