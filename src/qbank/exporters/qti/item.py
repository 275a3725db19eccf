"""One question being written: its bank, its validation result, how its texts render, and
the images its HTML references (collected for the package)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from qbank.exporters.base import ExportContext
from qbank.exporters.display import Shown, file_language
from qbank.exporters.media import MediaFile, figure_html, question_media, rewrite_images
from qbank.exporters.qti import text as t
from qbank.exporters.rich import language_of
from qbank.model import LoadedBank, QuestionBase
from qbank.report import QuestionResult


@dataclass
class Item:
    """A question and what rendering it needs; warnings go to the export's context."""

    loaded: LoadedBank
    question: QuestionBase
    context: ExportContext
    media: dict[str, MediaFile]
    """The package's images so far (path in the package -> file); this question's are added
    as its HTML references them."""
    generated_feedback: bool = True
    highlighted: bool = True
    """Whether code is highlighted (a question text over Canvas's limit is written again
    without)."""
    lossy: set[str] = field(default_factory=set)

    @cached_property
    def language(self) -> str:
        return language_of(self.loaded, self.question)

    @cached_property
    def result(self) -> QuestionResult | None:
        return self.context.result(self.loaded, self.question)

    @cached_property
    def feedback(self) -> dict[int, str]:
        """Generated learner feedback per choice index (empty for a failing question)."""
        return self.context.feedback(self.loaded, self.question)

    @cached_property
    def images(self) -> dict[str, MediaFile]:
        """The question's images: the reference as written -> the file."""
        return question_media(self.loaded, self.question, self.context)

    def warn(self, message: str, code: str) -> None:
        self.lossy.add(code)
        self.context.warn(self.loaded, self.question, message, code)

    def html(self, rendered: str) -> str:
        """Rendered HTML with its images pointing into the package (and added to it)."""
        if not self.images or "<img" not in rendered:
            return rendered

        def src(image: MediaFile) -> str:
            self.media.setdefault(t.media_path(image), image)
            return t.media_src(image)

        return rewrite_images(rendered, self.images, src)

    def md(self, markdown: str | None, *, compact: bool = False) -> str:
        """Markdown as Canvas HTML (code in the question's language unless fenced)."""
        if not markdown:
            return ""
        rendered = t.markdown(
            markdown, self.language, compact=compact, highlighted=self.highlighted
        )
        return self.html(rendered)

    def code(self, source: str, language: str | None = "") -> str:
        """A snippet, highlighted in the question's language (`language` None: an output)."""
        chosen = self.language if language == "" else language
        return t.code(source, chosen, highlighted=self.highlighted)

    def shown(self, shown: Shown) -> str:
        """An option as HTML: Markdown text, code, or preformatted output (never empty)."""
        if shown.kind == "text":
            return self.md(shown.content, compact=True) or self.code(shown.content, None)
        return self.code(shown.content, None if shown.kind == "pre" else "")

    def figures(self) -> str:
        """The figures the question's run drew, each as an image after the prompt."""
        return "".join(
            self.html(figure_html(image, image.source))
            for image in self.images.values()
            if image.figure
        )

    def files_html(self) -> str:
        """The fixture files learners see, each headed by its name."""
        return "".join(
            f"<p><strong><code>{escape(name, quote=False)}</code></strong></p>"
            + self.code(file.content, file_language(name) or "text")
            for name, file in self.question.shown_files
        )

    def plain(self, value: str, what: str) -> str:
        """A plain-text part without what XML cannot hold (warned about, `lossy-character`)."""
        cleaned, changed = t.plain(value)
        if changed:
            self.warn(
                f"{what} {value!r} holds characters XML 1.0 cannot carry (control characters, "
                "a carriage return): they are left out",
                "lossy-character",
            )
        return cleaned


__all__ = ["Item"]
