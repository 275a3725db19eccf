"""The page itself: the template, its inlined stylesheet and script, its security policy.

Everything the page needs is inside it: ``page.css`` and Pygments' colours in one
``<style>``, ``marking.js`` and ``page.js`` in one ``<script>``, images as ``data:`` URIs.
Its Content-Security-Policy (a ``<meta>``, the first thing in ``<head>``) forbids loading
anything else: no request leaves the page, whether it is opened from ``file://`` or served.
The style and the script are allowed by their SHA-256 hashes, computed here from the very
text inlined, so an edited template (a project's override) is allowed too, and nothing else.

The assets are read through the template environment, so a project overrides them like any
template: ``exporters/templates/html/page.css``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from jinja2 import Environment
from markupsafe import Markup

from qbank.errors import ExportError
from qbank.exporters.display import plain_number
from qbank.exporters.html.style import token_colours
from qbank.exporters.html.views import Slot
from qbank.exporters.templating import environment

TEMPLATE = "html/page.html.j2"
STYLES = ("html/page.css",)
SCRIPTS = ("html/marking.js", "html/page.js")


def csp(style: str, script: str | None) -> str:
    """The page's policy: nothing loads but its own style, its own script (none when
    `script` is None) and ``data:`` images; no form is sent and no base URL changes where
    links point."""
    scripts = f"'{_hash(script)}'" if script is not None else "'none'"
    return (
        "default-src 'none'; img-src data:; "
        f"style-src '{_hash(style)}'; script-src {scripts}; "
        "base-uri 'none'; form-action 'none'"
    )


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _asset(env: Environment, name: str, closing: str) -> str:
    """A stylesheet or script as written (never rendered: its braces are not Jinja's)."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    if closing in source.lower():
        raise ExportError(f"{filename}: `{closing}` would end the page's element early")
    return source


def score_text(questions: Sequence[Slot]) -> str:
    """What the score says before any answer (the script keeps it up to date after): a
    question with variants counts once, whichever variant is shown."""
    marked = [slot.first for slot in questions if slot.first.marked]
    total = sum(q.points for q in marked)
    worth = f"{plain_number(round(total, 2))} point{'' if total == 1 else 's'}"
    return f"Score: 0 of {worth} · 0 of {len(marked)} questions answered"


def render(
    title: str,
    description: str,
    questions: Sequence[Slot],
    *,
    theme: str,
    template_dirs: Sequence[str] = (),
) -> str:
    """The page of one bank: one entry of `questions` per numbered question."""
    env = environment(template_dirs)
    # The page's own rules come last: they set the code blocks' background and border.
    style = token_colours() + "\n" + "\n".join(_asset(env, name, "</style") for name in STYLES)
    script = "\n".join(_asset(env, name, "</script") for name in SCRIPTS)
    page = env.get_template(TEMPLATE).render(
        title=title,
        description=Markup(description),
        questions=list(questions),
        theme=theme,
        score=score_text(questions),
        csp=csp(style, script),
        css=Markup(style),
        script=Markup(script),
    )
    return page.strip("\n") + "\n"


__all__ = ["SCRIPTS", "STYLES", "TEMPLATE", "csp", "render", "score_text"]
