"""IMS QTI 1.2 as Canvas imports it (Classic Quizzes, and New Quizzes through the same
course import): one ``.zip`` for the whole collection, one assessment per bank; see
``docs/canvas.md``.

* The package (:mod:`.package`): ``imsmanifest.xml``, per bank ``<ident>/<ident>.xml`` and
  ``<ident>/assessment_meta.xml``, the images under ``media/``. Canvas puts each
  assessment's questions in a question bank named after its title: the bank's title (else
  its id).
* Each question is an ``<item>`` (:mod:`.question`) with Canvas's ``question_type``
  (:mod:`.choices`, :mod:`.typed`), ``points_possible``, the explanation as general
  feedback and each option's feedback (authored, else what validation generated for
  learners); code is HTML Canvas's sanitizer keeps, highlighted (:mod:`.text`).
* Identifiers derive from bank and question ids (:mod:`.ids`): two exports of the same
  banks are byte-identical, and importing a newer export into the same course updates the
  questions instead of adding copies.
* What Canvas cannot carry is a ``lossy-*`` warning: hints, case-sensitive answers,
  weights other than Canvas's rule (:mod:`.weights`), a multi-line output typed as a short
  answer, a question text over 16 KB.
* Per-question ``shuffle: false`` has no place in Canvas, whose "Shuffle answers" is a quiz
  setting: a quiz shuffles when every question of its bank allows it; otherwise it does
  not, and the options of the questions that allow it are written in qbank's seeded order
  (:func:`qbank.exporters.display.option_order`), so the key is not always the first.
"""

from __future__ import annotations

from typing import Literal

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.display import option_order, plain_number
from qbank.exporters.media import MediaFile
from qbank.exporters.qti import ids, package
from qbank.exporters.qti import text as t
from qbank.exporters.qti.item import Item
from qbank.exporters.qti.question import item_xml
from qbank.exporters.variants import groups
from qbank.model import Collection, LoadedBank, QuestionBase, WithChoices


class QtiOptions(ExporterOptions):
    """Options of the QTI 1.2 (Canvas) exporter."""

    refutation_feedback: bool = True
    """Give a wrong option without `feedback` the feedback validation generated for learners
    (what the code prints, or the exception it raises; never hidden code)."""
    quiz_type: Literal["assignment", "practice_quiz", "graded_survey", "survey"] = "assignment"
    """What kind of Canvas quiz each bank becomes (`assignment`: a graded quiz)."""
    allowed_attempts: int = 1
    """How many attempts a learner has (-1: unlimited)."""


class QtiExporter(Exporter):
    """Canvas QTI 1.2 (.zip): one assessment and question bank per bank."""

    name = "qti"
    file_extension = ".zip"
    description = "Canvas QTI 1.2 package (.zip): a quiz and question bank per bank"
    binary = True
    collection_file = True
    highlights_code = True
    draws_variants = True
    options_model = QtiOptions
    options: QtiOptions

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> bytes:
        """One bank as a package holding its assessment."""
        return self.render_banks([loaded], context)

    def render_collection(self, collection: Collection, context: ExportContext) -> bytes:
        """The whole collection as one package, an assessment per bank."""
        return self.render_banks(list(collection), context)

    def render_banks(self, banks: list[LoadedBank], context: ExportContext) -> bytes:
        """A package with an assessment for each of `banks`."""
        media: dict[str, MediaFile] = {}
        quizzes = [self._quiz(loaded, context, media) for loaded in banks]
        title = quizzes[0].title if len(quizzes) == 1 else "qbank collection"
        manifest = package.manifest_xml(
            ids.manifest_ident([b.id for b in banks]), title, quizzes, sorted(media)
        )
        members = {package.MANIFEST: manifest.encode("utf-8")}
        for quiz in quizzes:
            members[quiz.path] = quiz.assessment.encode("utf-8")
            members[quiz.meta_path] = quiz.meta.encode("utf-8")
        members.update((path, media[path].data) for path in sorted(media))
        return package.zip_bytes(members)

    def _quiz(
        self, loaded: LoadedBank, context: ExportContext, media: dict[str, MediaFile]
    ) -> package.Quiz:
        bank = loaded.bank
        shuffle = all(q.shuffle for q in bank.questions if isinstance(q, WithChoices))
        items, points = self._items(loaded, context, media, shuffle)
        ident = ids.assessment_ident(loaded.id)
        title = _plain(bank.title.strip() if bank.title and bank.title.strip() else loaded.id)
        description = t.markdown(bank.description or "", bank.language)
        settings = package.Settings(
            title, description, plain_number(points), shuffle,
            self.options.quiz_type, self.options.allowed_attempts,
        )  # fmt: skip
        return package.Quiz(
            ident,
            title,
            package.assessment_xml(ident, title, items),
            package.meta_xml(ident, settings),
        )

    def _items(
        self, loaded: LoadedBank, context: ExportContext, media: dict[str, MediaFile], shuffle: bool
    ) -> tuple[list[str], float]:
        """The root section's children and the quiz's points: each plain question an item,
        each question with variants a group that draws one of them, worth its points once."""
        children: list[str] = []
        points = 0.0
        for group in groups(loaded.bank.questions):
            written = [
                found
                for question in group.questions
                if (found := self._item(loaded, question, context, media, shuffle)) is not None
            ]
            if not written:
                continue
            first = group.questions[0]
            if group.varied:
                ident = ids.group_ident(loaded.id, group.id)
                title = _plain(f"{first.title or group.id} (1 of {len(written)} variants)")
                children.append(
                    package.group_xml(ident, title, plain_number(first.points), written)
                )
            else:
                children.extend(written)
            points += first.points
        return children, points

    def _item(
        self,
        loaded: LoadedBank,
        question: QuestionBase,
        context: ExportContext,
        media: dict[str, MediaFile],
        shuffle: bool,
    ) -> str | None:
        """The ``<item>`` of `question` (None when it cannot be written, warned); its
        options in qbank's seeded order when the quiz does not shuffle but it may."""
        item = Item(loaded, question, context, media, self.options.refutation_feedback)
        order = list(range(len(question.choices_list)))
        if not shuffle and isinstance(question, WithChoices) and question.shuffle:
            order = option_order(loaded.id, question, has_key=False)
        return item_xml(item, order)


def _plain(value: str) -> str:
    return t.plain(" ".join(value.split()))[0]


__all__ = ["QtiExporter", "QtiOptions"]
