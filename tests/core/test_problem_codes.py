"""One table of problem codes: `qbank.codes.CODES`, the docs page listing it, and the source
reporting them agree (every reported code listed, every listed code reported, same severity)."""

from __future__ import annotations

import ast
import inspect
import io
import re
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qbank.codes import CODES, meaning, severity_of
from qbank.errors import Problem, Severity
from qbank.exporters.base import ExportContext
from qbank.exporters.gift import _QuestionWriter
from qbank.importers.base import ImportIssue
from qbank.loading.yamlio import YamlIssue
from qbank.prove.reading import Finding, Verdict
from qbank.static.context import Context

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "qbank"
DOCS = ROOT / "docs" / "problem-codes.md"
MALFORMED = ROOT / "tests" / "malformed"
SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")

#: Listed codes no source line reports, each with the reason it is kept.
NOT_REPORTED: dict[str, str] = {
    "import-calculated": "the Moodle importer reports it from its `_NOT_KEPT` table of "
    "(kind, message) pairs, which this collector does not read",
}

#: (code, severity) pairs a call site uses although the table says otherwise, with the reason.
SEVERITY_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("missing-key", "warning"): "the GIFT and Markdown exporters reuse the loading code "
    "(an error there) for an `output` question with no key; codes are stable, so it stays",
}


# --- The collector: every code the source can report, read with `ast` ----------------------

#: A call that reports a problem: its parameters (where `code` and `severity` are) and the
#: severity it reports when it does not say.
Reporter = tuple[tuple[str, ...], Severity]


def _reporter(func: Callable[..., object], default: Severity) -> Reporter:
    names = tuple(p for p in inspect.signature(func).parameters if p != "self")
    assert "code" in names, func
    return names, default


#: Callee name -> the signatures it may have (`warn`: the exporters' context's, and GIFT's
#: question writer's). Verdict findings become errors (prove/coordinate.py).
REPORTERS: dict[str, list[Reporter]] = {
    "Problem": [_reporter(Problem, "error")],
    "YamlIssue": [_reporter(YamlIssue, "error")],
    "add": [_reporter(Context.add, "error")],
    "warn": [_reporter(ExportContext.warn, "warning"), _reporter(_QuestionWriter.warn, "warning")],
    "fail": [_reporter(Verdict.fail, "error")],
    "Finding": [_reporter(Finding, "error")],
}


#: Importers report `import-<kind>` warnings as `ImportIssue(path, line, message, kind)`, or
#: through a helper of theirs named `...issue` with a `kind` parameter
#: (`reading.issue("...", "cloze")`): its signature is read from the source.
IMPORT_ISSUE = (tuple(inspect.signature(ImportIssue).parameters), "import-")


def issue_helpers(trees: Iterable[ast.Module]) -> dict[str, list[tuple[str, ...]]]:
    """Function name -> parameter lists (without `self`) of the issue helpers in `trees`."""
    helpers: dict[str, list[tuple[str, ...]]] = {"ImportIssue": [IMPORT_ISSUE[0]]}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.lower().endswith("issue"):
                params = tuple(a.arg for a in node.args.args if a.arg != "self")
                if "kind" in params:
                    helpers.setdefault(node.name, []).append(params)
    return helpers


def _kinds_of(call: ast.Call, helpers: dict[str, list[tuple[str, ...]]]) -> list[ast.expr]:
    """The `kind`s an import issue may be reported with, if `call` reports one."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    found = []
    for params in helpers.get(name, []):
        kind = _argument(call, params, "kind") if _fits(call, params) else None
        if kind is not None:
            found.append(kind)
    if len(found) > 1:  # helpers of one name with other signatures: a message is no kind
        found = [kind for kind in found if not isinstance(kind, ast.JoinedStr)]
    return found


def _fits(call: ast.Call, params: tuple[str, ...]) -> bool:
    """Whether the call's positional literals fit `params`: ints only at `line`."""
    if len(call.args) > len(params):
        return False
    for arg, param in zip(call.args, params, strict=False):
        if isinstance(arg, ast.Constant | ast.JoinedStr):
            is_int = isinstance(arg, ast.Constant) and isinstance(arg.value, int)
            if is_int != (param == "line"):
                return False
    return True


