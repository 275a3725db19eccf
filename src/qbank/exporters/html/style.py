"""The page's stylesheet: its own CSS, then Pygments' token colours for light and dark.

The light colours (Pygments' ``default`` style) apply everywhere, print included; the dark
ones (``monokai``) only on screen, when the system prefers dark and the learner did not pick
light, or when the learner picked dark (``data-theme`` on ``<html>``). Without Pygments the
page's code is plain and needs no token colours.
"""

from __future__ import annotations

SCOPE = ".highlight"
AUTO_DARK = ':root:not([data-theme="light"])'
PICKED_DARK = ':root[data-theme="dark"]'
_RESET = (
    " { color: inherit; background: none; font-weight: inherit; font-style: inherit;"
    " border: none; }"
)


def token_colours() -> str:
    """Pygments CSS: the light theme, and the dark one in the media blocks that choose it."""
    try:
        from pygments.formatters import HtmlFormatter

        from qbank.exporters.highlight import DARK_STYLE, LIGHT_STYLE
    except ImportError:  # no Pygments: no token spans either
        return ""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(SCOPE)  # type: ignore[no-untyped-call]  # untyped in types-Pygments
    blocks = [light]
    for media, selector in (
        ("screen and (prefers-color-scheme: dark)", AUTO_DARK),
        ("screen", PICKED_DARK),
    ):
        scope = f"{selector} {SCOPE}"
        dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(scope)  # type: ignore[no-untyped-call]  # untyped in types-Pygments
        # Tokens the dark theme leaves unstyled must not keep the light theme's colours.
        blocks.append(f"@media {media} {{\n{scope} span{_RESET}\n{dark}\n}}")
    return "\n".join(blocks)


__all__ = ["token_colours"]
