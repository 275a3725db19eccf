"""Imported banks as house-style YAML files: planned in memory, checked, then written.

One file per :class:`~qbank.importers.base.ImportedBank`, at its category path under the
output folder (:mod:`qbank.importers.ids`), starting with the schema comment the shipped
banks have, then `schema_version`, `title`, the other bank keys and the questions. Above
each question a comment names its source line (``# from legacy.gift:12``), followed by the
importer's comments (what the model cannot hold, kept as raw text). A question whose data
breaks the model is written commented out, with an ``import-invalid`` issue saying why:
nothing is lost, and every file written loads with no error. Images go beside the bank.

Nothing is written when a file would be overwritten (unless `force`) or two files collide:
the whole import is refused first, then every file is written atomically.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from qbank.errors import ImportRefused, QbankError
from qbank.fileio import collision, write_all_atomic
from qbank.importers import yamlstyle
from qbank.importers.base import ImportedBank, ImportedQuestion, ImportIssue, ImportResult
from qbank.importers.ids import bank_parts, bank_paths, question_ids
from qbank.importers.media import hashed
from qbank.loading import default_bank_id, project_root
from qbank.loading.files import default_id_problem
from qbank.loading.yamlio import compose, to_python
from qbank.model import SCHEMA_VERSION, Bank


@dataclass
class WrittenBank:
    """One bank file an import writes."""

    path: Path
    source: str
    questions: int
    """Questions that load."""
    invalid: int = 0
    """Questions written commented out (each one an ``import-invalid`` issue)."""


@dataclass
class ImportPlan:
    """Every file an import writes, with what it reports; nothing is written yet."""

    files: dict[Path, bytes] = field(default_factory=dict)
    banks: list[WrittenBank] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def plan_import(results: Sequence[ImportResult], out: Path) -> ImportPlan:
    """The files `results` become under `out` (checked: each loads with no error)."""
    plan = ImportPlan()
    banks = [bank for result in results for bank in result.banks]
    found = [issue for result in results for issue in result.issues]
    owners: dict[tuple[str, int], str | None] = {}
    for bank, path in zip(banks, bank_paths(banks, out), strict=True):
        renamed = _add_media(plan, bank, path)
        text, written, issues, ids = _render_bank(_relinked(bank, renamed), path)
        plan.files[path] = text.encode("utf-8")
        plan.banks.append(written)
        plan.issues += issues
        for question, qid in zip(bank.questions, ids, strict=True):
            key = (bank.source, question.line)
            owners[key] = None if key in owners else qid  # two on one line: no owner
    named = [_named(issue, owners) for issue in found]
    plan.issues = sorted(named + plan.issues, key=lambda i: (i.path, i.line))
    return plan


def _named(issue: ImportIssue, owners: Mapping[tuple[str, int], str | None]) -> ImportIssue:
    """An importer's issue with the id its question got in the written bank."""
    owner = owners.get((issue.path, issue.line))
    if issue.question is None and owner is not None:
        return dataclasses.replace(issue, question=owner)
    return issue


def _render_bank(
    bank: ImportedBank, path: Path
) -> tuple[str, WrittenBank, list[ImportIssue], list[str]]:
    issues: list[ImportIssue] = []
    lines = _top(bank, path) + _header(bank, path, issues)
    blocks: list[list[str]] = []
    written = WrittenBank(path, bank.source, 0)
    ids = question_ids(bank.questions)
    for question, (qid, why) in zip(bank.questions, ids, strict=True):
        if why:
            issues.append(ImportIssue(bank.source, question.line, why, "id", qid))
        data = {**question.data, "id": qid}
        error = question_error(data)
        if error:
            message = f"{error}; the question is written commented out: fix it, then uncomment it"
            issues.append(ImportIssue(bank.source, question.line, message, "invalid", qid))
            written.invalid += 1
        else:
            written.questions += 1
        blocks.append(_question_block(bank.source, question, data, error))
    for comment in bank.comments:
        lines += yamlstyle.comment_lines(comment)
    lines.append("questions:" if written.questions else "questions: []")
    for block in blocks:
        lines += [*block, ""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    _check(text, path)
    return text, written, issues, [qid for qid, _ in ids]


def _top(bank: ImportedBank, path: Path) -> list[str]:
    schema = project_root(path) / "schema" / "bank.schema.json"
    relative = PurePosixPath(Path(os.path.relpath(schema, path.parent)).as_posix())
    where = f" (category: {' / '.join(bank.category)})" if bank.category else ""
    return [
        f"# yaml-language-server: $schema={relative}",
        "#",
        *yamlstyle.comment_lines(f"Imported by `qbank import` from {bank.source}{where}."),
    ]


def _header(bank: ImportedBank, path: Path, issues: list[ImportIssue]) -> list[str]:
    """The bank's own keys (a key the model refuses is kept as a comment, with an issue).
    The title defaults to the category's last part, unless `data` gives `title: None`."""
    title = bank.title or (bank.category[-1] if bank.category else Path(bank.source).stem)
    keys: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "title": title, **bank.data}
    if bank.tags:
        keys["tags"] = list(bank.tags)
    if "id" not in keys and default_id_problem(str(path), default_bank_id(path)):
        keys["id"] = "/".join(bank_parts(bank))
    keys.pop("questions", None)
    if keys["title"] is None:  # `data` says the bank has no title (qbank's own JSON)
        del keys["title"]
    header = yamlstyle.ordered(keys, yamlstyle.BANK_ORDER)
    error = _error_of(header)
    if error is None:
        return yamlstyle.dump(header).splitlines()
    message = f"the bank's keys break the format ({error}): they are written commented out"
    issues.append(ImportIssue(bank.source, 1, message, "invalid"))
    return yamlstyle.commented(yamlstyle.dump(header).splitlines(), indent="")