@dataclass(frozen=True)
class Use:
    code: str
    severity: str | None
    """As the call site states it (its argument or the callee's default); None: not stated."""
    where: str


def _argument(call: ast.Call, params: tuple[str, ...], name: str) -> ast.expr | None:
    keyword = next((k.value for k in call.keywords if k.arg == name), None)
    index = params.index(name) if name in params else len(call.args)
    return call.args[index] if keyword is None and index < len(call.args) else keyword


def _reporter_of(call: ast.Call) -> Reporter | None:
    """The signature this call fits, if it is a reporter's and passes a code (`seen.add(x)`
    is no report)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    for params, default in REPORTERS.get(name, []):
        if len(call.args) <= len(params) and _argument(call, params, "code") is not None:
            return params, default
    return None


def _str(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def code_tables(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Module-level tables of codes (`LIMIT_CODES = {"timeout": "run-timeout", ...}`): values."""
    return {
        target.id: list(node.value.values)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.endswith("_CODES")
    }


class Unresolved(Exception):
    """A code built at run time (an f-string, a call...): it cannot be listed."""


class Collector:
    """Every code some sources report, read with `ast`; `unresolved` lists code arguments
    whose value cannot be read from the source."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.uses: list[Use] = []
        self.unresolved: list[str] = []
        trees = {name: ast.parse(text, name) for name, text in sources.items()}
        helpers = issue_helpers(trees.values())
        self.tables = {k: v for tree in trees.values() for k, v in code_tables(tree).items()}
        for name, tree in trees.items():
            self.functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
            for table, values in code_tables(tree).items():
                self._add(values, None, None, f"{name}: {table}")
            for scope, call in _calls(tree, None):
                reporter = _reporter_of(call)
                if reporter is not None:
                    params, default = reporter
                    given = _argument(call, params, "severity")
                    code = _argument(call, params, "code")
                    severity = default if given is None else _str(given)
                    self._add([code] if code else [], scope, severity, f"{name}:{call.lineno}")
                kinds = _kinds_of(call, helpers)
                where = f"{name}:{call.lineno}"
                self._add(kinds, scope, "warning", where, prefix=IMPORT_ISSUE[1])

    def _add(
        self,
        nodes: list[ast.expr],
        scope: ast.AST | None,
        severity: str | None,
        where: str,
        prefix: str = "",
    ) -> None:
        for node in nodes:
            try:
                codes = self.codes(node, scope)
            except Unresolved:
                self.unresolved.append(f"{where}: {ast.unparse(node)}")
                continue
            self.uses += [Use(prefix + code, severity, where) for code in sorted(codes)]

    def codes(self, node: ast.expr, scope: ast.AST | None, depth: int = 0) -> set[str]:
        """The codes `node` (in function `scope`) can be; empty: a code passed through."""
        text = _str(node)
        if text is not None:
            return {text}
        if isinstance(node, ast.Attribute):
            return set()  # a code carried by a value (`finding.code`): collected where made
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            parts = self.tables.get(node.value.id)
            if parts is None:
                raise Unresolved
        else:
            parts, scope = self._parts(node, scope)
        if depth > 10:
            raise Unresolved
        return set().union(*(self.codes(part, scope, depth + 1) for part in parts))

    def _parts(
        self, node: ast.expr, scope: ast.AST | None
    ) -> tuple[list[ast.expr], ast.AST | None]:
        """The expressions `node`'s value comes from, and the function they are in."""
        if isinstance(node, ast.IfExp):
            return [node.body, node.orelse], scope
        if isinstance(node, ast.Dict):
            return list(node.values), scope
        if isinstance(node, ast.Name):  # its assignments in the function; none: a parameter
            found = [a for a in ast.walk(scope) if isinstance(a, ast.Assign)] if scope else []
            named = [
                a.value for a in found if any(getattr(t, "id", "") == node.id for t in a.targets)
            ]
            return named, scope
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "get":  # `table.get(key, default)`
                return [node.func.value, *node.args[1:2]], scope
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = self.functions.get(node.func.id)
            if function is not None:  # what a function of the module returns
                returns = [r.value for r in ast.walk(function) if isinstance(r, ast.Return)]
                return [r for r in returns if r is not None], function
        raise Unresolved


