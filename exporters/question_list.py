"""A project-local exporter: the question list as CSV (one row per question).

qbank imports every ``*.py`` module of a bank project's top-level ``exporters/`` folder and
registers the ``Exporter`` subclasses it defines, with no packaging: this one makes
``qbank export banks/ -f question-list -o build/questions.csv`` work in this repository.
See docs/plugins.md.
"""

from __future__ import annotations

import csv
import io

from qbank.exporters import ExportContext, Exporter
from qbank.model import Collection, LoadedBank

COLUMNS = ("bank", "question", "type", "difficulty", "tags", "state", "prompt")


class QuestionListExporter(Exporter):
    """A CSV inventory of the questions: what each bank holds and how far it is proven."""

    name = "question-list"
    file_extension = ".csv"
    description = "CSV list of the questions with their proof state (project-local example)"
    collection_file = True

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """One bank's rows, with a header."""
        return self._csv([loaded], context)

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        """Every bank's rows, with one header."""
        return self._csv(list(collection), context)

    def _csv(self, banks: list[LoadedBank], context: ExportContext) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for loaded in banks:
            for question in loaded.bank.questions:
                result = context.result(loaded, question)
                first_line = (
                    question.prompt.strip().splitlines()[0] if question.prompt.strip() else ""
                )
                writer.writerow(
                    (
                        loaded.id,
                        question.id,
                        getattr(question, "type", ""),
                        question.difficulty or "",
                        " ".join(dict.fromkeys((*loaded.bank.tags, *question.tags))),
                        result.state if result else "",
                        first_line,
                    )
                )
        return buffer.getvalue()
