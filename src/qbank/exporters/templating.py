"""The one factory of Jinja2 environments used by the exporters.

Built-in templates live in ``qbank/templates/``; a bank project may override any of them by
putting a file of the same relative name in its ``exporters/templates/`` folder, which is
searched first. Undefined variables are errors (``StrictUndefined``); autoescaping is on only
for HTML and XML templates, never for Markdown or plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jinja2

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_AUTOESCAPE = ("html", "htm", "xml", "html.j2", "xml.j2")


def environment(override_dirs: Sequence[str] = ()) -> jinja2.Environment:
    """A Jinja2 environment searching `override_dirs` first, then the built-in templates."""
    return _environment(tuple(str(d) for d in override_dirs))


@lru_cache(maxsize=16)
def _environment(override_dirs: tuple[str, ...]) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([*override_dirs, str(BUILTIN_TEMPLATES)])
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(_AUTOESCAPE, default_for_string=False),
        keep_trailing_newline=True,
        auto_reload=False,  # one export never sees a template change; saves a stat per include
        trim_blocks=True,
        lstrip_blocks=True,
    )


__all__ = ["BUILTIN_TEMPLATES", "environment"]
