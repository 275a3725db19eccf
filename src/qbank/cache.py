"""The result cache under `.qbank_cache/`: re-validating an unchanged bank runs nothing.

One SQLite file maps a key to the JSON of a question's run results. The key hashes everything
that can change them: every run's snippets, answers, fixtures and limits, the interpreter's
version and installed distributions (the environment fingerprint), and the runner's version.
SQLite gives atomic commits, so Ctrl-C never leaves a half-written entry; an entry that does
not decode is ignored (and replaced when the question runs again); a database that cannot be
opened is moved aside and rebuilt. Inconclusive results are never stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qbank.fingerprint import runner_fingerprint
from qbank.runner import RunResult, RunSpec

CACHE_FORMAT = 1


RUNNER_VERSION = runner_fingerprint()


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


class Cache:
    """Results of decided runs, keyed by :func:`run_key`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "results.sqlite"
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:
                self.path.replace(self.path.with_suffix(".corrupt"))
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.commit()
        return db

    def get_object(self, key: str) -> Any:
        """A pickled object stored under `key` (None if absent or unreadable).

        Used for parsed banks and their static problems, keyed by a hash of the file's bytes
        and qbank's version. The cache folder is as trusted as the banks' own code.
        """
        row = self._connect().execute("SELECT value FROM blobs WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # a corrupt or outdated entry is ignored and rebuilt
            return None

    def put_object(self, key: str, value: object) -> None:
        """Store `value` pickled under `key`, atomically."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        db = self._connect()
        with db:
            db.execute("INSERT OR REPLACE INTO blobs (key, value) VALUES (?, ?)", (key, data))

    def get_many(self, keys: Sequence[str]) -> dict[str, list[RunResult]]:
        """The cached results among `keys`; undecodable entries are left out."""
        db = self._connect()
        found: dict[str, list[RunResult]] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk)
            for key, value in rows:
                try:
                    found[key] = decode(value)
                except (ValueError, TypeError, KeyError):
                    continue  # a corrupt entry: ignored, rebuilt by the next run
        return found

    def put_many(
        self, entries: dict[str, Sequence[RunResult]], decided: frozenset[str] = frozenset()
    ) -> None:
        """Store results in one transaction. Entries with an inconclusive run are skipped,
        unless their key is in `decided` (a limit that refutes a wrong option decides it)."""
        rows = [
            (key, encode(results))
            for key, results in entries.items()
            if key in decided or not any(r.inconclusive for r in results)
        ]
        if not rows:
            return
        db = self._connect()
        with db:
            db.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", rows)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
