"""Images an importer found, as the files of the bank it writes (``media/<name>``).

Every importer that brings images (Moodle XML's `<file>`s, a QTI package's files, an Anki
package's media, text2qti's local images) keeps them the same way: the name reduced to
letters, digits, ``.``, ``_`` and ``-`` (so the Markdown link needs no escaping and every file
system takes it), and two different files of one bank under one name told apart by a short
hash of their bytes, the same on every run.
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
    safe = media_name(name)
    path = f"media/{safe}"
    if media.get(path, data) != data:
        stem, dot, suffix = safe.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        path = f"media/{stem}-{digest}.{suffix}" if dot and stem else f"media/{safe}-{digest}"
    media[path] = data
    return path


__all__ = ["media_name", "store"]
