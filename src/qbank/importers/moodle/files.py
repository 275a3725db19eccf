"""The files of a Moodle XML field (``<file name=... encoding="base64">``) as bank media.

Moodle gives each field its own file area: ``@@PLUGINFILE@@/<name>`` (URL-encoded) in a
field's HTML names a ``<file>`` of that field. Each file becomes ``media/<name>`` beside the
bank (the name reduced to letters, digits, ``.``, ``_`` and ``-``, so the Markdown path needs
no escaping); two different files of one bank under the same name are told apart by a short
hash of their bytes, the same every time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import unquote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s]+)")


def media_name(name: str) -> str:
    """A file name safe in a Markdown link and on every file system."""
    safe = _UNSAFE.sub("-", PurePosixPath(name).name).strip("-.")
    return safe or "file"


def store(media: dict[str, bytes], name: str, data: bytes) -> str:
    """Put `data` in the bank's `media` as `media/<name>` (hash-suffixed on a clash of
    different bytes); the path the Markdown uses."""
    safe = media_name(name)
    path = f"media/{safe}"
    if media.get(path, data) != data:
        stem, dot, suffix = safe.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        path = f"media/{stem}-{digest}.{suffix}" if dot and stem else f"media/{safe}-{digest}"
    media[path] = data
    return path


def field_files(
    element: ET.Element, media: dict[str, bytes], problem: Callable[[str], None]
) -> dict[str, str]:
    """The `<file>`s of a field, stored in `media`: their name in the field -> media path."""
    found: dict[str, str] = {}
    for file in element.findall("file"):
        name = file.get("name", "").strip()
        where = (file.get("path", "/").strip("/") + "/" + name).lstrip("/")
        if not name:
            problem("a <file> without a name is left out")
            continue
        if file.get("encoding", "base64") != "base64":
            problem(f"the file {name!r} is not base64-encoded: left out")
            continue
        try:
            data = base64.b64decode("".join((file.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            problem(f"the file {name!r} is not valid base64: left out")
            continue
        found[where] = store(media, name, data)
    return found


def rewrite(html: str, files: dict[str, str]) -> tuple[str, list[str]]:
    """`html` with each ``@@PLUGINFILE@@/name`` of a known file pointing at its media path;
    the names referenced that the field has no file for."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = unquote(match.group(1))
        if name in files:
            return files[name]
        missing.append(name)
        return match.group(0)

    return _PLUGINFILE.sub(replace, html), missing


__all__ = ["field_files", "media_name", "rewrite", "store"]
