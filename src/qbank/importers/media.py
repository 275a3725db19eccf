"""Images an importer found, as the files of the bank it writes (``media/<name>``).

Every importer that brings images (Moodle XML's `<file>`s, a QTI package's files, an Anki
package's media, text2qti's local images) keeps them the same way: the name reduced to
letters, digits, ``.``, ``_`` and ``-`` (so the Markdown link needs no escaping and every file
system takes it), and two different files under one name told apart by a short hash of their
bytes, the same on every run: within one bank here, between the banks of one output folder
when they are written (:mod:`qbank.importers.writing`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def media_name(name: str) -> str:
    """A file name safe in a Markdown link and on every file system."""
    safe = _UNSAFE.sub("-", PurePosixPath(name).name).strip("-.")
    return safe or "file"


def store(media: dict[str, bytes], name: str, data: bytes) -> str:
    """Put `data` in a bank's `media` as ``media/<name>`` (hash-suffixed on a clash of
    different bytes) and return the path the Markdown uses."""
    path = f"media/{media_name(name)}"
    if media.get(path, data) != data:
        path = hashed(path, data)
    media[path] = data
    return path


def hashed(path: str, data: bytes) -> str:
    """`path` (``media/fig.png``) told apart by a short hash of `data` (``media/fig-1a2b….png``):
    the same bytes give the same name on every run, different bytes a different one."""
    folder, slash, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    unique = f"{stem}-{digest}.{suffix}" if dot and stem else f"{name}-{digest}"
    return f"{folder}{slash}{unique}"


__all__ = ["hashed", "media_name", "store"]
