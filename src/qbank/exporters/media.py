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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from qbank.exporters.base import ExportContext
from qbank.model import LoadedBank, QuestionBase
from qbank.model.media import IMAGE_RE, media_type, question_images

MEDIA_FOLDER = "media"
"""Where the formats that copy files (Markdown, JSON) put them: a folder beside the bank's
files (`<out>/python/media/tree-1a2b3c4d5e6f.png` for `<out>/python/figures.md`), shared by
the banks written in that folder (names are unique by content)."""

_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")
_IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')
_IMG_RE = re.compile(r"<img\b[^>]*>")
_ATTR_RE = re.compile(r'\b(src|alt)="([^"]*)"')


@dataclass(frozen=True)
class MediaFile:
    """One image an export ships."""

    source: str
    """The reference as written (`figures/tree.png`), or the `figure` file name."""
    name: str
    """A file name safe everywhere and unique by content: `tree-1a2b3c4d5e6f.png` (the
    source's stem in lower case, ASCII letters, digits, `_` and `-` only, then 12 hex digits
    of its SHA-256)."""
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
    base = PurePosixPath(source).name or source
    dot = base.rfind(".")  # as media_type reads it: `.png` alone is a PNG too
    suffix = base[dot:].lower() if dot >= 0 else ""
    # Lower case: `Tree.png` and `tree.png` would be one file where case is ignored.
    stem = _UNSAFE_RE.sub("-", base[: max(dot, 0)].lower()).strip("-")[:40] or "image"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return MediaFile(source, f"{stem}-{digest}{suffix}", data, mime, figure)


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


def figure_alt(item: MediaFile) -> str:
    """The alt text of a figure (plain text)."""
    return f"The figure the program draws ({item.source})"


def figure_html(item: MediaFile, src: str) -> str:
    """The `<img>` that shows a figure after the prompt."""
    alt = html.escape(figure_alt(item), quote=True)
    return f'<p><img src="{html.escape(src, quote=True)}" alt="{alt}"></p>'


def media_src(item: MediaFile) -> str:
    """Where the formats that copy files link an image from the bank's files: `media/<name>`."""
    return f"{MEDIA_FOLDER}/{item.name}"


def bank_media(loaded: LoadedBank, context: ExportContext) -> dict[str, MediaFile]:
    """Exported name -> file, for every image the questions of `loaded` show (each once)."""
    found: dict[str, MediaFile] = {}
    for question in loaded.bank.questions:
        for item in question_media(loaded, question, context).values():
            found.setdefault(item.name, item)
    return dict(sorted(found.items()))


def media_assets(loaded: LoadedBank, context: ExportContext) -> dict[str, bytes]:
    """The files of `loaded`'s images in :data:`MEDIA_FOLDER`, as
    :meth:`~qbank.exporters.base.Exporter.render_bank_assets` returns them."""
    return {media_src(item): item.data for item in bank_media(loaded, context).values()}


def rewrite_markdown(
    text: str, files: Mapping[str, MediaFile], src: Callable[[MediaFile], str]
) -> str:
    """Markdown `text` with each image destination that names one of `files` replaced by
    `src(file)` (alt text and title kept). `src` must give a destination without spaces or
    parentheses, such as `media/tree-1a2b3c4d5e6f.png`."""
    if "![" not in text or not files:
        return text

    def replace(match: re.Match[str]) -> str:
        group = "angled" if match.group("angled") is not None else "bare"
        item = files.get(unquote(match.group(group)))
        if item is None:
            return match.group(0)
        start, end = match.span(group)
        if group == "angled":
            start, end = start - 1, end + 1  # the brackets too: `<` is not kept by every format
        base = match.start()
        whole = match.group(0)
        return whole[: start - base] + src(item) + whole[end - base :]

    return IMAGE_RE.sub(replace, text)


def images_as_text(rendered: str, sources: Iterable[str]) -> str:
    """`rendered` HTML with each `<img>` showing one of `sources` (as written) replaced by its
    alt text in brackets, `[image: a binary tree]`, for a format that cannot carry files
    (its file name when the alt text is empty)."""
    wanted = set(sources)
    if "<img" not in rendered or not wanted:
        return rendered

    def replace(match: re.Match[str]) -> str:
        attributes = dict(_ATTR_RE.findall(match.group(0)))
        source = unquote(html.unescape(attributes.get("src", "")))
        if source not in wanted:
            return match.group(0)
        alt = attributes.get("alt", "").strip() or html.escape(PurePosixPath(source).name)
        return f"[image: {alt}]"

    return _IMG_RE.sub(replace, rendered)


__all__ = [
    "MEDIA_FOLDER",
    "MediaFile",
    "bank_media",
    "figure",
    "figure_alt",
    "figure_html",
    "images_as_text",
    "media_assets",
    "media_file",
    "media_src",
    "question_media",
    "rewrite_images",
    "rewrite_markdown",
]
