"""``qbank.import_banks``: read legacy sources, optionally infer, write YAML banks.

Each source (a file, or every file of a folder whose format is told) is read by the importer of its format (``format``, or guessed from the file:
:func:`qbank.importers.registry.guess`), ``infer`` turns recognisable "what does this
print?" items into questions validation can check (:mod:`qbank.importers.infer`), and the
banks are written as planned by :mod:`qbank.importers.writing`, all or nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbank.errors import ImporterNotFound, QbankError
from qbank.importers import registry
from qbank.importers.base import ImportIssue, ImportResult
from qbank.importers.infer import infer as infer_result
from qbank.importers.writing import WrittenBank, plan_import, write_plan

PathLike = str | os.PathLike[str]


@dataclass
class ImportReport:
    """What an import wrote and reported."""

    banks: list[WrittenBank] = field(default_factory=list)
    """The bank files written, one per source category."""
    files: list[Path] = field(default_factory=list)
    """Every file written: the banks and their images."""
    issues: list[ImportIssue] = field(default_factory=list)
    """What the sources hold that the banks cannot, or hold in part (warnings)."""

    @property
    def questions(self) -> int:
        """Questions written that load (commented-out ones not counted)."""
        return sum(bank.questions for bank in self.banks)

    def summary(self, out: PathLike) -> str:
        """`3 bank(s), 41 question(s) written to DIR; 5 warning(s)`."""
        return (
            f"{len(self.banks)} bank(s), {self.questions} question(s) written to {out}; "
            f"{len(self.issues)} warning(s)"
        )


def read_source(path: Path, format: str | None = None) -> ImportResult:
    """One source read by the importer of its format (given, or guessed from the file)."""
    if not path.is_file():
        raise QbankError(f"{path}: no such file")
    name = format or registry.guess(path)
    importer = registry.get(name)()
    return importer.read(path)


def read_folder(folder: Path, format: str | None = None) -> list[ImportResult]:
    """Every file under `folder` (sorted, hidden ones left out) whose format is told (or
    that the `format` importer claims); the others (images, media records, notes) are one
    ``import-skipped`` issue naming a few, never an error."""
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder))
    )
    results, skipped = [], []
    for path in files:
        if _claimed(path, format):
            results.append(read_source(path, format))
        else:
            skipped.append(path.relative_to(folder).as_posix())
    if skipped:
        some = ", ".join(skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        message = (
            f"{len(skipped)} file(s) in the folder are no bank of a known format ({some}): "
            "not read as banks (images and media records come in with the banks that use "
            "them; name a bank file with --from FORMAT to import it)"
        )
        results.append(ImportResult([], [ImportIssue(str(folder), 1, message, "skipped")]))
    return results


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _claimed(path: Path, format: str | None) -> bool:
    """Whether `path` is a source to import: its format is told, or `format` claims it. A
    binary file (a NUL in its head) is one only when its content says so (a zip, a package):
    an image holding `{` and `}` is no GIFT."""
    with path.open("rb") as handle:
        head = handle.read(registry.HEAD_SIZE)
    if b"\0" in head and registry.content_format(path, head) is None:
        return False
    if format is None:
        try:
            registry.guess(path)
        except ImporterNotFound:
            return False
        return True
    return registry.get(format).sniff(path, head)


def import_banks(
    sources: PathLike | Sequence[PathLike],
    out: PathLike,
    *,
    format: str | None = None,
    infer: bool = False,
    force: bool = False,
) -> ImportReport:
    """Import `sources` (legacy banks) as YAML banks under `out`.

    `format` is an importer name (``qbank import --from``; default: guessed per file);
    `infer` makes "what does this print?" items `output` questions; `force` overwrites
    existing files. Raises :class:`~qbank.errors.ImporterNotFound` for an unknown format
    or a file whose format cannot be told, :class:`~qbank.errors.ImportRefused` when a file
    would be overwritten, :class:`~qbank.errors.QbankError` for a source that cannot be
    read; nothing is written then.
    """
    paths = [Path(sources)] if isinstance(sources, str | os.PathLike) else list(map(Path, sources))
    if not paths:
        raise QbankError("no source given: name the files to import")
    results = [
        result
        for path in paths
        for result in (read_folder(path, format) if path.is_dir() else [read_source(path, format)])
    ]
    if infer:
        results = [infer_result(result) for result in results]
    plan = plan_import(results, Path(out))
    write_plan(plan, force=force)
    return ImportReport(plan.banks, list(plan.files), plan.issues)


__all__ = ["ImportReport", "import_banks", "read_folder", "read_source"]
