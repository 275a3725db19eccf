"""The HTML helpers every importer shares: what counts as markup Markdown cannot hold."""

from __future__ import annotations

import pytest

from qbank.importers.html import html_to_markdown, lost_markup


@pytest.mark.parametrize(
    "html",
    [
        # Moodle's Atto/TinyMCE and Canvas's editor put these on every paragraph.
        '<p dir="ltr" style="text-align: left;">1<br></p>',
        "<p style='TEXT-ALIGN:start'>x</p>",
        '<p style="direction: ltr; text-align: left">x</p>',
        "<p>plain <strong>bold</strong></p>",
    ],
)
def test_editor_noise_is_not_reported_as_lost(html: str) -> None:
    assert lost_markup(html) == []


@pytest.mark.parametrize(
    ("html", "lost"),
    [
        ('<span style="color: red">x</span>', ["inline styles (colours, sizes)"]),
        ('<p style="text-align: left; font-size: 2em">x</p>', ["inline styles (colours, sizes)"]),
        ("<p style=text-align:center>x</p>", ["inline styles (colours, sizes)"]),
        ('<font color="red">x</font>', ["inline styles (colours, sizes)"]),
        ("<table><tr><td>1</td></tr></table>", ["<table>"]),
        ("<script>alert(1)</script>", ["<script>"]),
    ],
)
def test_markup_markdown_cannot_hold_is_named(html: str, lost: list[str]) -> None:
    assert lost_markup(html) == lost


def test_markdown_keeps_text_and_code_language() -> None:
    markdown = html_to_markdown(
        '<p>What does <em>this</em> print?</p><pre><code class="language-python">'
        "print(1)</code></pre>"
    )
    assert "What does *this* print?" in markdown
    assert "```python\nprint(1)\n```" in markdown


def test_blank_lines_of_code_are_kept_and_others_collapsed() -> None:
    markdown = html_to_markdown(
        "<p>a</p>\n\n\n\n<p>b</p><pre><code>x = 1\n\n\n\ny = 2</code></pre><p>c</p>"
    )
    assert markdown == "a\n\nb\n\n```\nx = 1\n\n\n\ny = 2\n```\n\nc"
