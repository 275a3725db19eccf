"""The text of a Moodle XML file: HTML for rich fields, plain text for the rest, both in CDATA.

* **HTML fields** (question text, feedback, hints, multichoice answers, matching
  subquestions) are Markdown rendered the way Anki's fields are
  (:func:`qbank.exporters.anki.html.markdown`: markdown-it, raw HTML off, code highlighted by
  :mod:`qbank.exporters.highlight`), with each code block as ``<pre class="highlight"><code
  class="language-…">``. Moodle has no stylesheet for Pygments' classes, so every token span
  also carries the light theme's colours inline (``style="…"``): the code is coloured in stock
  Moodle, and a theme may still restyle the classes. Without Pygments, code is plain
  ``<pre><code class="language-…">``.
* **XML 1.0 cannot hold** C0 control characters (tab and line feed aside), lone surrogates,
  U+FFFE or U+FFFF, and its parser turns a carriage return into a line feed. In HTML they are
  written as character references (``&#1;``), which reach the browser as the character; plain
  text cannot escape, so :func:`plain` drops them and says so.
* **Moodle's XML reader drops every chunk of character data that is only whitespace**; the
  parser it sits on delivers a long CDATA section in pieces of a few hundred bytes, so a long
  run of spaces or blank lines could vanish from a code block. Every whitespace run longer
  than 64 characters in HTML text gets an empty ``<span></span>`` every 64 characters.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from qbank.exporters.rich import code_html, markdown_html

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HTML_BAD = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_RUN = re.compile(r">([^<]+)<")
_LONG_SPACE = re.compile(r"\s{65,}")
_RUN = 64
_HIGHLIGHTED = re.compile(r'<pre class="highlight"><code>')
_SPAN = re.compile(r'<span class="([A-Za-z0-9_-]+)">')
_PLAIN_BLOCK = re.compile(r'<pre><code(?: class="language-([^"]*)")?>')


def cdata(text: str) -> str:
    """`text` as CDATA; a ``]]>`` inside is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def html_chars(text: str) -> str:
    """HTML with each character XML 1.0 cannot hold (and CR) as a character reference."""
    return _HTML_BAD.sub(lambda m: f"&#{ord(m.group())};", text)


def plain(text: str) -> tuple[str, bool]:
    """Plain text without the characters XML 1.0 cannot hold (CR as LF, as XML reads it);
    whether anything changed."""
    cleaned = _XML_BAD.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned, cleaned != text


def safe_html(rendered: str) -> str:
    """Rendered HTML made safe for Moodle's reader: characters and whitespace runs."""
    rendered = html_chars(rendered)
    if not _LONG_SPACE.search(rendered):
        return rendered
    return _TEXT_RUN.sub(lambda m: ">" + _break_runs(m.group(1)) + "<", ">" + rendered + "<")[1:-1]


def _break_runs(text: str) -> str:
    def broken(match: re.Match[str]) -> str:
        run = match.group()
        return "<span></span>".join(run[i : i + _RUN] for i in range(0, len(run), _RUN))

    return _LONG_SPACE.sub(broken, text)


def markdown(text: str, language: str, *, compact: bool = False) -> str:
    """Markdown as Moodle HTML (code highlighted, in `language` unless the fence says)."""
    if not text.strip():
        return ""
    return safe_html(_markdown(text, language, compact))


def code(source: str, language: str | None) -> str:
    """A code block as Moodle HTML: highlighted in `language`, or plain escaped text (a
    program's output) when it is None. Every character and all indentation are kept (Pygments
    reads a carriage return as a line feed)."""
    if language is None:
        return safe_html(code_html(source, None))
    try:
        from qbank.exporters.highlight import highlight
    except ImportError:  # no Pygments (the `anki` extra): code stays plain
        return safe_html(code_html(source, language))
    return safe_html(_classes(highlight(source, language), [language]))


@lru_cache(maxsize=1 << 14)
def _markdown(text: str, language: str, compact: bool) -> str:
    try:
        from qbank.exporters.anki.html import markdown as highlighted_markdown
    except ImportError:  # no Pygments (the `anki` extra): code stays plain
        from qbank.exporters.rich import inline_html

        return inline_html(text) if compact else markdown_html(text)
    languages = _PLAIN_BLOCK.findall(markdown_html(text))
    rendered = highlighted_markdown(text, language, compact=compact)
    return _classes(rendered, [lang or language for lang in languages])


def _classes(rendered: str, languages: list[str]) -> str:
    """Each highlighted block gets its language class (in order) and inline token colours."""
    names = iter(languages)
    rendered = _HIGHLIGHTED.sub(
        lambda _: f'<pre class="highlight"><code class="language-{next(names, "text")}">',
        rendered,
    )
    styles = _styles()
    return _SPAN.sub(lambda m: _span(m.group(1), styles), rendered)


def _span(css_class: str, styles: dict[str, str]) -> str:
    style = styles.get(css_class)
    return f'<span class="{css_class}" style="{style}">' if style else f'<span class="{css_class}">'


@lru_cache(maxsize=1)
def _styles() -> dict[str, str]:
    from pygments.formatters import HtmlFormatter

    from qbank.exporters.highlight import LIGHT_STYLE

    # class -> (CSS, token type, level): built by HtmlFormatter, absent from its type stubs
    table: dict[str, tuple[str, object, int]] = vars(HtmlFormatter(style=LIGHT_STYLE))[
        "class2style"
    ]
    return {name: html.escape(style, quote=True) for name, (style, _, _) in table.items()}


__all__ = ["cdata", "code", "html_chars", "markdown", "plain", "safe_html"]
