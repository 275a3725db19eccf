"""XML read safely, with the line each element starts at (shared by the XML importers).

The standard library's expat parser builds ElementTree elements here (ElementTree itself
keeps no line numbers). A document type declaration is refused outright: no LMS export
writes one, and it is how entity bombs ("billion laughs") and external entities get in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat


class Refused(Exception):
    """A declaration qbank does not read (a DOCTYPE, an entity)."""


class Builder:
    """Builds the elements, keeping each one's line and whether its end tag was read."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.stack: list[ET.Element] = []
        self.root: ET.Element | None = None
        self.lines: dict[int, int] = {}
        self.closed: set[int] = set()

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        element = ET.Element(tag, attrs)
        if self.stack:
            self.stack[-1].append(element)
        elif self.root is None:
            self.root = element
        self.lines[id(element)] = self.parser.CurrentLineNumber
        self.stack.append(element)

    def end(self, tag: str) -> None:
        self.closed.add(id(self.stack.pop()))

    def data(self, text: str) -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        if len(top):
            top[-1].tail = (top[-1].tail or "") + text
        else:
            top.text = (top.text or "") + text


def _refuse(*_: object) -> None:
    raise Refused("a DOCTYPE or entity declaration")


def _refuse_external(*_: object) -> int:
    raise Refused("a reference to an external entity")


def make_parser() -> tuple[expat.XMLParserType, Builder]:
    """An expat parser that refuses DOCTYPEs and entities, and the builder it feeds."""
    parser = expat.ParserCreate()
    builder = Builder(parser)
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser, builder


__all__ = ["Builder", "Refused", "make_parser"]
