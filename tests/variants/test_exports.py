"""Exports of a bank with variants: what every format gets today."""

from __future__ import annotations

from pathlib import Path

import qbank
from qbank.options import Options

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "banks" / "python" / "variants.yaml"


def test_json_writes_the_bank_as_authored_and_it_draws_the_same_variants(
    tmp_path: Path,
) -> None:
    """JSON is full fidelity: the template with `variants`, `params` and its placeholders
    (never `id#k` questions, which no bank may hold), so the export validates and draws the
    very variants the YAML does."""
    options = Options(cache_dir=str(tmp_path / "cache"))
    original = qbank.validate([BANK], options)
    assert original.ok, [p.format() for p in original.problems]
    result = qbank.export([BANK], "json", tmp_path / "out", validation=options)
    [path] = [p for p in result.files if p.name == "variants.json"]
    text = path.read_text(encoding="utf-8")
    assert '"variants": 6' in text and "{{ key }}" in text and "#1" not in text
    back = qbank.validate([path], options)
    assert back.ok, [p.format() for p in back.problems]

    def shown(report: qbank.Report) -> list[tuple[str, str, str | None]]:
        (loaded,) = report.collection.banks
        return [(q.id, q.prompt, q.code) for q in loaded.bank.questions]

    assert shown(back) == shown(original)
    assert any("#" in qid for qid, _, _ in shown(back))


def test_formats_without_random_draws_take_variant_1_unless_all(tmp_path: Path) -> None:
    """Markdown (no random draws) gets each question's first variant, or every variant
    with `variants="all"` (`qbank export --variants all`)."""
    options = Options(cache_dir=str(tmp_path / "cache"))

    def headings(variants: str) -> int:
        out = tmp_path / variants
        result = qbank.export([BANK], "markdown", out, validation=options, variants=variants)  # type: ignore[arg-type]
        [student] = [p for p in result.files if not p.name.endswith(".key.md")]
        return sum(line.startswith("## ") for line in student.read_text().splitlines())

    report = qbank.validate([BANK], options)
    (loaded,) = report.collection.banks
    plain = sum("#" not in q.id for q in loaded.bank.questions)
    templates = len({q.id.split("#")[0] for q in loaded.bank.questions if "#" in q.id})
    assert headings("first") == plain + templates
    assert headings("all") == len(loaded.bank.questions)


def test_json_records_the_generated_variants_and_imports_back_as_written(tmp_path: Path) -> None:
    """`<bank>.variants.json` records each variant (its values, key places and the question
    as generated); `qbank import` of the export gives back the templates, which draw the
    same variants again."""
    import json

    options = Options(cache_dir=str(tmp_path / "cache"))
    result = qbank.export([BANK], "json", tmp_path / "out", validation=options)
    [record_path] = [p for p in result.files if p.name.endswith(".variants.json")]
    record = json.loads(record_path.read_text(encoding="utf-8"))
    report = qbank.validate([BANK], options)
    (loaded,) = report.collection.banks
    variant_ids = [q.id for q in loaded.bank.questions if "#" in q.id]
    recorded = [v for entries in record["questions"].values() for v in entries]
    assert sorted(v["id"] for v in recorded) == sorted(variant_ids)  # keys are sorted
    assert all(v["params"] and v["question"]["id"] == v["id"] for v in recorded)
    back = qbank.import_banks([tmp_path / "out"], tmp_path / "back")
    assert {i.code for i in back.issues} == {"import-skipped"}  # the record is no bank
    again = qbank.validate([tmp_path / "back"], options)
    assert again.ok and [q.id for b in again.collection for q in b.bank.questions] == [
        q.id for q in loaded.bank.questions
    ]
