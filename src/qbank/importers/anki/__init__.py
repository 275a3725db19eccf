"""Anki packages (``.apkg``, ``.colpkg``) as banks: one per deck.

The package is read safely (:mod:`.package`: member names checked, sizes capped, SQLite
read with the stdlib); each note is mapped by the kind of its note type (:mod:`.notes`,
:mod:`.own` for qbank's own note type), its fields turned into Markdown with their images
(:mod:`.text`). A deck ``Python::Loops`` is the category ``("Python", "Loops")``; a note's
deck is that of its first card. A line number means nothing in SQLite: a question's `line`
is the note's position (1-based) in its deck, and a comment names the note id. The note's
GUID is the question's idnumber (its id, slugged), except for qbank's own notes, whose
``QID`` gives the id back (and the bank id, when every note of the deck agrees on it).
Anki tags (space separated) are the question's tags; one the bank format refuses is slugged,
with an ``import-lost`` issue.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from qbank.importers.anki import notes, own
from qbank.importers.anki.package import Collection, Note, is_package, read_package
from qbank.importers.anki.text import Fields, plain
from qbank.importers.base import ImportedBank, ImportedQuestion, Importer, ImportIssue, ImportResult
from qbank.importers.tags import bank_tags

DIFFICULTIES = ("easy", "medium", "hard")


class AnkiImporter(Importer):
    """Anki packages: Basic, Cloze, qbank's own note type; other note types as essays."""

    name = "anki"
    description = "Anki package (.apkg/.colpkg: one bank per deck; Basic, Cloze, qbank notes)"
    suffixes: ClassVar[tuple[str, ...]] = (".apkg", ".colpkg")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK") and is_package(path)

    def read(self, path: Path) -> ImportResult:
        collection = read_package(path)
        reader = _Reader(str(path), collection)
        for problem in collection.problems:
            reader.issue(1, problem, kind="lost")
        for note in collection.notes:
            reader.add(note)
        reader.finish()
        if not reader.result.banks:
            reader.issue(1, "the package holds no note", kind="empty")
        return reader.result


class _Reader:
    def __init__(self, path: str, collection: Collection) -> None:
        self.path = path
        self.name = Path(path).name
        self.collection = collection
        self.banks: dict[str, ImportedBank] = {}
        self.bank_ids: dict[int, set[str | None]] = {}
        self.result = ImportResult()

    def issue(self, line: int, message: str, kind: str, question: str | None = None) -> None:
        self.result.issues.append(ImportIssue(self.path, line, message, kind, question))

    def _bank(self, note: Note) -> ImportedBank:
        deck = self.collection.decks.get(note.deck, "") if note.deck is not None else ""
        if deck not in self.banks:
            category = tuple(p.strip() for p in deck.split("::") if p.strip())
            self.banks[deck] = ImportedBank(self.path, category)
            self.result.banks.append(self.banks[deck])
        return self.banks[deck]

    def add(self, note: Note) -> None:
        bank = self._bank(note)
        note_type = self.collection.note_types.get(note.model)
        kind = notes.kind_of(note_type)
        fields = Fields(self.collection.media, bank.media)
        if kind == "own":
            mapped = own.own(note.fields, fields)
            self.bank_ids.setdefault(id(bank), set()).add(own.bank_id(note.fields))
            source = own.own_fields(note.fields)["Source"]
            if source and bank.title is None:
                bank.title = re.sub(r"\s*\([^()]*\)\s*\Z", "", plain(source)) or None
        elif kind == "cloze":
            mapped = notes.cloze(note, fields)
        elif kind == "basic":
            mapped = notes.basic(note, fields)
        else:
            mapped = notes.other(note, note_type, fields)
        if kind != "own":
            self.bank_ids.setdefault(id(bank), set()).add(None)
        line = len(bank.questions) + 1
        tags = self._tags(note, line)
        if kind == "own":
            tags = _own_tags(tags, mapped.data)
        if tags:
            mapped.data["tags"] = tags
        self._report(mapped, fields, line)
        comments = [f"from {self.name}: note {note.id}", *mapped.comments]
        bank.questions.append(ImportedQuestion(mapped.data, line, comments, note.guid or None))

    def _report(self, mapped: notes.Mapped, fields: Fields, line: int) -> None:
        for kind, message in mapped.issues:
            self.issue(line, message, kind=kind)
        if fields.lost:
            self.issue(
                line,
                f"not kept, the bank has no place for it: {', '.join(fields.lost)}",
                kind="lost",
            )
        if fields.html:
            self.issue(line, f"HTML Markdown cannot hold: {', '.join(fields.html)}", kind="html")

    def _tags(self, note: Note, line: int) -> list[str]:
        tags = bank_tags(note.tags)
        for message in tags.changed:
            self.issue(line, message, kind="lost")
        return tags.kept

    def finish(self) -> None:
        """Banks whose notes all come from one qbank bank get its id and its folder."""
        for bank in self.result.banks:
            ids = self.bank_ids.get(id(bank), set())
            if len(ids) == 1 and None not in ids:
                (bank_id,) = ids
                assert bank_id is not None
                bank.data["id"] = bank_id
                bank.category = tuple(bank_id.split("/"))


def _own_tags(tags: list[str], data: dict[str, object]) -> list[str]:
    """The tags of a qbank note without the two the exporter adds: ``type::<kind>`` (the
    ``Type`` field says it) and ``difficulty::<level>``, which is the question's again."""
    kept = []
    for tag in tags:
        level = tag.removeprefix("difficulty::")
        if tag.startswith("type::"):
            continue
        if level != tag and level in DIFFICULTIES:
            data["difficulty"] = level
            continue
        kept.append(tag)
    return kept


__all__ = ["AnkiImporter"]
