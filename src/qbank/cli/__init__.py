"""The `qbank` command: the only place that prints, and turns outcomes into exit codes.

Exit codes: 0 no problems, 1 problems found, 2 usage error, 130 interrupted.

``import qbank.cli`` loads click and this group only: each command lives in its own module,
imported when it is asked for (or listed by ``--help``), and each command imports the
library inside its body. So ``qbank --help`` never loads the model, the runner or an exporter.

- :mod:`~qbank.cli.common`: exit codes, the validation flags, errors → exit codes;
- :mod:`~qbank.cli.validate`, :mod:`~qbank.cli.export` (`export` and `formats`),
  :mod:`~qbank.cli.import_` (`import`), :mod:`~qbank.cli.preview` (`preview`, the HTML
  page in a temporary folder), :mod:`~qbank.cli.schema`: one module per command;
- :mod:`~qbank.cli.junit`: the JUnit XML report of `validate --junit-xml`.
"""

from __future__ import annotations

import gc
import importlib

import click

from qbank._version import __version__

#: Command name -> "module:attribute" that defines it.
COMMANDS = {
    "validate": "qbank.cli.validate:validate",
    "export": "qbank.cli.export:export",
    "formats": "qbank.cli.export:formats",
    "import": "qbank.cli.import_:import_",
    "preview": "qbank.cli.preview:preview",
    "schema": "qbank.cli.schema:schema",
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qbank")
def main() -> None:
    """Author banks of code-based quiz questions, prove them by running them, export them."""
    # A short command that builds many objects and frees few (a cached bank of 10,000
    # questions is 10,000 model instances): with the default gen-0 threshold of 700 the
    # cyclic collector runs thousands of times for nothing (0.1 s of 1 s, measured). The
    # library leaves the collector as the host program set it; only the command tunes it.
    gc.set_threshold(100_000, 1_000, 1_000)


if __name__ == "__main__":  # pragma: no cover
    main()
