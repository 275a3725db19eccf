"""The importer registry: format name -> :class:`~qbank.importers.base.Importer` class, and
the format of a source file guessed when `--from` is not given.

Importers are found through the entry-point group ``qbank.importers`` (qbank's own too), so
another package adds a format by declaring an entry point. Listing names imports nothing;
asking for one format imports only its module, so a broken or missing importer breaks only
requests for its own name.

Guessing (:func:`guess`) reads the file's first 4 KiB. A ``.xml`` or ``.zip`` file is told
by its content (Moodle XML holds ``<quiz``; a Canvas QTI export holds ``questestinterop``, or
is a zip with ``imsmanifest.xml``); any other file by each importer's
:meth:`~qbank.importers.base.Importer.sniff`. A file that no importer, or more than one,
claims is an :class:`~qbank.errors.ImporterNotFound` naming it and the known formats.
"""

from __future__ import annotations

import difflib
import zipfile
from importlib.metadata import EntryPoint
from pathlib import Path

from qbank.errors import ImporterNotFound, QbankError
from qbank.importers.base import Importer
from qbank.plugins import entry_points_by_name, load_plugin

GROUP = "qbank.importers"
HEAD_SIZE = 4096


def _entry_points() -> dict[str, EntryPoint]:
    return entry_points_by_name(GROUP)


def names() -> list[str]:
    """Every importer name, sorted (nothing is imported)."""
    return sorted(_entry_points())


def get(name: str) -> type[Importer]:
    """The importer class called `name`, importing only its module.

    Raises :class:`ImporterNotFound` (with "did you mean") for an unknown name, and
    :class:`QbankError` when the importer exists but cannot be loaded.
    """
    point = _entry_points().get(name)
    if point is None:
        raise ImporterNotFound(_not_found(name, names()))
    return load_plugin(point, Importer, "importer", QbankError)


def _not_found(name: str, known: list[str]) -> str:
    message = f"no importer called `{name}`"
    close = difflib.get_close_matches(name, known, n=1)
    message += f"; did you mean `{close[0]}`?" if close else ""
    return message + (f" (known: {', '.join(known)})" if known else "")


def load_all() -> dict[str, type[Importer] | Exception]:
    """Every importer by name, loaded; one that cannot be loaded maps to its exception."""
    result: dict[str, type[Importer] | Exception] = {}
    for name in names():
        try:
            result[name] = get(name)
        except QbankError as exc:
            result[name] = exc
    return result


def content_format(path: Path, head: bytes) -> str | None:
    """The format a ``.xml`` or ``.zip`` file's content says it is (None: not told so)."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        lowered = head.lower()
        if b"questestinterop" in lowered:
            return "qti"
        if b"<quiz" in lowered:
            return "moodle"
        return None
    if suffix in (".zip", ".apkg", ".colpkg"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (OSError, zipfile.BadZipFile):
            return None
        if _ANKI_COLLECTIONS & set(names):
            return "anki"
        members = [n.rsplit("/", 1)[-1].lower() for n in names]
        return "qti" if suffix == ".zip" and "imsmanifest.xml" in members else None
    return None


_ANKI_COLLECTIONS = {"collection.anki2", "collection.anki21", "collection.anki21b"}


def guess(path: Path) -> str:
    """The format of the source at `path`, from its content and its name.

    Raises :class:`ImporterNotFound` when no known format, or more than one, claims it.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_SIZE)
    except OSError as exc:
        raise QbankError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    known = names()
    told = content_format(path, head)
    if told is not None:
        if told not in known:
            raise ImporterNotFound(
                f"{path} looks like `{told}`, but no importer `{told}` is installed "
                f"(known: {', '.join(known)})"
            )
        return told
    claims = _claims(path, head)
    if len(claims) == 1:
        return claims[0]
    if claims:
        raise ImporterNotFound(
            f"{path} could be any of {', '.join(claims)}: say which with --from FORMAT"
        )
    raise ImporterNotFound(
        f"cannot tell the format of {path}: give it with --from FORMAT (known: {', '.join(known)})"
    )


def _claims(path: Path, head: bytes) -> list[str]:
    """The formats whose importer says the file looks like theirs (broken ones are skipped)."""
    claims = []
    for name, loaded in load_all().items():
        if isinstance(loaded, Exception):
            continue
        try:
            if loaded.sniff(path, head):
                claims.append(name)
        except Exception:  # a broken sniff must not break the guess for the others
            continue
    return claims


__all__ = ["GROUP", "HEAD_SIZE", "content_format", "get", "guess", "load_all", "names"]
