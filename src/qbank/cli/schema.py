"""`qbank schema`: the JSON Schema of a bank file, for editor completion."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout."
)
def schema(output: str | None) -> None:
    """Print the JSON Schema of a bank file (for editor completion)."""
    from qbank.schema import schema_text

    text = schema_text()
    if output:
        from qbank.fileio import write_atomic

        write_atomic(output, text.encode())
    else:
        click.echo(text, nl=False)
