"""Shared rendering helpers: the Markdown fast path must agree with markdown-it exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qbank.exporters.rich import _FAST_RE, code_html, inline_html, markdown_html

MD = MarkdownIt("commonmark", {"html": False})
PIECES = st.sampled_from(
    ["a", "Z", "9", " ", "  ", "*", "**", "`", "x`y", ",", ".", ":", "(", ")", "'", '"', "!",
     "[", "]", "&", "<", ">", "\\", "_", "#", "-", "1.", "~", "=", "{", "}", "|", "\n"]
)  # fmt: skip


@settings(max_examples=1500)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_fast_path_renders_like_markdown_it(text: str) -> None:
    """Whatever the fast path accepts, it renders exactly as markdown-it does."""
    assert markdown_html(text) == MD.render(text).rstrip("\n")


def test_fast_path_covers_typical_prompts() -> None:
    """Plain prompts with code spans and bold words take the fast path."""
    assert _FAST_RE.fullmatch("Which line adds `cleanup` as a **background** task?")


def test_inline_and_code() -> None:
    """One paragraph loses its `<p>`; code is escaped, never interpreted."""
    assert inline_html("`<int>` & *x*") == "<code>&lt;int&gt;</code> &amp; <em>x</em>"
    assert inline_html("a\n\nb") == "<p>a</p>\n<p>b</p>"
    assert code_html("if a < b:\n    pass\n", "python") == (
        '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>'
    )
