"""Elements of a Moodle XML file, written as text (deterministic, every text in CDATA).

A rich-text field is a :class:`Field`: its HTML and the files it embeds. Moodle gives each
field its own file area, so the files are written beside that field's ``<text>``
(``<file name="…" path="/" encoding="base64">``) and referenced from its HTML as
``@@PLUGINFILE@@/<name>`` (:mod:`.files`). No XML comment is written: ``--`` inside one is a
fatal error for Moodle's parser.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from qbank.exporters.moodle.text import cdata


@dataclass(frozen=True)
class Attached:
    """A file embedded in a field: its name in the field's file area and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Field:
    """A rich-text field: HTML, and the files its HTML references."""

    html: str
    files: tuple[Attached, ...] = ()


def attrs(values: dict[str, str]) -> str:
    """XML attributes, values escaped."""
    return "".join(f' {key}="{escape(value, quote=True)}"' for key, value in values.items())


def element(tag: str, inner: str = "", **attributes: str) -> str:
    """``<tag …>inner</tag>`` (`inner` is XML already)."""
    return f"<{tag}{attrs(attributes)}>{inner}</{tag}>"


def text(value: str) -> str:
    """``<text>`` holding `value` (already safe for XML) in CDATA."""
    return f"<text>{cdata(value)}</text>"


def file_element(attached: Attached) -> str:
    """One embedded file, base64 (a stored file of the field's area, at path ``/``)."""
    data = base64.b64encode(attached.data).decode("ascii")
    return element("file", data, name=attached.name, path="/", encoding="base64")


def rich(tag: str, field: Field, extra: str = "", **attributes: str) -> str:
    """A rich-text field: ``<tag format="html"><text>…</text><file …/>…extra</tag>``."""
    files = "".join(file_element(f) for f in field.files)
    return element(tag, text(field.html) + files + extra, format="html", **attributes)


def plain_text(tag: str, value: str, **attributes: str) -> str:
    """``<tag><text>value</text></tag>`` for a plain-text part."""
    return element(tag, text(value), **attributes)


def block(tag: str, children: Iterable[str], indent: int = 1, **attributes: str) -> str:
    """An element with one child per line, indented (whitespace Moodle ignores)."""
    pad = "  " * indent
    inner = "".join(f"\n{pad}{child}" for child in children if child)
    return f"<{tag}{attrs(attributes)}>{inner}\n{'  ' * (indent - 1)}</{tag}>"


__all__ = ["Attached", "Field", "attrs", "block", "element", "file_element", "plain_text", "rich"]
