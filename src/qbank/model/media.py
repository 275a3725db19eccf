"""Images in a question's text: `![alt](figures/tree.png)`, relative to the bank file
(DESIGN section 8), and the `figure` a run writes.

Pure functions over the model, shared by the static checks (does each file exist, is it an
image, is it small enough, does it stay inside the project), the cache key (the content of
each image) and the exporters (which embed, pack or copy the files). Only Markdown fields
hold images: the prompt, the explanation, the hints, option texts and feedback, the left
sides of matching pairs. Code is never scanned: `![x](y)` in a snippet is code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from qbank.model.bank import Bank
from qbank.model.questions import Matching, QuestionBase

#: File suffix -> MIME type: the image formats every target (Moodle, Anki, browsers) shows.
MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}

#: The largest image a bank may reference when it sets no `media_limit`: 1 MiB.
MEDIA_LIMIT_DEFAULT = 1 << 20

#: CommonMark's inline image, `![alt](destination "title")`: groups `alt`, `angled` (a
#: `<destination>`, spaces allowed) and `bare` (no spaces). Alt text may hold one level of
#: brackets.
IMAGE_RE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?:<(?P<angled>[^<>\n]*)>|(?P<bare>[^\s()<>]+))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class ImageRef:
    """One image reference as written in a text field."""

    target: str
    """The destination as written (`figures/tree.png`), percent-escapes decoded."""
    alt: str
    field: str
    """Where it was written: `prompt`, `explanation`, `hint`, `choices`, `pairs`, ..."""

    @property
    def external(self) -> bool:
        """Whether it names a URL (`https://...`, `data:...`) rather than a file: such an image
        is left as written, never checked or packed (an offline export cannot fetch it)."""
        return bool(_SCHEME_RE.match(self.target)) or self.target.startswith("//")


def image_refs(text: str | None, field: str = "") -> list[ImageRef]:
    """The images a Markdown text references, in order."""
    if not text or "![" not in text:
        return []
    found = []
    for match in IMAGE_RE.finditer(text):
        target = match.group("angled") if match.group("angled") is not None else match.group("bare")
        found.append(ImageRef(unquote(target), match.group("alt"), field))
    return found


def text_fields(question: QuestionBase) -> Iterator[tuple[str, str]]:
    """(field name, Markdown text) of every field of `question` that may hold an image."""
    yield "prompt", question.prompt
    if question.explanation:
        yield "explanation", question.explanation
    for hint in question.hint:
        yield "hint", hint
    for choice in question.choices_list:
        if choice.text:
            yield "choices", choice.text
        if choice.feedback:
            yield "choices", choice.feedback
    if isinstance(question, Matching):
        for pair in question.pairs:
            yield "pairs", pair.left


def question_images(question: QuestionBase) -> list[ImageRef]:
    """Every file image `question` references (external URLs left out), each target once."""
    seen: dict[str, ImageRef] = {}
    for name, text in text_fields(question):
        for ref in image_refs(text, name):
            if not ref.external:
                seen.setdefault(ref.target, ref)
    return list(seen.values())


def media_type(name: str) -> str | None:
    """The MIME type of an image file name (None: not an image qbank exports)."""
    dot = name.rfind(".")
    return MEDIA_TYPES.get(name[dot:].lower()) if dot >= 0 else None


def media_limit_of(bank: Bank) -> int:
    """The largest image file `bank` allows: its `media_limit`, else 1 MiB."""
    return bank.media_limit if bank.media_limit is not None else MEDIA_LIMIT_DEFAULT


#: MIME type -> its name in messages.
_TYPE_NAMES = {
    "image/png": "a PNG",
    "image/jpeg": "a JPEG",
    "image/gif": "a GIF",
    "image/svg+xml": "an SVG",
    "image/webp": "a WebP",
}


def sniff_type(data: bytes) -> str | None:
    """The MIME type `data` is, by its first bytes (None: none of :data:`MEDIA_TYPES`).
    SVG is text that starts with `<svg`, or with `<?xml` and holds `<svg`."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    text = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image/svg+xml"
    return None


def content_flaw(name: str, data: bytes) -> str | None:
    """Why `data` is not the image its file `name` says (None: it is; a name of no image
    type is not judged here). For an SVG, `data` should be the whole file."""
    declared = media_type(name)
    if declared is None:
        return None
    found = sniff_type(data)
    if found == declared:
        return None
    said = _TYPE_NAMES[declared]
    looks = f"its bytes are {_TYPE_NAMES[found]} image" if found else "its bytes are no image"
    return f"is not {said} image, as its name says ({looks})"


__all__ = [
    "IMAGE_RE",
    "MEDIA_LIMIT_DEFAULT",
    "MEDIA_TYPES",
    "ImageRef",
    "content_flaw",
    "image_refs",
    "media_limit_of",
    "media_type",
    "question_images",
    "sniff_type",
    "text_fields",
]
