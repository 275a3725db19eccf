"""JSON: the bank with full fidelity, readable back by qbank and by any JSON tool.

One file per bank: the bank as a mapping, with its resolved ``id`` and ``schema_version``
stamped, keys sorted, two-space indentation. Exactly the fields the author gave are written
(so a ``value: null`` the author wrote stays and one never written does not appear), which
makes ``qbank validate out.json`` load a bank equal to the original.

The text is also valid YAML 1.1 that PyYAML reads back to the same values (qbank's loader
reads ``.json`` through its YAML parser): floats always carry a ``.`` and a signed exponent
(``1.0e-05``; YAML 1.1 reads ``1e-05`` as a string), and characters YAML refuses or folds
inside quoted strings (C1 controls, U+2028/2029, surrogates, BOM) are ``\\uXXXX`` escapes.

**Media.** The bank file keeps its image references as written (``![alt](figures/tree.png)``,
relative to the original bank), so it stays a bank: valid against the schema, loading back
equal. A bank whose questions show images also gets ``<bank-id>.media.json`` beside it, and
the images themselves in ``media/`` (shared with the other banks of that folder, names unique
by content)::

    {"bank": "python/figures", "schema_version": 1,
     "questions": {"<question id>": [{"source": "figures/tree.png", "name": "tree-1a2b….png",
       "file": "media/tree-1a2b….png", "sha256": "…", "mime": "image/png", "figure": false}]}}

``source`` is the reference as written (or the `figure:` file name, with ``figure: true``),
``file`` the copy's path relative to the JSON files.

**Variants.** A question with ``variants`` is written as authored (``variants``, ``params``
and its ``{{ name }}`` placeholders), so the bank loads back and draws the same variants. The
variants validation generated are recorded in ``<bank-id>.variants.json`` beside it, a
record like the media one (not a bank: ``id#k`` is no question id)::

    {"bank": "python/variants", "schema_version": 1,
     "questions": {"<question id>": [{"id": "<question id>#1", "params": {"n": "7"},
       "key_positions": [2], "question": {...the variant, as a bank question...}}]}}

``params`` holds each value's ``repr``; ``key_positions`` the 1-based places of the key
among the options (empty without options).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from qbank.errors import ExportError
from qbank.exporters.base import ExportContext, Exporter
from qbank.exporters.media import media_assets, media_src, question_media
from qbank.model import SCHEMA_VERSION, Bank, Collection, LoadedBank

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_INDENT = "  "


def bank_data(loaded: LoadedBank) -> dict[str, Any]:
    """The bank as plain data: authored fields only, plus its resolved id and schema_version.
    A bank with questions with `variants` is written as authored (`variants`, `params` and
    its `{{ name }}` placeholders), so that it loads back and draws the same variants."""
    bank = loaded.authored or loaded.bank
    data: dict[str, Any] = bank.model_dump(mode="python", exclude_unset=True)
    data["id"] = loaded.id
    data["schema_version"] = SCHEMA_VERSION
    return data


def dumps(value: object) -> str:
    """Deterministic JSON that is also YAML 1.1 with the same meaning (see module docstring)."""
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts) + "\n"


def _write(value: object, depth: int, out: list[str]) -> None:
    if isinstance(value, dict):
        _write_items(sorted(value.items()), depth, out, "{", "}")
    elif isinstance(value, list | tuple):
        _write_items(list(enumerate(value)), depth, out, "[", "]")
    else:
        out.append(_scalar(value))


def _write_items(
    items: list[tuple[Any, Any]], depth: int, out: list[str], opening: str, closing: str
) -> None:
    if not items:
        out.append(opening + closing)
        return
    inner = "\n" + _INDENT * (depth + 1)
    out.append(opening)
    for position, (key, item) in enumerate(items):
        out.append(inner if position == 0 else "," + inner)
        if opening == "{":
            out.append(_string(str(key)) + ": ")
        _write(item, depth + 1, out)
    out.append("\n" + _INDENT * depth + closing)


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, bool | int):
        return json.dumps(value)
    if isinstance(value, float):
        return _float(value)
    raise ExportError(f"cannot write {type(value).__name__} {value!r} as JSON")


def _string(text: str) -> str:
    dumped = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ExportError(f"JSON cannot hold the number {value!r}")
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa


class JsonExporter(Exporter):
    """The bank as JSON (one file per bank), loadable by qbank and valid against its schema."""

    name = "json"
    file_extension = ".json"
    description = "JSON, full fidelity (one file per bank; validates against `qbank schema`)"
    draws_variants = True  # writes the question as authored, and records every variant

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        """The bank's JSON text."""
        return dumps(bank_data(loaded))

    def render_bank_files(
        self, loaded: LoadedBank, context: ExportContext
    ) -> dict[str, str | bytes]:
        """The bank, and ``.media`` (its images' record) when its questions show any."""
        files: dict[str, str | bytes] = {"": self.render_bank(loaded, context)}
        record = media_data(loaded, context)
        if record["questions"]:
            files[".media"] = dumps(record)
        drawn = variants_data(loaded, context)
        if drawn["questions"]:
            files[".variants"] = dumps(drawn)
        return files

    def render_bank_assets(self, loaded: LoadedBank, context: ExportContext) -> dict[str, bytes]:
        """The images the questions show, copied into ``media/``."""
        return media_assets(loaded, context)

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        """Not a bank file: JSON banks are one per file so that qbank can load them back."""
        raise NotImplementedError("json writes one file per bank")


def variants_data(loaded: LoadedBank, context: ExportContext) -> dict[str, Any]:
    """The record of the variants each question with `variants` generated (see the module
    docstring): their values and key places from the report, each variant as written."""
    shown = {q.id: q for q in loaded.bank.questions}
    questions: dict[str, list[dict[str, Any]]] = {}
    for found in context.report.variants:
        if found.bank != loaded.id:
            continue
        questions[found.question] = [
            {
                "id": variant.question,
                "params": dict(variant.params),
                "key_positions": list(variant.key_positions),
                "question": shown[variant.question].model_dump(mode="python", exclude_unset=True),
            }
            for variant in found.variants
            if variant.question in shown
        ]
    return {"bank": loaded.id, "schema_version": SCHEMA_VERSION, "questions": questions}


def media_data(loaded: LoadedBank, context: ExportContext) -> dict[str, Any]:
    """The record of the images each question shows (see the module docstring)."""
    questions: dict[str, list[dict[str, Any]]] = {}
    for question in loaded.bank.questions:
        files = question_media(loaded, question, context)
        if files:
            questions[question.id] = [
                {
                    "source": item.source,
                    "name": item.name,
                    "file": media_src(item),
                    "sha256": item.sha256,
                    "mime": item.mime,
                    "figure": item.figure,
                }
                for item in files.values()
            ]
    return {"bank": loaded.id, "schema_version": SCHEMA_VERSION, "questions": questions}


def load_bank_data(data: dict[str, Any]) -> Bank:
    """A bank from data written by this exporter (for tools reading the JSON in Python)."""
    return Bank.model_validate(data)


__all__ = ["JsonExporter", "bank_data", "dumps", "load_bank_data", "media_data"]
