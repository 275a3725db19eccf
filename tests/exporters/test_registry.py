"""The exporter registry: entry points (imported only on request), "did you mean", broken
plugins isolated, and a bank project's local `exporters/` folder."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from qbank import load
from qbank.errors import ExporterNotFound, ExportError
from qbank.exporters import registry
from qbank.exporters.gift import GiftExporter
from qbank.exporting import export
from qbank.options import Options

ROOT = Path(__file__).resolve().parents[2]
TRAPS = ROOT / "tests" / "cases" / "traps.yaml"


def _imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running `code`."""
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_listing_names_imports_no_exporter() -> None:
    """`names()` reads entry points without importing any exporter module."""
    modules = _imported_after("import qbank.exporters as r; assert 'gift' in r.names()")
    assert not {m for m in modules if m.startswith("qbank.exporters.") and m not in {
        "qbank.exporters.base", "qbank.exporters.registry"}}  # fmt: skip
    assert "genanki" not in modules


def test_asking_for_gift_imports_only_gift() -> None:
    """`get('gift')` never imports genanki or the Anki exporters."""
    modules = _imported_after("import qbank.exporters as r; r.get('gift')")
    assert "qbank.exporters.gift" in modules
    assert not {"genanki", "qbank.exporters.anki.apkg", "qbank.exporters.json"} & modules


def test_unknown_name_suggests_the_closest() -> None:
    """A typo raises ExporterNotFound naming the closest format."""
    with pytest.raises(ExporterNotFound, match="did you mean `gift`"):
        registry.get("gfit")
    assert registry.get("gift") is GiftExporter


def _fake_points(monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    real = registry._entry_points()
    fakes = {n: EntryPoint(n, v, registry.GROUP) for n, v in extra.items()}
    monkeypatch.setattr(registry, "_entry_points", lambda: {**real, **fakes})


def test_broken_plugin_breaks_only_its_own_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin whose module fails to import (or is no Exporter) fails only when asked for."""
    _fake_points(monkeypatch, broken="no_such_module_xyz:Thing", odd="os.path:join")
    assert {"broken", "odd", "gift"} <= set(registry.names())
    with pytest.raises(ExportError, match=r"`broken`.*could not be loaded"):
        registry.get("broken")
    with pytest.raises(ExportError, match="not an Exporter"):
        registry.get("odd")
    loaded = registry.load_all()
    assert isinstance(loaded["broken"], ExportError) and loaded["gift"] is GiftExporter


LOCAL = """
from qbank.exporters.base import Exporter

class Ids(Exporter):
    name = "ids"
    file_extension = ".txt"
    description = "question ids"

    def render_bank(self, loaded, context):
        return "\\n".join(q.id for q in loaded.bank.questions) + "\\n"
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "qbank.toml").write_text("")
    (tmp_path / "exporters").mkdir()
    (tmp_path / "exporters" / "ids.py").write_text(textwrap.dedent(LOCAL))
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "b.yaml").write_text(
        "questions:\n  - {id: q1, type: essay, prompt: Why?}\n  - {id: q2, type: essay, prompt: How?}\n"
    )
    return tmp_path


def test_project_local_exporter_is_found_and_used(tmp_path: Path) -> None:
    """`exporters/*.py` of the bank project registers its exporters without packaging."""
    project = _project(tmp_path)
    assert "ids" in registry.names(project) and "ids" not in registry.names()
    result = export(project / "banks", "ids", project / "out", validation=Options(execute=False))
    assert result.files == [project / "out" / "banks" / "b.txt"]
    assert result.files[0].read_text() == "q1\nq2\n"


def test_broken_local_module_does_not_hide_the_others(tmp_path: Path) -> None:
    """A local module that fails to import is named when a format is not found."""
    project = _project(tmp_path)
    (project / "exporters" / "bad.py").write_text("raise RuntimeError('oops')\n")
    assert registry.get("ids", project).name == "ids"
    with pytest.raises(
        ExporterNotFound, match=r"bad\.py could not be imported: RuntimeError: oops"
    ):
        registry.get("nope", project)


def test_this_repository_example_exporter(tmp_path: Path) -> None:
    """The repo's own `exporters/question_list.py` writes one CSV row per question."""
    out = tmp_path / "questions.csv"
    export(TRAPS, "question-list", out, validation=Options(execute=False))
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == ["bank", "question", "type", "difficulty", "tags", "state", "prompt"]
    questions = load(TRAPS).banks[0].bank.questions
    assert [row[1] for row in rows[1:]] == [q.id for q in questions]
    assert rows[1][:3] == ["traps/everything", "dict-literal", "output"]
    assert rows[1][5] == "not executed"


def test_this_repository_template_override(tmp_path: Path) -> None:
    """The repo's `exporters/templates/markdown/footer.md.j2` ends its Markdown exports."""
    export(TRAPS, "markdown", tmp_path, validation=Options(execute=False))
    text = (tmp_path / "traps" / "everything.md").read_text()
    assert text.endswith("*Exported by qbank from bank `traps/everything`.*\n")


def test_a_registered_exporter_is_seen_only_in_its_block_and_thread() -> None:
    """`qbank.testing.check_exporter` registers the exporter it checks without patching the
    registry for the whole process: another thread, and the code after the block, still get
    the installed exporter."""
    import threading

    class Shadow(GiftExporter):
        name = "gift"

    seen: list[type] = []
    with registry.registered(Shadow):
        assert registry.get("gift") is Shadow
        thread = threading.Thread(target=lambda: seen.append(registry.get("gift")))
        thread.start()
        thread.join()
    assert seen == [GiftExporter]
    assert registry.get("gift") is GiftExporter
