"""What every command shares: exit codes, the validation flags, and errors → exit codes.

This is the one place where an exception becomes a message and an exit status, so that
`validate`, `export` and every later command fail the same way for the same cause.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

T = TypeVar("T")


def fail(message: str, status: int = EXIT_PROBLEMS) -> NoReturn:
    """Print `qbank: error: message` on stderr and exit."""
    click.echo(f"qbank: error: {message}", err=True)
    sys.exit(status)


def guarded(action: Callable[[], T]) -> T:
    """Run `action`; turn qbank's exceptions into a message and an exit status.

    An unknown exporter or importer (or a source whose format cannot be told) is a usage
    error (2); a refused export lists its problems (stdout, like `validate`) then says why
    (1); any other qbank error is one line (1); Ctrl-C is 130.
    """
    from qbank.errors import ExporterNotFound, ExportRefused, ImporterNotFound, QbankError

    try:
        return action()
    except (ExporterNotFound, ImporterNotFound) as exc:
        fail(str(exc), EXIT_USAGE)
    except ExportRefused as exc:
        for problem in sorted(exc.problems):
            click.echo(problem.format())
        fail(str(exc).splitlines()[0])
    except QbankError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        # The runner has already stopped every worker and run; the cache is written in
        # transactions, so nothing is left half-done.
        click.echo("qbank: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _parse_limits(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, float]:
    from qbank.model import LIMIT_NAMES, parse_size

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


_FLAGS = [
    click.option("--no-exec", is_flag=True, help="Static checks only; run no code."),
    click.option(
        "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
    ),
    click.option("--python", "python", metavar="PATH", help="Interpreter that runs the snippets."),
    click.option(
        "--isolation",
        type=click.Choice(["fork", "subprocess"]),
        default="fork",
        show_default=True,
        help="Warm forked workers, or a fresh interpreter per run.",
    ),
    click.option("--no-cache", is_flag=True, help="Run everything again; ignore .qbank_cache/."),
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


def validation_options(function: Any) -> Any:
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
        from qbank.options import Options

        validation = Options(
            execute=not no_exec,
            jobs=jobs,
            python=python,
            isolation=isolation,
            cache=not no_cache,
            limits=limits,
        )
        return function(*args, validation=validation, **kwargs)

    for option in reversed(_FLAGS):
        with_options = option(with_options)
    return with_options
