"""The result cache under `.qbank_cache/`: re-validating an unchanged bank runs nothing.

One SQLite file maps a key to the JSON of a question's run results (a second table keeps
pickled parsed banks and static problems). The key hashes everything that can change them:
every run's snippets, answers, fixtures and limits, the interpreter's version, installed
distributions and the code of editable and local ones (the environment fingerprint), and the
runner's version. Inconclusive results are never stored.

The cache never crashes qbank and never lies:

- Every entry is sealed with a hash of its key and value. An entry that does not decode or
  does not match its seal (bytes that are not UTF-8, a damaged page, an older format) is a
  miss, replaced when the question runs again.
- Any error of the database or its folder, at open, read, write, commit or close, ends the
  cache's use for this validation with one warning, :attr:`Cache.problem` (`cache-unusable`);
  no method raises. A damaged cache (not a database, malformed pages, a file where the folder
  belongs) is first set aside as `.qbank_cache.damaged-<time>`, so the next run rebuilds it;
  one that is only unavailable now (locked by another process, read-only, a full disk) is
  left as it is.
- SQLite commits atomically, so Ctrl-C never leaves a half-written entry (the interruption
  is not caught here: it rolls the transaction back and goes on up).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from qbank.errors import Problem
from qbank.fingerprint import runner_fingerprint
from qbank.runner import RunResult, RunSpec

CACHE_FORMAT = 2
"""Part of every run key (2: entries are sealed bytes)."""

RUNNER_VERSION = runner_fingerprint()

BUSY_TIMEOUT = 10.0
"""Seconds to wait for another process's lock (a concurrent validation committing) before
going on without the cache."""

_UNAVAILABLE = ("locked", "busy", "readonly", "read-only", "full", "unable to open", "i/o",
                "permission", "interrupt", "memory")  # fmt: skip
"""Words of SQLite errors that say the cache cannot be used now, not that it is damaged."""

_T = TypeVar("_T")


def run_key(specs: Sequence[RunSpec], fingerprint: str) -> str:
    """The cache key of a question's runs in an environment."""
    # The repr of frozen dataclasses of plain values is deterministic and names every field.
    text = repr((CACHE_FORMAT, RUNNER_VERSION, fingerprint, tuple(specs)))
    return hashlib.sha256(text.encode()).hexdigest()


def encode(results: Sequence[RunResult]) -> str:
    return json.dumps([dataclasses.asdict(r) for r in results], sort_keys=True)


def decode(text: str) -> list[RunResult]:
    """Results from their JSON form; raises on anything malformed."""
    return [RunResult.from_json(item) for item in json.loads(text)]


def _seal(key: str, data: bytes) -> bytes:
    """What an entry is stored with: a hash of its key and value, then the value."""
    return hashlib.sha256(key.encode() + b"\0" + data).digest()[:16] + data


def _unseal(key: str, stored: object) -> bytes | None:
    """The value of a stored entry (None: not one that :func:`_seal` made for this key)."""
    if not isinstance(stored, bytes) or len(stored) < 16:
        return None
    data = stored[16:]
    return data if _seal(key, data) == stored else None


def _results(key: bytes | None, stored: bytes | None) -> tuple[str, list[RunResult]] | None:
    """The key and results of a `results` row, or None: a miss, whatever the bytes are."""
    try:
        text = (key or b"").decode("ascii")
        data = _unseal(text, stored)
        return None if data is None else (text, decode(data.decode("utf-8")))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _damaged(error: Exception) -> bool:
    """Whether `error` says the cache itself is damaged (set it aside), not that it is only
    unavailable now (locked, read-only, a full disk: leave it)."""
    if isinstance(error, OSError):
        return isinstance(error, FileExistsError | NotADirectoryError)
    said = f"{getattr(error, 'sqlite_errorname', '')} {error}".lower()
    return not any(word in said for word in _UNAVAILABLE)


def _reason(error: Exception) -> str:
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "it is not a folder"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error) or type(error).__name__


