"""Filling `{{ name }}` placeholders: strict, nothing of Jinja but names, an escape."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbank.model.templates import TemplateError, names_in, render_text, render_value


def test_names_are_filled_with_their_str() -> None:
    assert render_text("xs[{{ k }}:] of {{n}}", {"k": 2, "n": [1, 2]}) == "xs[2:] of [1, 2]"


def test_a_whole_placeholder_takes_the_value_itself() -> None:
    values = {"key": 3.5, "xs": [1, 2], "word": "a"}
    assert render_value("{{ key }}", values) == 3.5
    assert render_value(" {{ key }}", values) == " 3.5"  # not whole: text
    assert render_value(
        {"answer": "{{ key }}", "choices": ["{{ xs }}", "w={{ word }}"]}, values
    ) == {
        "answer": 3.5,
        "choices": [[1, 2], "w=a"],
    }
    assert render_value({"{{ word }}.txt": "x"}, values) == {"a.txt": "x"}
    assert render_value(7, values) == 7


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{{ n + 1 }}", "only `{{ name }}` is filled"),
        ("{{ n | upper }}", "only `{{ name }}` is filled"),
        ("{{ }}", "only `{{ name }}` is filled"),
        ("{{ m }}", "`params` does not define `m` (it defines `n`)"),
    ],
)
def test_what_is_not_a_defined_name_is_an_error(text: str, said: str) -> None:
    with pytest.raises(TemplateError, match=re.escape(said)):
        render_text(text, {"n": 1})


def test_escape_writes_a_literal_brace_pair() -> None:
    code = 'print(f"\\{{x}} is {x}")  # {{ n }}'
    assert render_text(code, {"n": 1}) == 'print(f"{{x}} is {x}")  # 1'
    assert names_in(code) == ["n"]


def test_names_in_lists_each_once() -> None:
    assert names_in("{{ a }} {{b}} {{ a }}") == ["a", "b"]
    with pytest.raises(TemplateError):
        names_in("{{ a.b }}")


@given(st.text(st.characters(blacklist_characters="{}\\"), max_size=30))
def test_text_without_braces_is_unchanged(text: str) -> None:
    assert render_text(text, {}) == text
    assert render_value(text, {}) == text