def _error_of(data: Mapping[str, Any]) -> str | None:
    try:
        Bank.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    except ValueError as exc:  # pragma: no cover - a validator raising outside pydantic
        return str(exc)
    return None


def question_error(data: Mapping[str, Any]) -> str | None:
    """Why a question's data breaks the model (None: it loads)."""
    error = _error_of({"questions": [data]})
    if error is None:
        return None
    # `questions.0.multiple_choice.choices` -> `choices`: the place inside the question.
    parts = error.split(": ", 1)
    where = parts[0].split(".")[2:] if parts[0].startswith("questions.0") else []
    tag = str(data.get("type", ""))
    where = where[1:] if where[:1] == [tag] else where
    if len(parts) != 2 or not parts[0].startswith("questions.0"):
        return error
    return f"{'.'.join(where)}: {parts[1]}" if where else parts[1]


def _question_block(
    source: str, question: ImportedQuestion, data: dict[str, Any], error: str | None
) -> list[str]:
    lines = []
    for comment in question.preceding:
        lines += yamlstyle.comment_lines(comment, indent="  ")
    lines += yamlstyle.comment_lines(f"from {source}:{question.line}", indent="  ")
    for comment in question.comments:
        lines += yamlstyle.comment_lines(comment, indent="  ")
    body = yamlstyle.question_lines(data)
    if error is None:
        return lines + body
    lines += yamlstyle.comment_lines(f"[import-invalid] {error}", indent="  ")
    return lines + yamlstyle.commented(body)


def _check(text: str, path: Path) -> None:
    """The text loads as a bank (a failure here is a qbank bug, never the source's)."""
    root, issue = compose(text)
    try:
        if issue is not None or root is None:
            raise ValueError(issue.message if issue else "empty")
        Bank.model_validate(to_python(root))
    except (ValueError, ValidationError) as exc:
        raise QbankError(f"{path}: the written bank would not load (a qbank bug): {exc}") from exc


def _add_media(plan: ImportPlan, bank: ImportedBank, path: Path) -> dict[str, str]:
    """Plan the bank's images beside it; the names changed (old -> new) because a bank
    written earlier into the same folder has another image of that name: the second bank
    would otherwise show the first one's image, so its copy is told apart by a hash."""
    renamed: dict[str, str] = {}
    for name, data in sorted(bank.media.items()):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            message = f"the image {name!r} is outside the bank's folder: it is not written"
            plan.issues.append(ImportIssue(bank.source, 1, message, "lost"))
            continue
        target = path.parent.joinpath(*relative.parts)
        if plan.files.get(target, data) != data:
            renamed[name] = hashed(name, data)
            target = path.parent.joinpath(*PurePosixPath(renamed[name]).parts)
        if plan.files.get(target, data) != data:  # pragma: no cover - a sha256 prefix clash
            message = f"another bank's image is already {target}: {name!r} is not written"
            plan.issues.append(ImportIssue(bank.source, 1, message, "lost"))
            continue
        plan.files[target] = data
    return renamed


def _relinked(bank: ImportedBank, renamed: Mapping[str, str]) -> ImportedBank:
    """`bank` with its text linking each renamed image by its new name."""
    if not renamed:
        return bank
    pattern = re.compile(
        r"(?<![\w./-])("
        + "|".join(map(re.escape, sorted(renamed, key=len, reverse=True)))
        + r")(?![\w/-]|\.\w)"
    )

    def relink(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(lambda match: renamed[match.group(1)], value)
        if isinstance(value, Mapping):
            return {key: relink(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [relink(item) for item in value]
        return value

    questions = [dataclasses.replace(q, data=relink(q.data)) for q in bank.questions]
    return dataclasses.replace(bank, questions=questions, data=relink(bank.data))


def write_plan(plan: ImportPlan, *, force: bool = False) -> None:
    """Write every planned file, or none: refused when two collide, or when one exists and
    `force` is not given (:class:`ImportRefused`)."""
    paths = list(plan.files)
    found = collision(paths)
    if found is not None:
        raise ImportRefused(f"{found}: nothing was written")
    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if existing and not force:
        shown = ", ".join(str(p) for p in existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise ImportRefused(
            f"{len(existing)} file(s) already exist ({shown}): nothing was written; "
            "give --force to overwrite them"
        )
    try:
        write_all_atomic([(p, data) for p, data in plan.files.items()])
    except OSError as exc:
        raise QbankError(f"cannot write the imported banks: {exc}") from exc


__all__ = ["ImportPlan", "WrittenBank", "plan_import", "question_error", "write_plan"]
