"""Anki text export (``.txt``, tab-separated): the same notes as the ``.apkg``, as a table.

**The note type must already exist in the collection**: Anki's text import cannot create note
types, so import one ``.apkg`` export first (it brings the "qbank question" note type), then
text files update the notes. Each row is::

    GUID  note type  deck  QID  Type  Question  Code  Choices  Hint  Answer  Feedback  Explanation  Source  tags

with the headers Anki itself writes (``#separator:tab``, ``#html:true``, ``#guid column:1``,
``#notetype column:2``, ``#deck column:3``, ``#tags column:14``). Rows match existing notes by
GUID, so an edited question updates in place (text import has no ``mod`` rule: a matching row
always updates). Fields are HTML, quoted RFC-4180 style (``"`` doubled) whenever they start with
``#`` (else Anki reads the row as a comment and drops it), or hold a tab, quote or line break.

A text file cannot carry files: fields reference images by the bare names the ``.apkg``
export packs (``tree-1a2b3c4d5e6f.png``), which Anki finds once that package was imported;
each question that shows an image gets a ``lossy-media`` warning naming them.
"""

from __future__ import annotations

from collections.abc import Iterable

from qbank.exporters.anki.fields import note_data
from qbank.exporters.anki.notetype import FIELDS, NOTE_TYPE_NAME
from qbank.exporters.base import ExportContext, Exporter
from qbank.model import Collection, LoadedBank, QuestionBase

_META_COLUMNS = ("guid", "notetype", "deck")
HEADERS = (
    "#separator:tab",
    "#html:true",
    "#guid column:1",
    "#notetype column:2",
    "#deck column:3",
    f"#tags column:{len(_META_COLUMNS) + len(FIELDS) + 1}",
)


def quote(field: str) -> str:
    """`field` as one tab-separated cell, quoted when Anki would misread it bare."""
    if field.startswith("#") or any(c in field for c in '\t"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


class AnkiTextExporter(Exporter):
    """Anki text file (``.txt``): notes with GUIDs that update what an ``.apkg`` imported."""

    name = "anki-text"
    file_extension = ".txt"
    description = "Anki text file (tab-separated, GUID column); import the .apkg once first"
    collection_file = True
    highlights_code = True

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """One bank's notes."""
        return self.render_banks([loaded], context)

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        """Every bank's notes, each row naming its deck."""
        return self.render_banks(collection, context)

    def render_banks(self, banks: Iterable[LoadedBank], context: ExportContext) -> str:
        """The headers, then a row per question of `banks`."""
        rows = [
            _row(loaded, question, context)
            for loaded in banks
            for question in loaded.bank.questions
        ]
        return "".join(f"{line}\n" for line in (*HEADERS, *rows))


def _row(loaded: LoadedBank, question: QuestionBase, context: ExportContext) -> str:
    data = note_data(loaded, question, context)
    if data.media:
        names = ", ".join(item.name for item in data.media)
        context.warn(
            loaded,
            question,
            f"an Anki text file cannot carry files: {names} must already be in the "
            "collection's media (import the .apkg export first)",
            "lossy-media",
        )
    cells = (data.guid, NOTE_TYPE_NAME, data.deck, *data.fields, " ".join(data.tags))
    return "\t".join(quote(cell) for cell in cells)
