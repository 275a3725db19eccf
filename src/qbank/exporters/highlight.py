"""Code highlighting for HTML exports, with Pygments and CSS classes.

Highlighted code is ``<pre class="highlight"><code>…</code></pre>`` holding Pygments token
spans (``<span class="k">``); the colours live in one stylesheet (:func:`stylesheet`), with a
dark variant under ``.nightMode`` (Anki desktop and AnkiMobile) and ``.night_mode`` (older
AnkiDroid). Pygments escapes every character it emits, so ``std::vector<int>`` stays text.

Highlighting is the slow part of an export (10,000 snippets take seconds), so each distinct
``(code, language)`` pair is highlighted once: :func:`highlight` remembers what it did, and
``qbank export`` keeps that memory in the project's ``.qbank_cache/`` between runs
(:func:`remembered` / :func:`remember`), so a re-export only highlights snippets that changed.
"""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import __version__ as pygments_version
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from qbank.languages import backend

CSS_CLASS = "highlight"
"""Class of the ``<pre>`` around highlighted code; the stylesheet is scoped to it."""
LIGHT_STYLE = "default"
DARK_STYLE = "monokai"
NIGHT_SELECTORS = (".nightMode", ".night_mode")
"""Classes Anki (``nightMode``) and older AnkiDroid (``night_mode``) put on the card in the dark."""

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    """The lexer for `language` (plain text when Pygments does not know it); a name qbank
    runs under another spelling is its backend's (`node` is `javascript`, `sqlite3` is
    `sql`, not Pygments' console lexer)."""
    other = backend(language)
    name = other.name if other is not None else language
    try:
        lexer: Lexer = get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False, ensurenl=False)
    return lexer


_HIGHLIGHTED: dict[tuple[str, str], str] = {}
_MEMORY_LIMIT = 200_000
"""Most snippets remembered (oldest forgotten first)."""


def highlight(code: str, language: str = "python") -> str:
    """`code` as highlighted HTML; indentation and every character are kept as text."""
    key = (code, language)
    found = _HIGHLIGHTED.get(key)
    if found is None:
        spans = pygments_highlight(code, _lexer(language.lower()), _FORMATTER)
        found = _HIGHLIGHTED[key] = f'<pre class="{CSS_CLASS}"><code>{spans}</code></pre>'
    return found


def memory_key() -> str:
    """Under which key the remembered highlights are stored (changes with Pygments)."""
    return f"highlight:{pygments_version}:{LIGHT_STYLE}"


def remembered() -> dict[tuple[str, str], str]:
    """Every snippet highlighted so far (at most the newest 200,000)."""
    if len(_HIGHLIGHTED) > _MEMORY_LIMIT:
        for key in list(_HIGHLIGHTED)[: len(_HIGHLIGHTED) - _MEMORY_LIMIT]:
            del _HIGHLIGHTED[key]
    return dict(_HIGHLIGHTED)


def remember(entries: dict[tuple[str, str], str]) -> None:
    """Take highlights made earlier (e.g. loaded from the cache)."""
    _HIGHLIGHTED.update(entries)


def forget() -> None:
    """Forget every highlight (benchmarks measure the cold cost)."""
    _HIGHLIGHTED.clear()


def preformatted(text: str, css_class: str = "output") -> str:
    """Literal text (a program's output) in a ``<pre>``, escaped, not highlighted."""
    return f'<pre class="{css_class}"><code>{html.escape(text)}</code></pre>'


def stylesheet() -> str:
    """CSS for highlighted code: a light theme, and a dark one under the night-mode classes."""
    scope = f".{CSS_CLASS}"
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(scope)  # type: ignore[no-untyped-call]  # untyped in types-Pygments
    night = [f"{mode} {scope}" for mode in NIGHT_SELECTORS]
    # Tokens the dark theme leaves unstyled must not keep the light theme's colours.
    reset = ", ".join(f"{n} span" for n in night) + (
        " { color: inherit; background: none; font-weight: inherit; font-style: inherit;"
        " border: none; }"
    )
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(night)  # type: ignore[no-untyped-call]  # untyped in types-Pygments
    return "\n".join((light, reset, dark))
