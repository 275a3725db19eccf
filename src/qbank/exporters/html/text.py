"""Rich text of the page: Markdown and code as HTML, images as ``data:`` URIs.

Markdown is rendered as every HTML export renders it (markdown-it, CommonMark, raw HTML off,
so nothing an author writes becomes markup), with code blocks highlighted by Pygments as
CSS classes (:mod:`qbank.exporters.highlight`; the page carries the light and dark
stylesheet). Without Pygments (qbank installed without the `anki` extra) code stays plain.

The page loads nothing (its Content-Security-Policy allows images from ``data:`` only), so
each image a question shows is inlined as a ``data:`` URI; an image the page cannot carry (a
remote URL, a file that is missing) is replaced by its alt text, and the caller warns.

A ``<label>`` may hold only phrasing content, so an option's HTML goes through
:func:`phrasing`: block elements become ``<span>``s styled as blocks.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping

from qbank.exporters.media import MediaFile, rewrite_images
from qbank.exporters.rich import code_html, inline_html, markdown_html

_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\b(src|alt)="([^"]*)"')
_BLOCKS = re.compile(r"<(/?)(pre|p|div|ul|ol|li|blockquote|h[1-6])\b([^>]*)>")


def data_uri(item: MediaFile) -> str:
    """The file as a ``data:`` URI (base64)."""
    return f"data:{item.mime};base64,{base64.b64encode(item.data).decode('ascii')}"


def markdown(text: str | None, language: str, *, compact: bool = False) -> str:
    """Markdown as HTML, code blocks highlighted (in `language` unless the fence says);
    with `compact`, a one-paragraph text comes without its ``<p>``."""
    if not text or not text.strip():
        return ""
    try:
        from qbank.exporters.anki.html import markdown as highlighted
    except ImportError:  # no Pygments: code stays plain
        return inline_html(text) if compact else markdown_html(text)
    return highlighted(text, language, compact=compact)


def code(source: str, language: str | None) -> str:
    """A code block: highlighted in `language`, or literal text (a program's output) when it
    is None. Every character and all indentation are kept."""
    if language is None:
        return f'<pre class="output"><code>{html.escape(source, quote=False)}</code></pre>'
    try:
        from qbank.exporters.highlight import highlight
    except ImportError:  # no Pygments: code stays plain
        return code_html(source, language)
    return highlight(source, language)


def inline_images(rendered: str, media: Mapping[str, MediaFile]) -> tuple[str, list[str]]:
    """`rendered` with each image of `media` as a ``data:`` URI, and every other image
    (remote, missing) replaced by ``[image: alt]``; the sources so replaced."""
    if "<img" not in rendered:
        return rendered, []
    rendered = rewrite_images(rendered, media, data_uri)
    dropped: list[str] = []

    def replace(match: re.Match[str]) -> str:
        attributes = dict(_ATTR.findall(match.group(0)))
        source = html.unescape(attributes.get("src", ""))
        if source.startswith("data:"):
            return match.group(0)
        dropped.append(source)
        alt = attributes.get("alt", "").strip() or html.escape(source.rsplit("/", 1)[-1])
        return f'<span class="no-image">[image: {alt}]</span>'

    return _IMG.sub(replace, rendered), dropped


def phrasing(rendered: str) -> str:
    """HTML made fit for a ``<label>``: each block element becomes a ``<span>`` of the class
    ``block`` (and its own tag name), which the stylesheet lays out as the block it was."""

    def replace(match: re.Match[str]) -> str:
        closing, tag, attributes = match.groups()
        if closing:
            return "</span>"
        classes = re.search(r'\bclass="([^"]*)"', attributes)
        extra = f" {classes.group(1)}" if classes else ""
        return f'<span class="block {tag}{extra}">'

    return _BLOCKS.sub(replace, rendered)


__all__ = ["code", "data_uri", "inline_images", "markdown", "phrasing"]
