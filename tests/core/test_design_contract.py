"""DESIGN.md section 1 says its example bank is a contract: it must load, and prove, as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank.options import Options
from qbank.validation import validate

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT.parent / "shared" / "DESIGN.md"


def _example() -> str:
    if not DESIGN.exists():
        pytest.skip(f"{DESIGN} is not beside the repository")
    text = DESIGN.read_text(encoding="utf-8")
    section = text.split("## 1. The bank format", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_design_example_bank_is_proven(tmp_path: Path) -> None:
    (tmp_path / "qbank.toml").touch()
    (tmp_path / "schema").mkdir()
    bank = tmp_path / "banks" / "design.yaml"
    bank.parent.mkdir()
    bank.write_text(_example())
    report = validate([str(bank)], Options(cache_dir=str(tmp_path / "cache")))
    assert report.ok, [p.format() for p in report.problems]
    assert [b.id for b in report.collection] == ["fastapi/background-tasks"]
    states = {r.question: r.state for r in report.results.values()}
    assert states == {"log-order": "options proven", "add-cleanup": "options proven"}
