"""The HTML helpers every importer shares: what counts as markup Markdown cannot hold."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from qbank.importers.html import escape_markdown, html_to_markdown, lift_code, lost_markup


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


def test_superscripts_and_subscripts_keep_their_meaning() -> None:
    """`2<sup>10</sup>` is not `210`: Unicode shows it, or `^(...)` when it cannot (reported,
    so the importer keeps the HTML as a comment); an underline becomes emphasis, reported."""
    html = "<p>What is 2<sup>10</sup>? (H<sub>2</sub>O, x<sub>n-1</sub>, <u>this</u>)</p>"
    assert html_to_markdown(html) == "What is 2¹⁰? (H₂O, xₙ₋₁, *this*)"
    assert lost_markup(html) == ["<u> (underline, written as emphasis)"]
    wide = "<p>2<sup>k + 1</sup> and a<sub>ij</sub></p>"
    assert html_to_markdown(wide) == "2^(k + 1) and a_(ij)"
    assert lost_markup(wide) == [
        "<sup> that Unicode cannot show (written as ^(...))",
        "<sub> that Unicode cannot show (written as _(...))",
    ]
    assert lost_markup("<ul><li>x</li></ul>") == []


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<p>What does this print?</p><pre>language = "en"\nprint(language)</pre>', None),
        ('<pre>slang_words = ["x"]\nprint(len(slang_words))</pre>', None),
        ("<pre>print(highlighted)</pre>", None),
        ('<pre class="language-python">x = 1</pre>', "python"),
        ("<pre><code class='lang-py'>x = 1</code></pre>", "py"),
        ('<pre class="brush: Python; gutter: false">x = 1</pre>', "python"),
        ("<pre class=highlight-go>x := 1</pre>", "go"),
    ],
)
def test_the_language_comes_only_from_the_classes(html: str, language: str | None) -> None:
    lifted = lift_code(html)
    assert lifted is not None
    assert lifted.language == language


def test_lifted_code_has_spaces_for_nbsp_indentation() -> None:
    """Editors indent with `&nbsp;`: U+00A0 in code is invalid to Python (a false audit
    error), so it is a space, in the lifted code and in a fence left in the prompt."""
    html = "<pre>for i in range(2):<br>&nbsp;&nbsp;&nbsp; print(i)</pre>"
    lifted = lift_code(html)
    assert lifted is not None
    assert lifted.code == "for i in range(2):\n    print(i)\n"
    assert "    print(i)" in html_to_markdown(html + html)
    assert "\xa0" not in html_to_markdown(html + html)


@pytest.mark.parametrize(
    ("html", "markdown"),
    [("2*3*4", "2\\*3\\*4"), ("<p>2*3*5</p>", "2\\*3\\*5"), ("plain_text here", "plain_text here")],
)
def test_tagless_text_is_escaped_as_converted_html_is(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


@pytest.mark.parametrize(
    "text",
    [
        "2*3*4",
        "__init__ and slang_words",
        "# not a heading\n> not a quote\n- not a list\n1. not a list\n10) nor this\n---",
        "[a](b) `x` <b> &amp; a\\b",
        "x_1 _y_ ***",
    ],
)
def test_escaped_plain_text_renders_as_written(text: str) -> None:
    """The helper for plain-text formats: what Markdown renders is the text itself."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": False}).render(escape_markdown(text))
    assert html_lib.unescape(re.sub(r"</?p>", "", rendered)).strip() == text
    assert escape_markdown("slang_words = 1\n#hashtag -x +1") == "slang_words = 1\n#hashtag -x +1"
