"""One ``<question>`` being read: its fields as Markdown, its media, its issues, its comments."""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from qbank.importers.base import ImportedBank, ImportIssue
from qbank.importers.gift.text import lift_fence
from qbank.importers.html import LiftedCode
from qbank.importers.moodle import files, text

FALSE_WORDS = ("", "0", "false", "no")


@dataclass
class Source:
    """The file being read: where issues go, and what it held that was not kept."""

    path: str
    issues: list[ImportIssue] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    """Element name -> how many questions held one that has no place in the model."""

    def issue(self, line: int, message: str, kind: str, question: str | None = None) -> None:
        self.issues.append(ImportIssue(self.path, line, message, kind, question))


@dataclass
class Reading:
    """One question: its element, line, bank, and what reading it found."""

    element: ET.Element
    line: int
    bank: ImportedBank
    source: Source
    comments: list[str] = field(default_factory=list)
    name: str = ""
    used: set[str] = field(default_factory=set)
    """The child elements the mapping read (the others are reported as not kept)."""

    def issue(self, message: str, kind: str) -> None:
        where = f"<question type={self.element.get('type', '')!r}> {self.name!r}: "
        self.source.issue(self.line, where + message, kind)

    def child(self, tag: str) -> ET.Element | None:
        self.used.add(tag)
        return self.element.find(tag)

    def children(self, tag: str) -> list[ET.Element]:
        self.used.add(tag)
        return self.element.findall(tag)

    def plain(self, tag: str, default: str = "") -> str:
        """A plain child's text, trimmed (``<defaultgrade>``, ``<single>``)."""
        found = self.child(tag)
        return (found.text or "").strip() if found is not None else default

    def flag(self, tag: str, default: bool) -> bool:
        """A yes/no child as Moodle reads it (`false`, `0` or empty: no)."""
        found = self.child(tag)
        if found is None:
            return default
        return (found.text or "").strip().lower() not in FALSE_WORDS

    def raw_html(self, element: ET.Element | None) -> tuple[str, str]:
        """A field's text with its files stored in the bank's media; and its format."""
        if element is None:
            return "", "html"
        raw = element.findtext("text") or ""
        found = files.field_files(element, self.bank.media, lambda m: self.issue(m, "lost"))
        raw, missing = files.rewrite(raw, found)
        for name in missing:
            self.issue(f"the image {name!r} has no <file> in its field: a broken link", "lost")
        return raw, _format(element)

    def markdown(self, element: ET.Element | None, what: str, raw: str | None = None) -> str:
        """A field as Markdown; what Markdown cannot hold is an issue, the HTML a comment."""
        if raw is None:
            original, text_format = self.raw_html(element)
        else:
            original, text_format = raw, _format(element)
        source = original
        if text_format in text.HTML_FORMATS:
            source = text.plain_blocks(source)
        converted = text.to_markdown(source, text_format)
        if converted.lost:
            self.issue(
                f"the {what} holds {', '.join(converted.lost)}, which Markdown cannot hold: "
                "the original HTML is kept as a comment",
                "html",
            )
            self.comments.append(f"original HTML of the {what}:")
            self.comments.extend(original.splitlines() or [""])
        return converted.text

    def field_markdown(self, tag: str, what: str) -> str:
        return self.markdown(self.child(tag), what)

    def question_text(self) -> tuple[str, LiftedCode | None]:
        """The question text as Markdown, its code lifted out (and the title's heading)."""
        element = self.child("questiontext")
        raw, text_format = self.raw_html(element)
        raw += self.legacy_image()
        if text_format not in text.HTML_FORMATS:
            return _markdown_code(self.markdown(element, "question text", raw), text_format)
        html = text.drop_heading(text.plain_blocks(raw), self.name)
        lifted = text.lift(html)
        prompt = self.markdown(element, "question text", lifted.rest if lifted else html)
        return prompt, lifted

    def legacy_image(self) -> str:
        """Moodle 1.9's ``<image>`` + ``<image_base64>``, which Moodle still reads as an image
        after the question text (``format_xml::import_headers``): the same here, as media."""
        name, data = self.plain("image"), "".join(self.plain("image_base64").split())
        if not (name and data):
            if name or data:
                self.issue("an old-style <image> without its <image_base64> is left out", "lost")
            return ""
        try:
            decoded = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.issue(f"the old-style image {name!r} is not valid base64: left out", "lost")
            return ""
        stored = files.store(self.bank.media, name.replace("/", "_"), decoded)
        return f' <img src="{stored}" alt="">'

    def option_html(self, element: ET.Element, what: str) -> dict[str, str]:
        """A multichoice answer or matching subquestion: `code` when it is one code block,
        else `text` (Markdown)."""
        raw, text_format = self.raw_html(element)
        block = text.only_block(raw) if text_format in text.HTML_FORMATS else None
        if block is not None:
            return {"code": block}
        return {"text": self.markdown(element, what, raw)}


def _markdown_code(prompt: str, text_format: str) -> tuple[str, LiftedCode | None]:
    """A Markdown question text's one fenced block lifted into `code`, as the GIFT importer
    lifts it (and as an HTML text's `<pre>`); other plain formats have no fences."""
    fenced = lift_fence(prompt) if text_format == "markdown" else None
    if fenced is None:
        return prompt, None
    rest, code, language = fenced
    return rest.strip(), LiftedCode(rest.strip(), code, language)


def _format(element: ET.Element | None) -> str:
    return (element.get("format", "html") if element is not None else "html").strip() or "html"


__all__ = ["FALSE_WORDS", "Reading", "Source"]
