"""The contract every exporter in the registry keeps (built-in, plugin or project-local):
each question of the traps bank is rendered or warned about, and output is deterministic."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from qbank import exporters as registry
from qbank.exporters.base import ExportContext, Exporter
from qbank.report import Report
from qbank.testing import shows_question

ROOT = Path(__file__).resolve().parents[2]
NAMES = registry.names(ROOT)


def _exporter(name: str) -> Exporter:
    try:
        return registry.get(name, ROOT)()
    except Exception as exc:  # an exporter that cannot load fails its own test only
        pytest.fail(f"exporter {name} cannot be loaded: {exc}")


def _render(exporter: Exporter, report: Report) -> tuple[list[str | bytes], ExportContext]:
    context = ExportContext(report)
    files = exporter.render_bank_files(report.collection.banks[0], context)
    return list(files.values()), context


def _anki_notes(data: bytes) -> int | None:
    """How many notes an `.apkg` holds (None if `data` is not one)."""
    if not data.startswith(b"PK"):
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("collection.anki2")]
        if not names:
            return None
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "c.db"
            path.write_bytes(archive.read(sorted(names)[0]))
            with sqlite3.connect(path) as db:
                count: int = db.execute("select count(*) from notes").fetchone()[0]
            return count


def test_registry_has_the_builtins() -> None:
    """The built-in formats and this project's local example are all registered."""
    assert {"gift", "markdown", "json", "question-list"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_question_is_rendered_or_warned_about(
    name: str, traps_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No question disappears silently: its id (or, in a package, its note) is in the output,
    or a warning names it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    exporter = _exporter(name)
    contents, context = _render(exporter, traps_report)
    questions = traps_report.collection.banks[0].bank.questions
    warned = {w.question for w in context.warnings}
    text = "\n".join(c.decode("utf-8", "replace") if isinstance(c, bytes) else c for c in contents)
    notes = [n for c in contents if isinstance(c, bytes) for n in [_anki_notes(c)] if n is not None]
    if notes:
        assert sum(notes) + len(warned - {None}) >= len(questions)
        return
    missing = [q.id for q in questions if q.id not in text and q.id not in warned]
    if missing and name != "question-list":
        # formats that do not print ids must at least carry each prompt's first words
        missing = [q.id for q in questions if q.id in missing and not shows_question(text, q)]
    assert not missing, f"{name} dropped {missing} without a warning"
    assert all(w.severity == "warning" and w.question for w in context.warnings)


@pytest.mark.parametrize("name", NAMES)
def test_output_is_deterministic(
    name: str, traps_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering the same bank twice gives the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    exporter = _exporter(name)
    first, _ = _render(exporter, traps_report)
    second, _ = _render(exporter, traps_report)
    assert first == second


@pytest.mark.parametrize("name", NAMES)
def test_exporter_declares_itself(name: str) -> None:
    """Every exporter has a name, a dotted extension and a one-line description."""
    cls = registry.get(name, ROOT)
    assert cls.name == name and cls.file_extension.startswith(".")
    assert cls.description and "\n" not in cls.description
