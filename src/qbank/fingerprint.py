"""Fingerprints of qbank's own code, part of every cache key that its code can change.

One rule for both: a folder's ``*.py`` files, walked recursively, by relative path and bytes.
The whole package invalidates cached banks and static problems; the runner folder invalidates
cached runs (the rest of qbank judges runs, it does not change what a run does).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def source_digest(folder: Path) -> str:
    """A hash of every ``*.py`` file under `folder`: its path relative to `folder` and bytes."""
    digest = hashlib.sha256()
    for source in sorted(folder.rglob("*.py")):
        digest.update(source.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """A hash of qbank's own source: cached work is redone whenever qbank's code changes
    (also between releases, in a development install)."""
    return source_digest(PACKAGE)


@functools.cache
def runner_fingerprint() -> str:
    """A hash of the runner's source: any change to how runs execute invalidates cached runs."""
    return source_digest(PACKAGE / "runner")[:16]
