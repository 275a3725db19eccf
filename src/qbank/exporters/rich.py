"""Turning a question's text into HTML, shared by the exporters that write HTML.

Prompts, explanations, choice texts and matching left sides are Markdown; they become HTML
through markdown-it-py (CommonMark, raw HTML disabled, so `<int>` in a prompt shows as text and
nothing an author writes can inject markup). Code becomes ``<pre><code class="language-…">``
with the code HTML-escaped and every character and indentation kept.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from qbank.exporters.display import Shown, file_language
from qbank.model import LoadedBank, QuestionBase

_LANGUAGE_RE = re.compile(r"[^A-Za-z0-9_+.-]")
_MD = MarkdownIt("commonmark", {"html": False})

# The fast path: one line of plain words, `code spans` and **strong**/*emphasis* around plain
# words, which CommonMark renders unambiguously (tests compare it with markdown-it).
_WORDS = r"[A-Za-z0-9 ,;?!'.:()/=+%$@^{}|~-]"
_SPAN = r"`[^`\n ](?:[^`\n]*[^`\n ])?`"
_PLAIN = rf"(?:{_WORDS}|{_SPAN})"
_FAST_RE = re.compile(
    rf"[A-Za-z](?:{_PLAIN}|(?<![^ ])(\*\*?)(?=[A-Za-z0-9`]){_PLAIN}*?(?<=[A-Za-z0-9`])\1(?![^ ,.;:?!)]))*"
)
_TOKEN_RE = re.compile(rf"({_SPAN})|(\*\*|\*)")


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Markdown as HTML (block level: paragraphs, lists, fences), without a final newline."""
    stripped = text.strip()
    indented = text[:1].isspace()  # leading spaces can make an indented code block
    if (
        not indented
        and _FAST_RE.fullmatch(stripped)
        and "  " not in stripped
        and "![" not in stripped
        and "``" not in stripped  # runs of backticks delimit longer code spans: markdown-it
    ):
        return f"<p>{_fast_inline(stripped)}</p>"
    rendered: str = _MD.render(text)
    return rendered.rstrip("\n")


def _fast_inline(text: str) -> str:
    out: list[str] = []
    open_marks: list[str] = []
    position = 0
    for match in _TOKEN_RE.finditer(text):
        out.append(_escape(text[position : match.start()]))
        position = match.end()
        if match.group(1):
            out.append(f"<code>{_escape(match.group(1)[1:-1])}</code>")
            continue
        mark = match.group(2)
        tag = "strong" if mark == "**" else "em"
        closing = bool(open_marks) and open_marks[-1] == mark
        out.append(f"</{tag}>" if closing else f"<{tag}>")
        open_marks.pop() if closing else open_marks.append(mark)
    out.append(_escape(text[position:]))
    return "".join(out)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def inline_html(text: str) -> str:
    """Markdown as HTML without the paragraph around a one-paragraph text."""
    rendered = markdown_html(text)
    inner = rendered[3:-4]
    if rendered.startswith("<p>") and rendered.endswith("</p>") and "<p>" not in inner:
        return inner
    return rendered


def language_of(loaded: LoadedBank, question: QuestionBase) -> str:
    """The language of a question's snippets, safe to put in a class name."""
    language = question.language or loaded.bank.language
    return _LANGUAGE_RE.sub("", language) or "text"


def code_html(code: str, language: str | None) -> str:
    """A code block: HTML-escaped code, every character and indentation kept."""
    css = f' class="language-{language}"' if language else ""
    return f"<pre><code{css}>{html.escape(code, quote=False)}</code></pre>"


def title_html(question: QuestionBase) -> str:
    """The question's title as a heading (plain text, escaped); ``""`` without one."""
    return f"<h4>{_escape(question.title.strip())}</h4>" if question.title else ""


def files_html(question: QuestionBase) -> str:
    """The fixture files learners see: each its name, then its content as code (the
    language guessed from the extension)."""
    return "".join(
        f"<p><strong><code>{_escape(name)}</code></strong></p>"
        + code_html(file.content, file_language(name) or None)
        for name, file in question.shown_files
    )


def shown_html(shown: Shown, language: str) -> str:
    """An option as HTML."""
    if shown.kind == "text":
        return inline_html(shown.content)
    return code_html(shown.content, language if shown.kind == "code" else None)


def feedback_html(text: str) -> str:
    """Program text as HTML, literally: escaped, never read as Markdown (`__len__` and
    backslashes stay as they are); several lines keep their layout."""
    escaped = html.escape(text.strip("\n"), quote=False)
    return f"<pre>{escaped}</pre>" if "\n" in escaped else f"<code>{escaped}</code>"


__all__ = [
    "code_html",
    "feedback_html",
    "files_html",
    "inline_html",
    "language_of",
    "markdown_html",
    "shown_html",
    "title_html",
]
