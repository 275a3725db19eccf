"""Writing files atomically: a failed write never leaves a half file or destroys the old one.

Several files are written in three steps: the paths are checked against each other and the
disk (no two the same, none the folder of another, none differing only in case, no folder
where a file goes, no file where a folder goes), every file is staged as a temp file beside
its target, then each temp file replaces its target by a rename. A failure before the
renames changes nothing; one during them (rare: the disk changed under the export) leaves
the files already renamed, and the error says which were and which were not replaced. Either
way no temp file is left, nor any folder made for the files and left empty.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class WriteIncomplete(OSError):
    """Writing stopped after some files had replaced their old versions."""

    def __init__(self, cause: OSError, replaced: list[Path], not_replaced: list[Path]) -> None:
        super().__init__(cause.errno, str(cause))
        self.cause, self.replaced, self.not_replaced = cause, replaced, not_replaced


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@dataclass(frozen=True)
class Collision:
    """Two paths that cannot both be written."""

    first: Path
    second: Path
    folder: bool
    """The first would have to be a folder holding the second (else: the same file)."""
    case_only: bool
    """They collide only where a file system ignores case (macOS's and Windows' usual ones)."""

    def __str__(self) -> str:
        why = "the first would be a folder holding the second" if self.folder else "one file"
        case = " on a file system that ignores case" if self.case_only else ""
        return f"{self.first} and {self.second} cannot both be written ({why}{case})"


def collision(paths: Sequence[Path]) -> Collision | None:
    """Two of `paths` that cannot both be written: the same path, one the folder of the
    other, or either of those but for case."""
    files: dict[tuple[str, ...], Path] = {}
    folders: dict[tuple[str, ...], Path] = {}  # a folder the files need -> one file in it
    for path in paths:
        key = tuple(part.casefold() for part in Path(os.path.abspath(path)).parts)
        if key in files:
            return _collision(files[key], path, folder=False)
        if key in folders:
            return _collision(path, folders[key], folder=True)
        above = next((files[key[:i]] for i in range(1, len(key)) if key[:i] in files), None)
        if above is not None:
            return _collision(above, path, folder=True)
        files[key] = path
        for i in range(1, len(key)):
            folders.setdefault(key[:i], path)
    return None


def _collision(first: Path, second: Path, *, folder: bool) -> Collision:
    one, two = Path(os.path.abspath(first)).parts, Path(os.path.abspath(second)).parts
    exact = two[: len(one)] == one if folder else one == two
    return Collision(first, second, folder, case_only=not exact)


def _check_disk(target: Path) -> None:
    """Refuse a target the disk has a folder at, or one below a file."""
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder")
    for parent in target.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise NotADirectoryError(f"{parent} is a file, not a folder (for {target})")
            return


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Make `folder` and its missing parents, adding each one made to `made`."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir()
        except FileExistsError:
            if not each.is_dir():
                raise
            continue  # made meanwhile by someone else: not ours to remove
        made.append(each)


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temp file beside `target` (same folder, so a rename is atomic), with
    the mode a new file would get (or the old file's mode)."""
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

    Raises OSError with nothing replaced when the paths collide or staging fails, and
    :class:`WriteIncomplete` (an OSError) when a rename fails after others succeeded."""
    found = collision([path for path, _ in files])
    if found is not None:
        raise FileExistsError(str(found))
    for target, _ in files:
        _check_disk(target)
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    try:
        for target, data in files:
            _make_folders(target.parent, made)
            staged.append((_stage(target, data), target))
    except BaseException:
        _clean([temp for temp, _ in staged], made)
        raise
    _replace(staged, made)


def _replace(staged: list[tuple[Path, Path]], made: list[Path]) -> None:
    for index, (temp, target) in enumerate(staged):
        try:
            os.replace(temp, target)
        except BaseException as exc:
            _clean([t for t, _ in staged[index:]], made)
            if not isinstance(exc, OSError) or not index:
                raise
            done, left = [t for _, t in staged[:index]], [t for _, t in staged[index:]]
            raise WriteIncomplete(exc, done, left) from exc


def _clean(temps: list[Path], made: list[Path]) -> None:
    """Remove temp files, then the folders made for them that are left empty."""
    for temp in temps:
        with contextlib.suppress(OSError):
            temp.unlink()
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: a folder holding a replaced file stays
