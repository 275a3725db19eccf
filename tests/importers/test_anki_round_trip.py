"""Generated banks through qbank's own `.apkg` and back: every field the ``qbank question``
note type carries comes back equal (see :mod:`qbank.importers.anki.own` for which)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_strategies import generated_questions

from qbank.exporters.anki.apkg import AnkiExporter
from qbank.exporters.base import ExportContext
from qbank.exporters.rich import markdown_html
from qbank.importers.anki import AnkiImporter
from qbank.model import Bank, Collection, LoadedBank
from qbank.report import Report

#: What the cards hold whole, by type; the rest (matching's pairs, ...) is an essay with an
#: `import-lost` issue, tested in test_anki_import.py.
CARRIED_TYPES = {"multiple_choice", "multiple_answers", "true_false", "short_answer", "numerical"}


def _html(markdown: str | None) -> str:
    return " ".join(markdown_html(markdown or "").split())


def _listed(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or ())


def carried(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a question (as YAML data) the note carries, comparable."""
    found = {
        "id": data["id"],
        "type": data["type"] if data["type"] in CARRIED_TYPES | {"essay"} else "essay",
        "title": data.get("title"),
        "prompt": _html(data["prompt"]),
        "code": (data.get("code") or "").rstrip("\n"),
        "hint": [_html(h) for h in _listed(data.get("hint"))],
        "explanation": _html(data.get("explanation")),
        "tags": sorted(data.get("tags") or ()),
    }
    if data["type"] in ("multiple_choice", "multiple_answers"):
        found["choices"] = [
            (_html(c if isinstance(c, str) else c["text"]),
             isinstance(c, dict) and bool(c.get("correct")),
             _html(c.get("feedback")) if isinstance(c, dict) else _html(None))
            for c in data["choices"]
        ]  # fmt: skip
        if data.get("shuffle", True):  # shuffled once at export (cards cannot shuffle)
            found["choices"].sort()
    for name in ("answer", "answers", "tolerance"):
        if data["type"] in CARRIED_TYPES and name in data:
            found[name] = data[name]
    if found.get("tolerance") == 0:
        del found["tolerance"]
    return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_questions(), st.lists(st.sampled_from(["t1", "t-2", "t_3"]), unique=True))
def test_generated_banks_round_trip(questions: list[dict[str, Any]], tags: list[str]) -> None:
    bank = Bank.model_validate({"title": "Gen", "tags": tags, "questions": questions})
    loaded = LoadedBank(id="gen/bank", path="gen.yaml", bank=bank)
    package = AnkiExporter(timestamp=1_700_000_000).render_bank(
        loaded, ExportContext(Report(Collection([loaded])))
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gen.apkg"
        path.write_bytes(package)
        result = AnkiImporter().read(path)
    (imported,) = result.banks
    assert imported.data.get("id") == "gen/bank"
    back = {q.data["id"]: q.data for q in imported.questions}
    assert list(back) == [q["id"] for q in questions]
    for question in questions:
        want = carried({**question, "tags": [*tags, *question.get("tags", ())]})
        got = carried({"shuffle": question.get("shuffle", True), **back[question["id"]]})
        assert got == want, question["id"]
    lost = {issue.line for issue in result.issues if issue.code == "import-lost"}
    kept = CARRIED_TYPES | {"essay"}
    assert lost <= {i + 1 for i, q in enumerate(questions) if q["type"] not in kept}
