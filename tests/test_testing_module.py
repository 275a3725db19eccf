"""`qbank.testing.check_exporter`, the contract check plugin authors run in their own suites.

It passes for every exporter this project registers (qbank's own and the project-local
example), and fails, naming the broken rule, for exporters that break the contract on purpose.
"""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from qbank import exporters as registry
from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.model import QUESTION_TYPES, Collection, LoadedBank, Matching, Output
from qbank.testing import RULES, ContractError, check_exporter, sample_report

ROOT = Path(__file__).resolve().parents[1]
NAMES = registry.names(ROOT)
_calls = itertools.count()


class Lines(Exporter):
    """A well-behaved text exporter (one line per question): the base of the broken ones."""

    name = "lines"
    file_extension = ".txt"
    description = "One line per question"

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        return "".join(f"{q.id}: {q.prompt.splitlines()[0]}\n" for q in loaded.bank.questions)


class NotDeterministic(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        return super().render_bank(loaded, context) + f"# rendered {next(_calls)}\n"


class BytesFromText(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> bytes:  # type: ignore[override]
        return super().render_bank(loaded, context).encode()


class StrFromBinary(Lines):
    binary = True


class NoDot(Lines):
    file_extension = "txt"


class CrashesOnMatching(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        if any(isinstance(q, Matching) for q in loaded.bank.questions):
            raise KeyError("pairs")
        return super().render_bank(loaded, context)


class DropsMatching(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        kept = [q for q in loaded.bank.questions if not isinstance(q, Matching)]
        bank = loaded.bank.model_copy(update={"questions": tuple(kept)})
        return super().render_bank(loaded.model_copy(update={"bank": bank}), context)


class NamedAll(Lines):
    name = "all"


class SlashSuffix(Lines):
    def render_bank_files(
        self, loaded: LoadedBank, context: ExportContext
    ) -> dict[str, str | bytes]:
        return {"": self.render_bank(loaded, context), "/key": "answers\n"}


class NoCollection(Lines):
    collection_file = True


class StartsAProcess(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return super().render_bank(loaded, context)


class RunsTheProgram(Lines):
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        for question in loaded.bank.questions:
            if isinstance(question, Output):
                with redirect_stdout(io.StringIO()):
                    exec(question.code, {})  # what an exporter must never do
        return super().render_bank(loaded, context)


class PrintsTheDuration(Lines):
    """Same bytes for the same report, but each validation takes its own time."""

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        return super().render_bank(loaded, context) + f"# {context.report.duration}\n"


class NotAnExporter:
    name = "plain"


BROKEN = [
    (NotDeterministic, "deterministic"),
    (BytesFromText, "content-type"),
    (StrFromBinary, "content-type"),
    (NoDot, "file-extension"),
    (CrashesOnMatching, "every-question-type"),
    (DropsMatching, "no-silent-drop"),
    (NamedAll, "name"),
    (SlashSuffix, "bank-files"),
    (NoCollection, "collection-file"),
    (StartsAProcess, "never-runs-code"),
    (RunsTheProgram, "never-runs-code"),
    (PrintsTheDuration, "export"),
    (NotAnExporter, "subclass"),
]


def test_the_sample_holds_every_question_type_proven() -> None:
    """The sample uses every question type, in two banks, with the results of running it."""
    report = sample_report()
    assert report.ok, [p.format() for p in report.problems]
    assert len(report.collection.banks) == 2
    types = {getattr(q, "type", None) for b in report.collection for q in b.bank.questions}
    assert types == set(QUESTION_TYPES)
    computed = report.result("sample/every-type", "output-computed")
    assert computed is not None and computed.computed_answer == "#\n##\n"


def test_the_builtins_and_the_local_example_are_checked() -> None:
    """The parametrized check below covers qbank's formats and `exporters/question_list.py`."""
    assert {"gift", "markdown", "json", "anki", "anki-text", "question-list"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_registered_exporter_keeps_the_contract(name: str) -> None:
    """Every exporter `qbank.exporters.load_all` finds for this project passes the check."""
    exporter_class = registry.load_all(ROOT)[name]
    assert not isinstance(exporter_class, Exception), f"{name}: {exporter_class}"
    check_exporter(exporter_class)


def test_the_documented_exporter_keeps_the_contract() -> None:
    """The `IdsExporter` example of docs/plugins.md passes the check that page recommends."""
    page = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "plugins_md"}
    exec(page.split("```python\n", 1)[1].split("```", 1)[0], namespace)
    check_exporter(namespace["IdsExporter"])
    check_exporter(namespace["IdsExporter"], options={"separator": ";"})


def test_a_well_behaved_exporter_passes() -> None:
    """The base of the broken exporters below passes: each fails for its own breakage only."""
    check_exporter(Lines)


@pytest.mark.parametrize(
    ("exporter_class", "rule"), BROKEN, ids=lambda v: getattr(v, "__name__", v)
)
def test_a_broken_exporter_fails_naming_the_rule(exporter_class: type[Exporter], rule: str) -> None:
    """Each deliberately broken exporter raises AssertionError naming the rule it breaks."""
    assert rule in RULES
    with pytest.raises(AssertionError, match=rf"breaks the exporter contract \[{rule}\]") as info:
        check_exporter(exporter_class)
    assert isinstance(info.value, ContractError) and info.value.rule == rule
    assert exporter_class.__qualname__ in str(info.value)


def test_the_crash_message_names_the_question_type() -> None:
    """An exporter that crashes on one question type is told which type, and which question."""
    with pytest.raises(AssertionError, match=r"KeyError\('pairs'\) on a `matching` question"):
        check_exporter(CrashesOnMatching)


class Separated(Lines):
    """A collection exporter whose option has no default."""

    class Options(ExporterOptions):
        separator: str

    collection_file = True
    options_model = Options
    options: Options

    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
        return self.options.separator.join(q.id for q in loaded.bank.questions) + "\n"

    def render_collection(self, collection: Collection, context: ExportContext) -> str:
        return "".join(self.render_bank(loaded, context) for loaded in collection)


def test_options_reach_the_exporter() -> None:
    """`options` are given to the exporter: without its required option it cannot be built."""
    with pytest.raises(AssertionError, match=r"\[options\]"):
        check_exporter(Separated)
    check_exporter(Separated, options={"separator": ";"})


def test_source_date_epoch_is_set_then_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check sets SOURCE_DATE_EPOCH while it renders, and gives back the caller's value."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")
    seen = []

    class SeesTheEpoch(Lines):  # defined here: the check needs no importable class
        def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str:
            seen.append(os.environ.get("SOURCE_DATE_EPOCH"))
            return super().render_bank(loaded, context)

    check_exporter(SeesTheEpoch)
    assert set(seen) == {"1700000000"}
    assert os.environ["SOURCE_DATE_EPOCH"] == "42"
