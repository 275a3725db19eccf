"""`qbank validate`: check banks, prove them by running them, print the report."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from qbank.cli.common import EXIT_OK, EXIT_PROBLEMS, guarded, validation_options

if TYPE_CHECKING:
    from qbank.options import Options
    from qbank.report import Report, VariantSet


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@validation_options
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
    from qbank.validation import validate as run_validation

    with _progress_bar(enabled=fmt == "text") as progress:
        options = dataclasses.replace(validation, progress=progress)
        report = guarded(lambda: run_validation(paths or ("banks",), options))
    if junit_xml:
        from qbank.cli.junit import write_junit

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


def _print_variant_set(variants: VariantSet) -> None:
    """A question's variants, R/exams-style: how many, where the keys fell, each one's values."""
    spread = variants.to_dict()["key_spread"]
    assert isinstance(spread, dict)
    keys = variants.to_dict()["distinct_keys"]
    said = f"{len(variants.variants)} of {variants.requested} variants, {keys} distinct key(s)"
    if spread:
        places = ", ".join(f"{place}: {count}" for place, count in spread.items())
        shuffled = " (platforms shuffle the options)" if variants.shuffle else ""
        said += f"; key places (authored order) {places}{shuffled}"
    click.echo(f"{variants.path}:{variants.line}: {variants.question}: {said}")
    for variant in variants.variants:
        values = ", ".join(f"{name}={value}" for name, value in variant.params.items())
        where = f", key at {','.join(map(str, variant.key_positions))}"
        key = f": key {variant.key!r}" if variant.key is not None else ""
        click.echo(
            f"    {variant.question} ({values}){key}{where if variant.key_positions else ''}"
        )


def _print_text(report: Report, verbose: bool) -> None:
    for problem in sorted(report.problems):
        click.echo(problem.format())
    if verbose:
        for result in sorted(report.results.values(), key=lambda r: (r.path, r.line)):
            extra = " (cached)" if result.from_cache else ""
            click.echo(f"{result.path}:{result.line}: {result.question}: {result.state}{extra}")
            if result.computed_answer is not None:
                click.echo(f"    output: {result.computed_answer!r}")
        for variants in report.variants:
            _print_variant_set(variants)
    for result in sorted(report.results.values(), key=lambda r: (r.path, r.line)):
        if result.state == "skipped":  # not a problem: information, beside the summary
            click.echo(f"{result.path}:{result.line}: {result.question}: skipped: "
                       f"{result.reason}", err=True)  # fmt: skip
    environment = report.environment
    counts = report.counts()
    proven = counts["options proven"] + counts["run proven"]
    if environment is not None and environment.requires and proven:
        versions = ", ".join(f"{k} {v}" for k, v in sorted(environment.requires.items()))
        click.echo(f"proven with {versions}", err=True)
    if environment is not None and environment.network_isolated is not None:
        network = "cut off" if environment.network_isolated else "NOT cut off (not permitted here)"
        click.echo(f"runs: {environment.isolation} isolation, network {network}", err=True)
    click.echo(report.summary(), err=True)
