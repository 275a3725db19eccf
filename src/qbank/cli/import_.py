"""`qbank import`: legacy banks (GIFT, Moodle XML, qbank JSON, ...) as YAML banks."""

from __future__ import annotations

import sys

import click

from qbank.cli.common import EXIT_OK, EXIT_PROBLEMS, guarded


@click.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option(
    "--from",
    "fmt",
    metavar="FORMAT",
    help="The sources' format (gift, moodle, json, ...); default: guessed from each file.",
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder the banks are written in (one per source category).",
)
@click.option(
    "--infer",
    is_flag=True,
    help="Make 'what does this print?' items output questions (and code-line items "
    "code_choice ones, when clear), so that `qbank validate` checks their keys.",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--strict", is_flag=True, help="Exit with 1 when the import reports warnings.")
def import_(
    sources: tuple[str, ...], fmt: str | None, out: str, infer: bool, force: bool, strict: bool
) -> None:
    """Import the legacy banks SOURCES as YAML banks in the folder OUTPUT.

    What the banks cannot hold is reported as `source:line: warning: ... [import-kind]` and
    kept as a comment in the bank. Then `qbank validate OUTPUT` audits the imported keys.
    """
    from qbank.importers.pipeline import import_banks

    report = guarded(lambda: import_banks(list(sources), out, format=fmt, infer=infer, force=force))
    for issue in report.issues:
        click.echo(issue.format())
    click.echo(report.summary(out), err=True)
    sys.exit(EXIT_PROBLEMS if strict and report.issues else EXIT_OK)


__all__ = ["import_"]
