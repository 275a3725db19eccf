"""JavaScript: ``setup``, ``code`` and ``run`` one CommonJS script, run by ``node``;
checked with ``node --check``. ``console.log`` writes stdout; an uncaught exception exits
with status 1 (its stack on stderr); ``process.exit(n)`` exits with n."""

from __future__ import annotations

import re

from qbank.languages.base import Backend, Joined, Toolchain, find_programs
from qbank.languages.driver import driver
from qbank.languages.tools import Diagnostic, limit_diagnostic, run_tool

FILE = ".qbank-program.js"
_WHERE = re.compile(r"^.*\.qbank-program\.js:(\d+)$")
_ERROR = re.compile(r"^(\w*Error): (.*)$")


class JavascriptBackend(Backend):
    name = "javascript"
    aliases = ("js", "node", "nodejs")
    install = "apt-get install nodejs"

    def find_toolchain(self) -> Toolchain:
        return find_programs(("node",), ("--version",), self.install)

    def diagnose(self, joined: Joined) -> list[Diagnostic]:
        (node,) = self.toolchain.paths
        done = run_tool([node, "--check", FILE], {FILE: joined.text})
        if done.status is None:
            return [limit_diagnostic("node --check", done)]
        if done.status == 0:
            return []
        line, message = 1, ""
        for text in done.stderr.splitlines():
            where, error = _WHERE.match(text), _ERROR.match(text)
            if where and line == 1:
                line = int(where.group(1))
            if error and not message:
                message = f"{error.group(1)}: {error.group(2)}"
        return [Diagnostic(line, message or done.stderr.strip()[:300] or "node --check failed")]

    def driver(self, joined: Joined) -> str:
        (node,) = self.toolchain.paths
        return driver(self.name, self.toolchain.version, joined.text, FILE, [node, FILE])


__all__ = ["JavascriptBackend"]
