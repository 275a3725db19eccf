"""Writing files atomically: a failed write never leaves a half file or destroys the old one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temp file beside `target` (same folder, so a rename is atomic), with
    the mode a new file would get (or the old file's mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder and a rename."""
    write_all_atomic([(Path(path), data)])


def write_all_atomic(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files: every file is staged first, and none replaces its old version
    unless all of them could be staged (a full disk or a folder in the way changes nothing).
    Raises OSError (with nothing replaced) when staging fails."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            if target.is_dir():
                raise IsADirectoryError(f"{target} is a folder")
            staged.append((_stage(target, data), target))
    except BaseException:
        for temp, _ in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    for temp, target in staged:
        os.replace(temp, target)
