"""The HTML of a Canvas question, chosen for what Canvas's HTML sanitizer keeps.

Canvas cleans every imported text with ``CanvasSanitize::SANITIZE``
(``gems/canvas_sanitize/lib/canvas_sanitize/canvas_sanitize.rb``, read at commit
``ecc99ed9``; the QTI importer calls it in ``Qti::HtmlHelper#sanitize_html!``). It keeps
``pre``, ``code``, ``span``, ``p``, ``img``, ``h1`` to ``h6``, lists and tables; on *every*
element the ``class`` and ``style`` attributes; and inside ``style`` only the properties it
lists (``color``, ``background``, ``font``, ``border``, ``white-space``, …) and those its
patterns allow (``background-color``, ``font-weight``, ``font-style``, ``font-family``, …),
with values of letters, digits, ``#``, ``%``, ``.``, ``,``, ``-`` and parentheses. Canvas
ships no stylesheet for Pygments' token classes, so a class alone colours nothing: each
token ``<span>`` keeps its class (a theme may restyle it) **and** carries the light
theme's colours inline (``style="color: #008000; font-weight: bold"``), every property of
which the sanitizer keeps. Code is ``<pre class="highlight"><code class="language-…">``,
the language class telling qbank's importer (and any reader) what it is. This is the form
Moodle XML uses (:mod:`qbank.exporters.moodle.text`), so the rendering is shared.

Canvas replaces a question text longer than 16 KB with a notice
(``Importers::AssessmentQuestionImporter.prep_for_import``); inline colours make code about
ten times longer, so :data:`MAX_TEXT` is checked and a question over it is written with
plain code blocks instead (:func:`code` and :func:`markdown` with ``highlighted=False``).

Images point at ``$IMS-CC-FILEBASE$/media/<name>``: Canvas's link parser
(``CanvasLinkMigrator::LinkParser#parse_url``) reads the token, unescapes the rest and looks
the path up among the package's files, trying ``media/<name>`` then ``<name>``
(``LinkResolver#resolve_relative_file_url``); the files are listed in the manifest, which is
how QTIMigrationTool copies them (``Manifest.AddCPFile``).
"""

from __future__ import annotations

from urllib.parse import quote

from qbank.exporters.media import MediaFile
from qbank.exporters.moodle import text as moodle_text
from qbank.exporters.rich import code_html, inline_html, markdown_html

FILEBASE = "$IMS-CC-FILEBASE$/"
MEDIA_FOLDER = "media"
MAX_TEXT = 16 * 1024
"""Canvas's limit on a question text, in characters (``16.kilobytes``)."""


def media_path(item: MediaFile) -> str:
    """Where an image is kept in the package: ``media/<name>``."""
    return f"{MEDIA_FOLDER}/{item.name}"


def media_src(item: MediaFile) -> str:
    """How the HTML references an image of the package."""
    return FILEBASE + quote(media_path(item))


def markdown(text: str, language: str, *, compact: bool = False, highlighted: bool = True) -> str:
    """Markdown as Canvas HTML; code in `language` unless a fence says otherwise."""
    if not text.strip():
        return ""
    if highlighted:
        return moodle_text.markdown(text, language, compact=compact)
    return moodle_text.html_chars(inline_html(text) if compact else markdown_html(text))


def code(source: str, language: str | None, *, highlighted: bool = True) -> str:
    """A code block (a program's output when `language` is None: never highlighted)."""
    if highlighted:
        return moodle_text.code(source, language)
    return moodle_text.html_chars(code_html(source, language))


def plain(value: str) -> tuple[str, bool]:
    """Plain text without what XML 1.0 cannot hold; whether anything was left out."""
    return moodle_text.plain(value)


__all__ = [
    "FILEBASE",
    "MAX_TEXT",
    "MEDIA_FOLDER",
    "code",
    "markdown",
    "media_path",
    "media_src",
    "plain",
]
