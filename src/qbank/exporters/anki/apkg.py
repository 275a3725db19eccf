"""Anki ``.apkg`` export: one note per question, one deck per bank, updates in place.

genanki (the ``anki`` extra) is imported only when this format is used. What stays stable
across releases, so that re-importing a newer export updates notes instead of duplicating them:

- **GUID** = ``genanki.guid_for("qbank", bank_id, question_id)``: identity only, never content,
  and the bank id does not depend on the path given on the command line (the loader resolves
  it from the project root). Renaming a bank or question id makes a new note. A bank id with
  ``__`` hashes its pair of ids unambiguously instead (:func:`.fields.guid`), so that bank
  ``x__y`` question ``z`` and bank ``x`` question ``y__z`` are two notes.
- **Note type**: fixed fields and template, constant id (see :mod:`qbank.exporters.anki.notetype`).
- **Decks**: ``qbank::<bank id with / as ::>`` (e.g. ``qbank::fastapi::background-tasks``),
  constant ids hashed from the name. Anki matches decks *by name*, so the deck name comes from
  the bank id, not its title: editing a title never strands cards in an abandoned deck.

**mod times.** Anki applies an incoming note only if its ``mod`` is *newer* than the one in
the collection (even "always update" needs a *different* one). Policy: every note, card and
the note type get ``mod`` = the build time, which is ``SOURCE_DATE_EPOCH`` when set, else the
current time. Note and card ids count up from ``1000 * build time`` and the zip members are
dated the build time, so with ``SOURCE_DATE_EPOCH`` set the same banks give the same bytes.

**Media.** The images a question shows (``![alt](figures/tree.png)`` in its texts, and the
figure its program draws) are packed as Anki expects: zip members ``0``, ``1``, … holding the
bytes and the ``media`` map from member to file name. Names are unique by content
(:attr:`~qbank.exporters.media.MediaFile.name`: ``tree-1a2b3c4d5e6f.png``), and the fields
reference the bare name, so two banks' ``tree.png`` never overwrite each other in Anki's
single media folder, and re-importing an unchanged image adds no copy.

Trade-off: an edited question exported with the *same* ``SOURCE_DATE_EPOCH`` as an earlier
import is **not** applied. No choice can fix that while keeping builds reproducible: ``mod``
would have to be a pure function of (content, epoch), and editing A→B→A needs
mod(A) < mod(B) < mod(A). Content-hash offsets added to the epoch do not help either: they are
not monotonic, so an edit may get a smaller ``mod`` and be dropped even across releases. So
advance the epoch with every release, e.g. ``SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)``
(any committed edit moves it). Without it, every export is newer than the last and all edits
apply. Either way unchanged notes are rewritten too, which replaces a learner's own edits of
those notes' fields (never their review history or scheduling).
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from qbank.errors import ExportError
from qbank.exporters.anki.fields import note_data
from qbank.exporters.anki.html import markdown
from qbank.exporters.anki.notetype import deck_id, deck_name, model_spec
from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.model import Collection, LoadedBank

ZIP_EPOCH = 315532800
"""1980-01-01, the earliest date a zip member can carry."""


def build_time(environ: Mapping[str, str] = os.environ) -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the current time, in seconds."""
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return int(time.time())
    if not raw.isdigit():
        raise ExportError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}")
    return int(raw)


class AnkiExporter(Exporter):
    """Anki package (``.apkg``): a note per question, a deck per bank, highlighted code."""

    name = "anki"
    file_extension = ".apkg"
    description = "Anki package (.apkg): one deck per bank, re-import updates in place"
    binary = True
    collection_file = True

    highlights_code = True

    def __init__(
        self,
        options: ExporterOptions | Mapping[str, object] | None = None,
        *,
        timestamp: int | None = None,
    ) -> None:
        super().__init__(options)
        self.timestamp = timestamp
        """Build time to use instead of :func:`build_time` (tests, benchmarks)."""

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> bytes:
        """One bank as a package holding its deck."""
        return self.render_banks([loaded], context)

    def render_collection(self, collection: Collection, context: ExportContext) -> bytes:
        """The whole collection as one package, a deck per bank."""
        return self.render_banks(collection, context)

    def render_banks(self, banks: Iterable[LoadedBank], context: ExportContext) -> bytes:
        """A package with a deck for each of `banks`."""
        import genanki

        timestamp = self.timestamp if self.timestamp is not None else build_time()
        model = genanki.Model(**model_spec())
        media: dict[str, bytes] = {}
        decks = [_deck(genanki, model, loaded, context, media) for loaded in banks]
        return package_bytes(genanki.Package(decks), timestamp, media)


