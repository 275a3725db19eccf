"""Languages other than Python: a backend per language (DESIGN section 13).

``language:`` (bank or question) names one; Python is qbank's own path (compiled here, run
in the warm workers). :func:`backend_for` gives a question's backend, None for Python and
for a language qbank does not run (its snippets are shown and highlighted, not proven).
See :mod:`qbank.languages.base` for what a backend does, ``docs/languages.md`` for authors.
"""

from __future__ import annotations

import functools

from qbank.languages.base import Backend, Joined, Toolchain
from qbank.languages.bash import BashBackend
from qbank.languages.c import CBackend
from qbank.languages.javascript import JavascriptBackend
from qbank.languages.sql import SqlBackend
from qbank.model import Bank, QuestionBase
from qbank.model.base import RUN_LANGUAGES
from qbank.model.snippets import PYTHON

BACKENDS: tuple[type[Backend], ...] = (JavascriptBackend, SqlBackend, BashBackend, CBackend)
"""Every backend, in the order the docs list them."""


@functools.cache
def _backends() -> dict[str, Backend]:
    found: dict[str, Backend] = {}
    for kind in BACKENDS:
        backend = kind()
        for name in (kind.name, *kind.aliases):
            found[name] = backend
    return found


def backend(language: str) -> Backend | None:
    """The backend of `language` (any case, any alias), None for Python or an unknown one."""
    return _backends().get(language.strip().lower())


def backend_for(bank: Bank, question: QuestionBase) -> Backend | None:
    """The backend that runs `question`'s snippets (None: Python, or not run)."""
    return backend(question.language or bank.language)


def toolchain_key(bank: Bank) -> str:
    """The toolchains the bank's questions use, with their versions (part of the key of
    its cached static checks: a new compiler checks again)."""
    used = {b.name: b for q in bank.questions if (b := backend_for(bank, q)) is not None}
    return ";".join(f"{name}={used[name].toolchain.version}" for name in sorted(used))


__all__ = [
    "BACKENDS",
    "PYTHON",
    "RUN_LANGUAGES",
    "Backend",
    "Joined",
    "Toolchain",
    "backend",
    "backend_for",
    "toolchain_key",
]
