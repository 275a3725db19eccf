"""``qbank.export``: validate, filter, render and write a collection through an exporter.

Where files go (``out``, the ``-o`` of ``qbank export``):

* ``out`` is a **folder** (it exists as one, or its suffix is not the format's extension):
  one file per bank, ``<out>/<bank-id><ext>`` (a bank id's slashes become folders); a format
  that writes several files per bank adds a suffix (``<bank-id>.key.md``).
* ``out`` **ends with the format's extension** (``quiz.gift``): one file. A format that can
  hold a collection (GIFT) writes every bank into it; any other format accepts a file only
  when exactly one bank is exported.
* ``format="all"``: every registered format, each into ``<out>/<format>/`` as above.

A format may also write extra files per bank (``render_bank_assets``: Markdown and JSON copy
the images into ``media/`` beside the bank's files); two banks that share an image write it
once, and an extra file is checked against every other file like the bank files are.

Two banks whose files collide are an :class:`ExportError` naming both, raised before anything
is written: the same path (bank ids ``a`` and ``a.key`` with the Markdown format: ``a.key.md``
is both bank ``a``'s answer key and bank ``a.key``'s page), a file that another bank needs as
a folder (``x`` and ``x.md/y``: ``x.md`` and ``x.md/y.md``), or either of those but for case
(``Intro`` and ``intro``: one file on macOS and Windows).

Nothing is written unless every file rendered: validation problems refuse the export (unless
``allow_invalid``), and with ``strict`` any warning (validation or lossy conversion) does too.
Files are written atomically (:mod:`qbank.fileio`), so a failed export never leaves half a
file, a temp file or a folder it made; the error says whether anything was replaced, and
what, in the rare case that the disk changed under the export between two renames.

With ``allow_invalid``, each question that fails validation is exported marked: one
``export-invalid`` warning per question, the tag ``qbank-invalid`` in formats with tags, and
no generated feedback (which could contradict its authored key). These warnings echo errors
the caller chose to allow, so ``strict`` does not refuse them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qbank import exporters as registry
from qbank.errors import ExportError, ExportRefused, Problem
from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.variants import VariantsChoice, chosen
from qbank.fileio import Collision, WriteIncomplete, collision, write_all_atomic
from qbank.loading import project_root
from qbank.model import Collection, LoadedBank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import open_cache, validate

ALL = "all"
PathsOrCollection = str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | Collection
ExportOptionsArg = ExporterOptions | Mapping[str, object] | None


@dataclass
class ExportResult:
    """What an export did."""

    report: Report
    """The validation report the export used."""
    files: list[Path] = field(default_factory=list)
    """Every file written, in order."""
    warnings: list[Problem] = field(default_factory=list)
    """Lossy conversions (and validation warnings) found."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Format -> why it was not exported (``format="all"`` only: unavailable exporters)."""


def export(
    paths_or_collection: PathsOrCollection,
    format: str,
    out: str | os.PathLike[str],
    *,
    tags: Iterable[str] | None = None,
    allow_invalid: bool = False,
    strict: bool = False,
    options: ExportOptionsArg = None,
    validation: Options | None = None,
    variants: VariantsChoice = "first",
) -> ExportResult:
    """Validate, then export the banks under `paths_or_collection` to `format` at `out`.

    `variants`: what a format that cannot draw one of a question's variants at random
    (Anki, Markdown, ...) gets of them: the first, or all."""
    if not isinstance(paths_or_collection, Collection | str | os.PathLike):
        paths_or_collection = list(paths_or_collection)  # read twice: a generator would not be
    report = _validated(paths_or_collection, validation or Options())
    problems = [p for p in report.problems if p.severity == "error" or strict]
    if problems and not allow_invalid:
        raise ExportRefused(refusal(problems), problems)
    project = _project(paths_or_collection, report.collection)
    banks = filter_banks(report.collection, tags)
    if not banks:
        wanted = f" with the tags {', '.join(sorted(tags))}" if tags else ""
        raise ExportError(f"no question to export{wanted}: no bank found or none selected")
    result = ExportResult(report, warnings=[p for p in report.problems if p.severity == "warning"])
    marked = invalid_warnings(report, banks) if allow_invalid else []
    exporters = _exporters(format, project, options, result.skipped)
    planned: list[tuple[Path, bytes]] = []
    with _highlight_memory(exporters, report, validation or Options()):
        for exporter in exporters:
            target = Path(out) / exporter.name if format == ALL else Path(out)
            planned += _one_format(exporter, banks, target, result, project, variants)
    if strict and (result.warnings or result.skipped):
        raise ExportRefused(refusal(result.warnings, result.skipped), result.warnings)
    result.warnings += marked
    found = collision([path for path, _ in planned])
    if found is not None:  # between formats (`all`): each plan was checked on its own
        raise ExportError(f"{found}: nothing was written")
    try:
        write_all_atomic(planned)
    except WriteIncomplete as exc:
        raise ExportError(incomplete_message(exc)) from exc
    except OSError as exc:
        raise ExportError(f"cannot write the export, nothing was replaced: {exc}") from exc
    result.files = [path for path, _ in planned]
    return result