def _shown(path: Path) -> str:
    """`path` as the user sees it: relative to the working folder when under it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):  # elsewhere, or no working folder any more
        return str(path)


def _select(db: sqlite3.Connection, keys: list[str]) -> list[tuple[bytes | None, bytes | None]]:
    """The stored `results` rows among `keys`, as bytes (a value need not be UTF-8)."""
    rows: list[tuple[bytes | None, bytes | None]] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT CAST(key AS BLOB), CAST(value AS BLOB) FROM results WHERE key IN ({marks})"
        rows += db.execute(query, chunk).fetchall()
    return rows


class Cache:
    """Results of decided runs, keyed by :func:`run_key`, and pickled objects.

    No method raises for an error of the database or its folder: the first one ends the
    cache's use (every read is then a miss, every write is dropped) and is :attr:`problem`.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "results.sqlite"
        self.problem: Problem | None = None
        """Why the cache stopped being used: the one `cache-unusable` warning (None: it
        did not)."""
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and self.problem is None:
            try:
                self._db = self._open()
            except (sqlite3.Error, OSError) as exc:
                self._give_up("open", exc)
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        with contextlib.suppress(OSError):  # a courtesy to git: a read-only cache still reads
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)
        try:
            # DDL runs outside a transaction (no commit to make); values are sealed bytes, and
            # a cache made before format 2, with TEXT values, holds them as well.
            for table in ("results", "blobs"):
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
                )
        except BaseException:
            db.close()
            raise
        return db

    def _attempt(self, doing: str, action: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """`action` on the database; None when there is none or it fails (then the cache is
        no longer used)."""
        db = self._connect()
        if db is None:
            return None
        try:
            return action(db)
        except (sqlite3.Error, OSError) as exc:
            self._give_up(doing, exc)
            return None

    def _give_up(self, doing: str, error: Exception) -> None:
        """Stop using the cache; the first time, say why, and set a damaged one aside."""
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        if self.problem is not None:
            return
        outcome = "this run goes on without it"
        if _damaged(error):
            aside = self._set_aside()
            outcome = (
                f"{outcome}; delete {_shown(self.folder)} to rebuild it"
                if aside is None
                else f"moved it aside to {aside.name}; {outcome} and the next one rebuilds it"
            )
        message = f"cannot {doing} the cache ({_reason(error)}): {outcome}"
        self.problem = Problem(_shown(self.folder), 1, message, "cache-unusable", "warning")

    def _set_aside(self) -> Path | None:
        """Rename the damaged cache (or the file where its folder belongs) beside itself, to
        ``<name>.damaged-<time>``; None when it cannot be renamed."""
        folder = Path(os.path.abspath(self.folder))
        stamp = time.strftime("%Y%m%dT%H%M%S")
        try:
            target = folder.with_name(f"{folder.name}.damaged-{stamp}")
            for n in range(2, 100):
                if not os.path.lexists(target):
                    break
                target = folder.with_name(f"{folder.name}.damaged-{stamp}-{n}")
            folder.rename(target)
        except (OSError, ValueError):
            return None
        return target

    def get_object(self, key: str) -> Any:
        """A pickled object stored under `key` (None if absent or unreadable).

        Used for parsed banks and their static problems, keyed by a hash of the file's bytes
        and qbank's version. The cache folder is as trusted as the banks' own code.
        """
        query = "SELECT CAST(value AS BLOB) FROM blobs WHERE key = ?"
        row = self._attempt("read", lambda db: db.execute(query, (key,)).fetchone())
        data = _unseal(key, row[0]) if row is not None else None
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # an outdated entry (a class that changed) is ignored and rebuilt
            return None

    def put_object(self, key: str, value: object) -> None:
        """Store `value` pickled under `key`, atomically."""
        data = _seal(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._write("INSERT OR REPLACE INTO blobs (key, value) VALUES (?, ?)", [(key, data)])

    def get_many(self, keys: Sequence[str]) -> dict[str, list[RunResult]]:
        """The cached results among `keys`; entries that do not decode are misses."""
        rows = self._attempt("read", lambda db: _select(db, list(dict.fromkeys(keys))))
        found: dict[str, list[RunResult]] = {}
        for key, stored in rows or []:
            entry = _results(key, stored)
            if entry is not None:
                found[entry[0]] = entry[1]
        return found

    def put_many(
        self, entries: dict[str, Sequence[RunResult]], decided: frozenset[str] = frozenset()
    ) -> None:
        """Store results in one transaction. Entries with an inconclusive run are skipped,
        unless their key is in `decided` (a limit that refutes a wrong option decides it)."""
        rows = [
            (key, _seal(key, encode(results).encode()))
            for key, results in entries.items()
            if key in decided or not any(r.inconclusive for r in results)
        ]
        if rows:
            self._write("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", rows)

    def _write(self, statement: str, rows: list[tuple[str, Any]]) -> None:
        def write(db: sqlite3.Connection) -> None:
            try:  # one transaction: committed whole or rolled back (on Ctrl-C too)
                db.executemany(statement, rows)
                db.commit()
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.rollback()
                raise

        self._attempt("write", write)

    def close(self) -> None:
        """Close the database (an error here is the one warning too, never raised)."""
        db, self._db = self._db, None
        if db is not None:
            try:
                db.close()
            except sqlite3.Error as exc:
                self._give_up("close", exc)
