"""Where banks are: bank files under the paths given, the project root, default bank ids."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from qbank.errors import Problem
from qbank.model.base import BANK_ID_PATTERN

BANK_SUFFIXES = (".yaml", ".yml", ".json")
ROOT_MARKERS = ("qbank.toml", "pyproject.toml", ".git")


def find_bank_files(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """The bank files under `paths` (folders walked recursively, sorted)."""
    files: list[str] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.suffix in BANK_SUFFIXES[:2] and p.is_file() and not _hidden(p, path)
            )
            files.extend(found)
            if not found:
                problems.append(
                    Problem(
                        str(raw), 1, "no bank (*.yaml, *.yml) in this folder", "no-banks", "warning"
                    )
                )
        elif path.is_file():
            files.append(str(raw))
        elif path.is_symlink():
            said = "a symbolic link that leads nowhere (or to itself)"
            problems.append(Problem(str(raw), 1, said, "not-found"))
        else:
            problems.append(Problem(str(raw), 1, "no such file or folder", "not-found"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the path as written
        return path.absolute()


def project_root(path: Path) -> Path:
    """The nearest folder up from `path` that holds qbank.toml, pyproject.toml or .git."""
    start = _resolved(path).parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return start


def default_bank_id(path: Path) -> str:
    """A bank's id when it has none: its path under the project root, without suffix."""
    resolved = _resolved(path)
    relative = resolved.relative_to(project_root(path)).with_suffix("")
    return relative.as_posix()


def default_id_problem(path: str, bank_id: str) -> Problem | None:
    """The problem of a bank without `id` whose file's path gives it an id that an authored
    `id` could not be (`my quiz.yaml`: `my quiz`); exports would write an id that does not
    load back. None when the id is valid."""
    if re.fullmatch(BANK_ID_PATTERN, bank_id):
        return None
    return Problem(
        path,
        1,
        f"the bank has no `id`, and its file's path ({bank_id + Path(path).suffix!r} under the "
        f"project root) gives it the id {bank_id!r}, which is not a valid bank id (each "
        "`/`-separated part must start with a letter or digit and hold only letters, digits, "
        "`_`, `.` and `-`): rename the file (or its folder), or give the bank an `id`",
        "invalid-value",
    )
