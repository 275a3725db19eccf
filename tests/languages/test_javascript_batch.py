"""A bank's JavaScript programs are checked in one node process; what is reported is always
what `node --check` says of each program."""

from __future__ import annotations

import pytest

from qbank.languages import backend
from qbank.languages import javascript as js_module
from qbank.languages.base import Joined
from qbank.languages.tools import ToolRun

SOURCES = [
    "console.log(1);\n",
    "let a = 1;\nlet b = ;\n",
    "#!/usr/bin/env node\nconsole.log(2);\n",
    "return 5;\n",  # a CommonJS module body may return
    "let a = 1;\nlet a = 2;\n",
    "function f() {\n  return `x${1}`;\n}\n",
    "const o = {a: 1,, b: 2};\n",
    "class A { #p = 1; get p() { return this.#p; } }\n",
]


def _backend() -> js_module.JavascriptBackend:
    found = backend("javascript")
    assert isinstance(found, js_module.JavascriptBackend)
    if found.toolchain.missing:
        pytest.skip(found.toolchain.missing)
    return found


def test_the_batch_says_what_node_check_says_of_each_program() -> None:
    js = _backend()
    programs = [Joined(text, (("code", 1, text.count("\n")),)) for text in SOURCES]
    assert js.diagnose_many(programs) == [js.diagnose(p) for p in programs]
    assert [bool(found) for found in js.diagnose_many(programs)] == [
        False, True, False, False, True, False, True, False,
    ]  # fmt: skip


def test_a_batch_that_fails_falls_back_to_one_check_each(monkeypatch: pytest.MonkeyPatch) -> None:
    js = _backend()
    real = js_module.run_tool
    calls: list[list[str]] = []

    def broken_batch(
        argv: list[str], files: dict[str, str], timeout: float | None = None
    ) -> ToolRun:
        calls.append(argv)
        if js_module.CHECKER in argv:
            return ToolRun(0, "not json", "")
        return real(argv, files, timeout)

    monkeypatch.setattr(js_module, "run_tool", broken_batch)
    programs = [Joined(text, (("code", 1, 2),)) for text in SOURCES[:2]]
    found = js.diagnose_many(programs)
    assert found[0] == [] and found[1] and found[1][0].line == 2
    assert len(calls) == 3  # the batch, then node --check for each
