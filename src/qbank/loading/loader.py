"""Loading banks and collections from files, with every problem located at a line.

``load_paths`` walks files and folders, reads each bank, validates it against the model and
returns a :class:`Collection` plus the problems found. Nothing here raises for bad input: each
problem becomes a :class:`~qbank.errors.Problem` naming the file, the line and the question.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from qbank.errors import Problem
from qbank.fingerprint import code_fingerprint
from qbank.loading.files import default_bank_id, default_id_problem, find_bank_files
from qbank.loading.locate import pydantic_problems
from qbank.loading.yamlio import (
    BOM,
    DuplicateKey,
    LineMap,
    YamlValueError,
    compose,
    decode,
    reindexed,
    to_python,
)
from qbank.model import Bank, Collection, LoadedBank


class ObjectStore(Protocol):
    """Where parsed banks are kept between runs (the cache)."""

    def get_object(self, key: str) -> Any: ...
    def put_object(self, key: str, value: object) -> None: ...


def content_key(data: bytes) -> str:
    """The cache key of a bank file's bytes, for this qbank's code."""
    return hashlib.sha256(code_fingerprint().encode() + b"\0" + data).hexdigest()


def load_file(
    path: str, store: ObjectStore | None = None
) -> tuple[LoadedBank | None, list[Problem]]:
    """Load one bank file; returns the bank (None if it cannot be used) and its problems.

    With a `store`, a file whose bytes were loaded before is not parsed again.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read the file: {exc.strerror}", "unreadable")]
    key = content_key(data)
    if store is not None:
        cached = _from_store(store, key, path, data)
        if cached is not None:
            return cached
    loaded, problems = _parse(path, data)
    if store is not None and loaded is not None:
        found = [dataclasses.replace(p, path="") for p in problems]
        store.put_object("bank:" + key, (loaded.bank, loaded.lines.question_lines(), found))
    if loaded is not None:
        loaded = loaded.model_copy(update={"digest": key})
    return loaded, problems


def _from_store(
    store: ObjectStore, key: str, path: str, data: bytes
) -> tuple[LoadedBank | None, list[Problem]] | None:
    entry = store.get_object("bank:" + key)
    if not isinstance(entry, tuple) or len(entry) != 3 or not isinstance(entry[0], Bank):
        return None
    bank, question_lines, problems = entry
    text = data.decode("utf-8").removeprefix(BOM)
    lines = LineMap(None, text=text, question_lines=question_lines)
    found = [dataclasses.replace(p, path=path) for p in problems]
    loaded = _identified(path, bank, lines, found)
    return (loaded.model_copy(update={"digest": key}), found) if loaded else (None, found)


def _parse(path: str, data: bytes) -> tuple[LoadedBank | None, list[Problem]]:
    text, issues = decode(data)
    problems = [Problem(path, i.line, i.message, i.code, i.severity) for i in issues]  # type: ignore[arg-type]
    if text is None:
        return None, problems
    # JSON banks (as `qbank export --format json` writes them) are YAML too.
    root, issue = compose(text)
    lines = LineMap(root)
    raw = None
    if issue is None and root is not None:
        try:
            raw = to_python(root)
        except DuplicateKey as dup:
            problems.append(_duplicate_key(path, dup))
            return None, problems
        except YamlValueError as exc:
            problems.append(Problem(path, exc.line, str(exc), "yaml-unsupported"))
            return None, problems
    if issue is not None:
        problems.append(Problem(path, issue.line, issue.message, issue.code))
        return None, problems
    return _build(path, raw, lines, problems)


def _duplicate_key(path: str, dup: DuplicateKey) -> Problem:
    return Problem(
        path,
        dup.line,
        f"duplicate key `{dup.key}` (first given on line {dup.first_line}); "
        "YAML would silently keep only the last one: remove or rename one",
        "duplicate-key",
    )


def _build(
    path: str, raw: object, lines: LineMap, problems: list[Problem]
) -> tuple[LoadedBank | None, list[Problem]]:
    if raw is None:
        problems.append(Problem(path, 1, "the file is empty: a bank needs `questions`", "empty"))
        return None, problems
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a {type(raw).__name__}"
        problems.append(
            Problem(
                path,
                lines.line(()),
                f"a bank is a mapping with `questions:` at the top level, not {kind}",
                "not-a-mapping",
            )
        )
        return None, problems
    try:
        bank = Bank.model_validate(raw)
    except ValidationError as exc:
        problems.extend(pydantic_problems(path, exc, raw, lines))
        return None, problems
    return _identified(path, bank, lines, problems), problems


def _identified(
    path: str, bank: Bank, lines: LineMap, problems: list[Problem]
) -> LoadedBank | None:
    """The bank with its id: authored, or its file's path; a path that gives no valid id
    is a problem (added to `problems`), and the bank is not used, as with a bad `id`."""
    bank_id = bank.id or default_bank_id(Path(path))
    problem = None if bank.id else default_id_problem(path, bank_id)
    if problem is not None:
        problems.append(problem)
        return None
    # Constructed, not validated: every field is already checked (and the models stay unbuilt).
    where = reindexed(lines, bank.yaml_positions()) if bank.templates else lines
    return LoadedBank.model_construct(id=bank_id, path=path, bank=bank, lines=where)


def load_paths(
    paths: Sequence[str | os.PathLike[str]], store: ObjectStore | None = None
) -> tuple[Collection, list[Problem]]:
    """Load every bank under `paths`; problems of all files are collected."""
    files, problems = find_bank_files(paths)
    collection = Collection()
    for file in files:
        loaded, found = load_file(file, store)
        problems.extend(found)
        if loaded is not None:
            collection.banks.append(loaded)
    problems.extend(_duplicate_bank_ids(collection.banks))
    return collection, problems


def _duplicate_bank_ids(banks: Iterable[LoadedBank]) -> list[Problem]:
    seen: dict[str, LoadedBank] = {}
    problems = []
    for loaded in banks:
        first = seen.setdefault(loaded.id, loaded)
        if first is not loaded:
            problems.append(
                Problem(
                    loaded.path,
                    loaded.line_of("id") if loaded.bank.id else 1,
                    f"bank id `{loaded.id}` is already used by {first.path}: "
                    "bank ids must be unique in a collection",
                    "duplicate-bank-id",
                )
            )
    return problems
