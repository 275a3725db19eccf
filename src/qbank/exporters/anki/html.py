"""Safe HTML for Anki fields: Markdown rendered as the other exporters render it.

Prompts, options, hints and explanations go through :func:`qbank.exporters.rich.markdown_html`
(markdown-it-py, CommonMark, raw HTML off: ``std::vector<int>`` shows as written, and nothing
an author writes becomes markup), so Anki shows what GIFT and Markdown show. The Anki-specific
part: code blocks (fenced, whatever their indentation or container, and indented blocks) are
highlighted with Pygments (CSS classes, night mode included), in the fence's language, else
the question's. Every character and all indentation of the code are kept.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from qbank.exporters.highlight import highlight
from qbank.exporters.rich import inline_html, markdown_html

_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.DOTALL)
"""A code block as markdown-it writes it (its text HTML-escaped, so it holds no ``</code>``)."""


def markdown(text: str | None, language: str = "python", *, compact: bool = False) -> str:
    """`text` (Markdown) as HTML; code blocks without a language use `language`.

    With `compact`, a text that is a single paragraph comes without ``<p>`` (for list items).
    """
    if not text or not text.strip():
        return ""
    return _markdown(text, language, compact)


@lru_cache(maxsize=1 << 16)
def _markdown(text: str, language: str, compact: bool) -> str:
    """:func:`markdown`, cached: options and feedback repeat across questions and sides."""
    rendered = inline_html(text) if compact else markdown_html(text)
    if "<pre><code" not in rendered:
        return rendered

    def highlighted(block: re.Match[str]) -> str:
        lang = html.unescape(block.group(1) or "") or language
        return highlight(html.unescape(block.group(2)), lang)

    return _CODE_BLOCK.sub(highlighted, rendered)


def text(value: str) -> str:
    """Plain text (not Markdown) as escaped HTML."""
    return html.escape(value)


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
