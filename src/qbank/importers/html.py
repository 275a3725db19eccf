"""HTML from a legacy bank, as the Markdown and code a qbank bank holds.

Moodle XML, Canvas QTI, GIFT's `[html]` and Anki fields hold HTML. It becomes Markdown
through markdownify (a maintained converter; nothing is hand-written here): ATX headings,
fenced code blocks carrying the language of a ``class="language-x"`` (or ``lang-x``,
``highlight-x``, Moodle's ``brush: x``), `*` for emphasis. What Markdown cannot hold (tables
with merged cells, colours, ``<span style>``, scripts) is reported by :func:`lost_markup`
for the importer to turn into an ``import-html`` issue, and the original HTML is kept by the
importer as a comment. Superscripts and subscripts keep their meaning (``2<sup>10</sup>`` is
``2¹⁰``, ``H<sub>2</sub>O`` is ``H₂O``; one Unicode cannot show is ``^(…)``/``_(…)`` and
reported); an underline, which Markdown lacks, becomes emphasis and is reported.

:func:`lift_code` takes the one code block of a question's text out of it, for the
question's `code` (learners see it as they did; validation can then run it).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A language named by a class: `language-x`, `lang-x`, `highlight-x`, Moodle's `brush: x;`.
_LANGUAGE_RE = re.compile(
    r"(?<![\w-])(?:(?:language|lang|highlight)[-:]|brush:\s*)([A-Za-z0-9_+#.-]+)", re.I
)
_CLASS_RE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_PRE_RE = re.compile(r"<pre\b([^>]*)>(.*?)</pre>", re.S | re.I)
_CODE_OPEN_RE = re.compile(r"\s*<code\b([^>]*)>", re.I)
_SCRIPT_RE = re.compile(r"<(sup|sub)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_UNDERLINE_RE = re.compile(r"<u[\s>]", re.I)
_SUPERSCRIPTS = dict(zip("0123456789+-\u2212=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUBSCRIPTS = dict(
    zip("0123456789+-\u2212=()aeoxhklmnpsti", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢ", strict=True)
)
# Tagless text goes through markdownify too when it holds what it escapes (`*`), entities or
# `<`: `2*3*4` must not become emphasis when `<p>2*3*5</p>` is escaped.
_NEEDS_CONVERTING = re.compile(r"[<&*]")
_TAG_RE = re.compile(r"<[^>]+>")
_LOST_TAGS = ("table", "script", "style", "iframe", "object", "embed", "math", "svg", "video")
_LOST_ATTRS = re.compile(r"\b(?:color|bgcolor)\s*=", re.I)
_STYLE_RE = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_INLINE_SPECIAL = re.compile(r"[\\`*\[\]<]|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_BLOCK_START = re.compile(
    r"^([ ]{0,3})(?:(>)|(#)(?=#{0,5}(?:\s|$))|([-+=])(?=\s|$|\4)|(\d{1,9})([.)])(?=\s|$))", re.M
)
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


def _class_language(classes: str) -> str | None:
    """The language a `class` attribute names (`language-python`, `brush: py;`), lowercased.
    Only the class: a language searched for in the code itself finds `language = "en"`."""
    match = _LANGUAGE_RE.search(classes)
    return match.group(1).lower() if match else None


def _language_of(element: object) -> str | None:
    """The language named by the classes of a `<code>`/`<pre>` element (or its child)."""
    for node in (element, getattr(element, "code", None)):
        classes = node.get("class") if node is not None and hasattr(node, "get") else None
        if isinstance(classes, str):
            classes = [classes]
        language = _class_language(" ".join(classes or ()))
        if language:
            return language
    return None


def _scripted(text: str, table: Mapping[str, str]) -> str | None:
    """`text` in Unicode superscript/subscript characters (None: one has none)."""
    text = text.strip()
    if not text or any(char not in table for char in text):
        return None
    return "".join(table[char] for char in text)


def html_to_markdown(text: str) -> str:
    """`text` (HTML) as CommonMark, trimmed; plain text without tags is returned as is
    unless Markdown would misread it (then it is escaped as converted HTML is)."""
    if not _NEEDS_CONVERTING.search(text):
        return text.strip()
    converted: str = _converter().convert(text)
    return _collapse_blank_lines(converted).strip()


def escape_markdown(text: str) -> str:
    """Plain text (no HTML: Moodle's `plain_text`, GIFT's `[moodle]`) as Markdown that shows
    it as written: `*`, `` ` ``, `[`, `]`, `<`, `\\`, an entity, an `_` that could emphasise,
    and a line starting like a heading, quote, list or rule are backslash-escaped. Line
    breaks and spaces are kept."""
    escaped = _INLINE_SPECIAL.sub(r"\\\g<0>", text)
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    """A line's start that Markdown reads as a block (`> `, `# `, `- `, `1. `), escaped."""
    indent, quote, hash_mark, bullet, number, dot = match.groups()
    if number is not None:
        return f"{indent}{number}\\{dot}"
    return f"{indent}\\{quote or hash_mark or bullet}"


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
    for tag in ("sup", "sub"):
        if any(_unscriptable(match) for match in _SCRIPT_RE.finditer(text) if match[1] == tag):
            mark = "^" if tag == "sup" else "_"
            lost.append(f"<{tag}> that Unicode cannot show (written as {mark}(...))")
    if _UNDERLINE_RE.search(text):
        lost.append("<u> (underline, written as emphasis)")
    return lost


