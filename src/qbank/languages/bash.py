"""Bash: ``setup``, ``code`` and ``run`` one script, run by ``bash`` (no profile, no rc);
checked with ``bash -n``. Its exit status is the script's (the last command's, unless it
exits): write ``set -e`` in `setup` to stop at the first failing command."""

from __future__ import annotations

import re

from qbank.languages.base import Backend, Joined, Toolchain, find_programs
from qbank.languages.driver import driver
from qbank.languages.tools import Diagnostic, limit_diagnostic, run_tool

FILE = ".qbank-program.sh"
_LINE = re.compile(r"^[^:]*: line (\d+): (.*)$")


class BashBackend(Backend):
    name = "bash"
    aliases = ("sh", "shell")
    install = "apt-get install bash"

    def find_toolchain(self) -> Toolchain:
        return find_programs(("bash",), ("--version",), self.install)

    def diagnose(self, joined: Joined) -> list[Diagnostic]:
        (bash,) = self.toolchain.paths
        done = run_tool([bash, "--noprofile", "--norc", "-n", FILE], {FILE: joined.text})
        if done.status is None:
            return [limit_diagnostic("bash -n", done)]
        found = []
        for line in done.stderr.splitlines():
            match = _LINE.match(line)
            if match and not match.group(2).startswith("`"):  # the second line quotes the code
                found.append(Diagnostic(int(match.group(1)), match.group(2)))
        if done.status != 0 and not found:
            found.append(Diagnostic(1, done.stderr.strip() or "bash -n failed"))
        return found

    def driver(self, joined: Joined) -> str:
        (bash,) = self.toolchain.paths
        version = self.toolchain.version
        return driver(self.name, version, joined.text, FILE, [bash, "--noprofile", "--norc", FILE])


__all__ = ["BashBackend"]
