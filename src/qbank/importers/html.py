"""HTML from a legacy bank, as the Markdown and code a qbank bank holds.

Moodle XML, Canvas QTI, GIFT's `[html]` and Anki fields hold HTML. It becomes Markdown
through markdownify (a maintained converter; nothing is hand-written here): ATX headings,
fenced code blocks carrying the language of a ``class="language-x"`` (or ``lang-x``,
``highlight-x``, Moodle's ``brush: x``), `*` for emphasis. What Markdown cannot hold (tables
with merged cells, colours, ``<span style>``, scripts) is reported by :func:`lost_markup`
for the importer to turn into an ``import-html`` issue, and the original HTML is kept by the
importer as a comment.

:func:`lift_code` takes the one code block of a question's text out of it, for the
question's `code` (learners see it as they did; validation can then run it).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

_LANGUAGE_RE = re.compile(r"(?:language|lang|highlight|brush:?)[-\s:]*([A-Za-z0-9_+#.-]+)")
_PRE_RE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_LOST_TAGS = ("table", "script", "style", "iframe", "object", "embed", "math", "svg", "video")
_LOST_ATTRS = re.compile(r"\b(?:color|bgcolor)\s*=", re.I)
_STYLE_RE = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# What Moodle's and Canvas's editors write on every paragraph: it changes nothing a
# learner sees in a left-to-right text, so it is no loss worth a warning.
_EDITOR_NOISE = frozenset({"text-align:left", "text-align:start", "direction:ltr"})


@dataclass(frozen=True)
class LiftedCode:
    """A text with its one code block taken out."""

    rest: str
    """The HTML without the block."""
    code: str
    """The block's text, entities decoded, indentation kept, one final newline."""
    language: str | None


def _language_of(element: object) -> str | None:
    """The language named by the classes of a `<code>`/`<pre>` element (or its child)."""
    for node in (element, getattr(element, "code", None)):
        classes = node.get("class") if node is not None and hasattr(node, "get") else None
        for name in classes or ():
            match = _LANGUAGE_RE.fullmatch(name) or _LANGUAGE_RE.match(name)
            if match:
                return match.group(1).lower()
    return None


def html_to_markdown(text: str) -> str:
    """`text` (HTML) as CommonMark, trimmed; plain text without tags is returned unescaped."""
    if "<" not in text and "&" not in text:
        return text.strip()
    from markdownify import markdownify

    converted: str = markdownify(
        text,
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        code_language_callback=_language_of,
        escape_underscores=False,
        escape_asterisks=True,
    )
    return _collapse_blank_lines(converted).strip()


def _collapse_blank_lines(markdown: str) -> str:
    """Runs of blank lines made one, outside code fences only (a blank line of code is the
    author's)."""
    parts = re.split(r"(^(?:```|~~~).*?^(?:```|~~~)[ \t]*$)", markdown, flags=re.M | re.S)
    return "".join(
        part if index % 2 else re.sub(r"\n{3,}", "\n\n", part) for index, part in enumerate(parts)
    )


def lost_markup(text: str) -> list[str]:
    """What of `text` (HTML) Markdown cannot hold, one phrase each (empty: nothing)."""
    lowered = text.lower()
    lost = [f"<{tag}>" for tag in _LOST_TAGS if f"<{tag}" in lowered]
    if _LOST_ATTRS.search(text) or any(map(_styles_something, _STYLE_RE.finditer(text))):
        lost.append("inline styles (colours, sizes)")
    return lost


def _styles_something(match: re.Match[str]) -> bool:
    """Whether a `style` attribute does more than editor noise (`text-align: left`)."""
    value = next(group for group in match.groups() if group is not None)
    declarations = {re.sub(r"\s+", "", part).lower() for part in value.split(";")}
    return bool(declarations - _EDITOR_NOISE - {""})


def lift_code(text: str) -> LiftedCode | None:
    """The one `<pre>` block of `text` taken out (None when there is none, or several: then
    which one is the question's code is not clear, and the blocks stay in the prompt)."""
    blocks = list(_PRE_RE.finditer(text))
    if len(blocks) != 1:
        return None
    block = blocks[0]
    inner = block.group(1)
    language_match = _LANGUAGE_RE.search(
        block.group(0)[: block.group(0).find(">") + 1] + inner[:200]
    )
    code = html_lib.unescape(_TAG_RE.sub("", re.sub(r"<br\s*/?>", "\n", inner, flags=re.I)))
    code = code.strip("\n") + "\n"
    rest = text[: block.start()] + text[block.end() :]
    return LiftedCode(rest, code, language_match.group(1).lower() if language_match else None)


__all__ = ["LiftedCode", "html_to_markdown", "lift_code", "lost_markup"]
