"""GIFT text parts as a bank's Markdown, and the code a question's stem shows lifted out.

`[html]` parts go through :func:`~qbank.importers.html.html_to_markdown` (what Markdown
cannot hold is reported); `[markdown]`, `[moodle]` and `[plain]` parts are kept as written
(their `\\n` escapes are real newlines by now). A stem's one `<pre>` block (HTML) or one
fenced block (other formats) becomes the question's `code`; a heading `<h4>` that starts an
HTML stem (how qbank's own exporter writes a question's `title`) becomes its `title`.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass

from qbank.importers.gift.parser import Part
from qbank.importers.html import html_to_markdown, lift_code, lost_markup


@dataclass
class Stem:
    """A question's text, split into the bank's keys."""

    prompt: str
    code: str | None = None
    language: str | None = None
    title: str | None = None


@dataclass
class Converted:
    """A part as Markdown, and what of its HTML Markdown could not hold."""

    markdown: str
    lost: list[str]


def convert(part: Part) -> Converted:
    """One text part as Markdown."""
    if part.format != "html":
        return Converted(part.text, [])
    return Converted(html_to_markdown(part.text), lost_markup(part.text))


def code_only(part: Part) -> str | None:
    """The code of a part that is nothing but one code block (an option shown as code)."""
    if part.format == "html":
        lifted = lift_code(part.text)
        if lifted is not None and not lifted.rest.strip():
            return lifted.code.removesuffix("\n")
        return None
    fenced = lift_fence(part.text)
    if fenced is not None and not fenced[0].strip():
        return fenced[1].removesuffix("\n")
    return None


def split_stem(part: Part) -> tuple[Stem, list[str]]:
    """The stem's prompt, code, language and title, and what of its HTML was lost."""
    if part.format == "html":
        title, text = _heading(part.text)
        lifted = lift_code(text)
        stem = Stem("", title=title)
        if lifted is not None:  # `&nbsp;` is how physical-line GIFT keeps indentation
            text, stem.code, stem.language = (
                lifted.rest,
                lifted.code.replace("\xa0", " "),
                lifted.language,
            )
        converted = convert(Part(text, "html"))
        stem.prompt = converted.markdown
        return stem, converted.lost
    fenced = lift_fence(part.text)
    if fenced is None:
        return Stem(part.text), []
    rest, code, language = fenced
    return Stem(rest.strip(), code, language), []


def _heading(html: str) -> tuple[str | None, str]:
    text = html.lstrip()
    end = text.find("</h4>")
    if not text.startswith("<h4>") or end < 0 or "<" in text[4:end]:
        return None, html
    title = html_lib.unescape(text[4:end]).strip()
    return title or None, text[end + 5 :]


def lift_fence(text: str) -> tuple[str, str, str | None] | None:
    """The one fenced code block of Markdown `text` taken out: the rest, the code (one final
    newline) and the language of its info string; None when there is none, or several."""
    lines = text.split("\n")
    fences = _fences(lines)
    if len(fences) != 1:
        return None
    start, end, language = fences[0]
    code = "\n".join(lines[start + 1 : end]).strip("\n") + "\n"
    rest = "\n".join(lines[:start] + lines[end + 1 :])
    return rest, code, language


def _fences(lines: list[str]) -> list[tuple[int, int, str | None]]:
    """(opening line, closing line, language) of each fenced block (CommonMark: three or
    more backticks or tildes, closed by at least as many of the same)."""
    found: list[tuple[int, int, str | None]] = []
    index = 0
    while index < len(lines):
        opening = lines[index].lstrip(" ")
        marker = opening[:1]
        width = len(opening) - len(opening.lstrip(marker)) if marker in ("`", "~") else 0
        if width >= 3 and len(lines[index]) - len(opening) <= 3:
            info = opening[width:].strip()
            close = _closing(lines, index + 1, marker * width)
            if close is None:
                return [*found, (index, len(lines), info.split()[0] if info else None)]
            found.append((index, close, info.split()[0].lower() if info else None))
            index = close
        index += 1
    return found


def _closing(lines: list[str], start: int, fence: str) -> int | None:
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if line.startswith(fence) and not line.strip(fence[0]):
            return index
    return None


__all__ = ["Converted", "Stem", "code_only", "convert", "lift_fence", "split_stem"]
