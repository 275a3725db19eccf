"""Safe HTML for Anki fields: a small Markdown subset, escaped first, then marked up.

qbank's runtime dependencies do not include a Markdown library (markdown-it-py is only a
development dependency), so prompts, options, hints and explanations go through this small,
predictable converter:

- blank lines separate paragraphs (``<p>``); a single newline is a soft break (a space);
- lines starting with ``-``, ``*``, ``+`` or ``1.`` are list items (indented lines continue one);
- fenced code blocks (three or more backticks, optional language) are highlighted;
- `` `code` `` spans become ``<code>``; ``**strong**``, ``*em*`` and ``_em_`` are marked up;
- everything else, HTML included, is text: every ``<``, ``>``, ``&`` and quote is escaped
  before any markup is added, so ``std::vector<int>`` shows as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache

from qbank.exporters.highlight import highlight

_PLAIN = re.compile(r"[^`*_~\n]*\n?")
"""Text with no Markdown syntax this converter knows: one escaped paragraph."""
_ITEM = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$")
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+#.-]*)\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.DOTALL)
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.DOTALL)


def markdown(text: str | None, language: str = "python", *, compact: bool = False) -> str:
    """`text` (Markdown) as HTML; fenced code without a language uses `language`.

    With `compact`, a text that is a single paragraph comes without ``<p>`` (for list items).
    """
    if not text or not text.strip():
        return ""
    return _markdown(text, language, compact)


@lru_cache(maxsize=1 << 16)
def _markdown(text: str, language: str, compact: bool) -> str:
    """:func:`markdown`, cached: options and feedback repeat across questions and sides."""
    if _PLAIN.fullmatch(text) and not _ITEM.match(text):
        escaped = html.escape(text.strip())
        return escaped if compact else f"<p>{escaped}</p>"
    blocks = list(_blocks(text.strip("\n"), language))
    if compact and len(blocks) == 1 and blocks[0].startswith("<p>"):
        return blocks[0][3:-4]
    return "\n".join(blocks)


def _blocks(text: str, language: str) -> Iterator[str]:
    """Paragraphs and fenced code blocks, in order."""
    paragraph: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        fence = _FENCE.match(line)
        if fence is None and line.strip():
            paragraph.append(line)
            continue
        if paragraph:
            yield from _paragraph(paragraph)
            paragraph = []
        if fence is not None:
            yield _fenced(lines, fence.group(1), fence.group(2) or language)
    if paragraph:
        yield from _paragraph(paragraph)


def _fenced(lines: Iterator[str], marker: str, language: str) -> str:
    """The highlighted body of a fenced block (up to its closing fence, or the end)."""
    body: list[str] = []
    for line in lines:
        if line.strip() == marker[0] * len(line.strip()) and len(line.strip()) >= len(marker):
            break
        body.append(line)
    return highlight("\n".join(body) + "\n", language)


def _paragraph(lines: list[str]) -> Iterator[str]:
    """A paragraph, then a list if its lines start with ``-``, ``*``, ``+`` or ``1.``."""
    text: list[str] = []
    items: list[list[str]] = []
    ordered = False
    for line in lines:
        item = _ITEM.match(line)
        if item is not None:
            ordered = ordered or (not items and item.group(1)[0].isdigit())
            items.append([item.group(2)])
        elif items:
            items[-1].append(line)
        else:
            text.append(line)
    if text:
        yield f"<p>{_inline_lines(text)}</p>"
    if items:
        tag = "ol" if ordered else "ul"
        body = "".join(f"<li>{_inline_lines(item)}</li>" for item in items)
        yield f"<{tag}>{body}</{tag}>"


def _inline_lines(lines: list[str]) -> str:
    return inline(" ".join(line.strip() for line in lines))


def inline(text: str) -> str:
    """One line of Markdown as escaped HTML with code spans and emphasis."""
    if "`" not in text:
        return _emphasis(html.escape(text))
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_emphasis(html.escape(text[position : match.start()])))
        code = match.group(2)
        if code.startswith(" ") and code.endswith(" ") and code.strip():
            code = code[1:-1]
        parts.append(f"<code>{html.escape(code)}</code>")
        position = match.end()
    parts.append(_emphasis(html.escape(text[position:])))
    return "".join(parts)


def _emphasis(escaped: str) -> str:
    if "*" not in escaped and "_" not in escaped:
        return escaped
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = _EM_STAR.sub(r"<em>\1</em>", escaped)
    return _EM_UNDERSCORE.sub(r"<em>\1</em>", escaped)


def text(value: str) -> str:
    """Plain text (not Markdown) as escaped HTML."""
    return html.escape(value)


def letter(position: int) -> str:
    """``A``, ``B``, … ``Z``, ``AA``, … for option number `position` (0-based)."""
    name = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def options(items: list[tuple[str, str]], css_class: str = "options") -> str:
    """A list of ``(letter, html)`` entries, each led by its letter (if not empty)."""
    rows = "".join(
        f'<li><span class="letter">{html.escape(label)}.</span> {body}</li>'
        if label
        else f"<li>{body}</li>"
        for label, body in items
    )
    return f'<ol class="{css_class}">{rows}</ol>' if rows else ""


def table(rows: list[tuple[str, str]], head: tuple[str, str], css_class: str = "pairs") -> str:
    """A two-column table of HTML cells, with a header row."""
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(f"<tr><td>{left}</td><td>{right}</td></tr>" for left, right in rows)
    return f'<table class="{css_class}"><tr>{header}</tr>{body}</table>'
