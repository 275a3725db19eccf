"""qbank's own JSON (``qbank export --format json``) back to a YAML bank.

The JSON holds the bank with full fidelity: every key the author wrote, the bank's resolved
``id`` and ``schema_version``. The bank file written is at the bank's id under the output
folder (``python/basics`` -> ``python/basics.yaml``) and keeps that id, so Anki GUIDs and
Moodle names stay the same. The images a ``<bank>.media.json`` record lists beside it
(``media/<name>``) are written beside the bank again, at the paths the Markdown references.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, ImportedQuestion, Importer, ImportIssue, ImportResult
from qbank.loading.yamlio import compose
from qbank.model import SCHEMA_VERSION

MEDIA_SUFFIX = ".media.json"
VARIANTS_SUFFIX = ".variants.json"
RECORDS = (MEDIA_SUFFIX, VARIANTS_SUFFIX)
"""Records the JSON exporter writes beside a bank: never banks themselves."""


class JsonImporter(Importer):
    """qbank's JSON export, back to house-style YAML."""

    name = "json"
    description = "qbank's own JSON export (with its `.media.json` record and images)"
    suffixes = (".json",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.suffix.lower() != ".json" or path.name.lower().endswith(RECORDS):
            return False
        start = head.lstrip()
        return start.startswith(b"{") and b'"questions"' in head

    def read(self, path: Path) -> ImportResult:
        if path.name.lower().endswith(RECORDS):
            what = "media" if path.name.lower().endswith(MEDIA_SUFFIX) else "variants"
            raise QbankError(f"{path} is the {what} record of a bank: import the bank beside it")
        text = _text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise QbankError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            raise QbankError(f"{path} is not a qbank JSON bank (no `questions` list)")
        version = data.pop("schema_version", SCHEMA_VERSION)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise QbankError(
                f"{path} uses schema_version {version}; this qbank reads up to "
                f"{SCHEMA_VERSION}: upgrade qbank"
            )
        return _result(path, data, _question_lines(text, len(data["questions"])))


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise QbankError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise QbankError(f"{path} is not UTF-8 text") from exc


def _question_lines(text: str, count: int) -> list[int]:
    """The line each question starts on (1 when the text cannot be composed as YAML)."""
    root, issue = compose(text)
    if issue is None and root is not None:
        for key, value in getattr(root, "value", []):
            if getattr(key, "value", None) == "questions":
                lines = [item.start_mark.line + 1 for item in value.value]
                if len(lines) == count:
                    return lines
    return [1] * count


def _result(path: Path, data: dict[str, Any], lines: list[int]) -> ImportResult:
    source = str(path)
    bank_id = data.get("id")
    category = tuple(bank_id.split("/")) if isinstance(bank_id, str) and bank_id else ()
    questions = [
        ImportedQuestion(
            data=dict(q) if isinstance(q, dict) else {"question": q},
            line=line,
            idnumber=q.get("id") if isinstance(q, dict) and isinstance(q.get("id"), str) else None,
        )
        for q, line in zip(data.pop("questions"), lines, strict=True)
    ]
    title = data.get("title")
    bank = ImportedBank(source, category, title if isinstance(title, str) else None, questions)
    data.setdefault("title", None)  # none given: the bank gets none (not the category's)
    bank.data = data
    result = ImportResult([bank])
    _media(path, bank, result)
    return result


def _media(path: Path, bank: ImportedBank, result: ImportResult) -> None:
    """The images the bank's `.media.json` record lists (figures are drawn by runs)."""
    record_path = path.with_name(path.name[: -len(path.suffix)] + MEDIA_SUFFIX)
    if not record_path.is_file():
        return
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        entries = [e for files in record["questions"].values() for e in files]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        message = (
            f"the media record {record_path.name} cannot be read ({exc}): images are not imported"
        )
        result.issues.append(ImportIssue(str(path), 1, message, "lost"))
        return
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("figure"):
            continue
        source, file = entry.get("source"), entry.get("file")
        problem = _read_image(record_path.parent, str(file), bank, str(source))
        if problem:
            message = f"the image {file} ({source}) listed in {record_path.name} {problem}"
            result.issues.append(ImportIssue(str(path), 1, message, "lost"))


def _read_image(folder: Path, file: str, bank: ImportedBank, source: str) -> str | None:
    """Read one listed image into the bank's media; what is wrong with it (None: read).

    The record is data, not a program: a `file` that leads out of the record's folder (an
    absolute path, `..`, or a symlink pointing elsewhere) would copy any file of the machine
    into the bank, so it is refused."""
    try:
        base, target = folder.resolve(), (folder / file).resolve()
        if not target.is_relative_to(base):
            return "is outside the record's folder: it is not imported (copy it beside the record)"
        bank.media[source] = target.read_bytes()
    except (OSError, RuntimeError, ValueError):  # missing, a symlink loop, a NUL in the name
        return "is missing or cannot be read"
    return None


__all__ = ["MEDIA_SUFFIX", "JsonImporter"]
