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
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote

from qbank.importers.media import media_name, store

_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s]+)")


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
