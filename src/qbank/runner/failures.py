"""Describe exceptions raised by snippets as plain JSON data (stdlib only, Python >= 3.9).

Every snippet is compiled with the file name ``<qbank:NAME>``, so a traceback frame tells which
snippet (``setup``, ``program``, ``run``, ``check``) and which line an exception came from.
Bare ``assert`` statements in ``check`` are rewritten so that their message says what failed.
"""

from __future__ import annotations

import ast
import linecache
import traceback
from types import CodeType, TracebackType
from typing import Any

_PREFIX = "<qbank:"
_MAX_TEXT = 4000
_MAX_REPR = 600
EXPLAIN = "__qbank_explain__"


def filename(snippet: str) -> str:
    """The pseudo file name a snippet is compiled under."""
    return _PREFIX + snippet + ">"


def snippet_of(name: str | None) -> str | None:
    """The snippet a pseudo file name stands for, or None for any other file."""
    if name and name.startswith(_PREFIX) and name.endswith(">"):
        return name[len(_PREFIX) : -1]
    return None


def compile_snippet(snippet: str, source: str, rewrite_asserts: bool = False) -> CodeType:
    """Compile without optimisation (asserts stay) and register the source for tracebacks."""
    name = filename(snippet)
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    tree = ast.parse(source, name, "exec")
    if rewrite_asserts:
        tree = ast.fix_missing_locations(_AssertRewriter(source).visit(tree))
    code: CodeType = compile(tree, name, "exec", dont_inherit=True, optimize=0)
    return code


def describe(exc: BaseException) -> dict[str, Any]:
    """A Failure as JSON: type, message, snippet, line and a short traceback."""
    snippet, line = None, None
    for frame in traceback.extract_tb(exc.__traceback__):
        if snippet_of(frame.filename):
            snippet, line = snippet_of(frame.filename), frame.lineno
    if isinstance(exc, SyntaxError) and snippet is None and snippet_of(exc.filename):
        snippet, line = snippet_of(exc.filename), exc.lineno
    return {
        "type": type(exc).__name__,
        "message": clip(safe_str(exc)),
        "snippet": snippet,
        "line": line,
        "traceback": clip(_format(exc), tail=True),
    }


def matches(exc: BaseException, name: str) -> bool:
    """Whether ``name`` is a class of ``exc``'s MRO, by plain or dotted name."""
    for cls in type(exc).__mro__:
        if name in (cls.__name__, cls.__qualname__, cls.__module__ + "." + cls.__qualname__):
            return True
    return False


def safe_str(value: object) -> str:
    try:
        return str(value)
    except Exception:
        return "<unprintable " + type(value).__name__ + ">"


def safe_repr(value: object) -> str:
    try:
        return clip(repr(value), _MAX_REPR)
    except Exception:
        return "<unrepresentable " + type(value).__name__ + ">"


def clip(text: str, limit: int = _MAX_TEXT, tail: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "..." + text[-limit:] if tail else text[:limit] + "..."


def _format(exc: BaseException) -> str:
    tb: TracebackType | None = exc.__traceback__
    while tb is not None and snippet_of(tb.tb_frame.f_code.co_filename) is None:
        tb = tb.tb_next  # drop the runner's own frames
    return "".join(traceback.format_exception(type(exc), exc, tb))


def explain(text: str, left: object, right: object) -> str:
    """The message of a failed ``assert left OP right`` that had none."""
    return text + "\n  left:  " + safe_repr(left) + "\n  right: " + safe_repr(right)


class _AssertRewriter(ast.NodeTransformer):
    """Give bare asserts a message: the statement's source, and both sides of a comparison."""

    def __init__(self, source: str) -> None:
        self.source = source

    def visit_Assert(self, node: ast.Assert) -> ast.AST | list[ast.stmt]:
        if node.msg is not None:
            return node
        text = ast.get_source_segment(self.source, node) or "assert"
        test = node.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
            node.msg = ast.copy_location(ast.Constant(text), node)
            return node
        names = ("_qbank_left_", "_qbank_right_")
        assigns: list[ast.stmt] = [
            ast.copy_location(ast.Assign([ast.Name(n, ast.Store())], value), node)
            for n, value in zip(names, (test.left, test.comparators[0]))  # noqa: B905 - Python 3.9
        ]
        loads = [ast.Name(n, ast.Load()) for n in names]
        call = ast.Call(ast.Name(EXPLAIN, ast.Load()), [ast.Constant(text), *loads], [])
        compare = ast.Compare(loads[0], test.ops, [loads[1]])
        return [*assigns, ast.copy_location(ast.Assert(compare, call), node)]
