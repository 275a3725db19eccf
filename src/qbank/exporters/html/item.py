"""One question being written: its bank, its validation result, and how its texts render.

Every text goes through :meth:`Item.md` or :meth:`Item.code`, so every image is inlined the
same way and each image the page cannot carry is warned about once (``lossy-media``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from html import escape

from qbank.exporters import media
from qbank.exporters.base import ExportContext
from qbank.exporters.display import Shown, file_language
from qbank.exporters.html import text
from qbank.exporters.rich import language_of
from qbank.model import LoadedBank, QuestionBase
from qbank.model.session import is_session
from qbank.report import QuestionResult


@dataclass
class Item:
    """A question and what rendering it needs; warnings go to the export's context."""

    loaded: LoadedBank
    question: QuestionBase
    context: ExportContext
    generated_feedback: bool = True
    """Whether a wrong option without authored feedback gets the generated one."""

    @cached_property
    def language(self) -> str:
        return language_of(self.loaded, self.question)

    @cached_property
    def result(self) -> QuestionResult | None:
        return self.context.result(self.loaded, self.question)

    @cached_property
    def feedback(self) -> dict[int, str]:
        """Generated learner feedback per choice index (empty for a failing question, or
        when generated feedback is off)."""
        if not self.generated_feedback:
            return {}
        return self.context.feedback(self.loaded, self.question)

    @cached_property
    def media(self) -> dict[str, media.MediaFile]:
        return media.question_media(self.loaded, self.question, self.context)

    @property
    def fails(self) -> bool:
        """Whether the question fails validation (exported with ``allow_invalid``)."""
        return self.context.fails(self.loaded, self.question)

    def warn(self, message: str, code: str) -> None:
        self.context.warn(self.loaded, self.question, message, code)

    def md(self, markdown: str | None, *, compact: bool = False) -> str:
        """Markdown as HTML (code in the question's language unless fenced), images inlined."""
        return self._images(text.markdown(markdown, self.language, compact=compact))

    def code(self, source: str) -> str:
        """A snippet of the question's language, highlighted (a session as the shell shows it)."""
        return text.code(source, "pycon" if is_session(source) else self.language)

    def shown(self, shown: Shown) -> str:
        """An option's body, fit for its ``<label>``: Markdown text, code, or an output."""
        if shown.kind == "text":
            return text.phrasing(self.md(shown.content, compact=True))
        language = self.language if shown.kind == "code" else None
        return text.phrasing(text.code(shown.content, language))

    def figures(self) -> str:
        """The figures the run drew, each as an image after the prompt."""
        return "".join(
            media.figure_html(item, text.data_uri(item))
            for item in self.media.values()
            if item.figure
        )

    def files_html(self) -> str:
        """The fixture files learners see, each headed by its name."""
        return "".join(
            f'<p class="file-name"><code>{escape(name, quote=False)}</code></p>'
            + text.code(file.content, file_language(name) or "text")
            for name, file in self.question.shown_files
        )

    def _images(self, rendered: str) -> str:
        rendered, dropped = text.inline_images(rendered, self.media)
        for source in dropped:
            self.warn(
                f"the page loads nothing from outside itself: the image {source!r} is shown "
                "as its alt text (put the file beside the bank)",
                "lossy-media",
            )
        return rendered


__all__ = ["Item"]
