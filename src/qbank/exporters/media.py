"""The image files of a question, as exporters ship them (DESIGN section 8).

Every exporter that can carry files asks :func:`question_media` for a question's images:
those its Markdown fields reference (read from disk, relative to the bank file) and its
`figure` (the bytes the validated run wrote, from the report). Each becomes a
:class:`MediaFile` with a name that is safe in every target and unique by content, so two
banks' `figures/tree.png` never overwrite each other and one image used twice is shipped
once. :func:`rewrite_images` then points the `<img>` elements of rendered HTML at wherever
the format keeps the files (`@@PLUGINFILE@@/name` in Moodle XML, the bare name in Anki's
media folder, a relative path beside a Markdown file).

Missing, oversized or unsafe files are the static checks' problems (`media-*`); here they
are simply not shipped, so an export with ``allow_invalid`` never crashes on them.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from qbank.exporters.base import ExportContext
from qbank.model import LoadedBank, QuestionBase
from qbank.model.media import media_type, question_images

_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")
_IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')


@dataclass(frozen=True)
class MediaFile:
    """One image an export ships."""

    source: str
    """The reference as written (`figures/tree.png`), or the `figure` file name."""
    name: str
    """A file name safe everywhere and unique by content: `tree-1a2b3c4d5e6f.png`."""
    data: bytes
    mime: str
    figure: bool = False
    """Whether the run wrote it (`figure:`), rather than a file beside the bank."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def media_file(source: str, data: bytes, *, figure: bool = False) -> MediaFile | None:
    """`data` as a shippable file named after `source` (None if `source` is not an image)."""
    mime = media_type(source)
    if mime is None:
        return None
    path = PurePosixPath(source)
    stem = _UNSAFE_RE.sub("-", path.stem).strip("-")[:40] or "image"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return MediaFile(source, f"{stem}-{digest}{path.suffix.lower()}", data, mime, figure)


def question_media(
    loaded: LoadedBank, question: QuestionBase, context: ExportContext
) -> dict[str, MediaFile]:
    """Reference as written -> file, for every image `question` shows: those its text
    references that exist beside the bank, then its figure if its run wrote one."""
    found: dict[str, MediaFile] = {}
    folder = Path(loaded.path).parent
    for ref in question_images(question):
        try:
            data = (folder / ref.target).read_bytes()
        except OSError:
            continue  # the static checks said `media-missing`
        item = media_file(ref.target, data)
        if item is not None:
            found[ref.target] = item
    picture = figure(loaded, question, context)
    if picture is not None:
        found.setdefault(picture.source, picture)
    return found


def figure(loaded: LoadedBank, question: QuestionBase, context: ExportContext) -> MediaFile | None:
    """The image the question's run wrote (`figure:`), as validation captured it."""
    if question.figure is None:
        return None
    result = context.result(loaded, question)
    if result is None or result.figure is None:
        return None
    return media_file(question.figure, result.figure, figure=True)


def rewrite_images(
    rendered: str, files: Mapping[str, MediaFile], src: Callable[[MediaFile], str]
) -> str:
    """`rendered` HTML with each `<img src>` that names one of `files` pointed at `src(file)`
    (the HTML markdown-it made: it percent-encodes the destination and escapes `&`)."""
    if "<img" not in rendered or not files:
        return rendered

    def replace(match: re.Match[str]) -> str:
        written = unquote(html.unescape(match.group(2)))
        item = files.get(written)
        if item is None:
            return match.group(0)
        return match.group(1) + html.escape(src(item), quote=True) + match.group(3)

    return _IMG_SRC_RE.sub(replace, rendered)


def figure_html(item: MediaFile, src: str) -> str:
    """The `<img>` that shows a figure after the prompt."""
    alt = html.escape(f"The figure the program draws ({item.source})", quote=True)
    return f'<p><img src="{html.escape(src, quote=True)}" alt="{alt}"></p>'


__all__ = [
    "MediaFile",
    "figure",
    "figure_html",
    "media_file",
    "question_media",
    "rewrite_images",
]
