"""The JSON importer: qbank's own JSON export back to YAML, the same bank."""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings

import qbank
from qbank.errors import QbankError
from qbank.exporters.base import ExportContext
from qbank.exporters.json import JsonExporter
from qbank.importers.json import JsonImporter
from qbank.importers.registry import guess
from qbank.importers.writing import plan_import, write_plan
from qbank.loading import load_paths
from qbank.model import Bank, LoadedBank
from qbank.options import Options
from qbank.report import Report

ROOT = Path(__file__).resolve().parents[2]


def _json_tests() -> ModuleType:
    """tests/exporters/test_json.py, for its bank strategies."""
    spec = importlib.util.spec_from_file_location(
        "qbank_tests_json_strategies", ROOT / "tests" / "exporters" / "test_json.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


banks = _json_tests().banks


def _export_json(bank: Bank, folder: Path) -> Path:
    loaded = LoadedBank(id="gen/bank", path="gen.yaml", bank=bank)
    text = JsonExporter().render_bank(loaded, ExportContext(Report(collection=None)))  # type: ignore[arg-type]
    path = folder / "bank.json"
    path.write_text(text, encoding="utf-8")
    return path


def _import_and_load(source: Path, out: Path) -> Bank:
    plan = plan_import([JsonImporter().read(source)], out)
    write_plan(plan)
    collection, problems = load_paths([out])
    assert problems == [], [p.format() for p in problems]
    assert [b.id for b in collection.banks] == ["gen/bank"]
    return collection.banks[0].bank


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_generated_banks_round_trip(bank: Bank) -> None:
    """Any bank, exported as JSON and imported back as YAML, loads as the same bank."""
    with tempfile.TemporaryDirectory() as folder:
        source = _export_json(bank, Path(folder))
        back = _import_and_load(source, Path(folder) / "out")
    assert back == bank.model_copy(update={"id": "gen/bank"})


def test_the_written_bank_is_at_its_id_in_house_style(tmp_path: Path) -> None:
    """The file is `<out>/<bank id>.yaml`, starts with the schema comment, keeps the bank id
    and writes multi-line text as `|` blocks."""
    bank = Bank.model_validate(
        {
            "title": "Gen",
            "questions": [
                {"id": "two", "type": "output", "prompt": "What?", "code": "print(1)\nprint(2)\n"}
            ],
        }
    )
    _import_and_load(_export_json(bank, tmp_path), tmp_path / "out")
    text = (tmp_path / "out" / "gen" / "bank.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: gen/bank\n" in text and "  # from " in text
    assert "    code: |\n      print(1)\n      print(2)\n" in text


def test_real_banks_round_trip_with_their_images(tmp_path: Path) -> None:
    """The shipped banks, exported as JSON (images in media/), import back to equal banks,
    and the images are written where their Markdown references them."""
    original = qbank.load(ROOT / "banks" / "python")
    qbank.export(original, "json", tmp_path / "json", validation=Options(execute=False))
    sources = sorted(p for p in (tmp_path / "json").rglob("*.json") if ".media" not in p.name)
    report = qbank.import_banks(sources, tmp_path / "yaml")
    back = qbank.load(tmp_path / "yaml")
    assert {b.id: b.bank for b in back.banks} == {
        b.id: b.bank.model_copy(update={"id": b.id}) for b in original.banks
    }
    assert report.issues == []
    image = tmp_path / "yaml" / "banks" / "python" / "images" / "tree.png"
    assert image.read_bytes() == (ROOT / "banks" / "python" / "images" / "tree.png").read_bytes()


def test_json_is_guessed_and_a_media_record_is_not_a_bank(tmp_path: Path) -> None:
    """A `.json` bank is told by its content; its `.media.json` record is refused by name."""
    bank = _export_json(Bank.model_validate({"questions": []}), tmp_path)
    assert guess(bank) == "json"
    record = tmp_path / "bank.media.json"
    record.write_text(json.dumps({"bank": "b", "questions": {}}), encoding="utf-8")
    with pytest.raises(QbankError, match="media record"):
        JsonImporter().read(record)


def test_a_newer_schema_version_and_broken_json_are_clear_errors(tmp_path: Path) -> None:
    """No traceback: a newer `schema_version` says to upgrade, bad JSON names its line."""
    newer = tmp_path / "newer.json"
    newer.write_text('{"schema_version": 99, "questions": []}', encoding="utf-8")
    with pytest.raises(QbankError, match="upgrade qbank"):
        JsonImporter().read(newer)
    broken = tmp_path / "broken.json"
    broken.write_text('{\n"questions": [,]}', encoding="utf-8")
    with pytest.raises(QbankError, match=r"broken.json:2: not JSON"):
        JsonImporter().read(broken)


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink"])
def test_a_media_record_cannot_copy_files_from_outside_its_folder(
    tmp_path: Path, kind: str
) -> None:
    """The record is data from anywhere: a `file` leading out of its folder is refused
    (an import-lost issue naming it), the secret never reaches the bank."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"password")
    folder = tmp_path / "export"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "ok.png").write_bytes(b"PNG")
    if kind == "symlink":
        (folder / "media" / "x.png").symlink_to(secret)
    file = {"absolute": str(secret), "dotdot": "../secret.txt", "symlink": "media/x.png"}[kind]
    bank = folder / "b.json"
    bank.write_text('{"title": "B", "questions": [{"type": "essay", "prompt": "x"}]}')
    entries = [
        {"source": "media/x.png", "file": file},
        {"source": "ok.png", "file": "media/ok.png"},
    ]
    (folder / "b.media.json").write_text(json.dumps({"questions": {"q1": entries}}))
    result = JsonImporter().read(bank)
    assert result.banks[0].media == {"ok.png": b"PNG"}
    (issue,) = result.issues
    assert issue.code == "import-lost"
    assert file in issue.message and "outside the record's folder" in issue.message
