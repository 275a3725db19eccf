"""A page linking several banks' pages (what ``qbank preview`` opens for a collection).

It is as self-contained as the pages: no script, its style allowed by hash, links relative
to the folder it is written in.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from qbank.exporters.html.page import csp

INDEX = "index.html"
_STYLE = (
    "body{font:1rem/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
    "@media (prefers-color-scheme:dark){body{background:#141519;color:#e6e6ea}a{color:#8ab4f8}}"
)


def index_page(pages: Sequence[tuple[str, str]]) -> str:
    """A list of links: (title, relative POSIX path of the page) each, in the order given."""
    items = "".join(
        f'<li><a href="{escape(path, quote=True)}">{escape(title)}</a></li>\n'
        for title, path in pages
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp(_STYLE, None)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>Question banks</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Question banks</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n"
    )


__all__ = ["INDEX", "index_page"]
