"""An Anki field (HTML) as the Markdown of a bank, its images as the bank's media.

Anki fields are HTML (``<br>`` for line breaks, ``&nbsp;``, ``<div>`` per line from the
editor). ``[sound:x.mp3]`` has no place in a bank: it is removed and reported. An
``<img src="x.png">`` whose file the package holds becomes ``media/x.png`` beside the bank
(the name reduced to letters, digits, ``.``, ``_`` and ``-``; two different files under one
name told apart by a short hash), so the Markdown image points at it; one the package does
not hold is reported. Code blocks (qbank's exporter writes them highlighted, as spans) are
reduced to their text first, so :func:`qbank.importers.html.lift_code` gives the exact code.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from qbank.importers.html import html_to_markdown, lift_code, lost_markup
from qbank.importers.media import store

_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)
_LANGUAGE = re.compile(r"class=\"[^\"]*?\b(?:language|lang)-([A-Za-z0-9_+#.-]+)", re.I)


@dataclass
class Fields:
    """Turns the fields of one note into Markdown, collecting what was lost."""

    media: dict[str, bytes]
    """The package's files by their Anki name."""
    bank_media: dict[str, bytes]
    """The bank's media (``media/<name>`` -> bytes), filled as images are found."""
    lost: list[str] = field(default_factory=list)
    """Phrases naming what the fields held that the bank cannot (sounds, missing images)."""
    html: list[str] = field(default_factory=list)
    """What HTML Markdown cannot hold, one phrase each."""

    def prepare(self, raw: str) -> str:
        """`raw` with sounds removed, images pointing at the bank's media, code plain."""
        for sound in _SOUND.findall(raw):
            self.lost.append(f"the sound [sound:{sound}]")
        raw = _SOUND.sub("", raw)
        raw = _IMG_SRC.sub(self._image, raw)
        return _PRE.sub(_plain_pre, raw)

    def _image(self, match: re.Match[str]) -> str:
        name = html_lib.unescape(match.group(3)).strip()
        data = self.media.get(name)
        if data is None:
            self.lost.append(f"the image {name!r} (not in the package)")
            return match.group(0)
        stored = store(self.bank_media, name, data)
        return f"{match.group(1)}{match.group(2)}{stored}{match.group(2)}"

    def markdown(self, raw: str) -> str:
        """The field as Markdown ("" for an empty field)."""
        prepared = self.prepare(raw)
        self.html.extend(x for x in lost_markup(prepared) if x not in self.html)
        return html_to_markdown(prepared)

    def with_code(self, raw: str) -> tuple[str, str | None, str | None]:
        """The field as Markdown without its one code block, the block's code and language."""
        prepared = self.prepare(raw)
        self.html.extend(x for x in lost_markup(prepared) if x not in self.html)
        lifted = lift_code(prepared)
        if lifted is None:
            return html_to_markdown(prepared), None, None
        return html_to_markdown(lifted.rest), lifted.code, lifted.language


def plain(raw: str, *, strip: bool = True) -> str:
    """The characters of a field without markup (entities decoded, breaks as newlines),
    trimmed unless `strip` is false (code, whose spaces are the author's)."""
    text = html_lib.unescape(_TAG.sub("", _BR.sub("\n", raw))).replace("\xa0", " ")
    return text.strip() if strip else text


def _plain_pre(match: re.Match[str]) -> str:
    language = _LANGUAGE.search(match.group(1) + match.group(2)[:300])
    css = f' class="language-{language.group(1).lower()}"' if language else ""
    text = html_lib.unescape(_TAG.sub("", _BR.sub("\n", match.group(2))))
    return f"<pre><code{css}>{html_lib.escape(text, quote=False)}</code></pre>"


__all__ = ["Fields", "plain"]
