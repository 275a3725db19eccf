"""`qbank export` (validate, then write through an exporter) and `qbank formats`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from qbank.cli.common import EXIT_OK, guarded, validation_options

if TYPE_CHECKING:
    from qbank.options import Options


_FORMAT = click.option(
    "-f",
    "--format",
    "fmt",
    required=True,
    metavar="FORMAT",
    help="A format from `qbank formats`, or `all` (each into a subfolder of -o).",
)
_OUTPUT = click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(),
    help="A folder (one file per bank: <out>/<bank-id>.<ext>), or a file named with the "
    "format's extension (one file: the whole collection, or the only bank).",
)
_TAGS = click.option(
    "--tags",
    multiple=True,
    metavar="TAG[,TAG]",
    help="Export only questions with one of these tags (repeatable, comma-separated).",
)
_ALLOW_INVALID = click.option(
    "--allow-invalid", is_flag=True, help="Export even if validation finds errors."
)


_VARIANTS = click.option(
    "--variants",
    type=click.Choice(["first", "all"]),
    default="first",
    show_default=True,
    help="What formats that cannot draw a question's variants at random (Anki, Markdown) "
    "get of them; Moodle, GIFT, QTI and the page always get all, grouped.",
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_FORMAT
@_OUTPUT
@_TAGS
@_ALLOW_INVALID
@_VARIANTS
@validation_options
def export(
    paths: tuple[str, ...],
    fmt: str,
    out: str,
    tags: tuple[str, ...],
    allow_invalid: bool,
    variants: Literal["first", "all"],
    validation: Options,
    strict: bool,
) -> None:
    """Validate the banks under PATHS (default: banks/), then export them to FORMAT."""
    from qbank.exporting import export as run_export

    wanted = [t.strip() for group in tags for t in group.split(",") if t.strip()]
    result = guarded(
        lambda: run_export(
            paths or ("banks",),
            fmt,
            out,
            tags=wanted or None,
            allow_invalid=allow_invalid,
            strict=strict,
            validation=validation,
            variants=variants,
        )
    )
    shown = set(result.warnings)
    if allow_invalid:  # exported anyway: the errors are still said
        shown |= {p for p in result.report.problems if p.severity == "error"}
    for problem in sorted(shown):
        click.echo(problem.format())
    for name, reason in sorted(result.skipped.items()):
        click.echo(f"qbank: warning: format `{name}` skipped: {reason}", err=True)
    click.echo(f"{len(result.files)} file(s) written to {out}", err=True)
    sys.exit(EXIT_OK)


@click.command()
def formats() -> None:
    """List the export formats: name, extension, files written, description."""
    from qbank.exporters import load_all
    from qbank.loading import project_root

    rows = []
    for name, loaded in load_all(project_root(Path.cwd() / "_")).items():
        if isinstance(loaded, Exception):
            rows.append((name, "-", "unavailable", str(loaded).splitlines()[0]))
            continue
        files = "collection" if loaded.collection_file else "per bank"
        rows.append((name, loaded.file_extension, files, loaded.description))
    width = [max(len(row[i]) for row in rows) if rows else 0 for i in range(3)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        )


__all__ = ["export", "formats"]