def _calls(node: ast.AST, scope: ast.AST | None) -> Iterator[tuple[ast.AST | None, ast.Call]]:
    """Every call under `node`, with the function it is in (None: at module level)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Call):
            yield scope, child
        yield from _calls(child, child if isinstance(child, ast.FunctionDef) else scope)


def _source() -> Collector:
    files = sorted(SRC.rglob("*.py"))
    return Collector({p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in files})


def test_the_collector_finds_a_new_code_in_every_form() -> None:
    found = Collector(
        {
            "new.py": """
X_CODES = {"status": "from-table"}
def _code(kind):
    return {"a": "from-dict"}.get(kind, "from-default" if kind else "from-else")
def f(ctx, verdict, seen, kind):
    seen.add(kind)
    Problem("p", 1, "m", "brand-new-code")
    Problem("p", 1, "m", code="by-keyword", severity="warning")
    Problem("p", 1, "m", _code(kind))
    ctx.add(("id",), "m", "added", "warning")
    ctx.warn(loaded, q, "m", "exporter-warns")
    self.warn("m", "writer-warns")
    verdict.fail("m", X_CODES[kind])
    local = "from-local"
    Problem("p", 1, "m", local)
    Problem("p", 1, "m", f"run-{kind}")
    ImportIssue("p", 1, "m", "cloze")
    ImportIssue("p", 1, "m", kind="html" if kind else "lost")
    self._issue(3, "m", kind="calculated")
    reading.issue("m", "weight")
    source.issue(1, "m", "syntax")
def _issue(self, line, message, kind): pass
class Reading:
    def issue(self, message, kind, question=None): pass
class Source:
    def issue(self, line, message, kind): pass
