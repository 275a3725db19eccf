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


class Refused(Exception):
    """A declaration qbank does not read (a DOCTYPE, an entity)."""


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


class _Builder:
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


def _parser() -> tuple[expat.XMLParserType, _Builder]:
    parser = expat.ParserCreate()
    builder = _Builder(parser)
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


def parse(source: str, data: bytes) -> Parsed:
    """`data` (the bytes of `source`) as a parsed ``<quiz>``.

    Raises :class:`QbankError` when the file is not Moodle XML at all (not XML, another
    root) or declares a DOCTYPE or entities."""
    parser, builder = _parser()
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
