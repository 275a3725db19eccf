"""One question being written: its bank, validation result, media, and how its texts render.

Every text goes through here, so each loss is warned about once, naming the question:
attributes QTI's XHTML has no place for (``lossy-markup``), characters XML 1.0 cannot carry
(``lossy-character``). Images are pointed at their file in the package's ``media/`` folder
(items sit at the package root, so ``media/tree-1a2b3c4d5e6f.png``), and the files used are
collected for the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from qbank.exporters.base import ExportContext
from qbank.exporters.display import Shown, file_language
from qbank.exporters.media import (
    MEDIA_FOLDER,
    MediaFile,
    figure_alt,
    question_media,
    rewrite_images,
)
from qbank.exporters.qti21 import names
from qbank.exporters.qti21 import text as t
from qbank.exporters.qti21.xml import element
from qbank.exporters.rich import language_of
from qbank.model import LoadedBank, QuestionBase
from qbank.report import QuestionResult


def media_path(item: MediaFile) -> str:
    """Where a media file is in the package, relative to its root (and to every item)."""
    return f"{MEDIA_FOLDER}/{item.name}"


@dataclass
class Item:
    """A question and what rendering it needs; warnings go to the export's context."""

    loaded: LoadedBank
    question: QuestionBase
    context: ExportContext
    number: int
    """The question's position in its bank, from 1 (its heading without a title)."""
    generated_feedback: bool = True
    used: dict[str, MediaFile] = field(default_factory=dict)
    """The media files the item's texts reference: package path -> file."""

    @cached_property
    def language(self) -> str:
        return language_of(self.loaded, self.question)

    @cached_property
    def result(self) -> QuestionResult | None:
        return self.context.result(self.loaded, self.question)

    @cached_property
    def feedback(self) -> dict[int, str]:
        """Generated learner feedback per choice index (empty for a failing question, or
        with generated feedback turned off)."""
        if not self.generated_feedback:
            return {}
        return self.context.feedback(self.loaded, self.question)

    @cached_property
    def media(self) -> dict[str, MediaFile]:
        return question_media(self.loaded, self.question, self.context)

    def part(self, part: int | str) -> str:
        """The opaque identifier of an option (its authored position) or another part."""
        return names.choice(self.loaded, self.question, str(part))

    def warn(self, message: str, code: str) -> None:
        self.context.warn(self.loaded, self.question, message, code)

    def _take(self, rendered: t.Rendered) -> str:
        for loss in rendered.markup:
            self.warn(f"left out of the text: {loss}", "lossy-markup")
        if rendered.characters:
            self.warn(
                "a text holds characters XML 1.0 cannot carry (control characters): "
                "they are left out",
                "lossy-character",
            )
        return self._images(rendered.xhtml)

    def _images(self, xhtml: str) -> str:
        if not self.media or "<img" not in xhtml:
            return xhtml

        def src(file: MediaFile) -> str:
            self.used[media_path(file)] = file
            return media_path(file)

        return rewrite_images(xhtml, self.media, src)

    def md(self, markdown: str | None, *, compact: bool = False) -> str:
        """Markdown as QTI XHTML (code in the question's language unless fenced)."""
        return self._take(t.markdown(markdown, self.language, compact=compact))

    def code(self, source: str, language: str | None = "") -> str:
        """A snippet, highlighted in the question's language (or `language`; None: plain)."""
        return self._take(t.code(source, self.language if language == "" else language))

    def shown(self, shown: Shown) -> str:
        """An option as QTI XHTML: Markdown text, code, or preformatted output."""
        if shown.kind == "text":
            return self.md(shown.content, compact=True) or self.code(shown.content, None)
        return self.code(shown.content, "" if shown.kind == "code" else None)

    def plain(self, value: str) -> str:
        """Plain text (a matching right side) as character data."""
        return self._take(t.to_qti(escape(value, quote=False)))

    def figures(self) -> str:
        """The figures the question's run drew, each as an image after the prompt."""
        found = []
        for file in self.media.values():
            if file.figure:
                self.used[media_path(file)] = file
                image = element("img", src=media_path(file), alt=figure_alt(file))
                found.append(f"<p>{image}</p>")
        return "".join(found)

    def files(self) -> str:
        """The fixture files learners see, each headed by its name."""
        return "".join(
            f"<p><strong><code>{escape(name, quote=False)}</code></strong></p>"
            + self.code(file.content, file_language(name) or "text")
            for name, file in self.question.shown_files
        )


__all__ = ["Item", "media_path"]
