"""Elements of the package's XML files, written as text: deterministic, every value escaped.

Nothing here parses: the files are built from strings (a fixed attribute order, two-space
indentation outside mixed content), so two exports of one bank are byte-identical.

XML 1.0 cannot hold C0 control characters (tab and line feed aside), lone surrogates, U+FFFE
or U+FFFF, not even as character references, and its parsers read a carriage return as a line
feed. :func:`clean` drops the first kind (the caller warns, ``lossy-character``) and writes a
carriage return as ``&#13;``, which parsers keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from html import escape

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_SPACE = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def clean(document: str) -> tuple[str, bool]:
    """`document` without the characters XML 1.0 cannot hold, carriage returns kept as
    ``&#13;``; whether a character had to be dropped."""
    kept = _NOT_XML.sub("", document)
    return kept.replace("\r", "&#13;"), kept != document


def text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` escaped."""
    return escape(value, quote=False)


def attribute(value: str) -> str:
    """An attribute value: escaped, with tabs and line breaks as character references (an
    XML parser would turn them into spaces)."""
    escaped = escape(value, quote=True)
    return "".join(_ATTRIBUTE_SPACE.get(char, char) for char in escaped)


def attrs(values: Iterable[tuple[str, str | None]]) -> str:
    """Attributes in the order given; a None value is left out."""
    return "".join(f' {key}="{attribute(value)}"' for key, value in values if value is not None)


def element(tag: str, inner: str = "", /, **attributes: str | None) -> str:
    """``<tag …>inner</tag>`` (`inner` is XML already), or ``<tag …/>`` when it is empty.
    Attribute names ending in ``_`` lose it (``class_``)."""
    written = attrs((key.rstrip("_"), value) for key, value in attributes.items())
    return f"<{tag}{written}>{inner}</{tag}>" if inner else f"<{tag}{written}/>"


def block(tag: str, children: Iterable[str], indent: int, /, **attributes: str | None) -> str:
    """An element with one child per line, indented by `indent` levels (whitespace between
    elements of element-only content, which XML Schema and every reader ignore)."""
    pad = "  " * (indent + 1)
    inner = "".join(f"\n{pad}{child}" for child in children if child)
    if not inner:
        return element(tag, **attributes)
    written = attrs((key.rstrip("_"), value) for key, value in attributes.items())
    return f"<{tag}{written}>{inner}\n{'  ' * indent}</{tag}>"


def number(value: float) -> str:
    """A number as XML Schema's ``xs:double`` reads it, shortest form (``1``, ``0.25``,
    ``-0.333333334``), never an exponent."""
    if float(value).is_integer():
        return str(int(value))
    written = f"{value:.12f}".rstrip("0").rstrip(".")
    return "0" if written in ("-0", "") else written


def exact(value: float) -> str:
    """A number written as the shortest decimal that reads back as the same double, never
    an exponent (a tolerance of `1e-36` is not `0`, as :func:`number`'s 12 places would
    make it)."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


__all__ = [
    "HEADER",
    "QTI_NS",
    "QTI_XSD",
    "XSI_NS",
    "attribute",
    "attrs",
    "block",
    "clean",
    "element",
    "number",
    "text",
]
