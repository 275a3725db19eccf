"""SQL: SQLite, through Python's own ``sqlite3`` (no server, nothing to install).

``setup``, ``code`` and ``run`` are statements run in order on a fresh database,
``qbank.db`` in the run's working folder (so `files` and `check` can open it). The output is
the rows of the last statement that returns rows, one line each, values separated by tabs as
``sqlite3 -tabs`` prints them (NULL as an empty field); `check` gets them as ``rows``, a list of
tuples. A statement that fails raises ``sqlite3.Error`` (``OperationalError: no such table:
t``) and ends the run abnormally, like any exception.

The static check is SQLite's own parser: the statements are run on an empty in-memory
database whose authorizer refuses ``ATTACH`` (nothing outside memory is touched) and whose
progress handler stops a runaway query; only what SQLite calls a syntax error (``near "x":
syntax error``, ``incomplete input``) is reported, since a missing table may be the point of
a distractor.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from qbank.languages.base import Backend, Joined, Toolchain
from qbank.languages.driver import FILES
from qbank.languages.tools import Diagnostic

DATABASE = "qbank.db"
_STEPS = 200_000
"""Virtual machine steps the static check lets a statement take."""

SPLIT = r"""
def _statements(source):
    # (first line, text) of each statement: cut after a `;` where SQLite says the text so
    # far is a complete statement (so `;` inside strings, comments and triggers stays).
    import sqlite3
    found, start = [], 0
    ends = [i for i, c in enumerate(source) if c == ";"] + [len(source)]
    for end in ends:
        text = source[start : end + 1]
        if end < len(source) and not sqlite3.complete_statement(text):
            continue
        if text.strip():
            lead = len(text) - len(text.lstrip())
            found.append((source.count("\n", 0, start + lead) + 1, text))
        start = end + 1
    return found
"""
"""The statement splitter, shared as source: the run's driver holds it (a run imports
nothing of qbank) and :func:`statements` is it."""

_DRIVER = (
    SPLIT
    + r"""
import sqlite3, sys


def _qbank_sql(source, database):
    rows = None
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        for _, statement in _statements(source):
            cursor = connection.execute(statement)
            found = cursor.fetchall()
            if cursor.description is not None:
                rows = found
    finally:
        connection.close()
    for row in rows or ():
        sys.stdout.write("\t".join("" if v is None else str(v) for v in row) + "\n")
    return [tuple(row) for row in rows or ()]


rows = _qbank_sql(SOURCE, DATABASE)
exit_code = 0
"""
    + FILES
)

_SPLITTER: dict[str, Any] = {}
exec(compile(SPLIT, "<qbank sql split>", "exec"), _SPLITTER)


def statements(source: str) -> list[tuple[int, str]]:
    """(first line, text) of each statement of `source`, cut where SQLite completes one."""
    found: list[tuple[int, str]] = _SPLITTER["_statements"](source)
    return found


def _deny_attach(action: int, *_: object) -> int:
    return sqlite3.SQLITE_DENY if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH) else 0


class SqlBackend(Backend):
    name = "sql"
    aliases = ("sqlite", "sqlite3")

    def find_toolchain(self) -> Toolchain:
        return Toolchain(("sqlite3",), f"SQLite {sqlite3.sqlite_version}")

    def diagnose(self, joined: Joined) -> list[Diagnostic]:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.set_authorizer(_deny_attach)
        # The statements are run (SQLite has no parse-only call): no string or blob over
        # 1 MB, with the step budget, bounds the memory a `zeroblob` doubling could take.
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000)
        budget = {"left": 50}
        connection.set_progress_handler(lambda: _spend(budget), _STEPS // 50)
        found = []
        try:
            for line, statement in statements(joined.text):
                budget["left"] = 50
                try:
                    connection.execute(statement).fetchmany(1)
                except sqlite3.Warning as error:  # more than one statement in one
                    found.append(Diagnostic(line, str(error)))
                except sqlite3.Error as error:
                    text = str(error)
                    if "syntax error" in text or "incomplete input" in text:
                        found.append(Diagnostic(line, text))
        finally:
            connection.close()
        return found

    def driver(self, joined: Joined) -> str:
        head = f"# qbank: sql program, {self.toolchain.version} (qbank.languages.sql)\n"
        return head + f"SOURCE = {joined.text!r}\nDATABASE = {DATABASE!r}\n" + _DRIVER


def _spend(budget: dict[str, int]) -> int:
    budget["left"] -= 1
    return 1 if budget["left"] <= 0 else 0


__all__ = ["DATABASE", "SqlBackend", "statements"]
