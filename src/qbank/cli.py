"""The `qbank` command. The only place that prints, and turns outcomes into exit codes.

Exit codes: 0 no problems, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from qbank import __version__

if TYPE_CHECKING:
    from qbank.validate import Options

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qbank")
def main() -> None:
    """Author banks of code-based quiz questions, prove them by running them, export them."""


LIMIT_NAMES = ("timeout", "memory", "output_limit", "file_limit")


def _parse_limits(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, float]:
    from qbank.model import parse_size

    limits: dict[str, float] = {}
    for item in values:
        name, _, raw = item.partition("=")
        name = name.strip().replace("-", "_")
        if name not in LIMIT_NAMES or not raw.strip():
            raise click.BadParameter(
                f"{item!r}: write NAME=VALUE with NAME one of {', '.join(LIMIT_NAMES)}"
            )
        try:
            value = float(raw) if name == "timeout" else parse_size(raw.strip())
        except ValueError as exc:
            raise click.BadParameter(f"{item!r}: {exc}") from None
        if not isinstance(value, int | float) or value <= 0:
            raise click.BadParameter(f"{item!r}: the value must be positive")
        limits[name] = value
    return limits


def _validation_options(function: Any) -> Any:
    """The flags `validate` and `export` share; the command receives them as one
    `validation: Options` (plus `strict`)."""

    @functools.wraps(function)
    def with_options(
        *args: Any,
        no_exec: bool,
        jobs: int | None,
        python: str | None,
        isolation: str,
        no_cache: bool,
        limits: dict[str, float],
        **kwargs: Any,
    ) -> Any:
        from qbank.validate import Options

        validation = Options(
            execute=not no_exec,
            jobs=jobs,
            python=python,
            isolation=isolation,
            cache=not no_cache,
            limits=limits,
        )
        return function(*args, validation=validation, **kwargs)

    options = [
        click.option("--no-exec", is_flag=True, help="Static checks only; run no code."),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            help="Worker processes (default: one per core).",
        ),
        click.option(
            "--python", "python", metavar="PATH", help="Interpreter that runs the snippets."
        ),
        click.option(
            "--isolation",
            type=click.Choice(["fork", "subprocess"]),
            default="fork",
            show_default=True,
            help="Warm forked workers, or a fresh interpreter per run.",
        ),
        click.option(
            "--no-cache", is_flag=True, help="Run everything again; ignore .qbank_cache/."
        ),
        click.option("--strict", is_flag=True, help="Treat warnings as errors."),
        click.option(
            "--limit",
            "limits",
            multiple=True,
            metavar="NAME=VALUE",
            callback=_parse_limits,
            help="Default limit of runs whose question and bank set none (repeatable): "
            "timeout=SECONDS (10), memory=SIZE (1GiB), output_limit=SIZE (1MiB), "
            "file_limit=SIZE (64MiB).",
        ),
    ]
    for option in reversed(options):
        with_options = option(with_options)
    return with_options


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_validation_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--junit-xml", type=click.Path(dir_okay=False), help="Also write a JUnit XML report.")
@click.option("-v", "--verbose", is_flag=True, help="Also list each question's state.")
def validate(
    paths: tuple[str, ...],
    validation: Options,
    strict: bool,
    fmt: str,
    junit_xml: str | None,
    verbose: bool,
) -> None:
    """Check the banks under PATHS (default: banks/) and prove their answers by running them."""
    from qbank.validate import validate as run_validation

    with _progress_bar(enabled=fmt == "text") as progress:
        options = dataclasses.replace(validation, progress=progress)
        report = _guarded(lambda: run_validation(paths or ("banks",), options))
    if junit_xml:
        from qbank.junit import write_junit

        write_junit(report, junit_xml)
    failed = not report.ok or (strict and bool(report.problems))
    if fmt == "json":
        data = report.to_dict()
        data["ok"] = not failed  # with --strict, warnings fail too
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    else:
        _print_text(report, verbose)
        if failed and report.ok:
            click.echo("qbank: warnings are errors with --strict", err=True)
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long runs (only on a terminal; updates after 1 s)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label="running", file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _print_text(report: Any, verbose: bool) -> None:
    for problem in sorted(report.problems):
        click.echo(problem.format())
    if verbose:
        for result in sorted(report.results.values(), key=lambda r: (r.path, r.line)):
            extra = " (cached)" if result.from_cache else ""
            click.echo(f"{result.path}:{result.line}: {result.question}: {result.state}{extra}")
            if result.computed_answer is not None:
                click.echo(f"    output: {result.computed_answer!r}")
    environment = report.environment
    counts = report.counts()
    if environment.get("requires") and counts["options proven"] + counts["run proven"]:
        versions = ", ".join(f"{k} {v}" for k, v in sorted(environment["requires"].items()))
        click.echo(f"proven with {versions}", err=True)
    if "network_isolated" in environment:
        network = (
            "cut off" if environment["network_isolated"] else "NOT cut off (not permitted here)"
        )
        click.echo(f"runs: {environment['isolation']} isolation, network {network}", err=True)
    click.echo(report.summary(), err=True)


def _guarded(action: Any) -> Any:
    from qbank.errors import QbankError

    try:
        return action()
    except QbankError as exc:
        click.echo(f"qbank: error: {exc}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        # The runner has already stopped every worker and run; the cache is written in
        # transactions, so nothing is left half-done.
        click.echo("qbank: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


@main.command()
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


def _register_export_commands() -> None:
    """Add `qbank export` and `qbank formats`, which live in cli_export.py."""
    from qbank import cli_export

    main.add_command(cli_export.export)
    main.add_command(cli_export.formats)


_register_export_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
