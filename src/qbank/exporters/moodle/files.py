"""Media in Moodle XML: each field embeds the files its HTML shows.

A question's images (``![alt](path)`` in its texts, and its ``figure``) come from
:func:`qbank.exporters.media.question_media`. :func:`embed` turns a rendered field into a
:class:`~.xml.Field`: every ``<img src>`` naming one of them is pointed at
``@@PLUGINFILE@@/<name>`` (the name URL-encoded) and the file is attached to that field only:
Moodle gives each field its own file area, so a reference without a file in the same field
is a broken image, and a file in another field is not seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from qbank.exporters.base import ExportContext
from qbank.exporters.media import MediaFile, figure_html, question_media, rewrite_images
from qbank.exporters.moodle.xml import Attached, Field
from qbank.model import LoadedBank, QuestionBase

Media = Mapping[str, MediaFile]
"""A question's images: the reference as written -> the file."""


def media_of(loaded: LoadedBank, question: QuestionBase, context: ExportContext) -> Media:
    """Every image `question` shows (its text's references, then its figure)."""
    return question_media(loaded, question, context)


def pluginfile(item: MediaFile) -> str:
    """Where Moodle finds a file of the field's own area."""
    return "@@PLUGINFILE@@/" + quote(item.name)


def embed(rendered: str, media: Media) -> Field:
    """`rendered` HTML with its images pointing into the field's own file area, and the
    files it references attached (each once, in the order first referenced)."""
    if not media or "<img" not in rendered:
        return Field(rendered)
    used: dict[str, Attached] = {}

    def src(item: MediaFile) -> str:
        used.setdefault(item.name, Attached(item.name, item.data))
        return pluginfile(item)

    rewritten = rewrite_images(rendered, media, src)
    return Field(rewritten, tuple(used.values()))


def figures_html(media: Media) -> str:
    """The figures the question's run drew, each as an image (shown after the prompt)."""
    return "".join(figure_html(item, item.source) for item in media.values() if item.figure)


__all__ = ["Media", "embed", "figures_html", "media_of", "pluginfile"]