def _deck(
    genanki: Any, model: Any, loaded: LoadedBank, context: ExportContext, media: dict[str, bytes]
) -> Any:
    """The genanki deck of one bank, with a note per question (its images added to `media`,
    file name -> bytes)."""
    name = deck_name(loaded.id)
    description = markdown(loaded.bank.description, loaded.bank.language)
    deck = genanki.Deck(deck_id(name), name, description)
    deck.add_model(model)
    for question in loaded.bank.questions:
        data = note_data(loaded, question, context)
        media.update((item.name, item.data) for item in data.media)
        deck.add_note(
            genanki.Note(
                model=model, fields=list(data.fields), tags=list(data.tags), guid=data.guid
            )
        )
    return deck


def package_bytes(package: Any, timestamp: int, media: Mapping[str, bytes] | None = None) -> bytes:
    """The ``.apkg`` bytes of a genanki package and its `media` (file name -> bytes), a pure
    function of them and `timestamp`.

    genanki's own ``write_to_file`` dates zip members with the current time; this writes the
    same database (schema 11, ``collection.anki2``) and zips it with fixed dates and modes,
    the media files as members ``0``, ``1``, … in name order, named by the ``media`` map.
    """
    with tempfile.TemporaryDirectory(prefix="qbank-anki-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(timestamp * 1000))
            connection.commit()
        finally:
            connection.close()
        database = path.read_bytes()
    names = sorted(media or {})
    members = {"collection.anki2": database}
    members["media"] = json.dumps({str(i): name for i, name in enumerate(names)}).encode()
    members.update((str(i), (media or {})[name]) for i, name in enumerate(names))
    return _zip(members, timestamp)


def _zip(members: dict[str, bytes], timestamp: int) -> bytes:
    """A zip of `members`, in order, every entry dated `timestamp` (clamped to 1980…2107)."""
    date = time.gmtime(min(max(timestamp, ZIP_EPOCH), 4354819199))[:6]
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=date)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        buffer.seek(0)
        return buffer.read()


def benchmark(
    count: int = 10_000, distinct: int = 10_000, *, warm: bool = False
) -> dict[str, float]:
    """Seconds to export `count` generated questions: qbank vs genanki with pre-rendered fields.

    Snippets repeat every `distinct` questions (highlighting is cached per snippet). Returns
    ``qbank``, ``genanki``, their ``ratio``, ``pygments`` (highlighting the distinct snippets
    alone, cache cleared) and ``ratio_without_pygments``. With `warm`, the snippets were
    highlighted before (as on a re-export with the project cache) and only the export is timed.
    """
    import genanki

    from qbank.exporters.highlight import forget, highlight
    from qbank.report import Report

    collection = _generated(count, distinct)
    context = ExportContext(Report(collection))
    forget()
    if warm:
        for question in collection.banks[0].bank.questions[:distinct]:
            highlight(question.code or "", "python")
    started = time.perf_counter()
    AnkiExporter(timestamp=ZIP_EPOCH).render_collection(collection, context)
    ours = time.perf_counter() - started
    loaded = collection.banks[0]
    prepared = [note_data(loaded, q, context) for q in loaded.bank.questions]
    started = time.perf_counter()
    model = genanki.Model(**model_spec())
    deck = genanki.Deck(deck_id("bench"), "bench")
    for data in prepared:
        deck.add_note(genanki.Note(model=model, fields=list(data.fields), guid=data.guid))
    package_bytes(genanki.Package([deck]), ZIP_EPOCH)
    plain = time.perf_counter() - started
    forget()
    started = time.perf_counter()
    for question in loaded.bank.questions[:distinct]:
        highlight(question.code or "", "python")
    pygments = time.perf_counter() - started
    return {
        "qbank": ours,
        "genanki": plain,
        "ratio": ours / plain,
        "pygments": pygments,
        "ratio_without_pygments": (ours - pygments) / plain,
    }


def _generated(count: int, distinct: int) -> Collection:
    """One bank of `count` multiple-choice questions; snippets repeat every `distinct`."""
    from qbank.model import Bank, Choice, MultipleChoice

    questions = tuple(
        MultipleChoice(
            type="multiple_choice",
            id=f"q{i}",
            prompt=f"What does snippet `{i}` print for `<int>`?",
            code=f"def f(x):\n    return x * {i % distinct}\n\nprint(f(2))\n",
            choices=(Choice(text=str(2 * (i % distinct)), correct=True), Choice(text="0")),
            explanation="It **doubles**.",
        )
        for i in range(count)
    )
    bank = Bank(id="bench", title="Bench", questions=questions)
    return Collection([LoadedBank(id="bench", path="bench.yaml", bank=bank)])