def _unscriptable(match: re.Match[str]) -> bool:
    """Whether a `<sup>`/`<sub>` holds text with no Unicode superscript/subscript form."""
    inner = html_lib.unescape(_TAG_RE.sub("", match[2]))
    table = _SUPERSCRIPTS if match[1].lower() == "sup" else _SUBSCRIPTS
    return bool(inner.strip()) and _scripted(inner, table) is None


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
    inner = block.group(2)
    code = html_lib.unescape(_TAG_RE.sub("", re.sub(r"<br\s*/?>", "\n", inner, flags=re.I)))
    # `&nbsp;` is how HTML editors keep indentation: in code it is a space (a U+00A0 is an
    # invalid character to Python, and `qbank validate` would report the bank broken).
    code = code.replace("\xa0", " ").strip("\n") + "\n"
    rest = text[: block.start()] + text[block.end() :]
    return LiftedCode(rest, code, _block_language(block.group(1), inner))


def _block_language(pre_attributes: str, inner: str) -> str | None:
    """The language the classes of a `<pre>`, or of the `<code>` it opens with, name."""
    code = _CODE_OPEN_RE.match(inner)
    for attributes in (pre_attributes, code.group(1) if code else ""):
        for match in _CLASS_RE.finditer(attributes):
            language = _class_language(next(g for g in match.groups() if g is not None))
            if language:
                return language
    return None


@functools.cache
def _converter() -> Any:
    """The markdownify converter of the house style (imported late: only HTML needs it)."""
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify, with sub/superscripts and underlines kept and code's `&nbsp;` a space."""

        def convert_sup(self, el: Any, text: str, parent_tags: set[str]) -> str:
            return _script(el, text, parent_tags, _SUPERSCRIPTS, "^")

        def convert_sub(self, el: Any, text: str, parent_tags: set[str]) -> str:
            return _script(el, text, parent_tags, _SUBSCRIPTS, "_")

        def convert_u(self, el: Any, text: str, parent_tags: set[str]) -> str:
            """Markdown has no underline: emphasis keeps that the words stand out."""
            return _wrapped(text, "*", "*", parent_tags)

        def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
            # (markdownify's stub omits its `convert_pre`)
            fenced = super().convert_pre(el, text.replace("\xa0", " "), parent_tags)  # type: ignore[misc]
            return str(fenced)

    return Converter(
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        code_language_callback=_language_of,
        escape_underscores=False,
        escape_asterisks=True,
    )


def _script(el: Any, text: str, tags: set[str], table: Mapping[str, str], mark: str) -> str:
    """A `<sup>`/`<sub>` as Unicode (`2¹⁰`), or as `^(…)`/`_(…)` when Unicode has no form."""
    shown = _scripted(el.get_text(), table)
    if shown is None:
        return _wrapped(text, f"{mark}(", ")", tags)
    return _wrapped(text, "", "", tags, shown)


def _wrapped(text: str, before: str, after: str, tags: set[str], inner: str | None = None) -> str:
    """`text` between `before` and `after`, its outer spaces kept outside (as markdownify's
    inline conversions do); as is inside code."""
    if "_noformat" in tags:
        return text
    stripped = text.strip()
    if not stripped:
        return ""
    prefix = " " if text[:1].isspace() else ""
    suffix = " " if text[-1:].isspace() else ""
    return f"{prefix}{before}{inner if inner is not None else stripped}{after}{suffix}"


__all__ = ["LiftedCode", "escape_markdown", "html_to_markdown", "lift_code", "lost_markup"]
