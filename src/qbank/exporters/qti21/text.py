"""Text as QTI 2.1 content: the XHTML subset the IMS schema declares in the QTI namespace.

Markdown is rendered as every HTML exporter renders it (:func:`qbank.exporters.anki.html.markdown`:
markdown-it, raw HTML off, code blocks highlighted by Pygments as ``<pre class="highlight">``
with token spans carrying classes only). QTI 2.1's XHTML has no ``style`` attribute, so the
colours live in the package's stylesheet (:func:`stylesheet`), linked from every item.

The rendered HTML is then read as XML and kept only as far as the schema allows
(:func:`to_qti`): every element markdown-it writes exists in QTI's subset, but a few
attributes do not (``start`` of a numbered list, ``title`` of a link or an image). Those are
left out and reported (``lossy-markup``); an image's title becomes its alt text when the alt
is empty. Nothing an author writes becomes markup: raw HTML is off, so ``<int>`` stays text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from qbank.exporters.qti21.xml import attrs
from qbank.exporters.qti21.xml import text as escape_text
from qbank.exporters.rich import code_html, inline_html, markdown_html

#: Attributes QTI 2.1 allows, per element, besides ``class`` (every element has it).
_ALLOWED = {"a": ("href",), "img": ("src", "alt"), "blockquote": ("cite",)}
_EMPTY = {"br", "hr", "img"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Rendered:
    """QTI XHTML, and what the schema could not hold of the HTML it came from."""

    xhtml: str
    markup: tuple[str, ...] = ()
    """Descriptions of the attributes left out (``lossy-markup``)."""
    characters: bool = False
    """Whether characters XML 1.0 cannot carry were left out (``lossy-character``)."""


def markdown(text: str | None, language: str, *, compact: bool = False) -> Rendered:
    """Markdown as QTI XHTML (code highlighted, in `language` unless the fence says);
    with `compact`, a one-paragraph text comes without its ``<p>``."""
    if not text or not text.strip():
        return Rendered("")
    return _markdown(text, language, compact)


def code(source: str, language: str | None) -> Rendered:
    """A block of code as QTI XHTML: highlighted in `language`, or plain (a program's
    output) when it is None; every character and all indentation kept."""
    return _code(source, language)


@lru_cache(maxsize=1 << 14)
def _code(source: str, language: str | None) -> Rendered:
    if language is None:
        return to_qti(code_html(source, None))
    try:
        from qbank.exporters.highlight import highlight
    except ImportError:  # no Pygments (the `anki` extra): code stays plain
        return to_qti(code_html(source, language))
    return to_qti(highlight(source, language))


@lru_cache(maxsize=1 << 14)
def _markdown(text: str, language: str, compact: bool) -> Rendered:
    try:
        from qbank.exporters.anki.html import markdown as highlighted
    except ImportError:  # no Pygments: code blocks stay plain
        rendered = inline_html(text) if compact else markdown_html(text)
    else:
        rendered = highlighted(text, language, compact=compact)
    return to_qti(rendered)


def to_qti(rendered: str) -> Rendered:
    """XHTML (markdown-it's, Pygments') as the QTI subset, and what had to be left out.

    A carriage return is read as one (an XML parser would make it a line feed); characters
    XML cannot hold are left out."""
    kept = _NOT_XML.sub("", rendered)
    root = ET.fromstring(f"<root>{kept.replace(chr(13), '&#13;')}</root>")
    losses: list[str] = []
    out = [escape_text(root.text or "")]
    out.extend(_element(child, losses) for child in root)
    return Rendered("".join(out), tuple(dict.fromkeys(losses)), kept != rendered)


def _element(node: ET.Element, losses: list[str]) -> str:
    tag = node.tag
    kept = _attributes(node, losses)
    inner = escape_text(node.text or "") + "".join(_element(child, losses) for child in node)
    if tag in _EMPTY and not inner:
        written = f"<{tag}{attrs(kept)}/>"
    else:
        written = f"<{tag}{attrs(kept)}>{inner}</{tag}>"
    return written + escape_text(node.tail or "")


def _attributes(node: ET.Element, losses: list[str]) -> list[tuple[str, str | None]]:
    allowed = ("class", *_ALLOWED.get(node.tag, ()))
    values = dict(node.attrib)
    if node.tag == "img" and not values.get("alt", "").strip() and values.get("title"):
        values["alt"] = values["title"]
        del values["title"]
    for name in values:
        if name not in allowed:
            losses.append(_loss(node.tag, name, values[name]))
    return [(name, values[name]) for name in allowed if name in values]


def _loss(tag: str, name: str, value: str) -> str:
    if tag == "ol" and name == "start":
        return f"a numbered list starting at {value} starts at 1 (QTI 2.1 lists have no `start`)"
    return f"the {name} {value!r} of a `<{tag}>` (QTI 2.1 has no `{name}` attribute there)"


def stylesheet() -> str:
    """The package's CSS: Pygments' light theme for ``.highlight`` code blocks (the classes
    the items' token spans carry), and a frame for them."""
    try:
        from pygments.formatters import HtmlFormatter

        from qbank.exporters.highlight import CSS_CLASS, LIGHT_STYLE
    except ImportError:  # no Pygments: code is plain, nothing to colour
        return "pre { overflow-x: auto; }\n"
    rules = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(f".{CSS_CLASS}")  # type: ignore[no-untyped-call]  # untyped in types-Pygments
    frame = f"pre.{CSS_CLASS}, pre {{ overflow-x: auto; padding: 0.5em; }}"
    return f"{rules}\n{frame}\n"


__all__ = ["Rendered", "code", "markdown", "stylesheet", "to_qti"]
