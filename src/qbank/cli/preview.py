"""`qbank preview`: validate, build the self-grading HTML pages into a temporary folder, and
say where they are (or open them).

It is `qbank export -f html` into a fresh folder (``qbank-preview-…`` in the system's
temporary folder, kept for the browser to read; the system clears it), with the same flags
and the same refusal of banks that fail validation. With several banks it also writes an
``index.html`` linking their pages; ``--open`` opens that (or the only page) in the default
web browser, when the machine has one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qbank.cli.common import EXIT_OK, guarded, validation_options
from qbank.cli.export import _ALLOW_INVALID, _TAGS

if TYPE_CHECKING:
    from qbank.exporting import ExportResult
    from qbank.options import Options


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--open", "open_page", is_flag=True, help="Open the page in a web browser, if there is one."
)
@_TAGS
@_ALLOW_INVALID
@validation_options
def preview(
    paths: tuple[str, ...],
    open_page: bool,
    tags: tuple[str, ...],
    allow_invalid: bool,
    validation: Options,
    strict: bool,
) -> None:
    """Validate the banks under PATHS (default: banks/), build their self-grading HTML pages
    into a temporary folder and print where each page is."""
    import shutil
    import tempfile

    from qbank.exporting import export as run_export

    folder = Path(tempfile.mkdtemp(prefix="qbank-preview-"))
    wanted = [t.strip() for group in tags for t in group.split(",") if t.strip()]
    try:
        result = guarded(
            lambda: run_export(
                paths or ("banks",),
                "html",
                folder,
                tags=wanted or None,
                allow_invalid=allow_invalid,
                strict=strict,
                validation=validation,
            )
        )
    except SystemExit:
        shutil.rmtree(folder, ignore_errors=True)  # nothing was built
        raise
    _problems(result, allow_invalid)
    target = _pages(result, folder)
    click.echo(f"{len(result.files)} page(s) built in {folder}", err=True)
    if open_page:
        _open(target)
    sys.exit(EXIT_OK)


def _problems(result: ExportResult, allow_invalid: bool) -> None:
    """The warnings, as `qbank export` prints them (and the errors built anyway)."""
    shown = set(result.warnings)
    if allow_invalid:
        shown |= {p for p in result.report.problems if p.severity == "error"}
    for problem in sorted(shown):
        click.echo(problem.format())


def _pages(result: ExportResult, folder: Path) -> Path:
    """Print each page's path; write and print an index when there are several. The page
    to open: the index, or the only page."""
    from qbank.exporters.html.index import INDEX, index_page

    for path in result.files:
        click.echo(str(path))
    if len(result.files) == 1:
        return result.files[0]
    titles = {b.id: b.bank.title or b.id for b in result.report.collection}
    links = [
        (titles.get(path.relative_to(folder).with_suffix("").as_posix(), path.stem), path)
        for path in result.files
    ]
    index = folder / INDEX
    pages = [(title, path.relative_to(folder).as_posix()) for title, path in links]
    index.write_text(index_page(pages), encoding="utf-8")
    click.echo(str(index))
    return index


def _open(page: Path) -> None:
    import webbrowser

    if not webbrowser.open(page.resolve().as_uri()):
        click.echo(f"qbank: no web browser to open it here: open {page} yourself", err=True)


__all__ = ["preview"]
