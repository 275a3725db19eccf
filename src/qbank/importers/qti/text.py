"""QTI ``<mattext>`` as Markdown: HTML converted, images stored as bank media, Canvas
equation images written back as the ``$...$`` LaTeX they came from.

An image's ``src`` is ``$IMS-CC-FILEBASE$/<path>`` (URL-encoded or not: the package's files,
at its root or under ``web_resources/``) or a path relative to the assessment's folder. A
file found in the package becomes ``media/<name>`` beside the bank.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote

from qbank.importers.html import LiftedCode, html_to_markdown, lift_code, lost_markup
from qbank.importers.media import store

_IMG = re.compile(r"<img\b[^>]*>", re.I | re.S)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FILEBASE = ("$IMS-CC-FILEBASE$/", "$IMS_CC_FILEBASE$/")
_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)
_STYLE = re.compile(r"""\sstyle\s*=\s*(?:"[^"]*"|'[^']*')""", re.I)


@dataclass
class Files:
    """The package's files, the assessment's folder in it, and the bank's media."""

    files: dict[str, bytes] = field(default_factory=dict)
    folder: str = ""
    media: dict[str, bytes] = field(default_factory=dict)

    def find(self, src: str) -> bytes | None:
        name = unquote(html_lib.unescape(src))
        for base in _FILEBASE:
            if name.startswith(base):
                rest = name[len(base) :]
                return self.files.get(rest) or self.files.get(f"web_resources/{rest}")
        if "://" in name or name.startswith("/"):
            return None
        joined = str(PurePosixPath(self.folder, name)) if self.folder else name
        return self.files.get(joined) or self.files.get(name)

    def store(self, name: str, data: bytes) -> str:
        return store(self.media, unquote(name), data)


@dataclass
class Converted:
    """A text as Markdown, and what of it changed or was lost."""

    markdown: str
    code: LiftedCode | None = None
    lost: list[str] = field(default_factory=list)
    math: bool = False
    missing: list[str] = field(default_factory=list)


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTR.finditer(tag)}


def _images(html: str, files: Files, converted: Converted) -> str:
    def replace(match: re.Match[str]) -> str:
        attrs = _attrs(match.group(0))
        if "equation_image" in attrs.get("class", "") or "data-equation-content" in attrs:
            converted.math = True
            latex = html_lib.unescape(attrs.get("data-equation-content") or attrs.get("title", ""))
            return html_lib.escape(f"${latex}$", quote=False)
        src = attrs.get("src", "")
        data = files.find(src)
        if data is None:
            if src and "://" not in src:
                converted.missing.append(unquote(src))
            return match.group(0)
        path = files.store(PurePosixPath(unquote(src)).name, data)
        alt = html_lib.escape(html_lib.unescape(attrs.get("alt", "")))
        return f'<img alt="{alt}" src="{path}">'

    return _IMG.sub(replace, html)


def _unstyled(match: re.Match[str]) -> str:
    """A code block without its colours: syntax highlighting, which the fenced block gets
    back wherever it is shown, is no loss worth a warning."""
    return _STYLE.sub("", match.group(0))


def convert(text: str, texttype: str, files: Files, *, lift: bool = False) -> Converted:
    """`text` (a mattext's content) as Markdown; with `lift`, its one code block taken out."""
    converted = Converted("")
    if "html" not in texttype.lower():
        converted.markdown = text.strip()
        return converted
    html = _images(text, files, converted)
    if lift:
        converted.code = lift_code(html)
        if converted.code is not None:
            html = converted.code.rest
    converted.lost = lost_markup(_PRE.sub(_unstyled, html))
    converted.markdown = html_to_markdown(html)
    return converted


__all__ = ["Converted", "Files", "convert"]
