"""JavaScript: ``setup``, ``code`` and ``run`` one CommonJS script, run by ``node``;
checked with ``node --check``. ``console.log`` writes stdout; an uncaught exception exits
with status 1 (its stack on stderr); ``process.exit(n)`` exits with n.

A bank's programs are checked in one ``node`` process (:data:`_BATCH`: each compiled as a
CommonJS module body with ``vm.compileFunction``, as ``node --check`` compiles a file, and
never run), which costs one node start instead of one per program (about 50 ms each); a
program it finds wrong is checked again with ``node --check`` itself, so what is reported is
always what ``node --check`` says."""

from __future__ import annotations

import json
import re

from qbank.languages.base import Backend, Joined, Toolchain, find_programs
from qbank.languages.driver import driver
from qbank.languages.tools import Diagnostic, limit_diagnostic, run_tool

FILE = ".qbank-program.js"
_WHERE = re.compile(r"^.*\.qbank-program\.js:(\d+)$")
_ERROR = re.compile(r"^(\w*Error): (.*)$")
SOURCES = "sources.json"
CHECKER = ".qbank-check.js"
_BATCH = r"""
const vm = require("vm");
const fs = require("fs");
const sources = JSON.parse(fs.readFileSync("sources.json", "utf8"));
const wrapper = ["exports", "require", "module", "__filename", "__dirname"];
const found = sources.map((source) => {
  try {
    vm.compileFunction(source, wrapper, { filename: "program.js" });
    return true;
  } catch (error) {
    return false;
  }
});
process.stdout.write(JSON.stringify(found));
"""


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

    batches = True

    def diagnose_many(self, programs: list[Joined]) -> list[list[Diagnostic]]:
        (node,) = self.toolchain.paths
        files = {SOURCES: json.dumps([p.text for p in programs]), CHECKER: _BATCH}
        done = run_tool([node, CHECKER], files)
        try:
            compiled = json.loads(done.stdout) if done.status == 0 else None
        except ValueError:
            compiled = None
        if not isinstance(compiled, list) or len(compiled) != len(programs):
            return super().diagnose_many(programs)  # the batch failed: one by one
        return [
            [] if ok is True else self.diagnose(p) for ok, p in zip(compiled, programs, strict=True)
        ]

    def driver(self, joined: Joined) -> str:
        (node,) = self.toolchain.paths
        return driver(self.name, self.toolchain.version, joined.text, FILE, [node, FILE])


__all__ = ["JavascriptBackend"]
