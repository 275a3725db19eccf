"""A Moodle XML text field as the Markdown (and code) a bank holds.

A field is an element (``<questiontext format="html">``) holding a ``<text>`` and its
``<file>``s. ``html`` and ``moodle_auto_format`` text is HTML (turned into Markdown by
:func:`qbank.importers.html.html_to_markdown`); ``plain_text`` and ``markdown`` are kept as
written. Every ``<pre>`` block is first reduced to its text (qbank's own exporter writes code
highlighted, as Pygments spans with inline colours: only the characters count), keeping its
``language-x`` class, so a code block comes back as the exact code.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from qbank.importers.html import LiftedCode, html_to_markdown, lift_code, lost_markup

HTML_FORMATS = ("html", "moodle_auto_format")
_PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)
_LANGUAGE = re.compile(r"class=\"[^\"]*?\b(?:language|lang)-([A-Za-z0-9_+#.-]+)", re.I)
_CHAR_REF = re.compile(r"&#(?:(\d+)|[xX]([0-9A-Fa-f]+));")
_HEADING = re.compile(r"\s*<h4>(.*?)</h4>", re.S)


def decode(text: str) -> str:
    """HTML character data as text (character references of control characters included,
    which :func:`html.unescape` would drop)."""

    def char(match: re.Match[str]) -> str:
        number = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
        return chr(number) if 0 < number < 0x110000 else "\ufffd"

    return html_lib.unescape(_CHAR_REF.sub(char, text))


def pre_text(inner: str) -> str:
    """The characters of a `<pre>` block's content, exactly (highlighting spans dropped)."""
    return decode(_TAG.sub("", _BR.sub("\n", inner)))


def _plain_pre(match: re.Match[str]) -> str:
    language = _LANGUAGE.search(match.group(1) + match.group(2)[:300])
    css = f' class="language-{language.group(1).lower()}"' if language else ""
    text = html_lib.escape(pre_text(match.group(2)), quote=False)
    return f"<pre><code{css}>{text}</code></pre>"


def plain_blocks(html: str) -> str:
    """`html` with each `<pre>` block reduced to its text (and its language class)."""
    return _PRE.sub(_plain_pre, html)


def only_block(html: str) -> str | None:
    """The text of `html` when it is nothing but one `<pre>` block (an option shown as code)."""
    match = _PRE.fullmatch(html.strip())
    return pre_text(match.group(2)) if match and "<pre" not in match.group(2) else None


def drop_heading(html: str, name: str) -> str:
    """`html` without the leading ``<h4>`` heading qbank's exporter writes from the title."""
    match = _HEADING.match(html)
    if match and " ".join(decode(_TAG.sub("", match.group(1))).split()) == name:
        return html[match.end() :]
    return html


def lift(html: str) -> LiftedCode | None:
    """The question's code: the block that ends the text (where qbank's exporter writes it),
    else the text's one block (:func:`lift_code`)."""
    stripped = html.rstrip()
    if stripped.endswith("</pre>"):
        start = stripped.rfind("<pre")
        tail = lift_code(stripped[start:])
        if tail is not None:
            return LiftedCode(stripped[:start], tail.code, tail.language)
    return lift_code(html)


@dataclass(frozen=True)
class Markdown:
    """A field as Markdown, and what of its HTML Markdown cannot hold."""

    text: str
    lost: tuple[str, ...] = ()


def to_markdown(raw: str, text_format: str) -> Markdown:
    """Field text (already with `<pre>` blocks reduced) as Markdown."""
    if text_format not in HTML_FORMATS:
        return Markdown(raw.strip())
    if text_format == "moodle_auto_format" and "<" not in raw:
        return Markdown(decode(raw).strip())
    return Markdown(html_to_markdown(raw), tuple(lost_markup(raw)))


__all__ = [
    "HTML_FORMATS",
    "Markdown",
    "decode",
    "drop_heading",
    "lift",
    "only_block",
    "plain_blocks",
    "pre_text",
    "to_markdown",
]
