"""The run of a template's `params`: one sandboxed run draws every variant's values.

The driver execs `params` once per variant in a fresh namespace holding only `rng`
(``random.Random(seed)``, the seed computed here, on the host, from bank id, question id
and variant number), and prints one JSON line per variant: the ``repr`` of every public
name `params` defined (modules, functions, classes, `rng` and ``_names`` left out), or the
exception it raised. The values come back through :func:`ast.literal_eval` only, never
``eval`` or pickle: a run cannot hand the host anything but literals.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from qbank.model.variants import Template, variant_id, variant_seed
from qbank.runner import Limits, RunResult, RunSpec

MARK = "\x1eqbank-variant "
"""The start of each line the driver writes (what `params` prints itself is not read)."""

_DRIVER = """\
import contextlib as _c, io as _io, json as _j, random as _r, sys as _s, types as _t
_SKIP = (_t.ModuleType, _t.FunctionType, _t.BuiltinFunctionType, type)
def _line(_e):
    _tb, _n = _e.__traceback__, getattr(_e, "lineno", None) if isinstance(_e, SyntaxError) else None
    while _tb is not None:
        if _tb.tb_frame.f_code.co_filename == "<params>":
            _n = _tb.tb_lineno
        _tb = _tb.tb_next
    return _n
def _say(_d):
    _s.stdout.write(MARK + _j.dumps(_d) + "\\n")
try:
    _code = compile(PARAMS, "<params>", "exec")
except SyntaxError as _e:
    _say({"error": ["SyntaxError", str(_e.msg), _e.lineno]})
    _code = None
for _seed in SEEDS if _code is not None else ():
    _ns = {"rng": _r.Random(_seed), "__name__": "params"}
    try:
        with _c.redirect_stdout(_io.StringIO()):
            exec(_code, _ns)
    except Exception as _e:
        _say({"error": [type(_e).__name__, str(_e)[:300], _line(_e)]})
        continue
    _say({"values": [[_k, repr(_v), type(_v).__name__] for _k, _v in _ns.items()
        if not _k.startswith("_") and _k != "rng" and not isinstance(_v, _SKIP)]})
"""


@dataclass(frozen=True)
class Drawn:
    """One variant's values, or why it has none."""

    k: int
    values: dict[str, object]
    error: str | None = None
    """Why this variant has no values (an exception of `params`, a value not a literal)."""
    line: int | None = None
    """The line inside `params` the exception was raised at."""

    @property
    def id_suffix(self) -> str:
        """`(n=5, k=2)`: the values, short, for the messages of this variant's problems."""
        shown = [f"{name}={_clip(repr(value), 24)}" for name, value in self.values.items()]
        return f"({_clip(', '.join(shown), 100)})" if shown else "(no values)"


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def params_spec(bank_id: str, template: Template, limits: Limits) -> RunSpec:
    """The one run that draws every variant of `template`."""
    seeds = [variant_seed(bank_id, template.id, k) for k in range(1, template.variants + 1)]
    program = f"MARK = {MARK!r}\nPARAMS = {template.params!r}\nSEEDS = {seeds!r}\n" + _DRIVER
    return RunSpec(program=program, limits=limits)


def read_drawn(template: Template, result: RunResult) -> tuple[list[Drawn], str | None]:
    """The variants' values from the run's output, or why the run gave none (it did not end
    normally, or wrote fewer lines than variants)."""
    lines = [line[len(MARK) :] for line in result.stdout.split("\n") if line.startswith(MARK)]
    try:
        drawn = [_drawn(k, line) for k, line in enumerate(lines, start=1)]
    except (ValueError, KeyError, TypeError):  # `params` wrote the driver's mark itself
        return [], "the run of `params` wrote lines the driver did not (do not print the mark)"
    if len(lines) == 1 and drawn[0].error and drawn[0].error.startswith("SyntaxError"):
        return [], f"`params` does not compile: {drawn[0].error}"
    if result.status != "normal":
        why = result.failure.message if result.failure else result.stderr.strip()[-200:]
        return [], f"the run of `params` ended as {result.status}" + (f": {why}" if why else "")
    if len(drawn) != template.variants:
        return [], f"the run of `params` drew {len(drawn)} variant(s), not {template.variants}"
    return drawn, None


def _drawn(k: int, line: str) -> Drawn:
    data = json.loads(line)
    if not isinstance(data, dict):
        raise TypeError("not a mapping")
    if "error" in data:
        kind, message, where = data["error"]
        return Drawn(k, {}, f"{kind}: {message}", where if isinstance(where, int) else None)
    values: dict[str, object] = {}
    for name, text, kind in data["values"]:
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return Drawn(
                k, values, f"`{name}` is a {kind} ({_clip(text, 40)}), not a literal: only "
                "numbers, strings, bytes, booleans, None, and lists, tuples, sets and dicts "
                "of them can fill a template",
            )  # fmt: skip
    return Drawn(k, values)


def describe_error(template: Template, drawn: Drawn) -> str:
    """The message of a variant whose `params` raised or drew a value that is no literal."""
    where = f" (line {drawn.line} of `params`)" if drawn.line else ""
    return f"`params` of {variant_id(template.id, drawn.k)}: {drawn.error}{where}"


__all__ = ["MARK", "Drawn", "describe_error", "params_spec", "read_drawn"]
