"""A QTI package (``.zip``) read safely into memory.

Nothing is extracted to disk. A member whose name could escape a folder (``..``, an absolute
path, a drive) is not read; a member larger than :data:`MAX_MEMBER` once inflated, or a
package larger than :data:`MAX_TOTAL` in all (a zip bomb), is cut off: the sizes the archive
claims are not trusted, the bytes are counted as they are inflated. A file that is not a
zip, or whose data is corrupt, is one :class:`~qbank.errors.QbankError`.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qbank.errors import QbankError

MAX_MEMBERS = 10_000
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass
class Package:
    """The members of a package read (name -> bytes), and those left out (name -> why)."""

    files: dict[str, bytes] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def safe_name(name: str) -> bool:
    """Whether a member name stays inside the package's folder."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    return ".." not in PurePosixPath(name).parts


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes | None:
    """The member's bytes, or None when it inflates past its cap (or the budget left)."""
    cap = min(MAX_MEMBER, budget)
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def read_package(path: Path) -> Package:
    """Every safe member of the zip at `path`; raises QbankError for a broken archive."""
    package = Package()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if len(infos) > MAX_MEMBERS:
                raise QbankError(f"{path}: refused: {len(infos)} members (at most {MAX_MEMBERS})")
            budget = MAX_TOTAL
            for info in infos:
                if not safe_name(info.filename):
                    package.refused[info.filename] = "its path leaves the package"
                    continue
                data = _read_member(archive, info, budget)
                if data is None:
                    package.refused[info.filename] = (
                        f"it inflates past {min(MAX_MEMBER, budget) // (1024 * 1024)} MiB"
                    )
                    continue
                budget -= len(data)
                package.files[info.filename] = data
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as failed:
        raise QbankError(
            f"{path}: not a readable QTI package: the zip is corrupt ({failed})"
        ) from None
    except OSError as failed:
        raise QbankError(f"{path}: cannot be read: {failed.strerror or failed}") from None
    return package


__all__ = ["MAX_MEMBER", "MAX_MEMBERS", "MAX_TOTAL", "Package", "read_package", "safe_name"]
