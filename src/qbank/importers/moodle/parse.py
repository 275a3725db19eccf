"""Moodle XML read safely, with the line each element starts at.

The standard library's expat parser builds ElementTree elements here (ElementTree itself
keeps no line numbers). A document type declaration is refused outright: Moodle never
writes one, and it is how entity bombs ("billion laughs") and external entities get in. A
file cut short (Moodle still imports those) keeps every ``<question>`` that was closed; the
error is reported at its line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from qbank.errors import QbankError
from qbank.importers.xmlsafe import Refused, make_parser


@dataclass
class Parsed:
    """The ``<quiz>`` element, where each element starts, and how the parse ended."""

    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)
    """`id(element)` -> its 1-based line."""
    closed: set[int] = field(default_factory=set)
    """`id(element)` of every element whose end tag was read."""
    error: str | None = None
    """Why the parse stopped before the end (the file is truncated or malformed there)."""
    error_line: int = 1

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 1)


def parse(source: str, data: bytes) -> Parsed:
    """`data` (the bytes of `source`) as a parsed ``<quiz>``.

    Raises :class:`QbankError` when the file is not Moodle XML at all (not XML, another
    root) or declares a DOCTYPE or entities."""
    parser, builder = make_parser()
    error: str | None = None
    error_line = 1
    try:
        parser.Parse(data, True)
    except Refused as refused:
        raise QbankError(
            f"{source}:{parser.CurrentLineNumber}: refused: the file holds {refused} "
            "(Moodle XML never does; entities can expand without bound): remove it"
        ) from None
    except expat.ExpatError as failed:
        error, error_line = expat.errors.messages[failed.code], failed.lineno
    root = builder.root
    if root is None:
        reason = f" ({error}, line {error_line})" if error else ""
        raise QbankError(f"{source}: not Moodle XML: the file is not XML{reason}")
    if root.tag != "quiz":
        raise QbankError(f"{source}: not Moodle XML: the root element is <{root.tag}>, not <quiz>")
    return Parsed(root, builder.lines, builder.closed, error, error_line)


__all__ = ["Parsed", "parse"]