def _exporters(
    format: str, project: Path | None, options: ExportOptionsArg, skipped: dict[str, str]
) -> list[Exporter]:
    """The exporter of `format`, or of every format for ``all`` (those that cannot load are
    put in `skipped` with the reason)."""
    exporters: list[Exporter] = []
    for name in registry.names(project) if format == ALL else [format]:
        try:
            exporter_class = registry.get(name, project)
        except ExportError as exc:
            if format != ALL:
                raise
            skipped[name] = str(exc)
            continue
        exporters.append(exporter_class(options if format != ALL else None))
    return exporters


def refusal(problems: list[Problem], skipped: Mapping[str, str] | None = None) -> str:
    """Why an export is refused, as one sentence with the counts (the problems are listed
    apart): ``2 error(s) in the banks: export refused (fix them, or use --allow-invalid)``."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    counts = [f"{errors} error(s)"] if errors else []
    counts += [f"{warnings} warning(s)"] if warnings else []
    counts += [f"{len(skipped)} format(s) skipped"] if skipped else []
    where = "with --strict" if warnings or skipped else "in the banks"
    if not errors:
        advice = "fix them, or export without --strict"
    elif where == "in the banks":
        advice = "fix them, or use --allow-invalid"
    else:
        advice = "fix them, or use --allow-invalid without --strict"
    return f"{' and '.join(counts) or 'problems'} {where}: export refused ({advice})"


def invalid_warnings(report: Report, banks: list[LoadedBank]) -> list[Problem]:
    """One ``export-invalid`` warning per exported question that fails validation."""
    context = ExportContext(report)
    for loaded in banks:
        for question in loaded.bank.questions:
            if context.fails(loaded, question):
                context.warn(
                    loaded, question, "exported although it fails validation", "export-invalid"
                )
    return context.warnings


def _rendered(
    exporter: Exporter, banks: list[LoadedBank], target: Path, context: ExportContext
) -> list[tuple[Path, bytes]]:
    """The files of one exporter; a failing exporter (a plugin's bug) is one clear error."""
    try:
        return plan(exporter, banks, target, context)
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"exporter {exporter.name} failed: {type(exc).__name__}: {exc}") from exc


@contextlib.contextmanager
def _highlight_memory(
    exporters: list[Exporter], report: Report, options: Options
) -> Iterator[None]:
    """Keep highlighted snippets in the project's cache between exports (Pygments is slow)."""
    cache = None
    if options.cache and any(e.highlights_code for e in exporters):
        cache = open_cache([b.path for b in report.collection.banks[:1]], options)
    if cache is None:
        yield
        return
    from qbank.exporters import highlight

    try:
        stored = cache.get_object(highlight.memory_key())
        if isinstance(stored, dict):
            highlight.remember(stored)
        before = len(highlight.remembered())
        yield
        now = highlight.remembered()
        if len(now) != before:
            cache.put_object(highlight.memory_key(), now)
    finally:
        cache.close()


def _validated(source: PathsOrCollection, options: Options) -> Report:
    if isinstance(source, Collection):
        return validate((), options, collection=source)
    paths = [source] if isinstance(source, str | os.PathLike) else list(source)
    return validate(paths, options)


def _project(source: PathsOrCollection, collection: Collection) -> Path | None:
    """The bank project's root: where its local ``exporters/`` folder would be."""
    if isinstance(source, Collection):
        items: list[str | os.PathLike[str]] = [b.path for b in collection.banks[:1]]
    else:
        items = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not items:
        return None
    first = Path(items[0])
    return project_root(first / "_" if first.is_dir() else first)


def _one_format(
    exporter: Exporter,
    banks: list[LoadedBank],
    target: Path,
    result: ExportResult,
    project: Path | None,
    variants: VariantsChoice,
) -> list[tuple[Path, bytes]]:
    """The files of one format; its warnings join `result`'s."""
    context = ExportContext(result.report, template_dirs=registry.template_dirs(project))
    given = banks if exporter.draws_variants else _with_variants(banks, variants)
    planned = _rendered(exporter, given, target, context)
    result.warnings += context.warnings
    return planned


def _with_variants(banks: list[LoadedBank], choice: VariantsChoice) -> list[LoadedBank]:
    """The banks with, of each question with variants, the ones `choice` says."""
    if choice == "all":
        return banks
    kept = []
    for loaded in banks:
        questions = chosen(loaded, choice)
        if len(questions) != len(loaded.bank.questions):
            loaded = loaded.model_copy(
                update={"bank": loaded.bank.model_copy(update={"questions": questions})}
            )
        kept.append(loaded)
    return kept


