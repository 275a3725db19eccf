"""One question being written: its bank, its validation result, and how its texts render."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from qbank.exporters.base import ExportContext
from qbank.exporters.display import Shown, file_language
from qbank.exporters.moodle import text as t
from qbank.exporters.moodle.files import Media, embed, figures_html, media_of
from qbank.exporters.moodle.xml import Field
from qbank.exporters.rich import language_of
from qbank.model import LoadedBank, QuestionBase
from qbank.report import QuestionResult


@dataclass
class Item:
    """A question and what rendering it needs; warnings go to the export's context."""

    loaded: LoadedBank
    question: QuestionBase
    context: ExportContext
    generated_feedback: bool = True
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
    def media(self) -> Media:
        return media_of(self.loaded, self.question, self.context)

    def figures(self) -> str:
        """The figures the run drew, as images of the field that shows them."""
        return figures_html(self.media)

    def warn(self, message: str, code: str) -> None:
        self.lossy.add(code)
        self.context.warn(self.loaded, self.question, message, code)

    def field(self, html: str) -> Field:
        """Rendered HTML as a field, with the media it shows embedded."""
        return embed(t.safe_html(html), self.media)

    def md(self, markdown: str | None, *, compact: bool = False) -> str:
        """Markdown as Moodle HTML (code in the question's language unless fenced)."""
        return t.markdown(markdown, self.language, compact=compact) if markdown else ""

    def code(self, source: str) -> str:
        """A snippet of the question's language, highlighted."""
        return t.code(source, self.language)

    def shown(self, shown: Shown) -> str:
        """An option as HTML: Markdown text, code, or preformatted output."""
        if shown.kind == "text":
            return self.md(shown.content, compact=True)
        return t.code(shown.content, self.language if shown.kind == "code" else None)

    def files_html(self) -> str:
        """The fixture files learners see, each headed by its name."""
        return "".join(
            f"<p><strong><code>{escape(name, quote=False)}</code></strong></p>"
            + t.code(file.content, file_language(name) or "text")
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
