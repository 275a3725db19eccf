"""Elements of the package's XML files, written as text: deterministic, escaped, indented.

Every file is UTF-8 with an XML declaration. Text and attribute values are escaped here
(``&``, ``<``, ``>``, and quotes in attributes); HTML goes into ``<mattext>`` escaped the
same way, as Canvas's own exports write it (a CDATA section would read the same). No
comment and no ``DOCTYPE`` is written: the importers at the other end (Canvas's
QTIMigrationTool, qbank's own) need neither, and qbank's refuses any ``DOCTYPE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def text(value: str) -> str:
    """`value` as XML character data."""
    return escape(value, quote=False)


def attrs(values: Mapping[str, str]) -> str:
    """XML attributes in the given order, values escaped."""
    return "".join(f' {key}="{escape(value, quote=True)}"' for key, value in values.items())


def element(tag: str, inner: str = "", attributes: Mapping[str, str] | None = None) -> str:
    """``<tag …>inner</tag>`` (`inner` is XML already), ``<tag …/>`` when it is empty."""
    opened = f"<{tag}{attrs(attributes or {})}"
    return f"{opened}>{inner}</{tag}>" if inner else f"{opened}/>"


def leaf(tag: str, value: str, attributes: Mapping[str, str] | None = None) -> str:
    """An element holding `value` as text (empty text written as ``<tag></tag>``)."""
    return f"<{tag}{attrs(attributes or {})}>{text(value)}</{tag}>"


def block(
    tag: str,
    children: Iterable[str],
    indent: int,
    attributes: Mapping[str, str] | None = None,
) -> str:
    """An element with one child per line, indented two spaces a level (whitespace that
    every reader ignores between elements)."""
    pad = "  " * (indent + 1)
    inner = "".join(f"\n{pad}{child}" for child in children if child)
    if not inner:
        return element(tag, "", attributes)
    return f"<{tag}{attrs(attributes or {})}>{inner}\n{'  ' * indent}</{tag}>"


def mattext(html: str, texttype: str = "text/html") -> str:
    """``<material><mattext texttype=…>`` holding `html` (or plain text), escaped."""
    return element("material", leaf("mattext", html, {"texttype": texttype}))


__all__ = [
    "HEADER",
    "QTI_NAMESPACE",
    "XSI",
    "attrs",
    "block",
    "element",
    "leaf",
    "mattext",
    "text",
]
