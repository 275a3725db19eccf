"""An Anki package (``.apkg``/``.colpkg``) read safely: the zip, its collection, its media.

The zip is checked before anything is read: every member name must be relative and stay
inside the package (no ``..``, no absolute path, no drive), and the sizes are capped (the
collection, each media file, the whole). The collection is the SQLite file
``collection.anki21`` (Anki 2.1 "legacy 2") or ``collection.anki2`` (genanki, Anki 2.0),
copied to a temporary file and read with :mod:`sqlite3` into plain data: note types from
``col.models``, deck names from ``col.decks``, the notes, and the deck of each note's first
card. Anki's newer format (``collection.anki21b``, zstd-compressed, schema 18) is refused
with a message saying how to export the legacy format.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from qbank.errors import QbankError

COLLECTIONS = ("collection.anki21", "collection.anki2")
NEWER = "collection.anki21b"
MAX_COLLECTION = 512 << 20
MAX_MEDIA_FILE = 64 << 20
MAX_TOTAL = 1 << 30
MAX_MEMBERS = 100_000


@dataclass(frozen=True)
class NoteType:
    """A note type (Anki "model"): its name, kind (0 standard, 1 cloze) and field names."""

    name: str
    kind: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    model: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    deck: int | None


@dataclass
class Collection:
    """What an importer needs of a collection, as plain data."""

    note_types: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)
    """The package's files by their name in Anki's media folder."""
    problems: list[str] = field(default_factory=list)
    """Media the package lists but does not hold (or holds unsafely): one phrase each."""


def is_package(path: Path) -> bool:
    """Whether `path` is a zip holding an Anki collection (any of the three formats)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    return bool(names & {*COLLECTIONS, NEWER})


def _check_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise QbankError(f"{path}: the package holds {len(infos)} files, more than {MAX_MEMBERS}")
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in name:
            raise QbankError(
                f"{path}: not a safe Anki package: the member {name!r} points outside it"
            )
        total += info.file_size
    if total > MAX_TOTAL:
        raise QbankError(f"{path}: the package unpacks to {total} bytes, more than {MAX_TOTAL}")
    return {info.filename: info for info in infos}


def _member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise QbankError(f"{path}: {info.filename} is {info.file_size} bytes, over {limit}")
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise QbankError(f"{path}: {info.filename} cannot be unpacked: {error}") from None
    except RuntimeError:  # zipfile's "File ... is encrypted, password required"
        raise QbankError(
            f"{path}: {info.filename} is encrypted (a password-protected zip), which Anki "
            "never writes: export the deck from Anki again"
        ) from None
    if len(data) > limit:
        raise QbankError(f"{path}: {info.filename} unpacks to more than {limit} bytes")
    return data


def _newer_format(path: Path) -> QbankError:
    return QbankError(
        f"{path}: the package is in Anki's newer format (collection.anki21b, compressed with "
        "zstd, schema 18), which qbank does not read. Export it again in the legacy format: in "
        "Anki, File > Export..., 'Anki Deck Package (*.apkg)', tick 'Support older Anki "
        "versions (slower/larger files)'; or with the `anki` Python package: "
        "`col.export_anki_package(out_path=..., options=ExportAnkiPackageOptions("
        "legacy=True, with_media=True), limit=None)`"
    )


def read_package(path: Path) -> Collection:
    """The collection of the package at `path` (a :class:`QbankError` if it is none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _check_members(path, archive)
            name = next((n for n in COLLECTIONS if n in members), None)
            if NEWER in members and (name is None or name == "collection.anki2"):
                raise _newer_format(path)
            if name is None:
                raise QbankError(f"{path}: not an Anki package: the zip holds no collection.anki2")
            collection = read_collection(
                path, _member(path, archive, members[name], MAX_COLLECTION)
            )
            _read_media(path, archive, members, collection)
    except zipfile.BadZipFile as error:
        raise QbankError(f"{path}: not an Anki package (not a valid zip file: {error})") from None
    except OSError as error:
        raise QbankError(f"{path}: cannot be read: {error.strerror or error}") from None
    return collection


def _read_media(
    path: Path, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], col: Collection
) -> None:
    if "media" not in members:
        return
    try:
        listed = json.loads(_member(path, archive, members["media"], MAX_MEDIA_FILE) or b"{}")
    except ValueError:
        col.problems.append("the package's media list is not JSON: its files are left out")
        return
    if not isinstance(listed, dict):
        col.problems.append("the package's media list is not a JSON object: left out")
        return
    for number, name in listed.items():
        if not isinstance(name, str) or str(number) not in members:
            col.problems.append(f"the media file {name!r} is listed but not in the package")
            continue
        col.media[name] = _member(path, archive, members[str(number)], MAX_MEDIA_FILE)


def read_collection(path: Path, data: bytes) -> Collection:
    """The note types, decks and notes of a schema-11 collection (the SQLite file's bytes)."""
    with tempfile.TemporaryDirectory(prefix="qbank-anki-") as folder:
        file = Path(folder) / "collection.sqlite"
        file.write_bytes(data)
        try:
            connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            try:
                return _rows(connection)
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            raise QbankError(
                f"{path}: the Anki collection cannot be read ({error}): the package is "
                "damaged or not an Anki package"
            ) from None


def _rows(connection: sqlite3.Connection) -> Collection:
    row = connection.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("the collection has no `col` row")
    try:
        models, decks = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
    except ValueError as error:
        raise sqlite3.DatabaseError(f"its note types or decks are not JSON: {error}") from None
    collection = Collection(_note_types(models), _decks(decks))
    first_deck: dict[int, int] = {}
    for nid, did in connection.execute("SELECT nid, did FROM cards ORDER BY nid, ord, id"):
        first_deck.setdefault(int(nid), int(did))
    for nid, guid, mid, tags, flds in connection.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        collection.notes.append(
            Note(
                int(nid),
                str(guid or ""),
                int(mid),
                tuple(str(tags or "").split()),
                tuple(str(flds or "").split("\x1f")),
                first_deck.get(int(nid)),
            )
        )
    return collection


def _note_types(models: Any) -> dict[int, NoteType]:
    found: dict[int, NoteType] = {}
    for key, model in models.items() if isinstance(models, dict) else ():
        if not isinstance(model, dict):
            continue
        fields = sorted(
            (f for f in model.get("flds") or () if isinstance(f, dict)),
            key=lambda f: _int(f.get("ord")) or 0,
        )
        names = tuple(str(f.get("name", "")) for f in fields)
        kind = 1 if model.get("type") == 1 else 0
        number = _int(model.get("id", key))
        if number is not None:
            found[number] = NoteType(str(model.get("name", "")), kind, names)
    return found


def _int(value: object) -> int | None:
    """A JSON id or ordinal as an int (None: not a whole number)."""
    try:
        return int(str(value))
    except ValueError:
        return None


def _decks(decks: Any) -> dict[int, str]:
    found: dict[int, str] = {}
    for key, deck in decks.items() if isinstance(decks, dict) else ():
        number = _int(deck.get("id", key)) if isinstance(deck, dict) else None
        if isinstance(deck, dict) and number is not None:
            found[number] = str(deck.get("name", ""))
    return found


__all__ = [
    "COLLECTIONS",
    "NEWER",
    "Collection",
    "Note",
    "NoteType",
    "is_package",
    "read_collection",
    "read_package",
]