"""
        }
    )
    assert {(u.code, u.severity) for u in found.uses} == {
        ("from-table", None),
        ("from-table", "error"),
        ("from-dict", "error"),
        ("from-default", "error"),
        ("from-else", "error"),
        ("brand-new-code", "error"),
        ("by-keyword", "warning"),
        ("added", "warning"),
        ("exporter-warns", "warning"),
        ("writer-warns", "warning"),
        ("from-local", "error"),
        ("import-cloze", "warning"),
        ("import-html", "warning"),
        ("import-lost", "warning"),
        ("import-calculated", "warning"),
        ("import-weight", "warning"),
        ("import-syntax", "warning"),
    }
    assert found.unresolved == ["new.py:16: f'run-{kind}'"]
    assert "brand-new-code" in _unlisted(found)


def _unlisted(found: Collector) -> dict[str, str]:
    return {u.code: u.where for u in found.uses if u.code not in CODES}


def test_every_code_the_source_reports_is_listed() -> None:
    found = _source()
    assert found.unresolved == [], "write codes as literals, so that they can be listed"
    assert _unlisted(found) == {}, "add these to src/qbank/codes.py and docs/problem-codes.md"


def test_every_listed_code_is_reported_somewhere() -> None:
    used = {u.code for u in _source().uses}
    assert sorted(set(CODES) - used - set(NOT_REPORTED)) == []
    assert sorted(set(NOT_REPORTED) & used) == [], "reported after all: drop the exception"


def test_call_sites_use_the_severity_of_the_table() -> None:
    uses = [u for u in _source().uses if u.severity is not None and u.code in CODES]
    wrong = {(u.code, u.severity): u.where for u in uses if u.severity != CODES[u.code].severity}
    assert sorted(set(wrong) - set(SEVERITY_EXCEPTIONS)) == []
    assert sorted(set(SEVERITY_EXCEPTIONS) - set(wrong)) == [], "no longer needed: drop it"


# --- The docs page -----------------------------------------------------------------------------


def _docs_sections() -> list[tuple[str, list[tuple[str, str, str]]]]:
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections.append((line[3:], []))
        elif line.startswith("| `"):
            code, severity, said = (cell.strip() for cell in line.strip("|").split("|"))
            sections[-1][1].append((code.strip("`"), severity, said))
    return sections


def _table_sections() -> list[tuple[str, list[str]]]:
    """The stage comments of `CODES` in codes.py, each with the codes listed under it."""
    text = (SRC / "codes.py").read_text(encoding="utf-8")
    table = next(
        node
        for node in ast.parse(text).body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "CODES"
    )
    inside = range(table.lineno, (table.end_lineno or table.lineno) + 1)
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    events = [
        (t.start[0], "comment", t.string[2:])
        for t in tokens
        if t.type == tokenize.COMMENT and t.start[0] in inside
    ]
    for node in ast.walk(table):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Code":
            first = node.args[0]
            assert isinstance(first, ast.Constant), ast.unparse(node)
            events.append((node.lineno, "code", str(first.value)))
    sections: list[tuple[str, list[str]]] = []
    previous = "code"
    for _, kind, said in sorted(events):
        if kind == "comment" and previous == "code":
            sections.append((said.split(":")[0], []))  # a comment after a code starts a stage
        elif kind == "code":
            sections[-1][1].append(said)
        previous = kind
    return sections


def test_the_docs_table_equals_the_codes() -> None:
    rows = [row for _, rows in _docs_sections() for row in rows]
    assert rows == [(c.code, c.severity, c.meaning) for c in CODES.values()]


def test_the_docs_group_the_codes_by_stage_as_the_table_does() -> None:
    docs = [(title, [row[0] for row in rows]) for title, rows in _docs_sections()]
    assert [t for t, _ in docs] == ["Loading", "Static checks", "Proving", "Export", "Import"]
    assert [codes for _, codes in docs] == [codes for _, codes in _table_sections()]
    assert [t for t, _ in _table_sections()] == [t for t, _ in docs]


def test_codes_are_slugs_keyed_by_themselves_with_a_one_line_meaning() -> None:
    for key, code in CODES.items():
        assert key == code.code and SLUG.match(key), key
        assert code.meaning.strip() and "\n" not in code.meaning and "|" not in code.meaning
        assert severity_of(key) == code.severity and meaning(key) == code.meaning
    assert severity_of("no-such-code") is None and meaning("no-such-code") == ""


def test_malformed_cases_expect_only_listed_codes_at_their_severity() -> None:
    report_line = re.compile(r"\S.*?:\d+: (error|warning): .* \[([^\]]+)\]\Z")
    cases = sorted(MALFORMED.rglob("*.expected"))
    assert cases
    for expected in cases:
        lines = [m for m in map(report_line.match, expected.read_text("utf-8").splitlines()) if m]
        assert lines, f"{expected.name} holds no report line"
        for match in lines:
            severity, code = match.groups()
            assert code in CODES, f"{expected.name}: [{code}] is not in qbank.codes"
            listed = CODES[code].severity == severity or (code, severity) in SEVERITY_EXCEPTIONS
            assert listed, f"{expected.name}: [{code}] is reported as {severity}"


def test_a_problem_says_what_its_code_means_without_changing_the_report() -> None:
    problem = Problem("bank.yaml", 3, "expected 'a'", "answer-mismatch", question="q")
    assert problem.meaning == CODES["answer-mismatch"].meaning
    assert Problem("bank.yaml", 1, "m", "not-a-code").meaning == ""
    assert "meaning" not in problem.to_dict()
    assert problem.format() == "bank.yaml:3: error: q: expected 'a' [answer-mismatch]"
