"""The committed JSON Schema equals the generated one and accepts every bank we ship."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from qbank.cli import main
from qbank.schema import bank_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
BANKS = sorted((ROOT / "banks").rglob("*.yaml"))


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "bank.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `qbank schema -o schema/bank.schema.json`"


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == bank_schema()


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_banks_validate_against_the_schema(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(bank_schema()).validate(document)


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_banks_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == ROOT / "schema" / "bank.schema.json"


def test_schema_rejects_unknown_keys() -> None:
    bad = {"questions": [{"id": "q", "type": "essay", "prompt": "p", "promt": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(bank_schema()).validate(bad)


def test_schema_fields_are_documented() -> None:
    schema = bank_schema()
    for name, definition in [("Bank", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no docstring"
