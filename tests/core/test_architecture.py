"""The shape of the package, measured from its own source: what a newcomer can rely on.

No import cycle between modules, a short top level, small modules and short functions, a
face that loads nothing it does not need, and a public surface that is declared.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import qbank

PACKAGE = Path(qbank.__file__).resolve().parent
MAX_TOP_MODULES = 16
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 49


def _modules() -> dict[str, Path]:
    """Module name -> file, for every module of the package (a package is its __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules `name` imports at module level or in functions (TYPE_CHECKING
    blocks excluded: they do not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets.add(base)
            targets |= {f"{base}.{alias.name}" for alias in node.names}
    return {t for t in targets if t in known and t != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, if there is any."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(name, path, known) for name, path in modules.items()}
    # A package importing its own submodules (re-exports) is not a cycle of stages.
    return {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in graph.items()}


def test_cycle_finder_finds_a_cycle() -> None:
    """The checker below can fail: a two-module cycle is found."""
    assert _cycle({"a": {"b"}, "b": {"a"}, "c": set()}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_between_modules() -> None:
    """No module imports, directly or not, a module that imports it back."""
    assert _cycle(_graph()) is None


def test_top_level_is_short() -> None:
    """At most 16 modules at the top of the package; families live in folders."""
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_MODULES, sorted(top)


def test_no_module_is_over_400_lines() -> None:
    """Every module stays readable in one sitting."""
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_every_function_is_under_50_lines() -> None:
    """No function (decorators and docstring included) reaches 50 lines."""
    long = {}
    for name, path in _modules().items():
        for function in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            start = min([function.lineno, *(d.lineno for d in function.decorator_list)])
            length = (function.end_lineno or function.lineno) - start + 1
            if length > MAX_FUNCTION_LINES:
                long[f"{name}.{function.name}"] = length
    assert not long


def _imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_importing_the_cli_loads_neither_exporters_nor_runner() -> None:
    """`qbank --help` answers without loading the library: the CLI imports its commands and
    their work lazily."""
    modules = _imported_after("import qbank.cli")
    heavy = {m for m in modules if m.startswith(("qbank.exporters", "qbank.runner"))}
    assert not heavy
    assert not {"pydantic", "qbank.model", "qbank.validation"} & modules


def test_help_lists_every_command_without_loading_the_runner() -> None:
    """Listing the commands imports each command module, and still not the runner."""
    modules = _imported_after(
        "from click.testing import CliRunner\n"
        "import qbank.cli\n"
        "assert CliRunner().invoke(qbank.cli.main, ['--help']).exit_code == 0"
    )
    assert {"qbank.cli.validate", "qbank.cli.export"} <= modules
    assert not {m for m in modules if m.startswith(("qbank.exporters", "qbank.runner"))}


def test_public_surface_is_complete_and_sorted() -> None:
    """`qbank.__all__` is sorted and is exactly the face: every lazily resolved name, the
    four entry points and the version; each of them resolves."""
    assert qbank.__all__ == sorted(qbank.__all__)
    face = set(qbank._LAZY) | {"load", "validate", "export", "import_banks", "__version__"}
    assert set(qbank.__all__) == face
    for name in qbank.__all__:
        assert getattr(qbank, name) is not None, name
    assert set(qbank.__all__) <= set(dir(qbank))


def test_the_face_names_the_library_entry_points() -> None:
    """`qbank.validate`, `qbank.load` and `qbank.export` stay functions, never shadowed by
    a module of the same name."""
    import qbank.exporting
    import qbank.loading
    import qbank.validation

    assert callable(qbank.validate) and type(qbank.validate).__name__ == "function"
    assert callable(qbank.load) and type(qbank.load).__name__ == "function"
    assert callable(qbank.export) and type(qbank.export).__name__ == "function"