def filter_banks(collection: Collection, tags: Iterable[str] | None) -> list[LoadedBank]:
    """The banks with only the questions carrying one of `tags` (all when None); empty ones
    are dropped."""
    wanted = set(tags or ())
    if not wanted:
        return list(collection.banks)
    kept = []
    for loaded in collection.banks:
        questions = tuple(q for q in loaded.bank.questions if wanted & {*loaded.bank.tags, *q.tags})
        if questions:
            bank = loaded.bank.model_copy(update={"questions": questions})
            kept.append(loaded.model_copy(update={"bank": bank}))
    return kept


def plan(
    exporter: Exporter, banks: list[LoadedBank], out: Path, context: ExportContext
) -> list[tuple[Path, bytes]]:
    """Render every file the export writes (see the module docstring for `out`)."""
    extension = exporter.file_extension
    one_file = out.suffix == extension and not out.is_dir()
    if one_file and exporter.collection_file:
        content = exporter.render_collection(Collection(list(banks)), context)
        return [(out, _bytes(content))]
    if one_file and len(banks) != 1:
        raise ExportError(
            f"{exporter.name} writes one file per bank and {len(banks)} banks are exported: "
            f"give -o a folder, not {out}"
        )
    planned: dict[Path, bytes] = {}
    owners: dict[Path, str] = {}
    extra: dict[Path, tuple[str, bytes]] = {}  # a bank's extra files: path -> (bank, bytes)
    for loaded in banks:
        base = out.with_suffix("") if one_file else out / loaded.id
        for suffix, content in exporter.render_bank_files(loaded, context).items():
            path = base.with_name(base.name + suffix + extension)
            if path in owners:
                raise ExportError(
                    f"{exporter.name}: banks {owners[path]!r} and {loaded.id!r} would both be "
                    f"written to {path}: rename one of them (nothing was written)"
                )
            owners[path] = loaded.id
            planned[path] = _bytes(content)
        assets = exporter.render_bank_assets(loaded, context)
        _plan_assets(exporter.name, loaded.id, base.parent, assets, extra)
    for path, (bank, data) in extra.items():
        if path in planned:
            raise ExportError(
                f"{exporter.name}: bank {bank!r} would write {path}, bank {owners[path]!r}'s "
                "own file: rename one of them (nothing was written)"
            )
        owners[path], planned[path] = bank, data
    found = collision(list(planned))
    if found is not None:
        raise ExportError(f"{exporter.name}: {collision_message(found, owners)}")
    return list(planned.items())


def _plan_assets(
    name: str,
    bank: str,
    folder: Path,
    assets: Mapping[str, bytes],
    extra: dict[Path, tuple[str, bytes]],
) -> None:
    """Add a bank's extra files (images) to `extra`: one that two banks give with the same
    bytes is written once; with other bytes, the export is refused."""
    for relative, data in sorted(assets.items()):
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
            raise ExportError(f"{name}: bank {bank!r} gives the unsafe file path {relative!r}")
        path = folder.joinpath(*parts)
        if path in extra and extra[path][1] != data:
            raise ExportError(
                f"{name}: banks {extra[path][0]!r} and {bank!r} would both write {path}, "
                "with different content: rename one of them (nothing was written)"
            )
        extra.setdefault(path, (bank, data))


def collision_message(found: Collision, owners: Mapping[Path, str]) -> str:
    """Two banks' files that cannot both be written (not the very same path), said with the
    banks' ids."""
    first, second = owners.get(found.first, "?"), owners.get(found.second, "?")
    if not found.folder:
        said = (
            f"banks {first!r} and {second!r} would be written to {found.first} and "
            f"{found.second}, one file on a file system that ignores case (macOS, Windows)"
        )
    else:
        case = " (on a file system that ignores case)" if found.case_only else ""
        said = (
            f"bank {first!r} would be written to the file {found.first}, but bank {second!r} "
            f"needs a folder there{case} for {found.second}"
        )
    return said + ": rename one of them (nothing was written)"


def incomplete_message(exc: WriteIncomplete) -> str:
    """What an export that stopped between renames did and did not replace."""
    done = ", ".join(str(path) for path in exc.replaced)
    left = ", ".join(str(path) for path in exc.not_replaced)
    return (
        f"cannot write the export: {exc.cause}; {len(exc.replaced)} file(s) were replaced "
        f"({done}) and {len(exc.not_replaced)} were not ({left}); export again once the "
        "cause is fixed"
    )


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


__all__ = [
    "ALL",
    "ExportRefused",
    "ExportResult",
    "export",
    "filter_banks",
    "invalid_warnings",
    "plan",
    "refusal",
]
