"""Helpers that read our Anki exports with Anki's own library (PyPI ``anki``) and with SQLite.

Anki is the real consumer of an ``.apkg``: these helpers import packages and text files into a
throw-away collection, and project a package's database to JSON for golden files.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


@dataclass
class ImportedNote:
    """A note as Anki stored it, with its cards rendered."""

    guid: str
    notetype: str
    fields: dict[str, str]
    tags: list[str]
    decks: list[str]
    questions: list[str]
    answers: list[str]
    mod: int


def new_collection(folder: Path) -> Collection:
    """An empty Anki collection in `folder`."""
    return Collection(str(folder / "collection.anki2"))


def import_package(col: Collection, data: bytes, folder: Path, name: str = "export.apkg") -> Any:
    """Import `.apkg` bytes with Anki's default options (update notes if newer)."""
    path = folder / name
    path.write_bytes(data)
    options = ImportAnkiPackageOptions(
        update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
    )
    request = ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(request).log


def import_text(col: Collection, text: str, folder: Path, name: str = "export.txt") -> Any:
    """Import an Anki text file with the metadata Anki reads from its headers."""
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def notes(col: Collection) -> dict[str, ImportedNote]:
    """Every note of the collection by GUID, with rendered cards."""
    found = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        cards = note.cards()
        found[note.guid] = ImportedNote(
            guid=note.guid,
            notetype=note.note_type()["name"],
            fields=dict(note.items()),
            tags=sorted(note.tags),
            decks=sorted({col.decks.name(card.did) for card in cards}),
            questions=[card.question() for card in cards],
            answers=[card.answer() for card in cards],
            mod=note.mod,
        )
    return found


def card_count(col: Collection) -> int:
    """How many cards the collection holds."""
    return int(col.card_count())


def project_package(data: bytes) -> dict[str, Any]:
    """A JSON-ready projection of an ``.apkg``'s database: notes, note types, decks."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        database = archive.read("collection.anki2")
        media = json.loads(archive.read("media"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(database)
        connection = sqlite3.connect(path)
        try:
            return _projection(connection, media)
        finally:
            connection.close()


def _projection(connection: sqlite3.Connection, media: Any) -> dict[str, Any]:
    models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
    models = json.loads(models_json)
    decks = json.loads(decks_json)
    rows = connection.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY guid").fetchall()
    cards = connection.execute(
        "SELECT n.guid, c.ord, c.did FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.guid, c.ord"
    ).fetchall()
    return {
        "models": [
            {
                "id": int(model["id"]),
                "name": model["name"],
                "fields": [field["name"] for field in model["flds"]],
                "templates": [
                    {"name": t["name"], "front": t["qfmt"], "back": t["afmt"]}
                    for t in model["tmpls"]
                ],
                "sort_field": model["sortf"],
            }
            for model in sorted(models.values(), key=lambda m: int(m["id"]))
        ],
        "decks": sorted((d["name"], int(d["id"])) for d in decks.values()),
        "notes": [
            {"guid": g, "model": mid, "fields": flds.split("\x1f"), "tags": tags.split()}
            for g, mid, flds, tags in rows
        ],
        "cards": [[g, ord_, decks[str(did)]["name"]] for g, ord_, did in cards],
        "media": media,
    }


DEMO_BANK = """\
title: "Demo & <traps>"
description: Every kind of question, with characters that break naive exporters.
tags: [demo, "lang::python"]
questions:
  - id: mc
    type: multiple_choice
    difficulty: easy
    tags: [basics]
    prompt: |
      What does `f()` return for a `std::vector<int>`? **Pick one** & say why.
    code: |
      def f():
          if True:
              return "<int>"
    hint: Look at the *indentation*.
    explanation: The `if` body returns `"<int>"`.
    choices:
      - text: "`<int>`"
        correct: true
        feedback: Right, the tag is text.
      - text: "# nothing"
      - text: "a \\"quoted\\"\\ttab"
  - id: ma
    type: multiple_answers
    prompt: Which are even?
    shuffle: false
    choices:
      - {text: "2", correct: true}
      - {text: "3"}
      - {text: "4", correct: true}
  - id: tf
    type: true_false
    prompt: Tabs and	spaces differ.
    answer: true
  - id: num
    type: numerical
    prompt: 0.1 + 0.2 rounded to one decimal?
    answer: 0.3
    tolerance: 0.05
  - id: short
    type: short_answer
    prompt: Name the keyword that defines a function.
    answers: [def, "#def"]
  - id: pairs
    type: matching
    prompt: Match the literal with its type.
    pairs:
      - {left: "`1`", right: int}
      - {left: "`'a'`", right: str}
    distractors: [float]
  - id: essay
    type: essay
    prompt: Explain duck typing.
    explanation: If it quacks...
  - id: out
    type: output
    prompt: What does it print?
    code: |
      for i in range(2):
          print(f"<{i}>")
    choices: ["<0>", "0\\n1\\n"]
  - id: gap
    type: code_choice
    prompt: Which line makes it print 3?
    code: |
      x = 1
      ____
      print(x)
    choices:
      - {code: "x += 2", correct: true}
      - {code: "x = '3'"}
  - id: bug
    type: bug
    prompt: Find the bug.
    code: |
      def add(a, b):
      \treturn a - b
    fix: |
      def add(a, b):
      \treturn a + b
    choices:
      - {text: "It subtracts", correct: true}
      - {text: "Nothing"}
"""


def write_project(root: Path, bank: str = DEMO_BANK, name: str = "banks/demo.yaml") -> Path:
    """A bank project under `root` (a ``qbank.toml`` marks its root); returns the bank file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "qbank.toml").write_text("", encoding="utf-8")
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bank, encoding="utf-8")
    return path
