"""Moodle XML: the full-fidelity route into Moodle, written the way Moodle 4.5's importer
(``question/format/xml/format.php``) reads it; see ``docs/moodle.md``.

* One ``<quiz>``; per bank a category question (``$course$/top/<id path, last segment the
  bank's title>``, as in GIFT), then its questions.
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

from typing import Literal

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.moodle import names
from qbank.exporters.moodle.item import Item
from qbank.exporters.moodle.question import question_xml
from qbank.exporters.moodle.xml import Field, block, plain_text, rich
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
        found = [_category(loaded)]
        for question in loaded.bank.questions:
            item = Item(loaded, question, context, options.refutation_feedback)
            written = question_xml(
                item,
                used,
                shuffle=True,
                numbering=options.answer_numbering,
                penalty=options.penalty,
            )
            if written is not None:
                found.append(written)
        return found


def _category(loaded: LoadedBank) -> str:
    """The category question that puts the following questions in the bank's category."""
    info = rich("info", Field(_info(loaded)))
    return block(
        "question", [plain_text("category", names.category(loaded)), info], 2, type="category"
    )


def _info(loaded: LoadedBank) -> str:
    from qbank.exporters.moodle import text

    description = loaded.bank.description
    return text.markdown(description, loaded.bank.language) if description else ""


def _quiz(questions: list[str]) -> str:
    return HEADER + "<quiz>\n" + "".join(f"  {q}\n" for q in questions) + "</quiz>\n"


__all__ = ["MoodleExporter", "MoodleOptions"]
