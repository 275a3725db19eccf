"""The language registry: the names the model knows are the backends' names."""

from __future__ import annotations

from qbank.languages import BACKENDS, backend
from qbank.model.snippets import OTHER_LANGUAGES, PYTHON


def test_the_model_knows_every_backend_name_and_alias() -> None:
    names = {name for kind in BACKENDS for name in (kind.name, *kind.aliases)}
    assert names == OTHER_LANGUAGES
    assert not names & PYTHON


def test_a_name_finds_its_backend_in_any_case() -> None:
    js = backend("javascript")
    assert js is not None and backend(" JS ") is js and backend("node") is js
    assert backend("python") is None and backend("rust") is None


def test_the_schema_lists_the_languages_qbank_runs() -> None:
    from qbank.model.base import LANGUAGE_SCHEMA, RUN_LANGUAGES

    assert ("python", *(kind.name for kind in BACKENDS)) == RUN_LANGUAGES
    assert LANGUAGE_SCHEMA["anyOf"][0] == {"enum": list(RUN_LANGUAGES)}


def test_an_alias_is_highlighted_as_its_language() -> None:
    """`node` and `sqlite3` are JavaScript and SQL to the exporters (Pygments alone knows
    neither as such: plain text, and the SQLite console lexer)."""
    from qbank.exporters.highlight import highlight

    assert highlight("SELECT 1;", "sqlite3") == highlight("SELECT 1;", "sql")
    assert highlight("let a = 1;", "node") == highlight("let a = 1;", "javascript")
    assert highlight("let a = 1;", "node") != highlight("let a = 1;", "text")
