"""The QTI 2.1 package read and run by a real consumer: pyslet (PyPI), a QTI 2.1 engine.

pyslet parses each ``assessmentItem`` into its own model and runs its response processing
for a candidate's response, as a delivery engine does after a submission: "the engine
scores the key 1 and each distractor 0". It also reads the package with its IMS Content
Packaging reader. Two pyslet limitations are worked around here, not in the export: its
item renderer (run at the start of an attempt) knows only part of the XHTML profile, so an
attempt is begun without rendering; and it keeps ``equal``'s ``tolerance`` attribute as a
string instead of a list, so it is split after parsing.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from qbank.exporters.base import ExportContext
from qbank.exporters.qti21 import Qti21Exporter
from qbank.model import MultipleAnswers, Numerical, ShortAnswer, WithChoices
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from test_qti21 import CP, QTI, all_items, items, members, part, render, schema_errors, visible

pyslet_items = pytest.importorskip("pyslet.qtiv2.xml", reason="pyslet (a QTI 2.1 engine) is needed")
from pyslet.imscpv1p2 import ContentPackage  # noqa: E402 - after the importorskip
from pyslet.qtiv2 import variables  # noqa: E402
from pyslet.qtiv2.expressions import Equal  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# pyslet (2017) still calls its own deprecated camel-case aliases; nothing qbank can change.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:\S+ is deprecated, use, \S+ instead:DeprecationWarning"
)


def attempt(xml: bytes, response: Any, *, hint: bool = False) -> tuple[float, set[str]]:
    """SCORE and the FEEDBACK identifiers after one attempt answering `response` (None: no
    response) or asking for a hint."""
    document = pyslet_items.QTIDocument()
    document.read(src=io.BytesIO(xml))
    item = document.root
    for equal in item.find_children_depth_first(Equal):
        if isinstance(equal.tolerance, str):
            equal.tolerance = equal.tolerance.split()
    state = variables.ItemSessionState(item)
    state.begin_session()
    attempts = state.map["numAttempts"]
    attempts.set_value(attempts.value + 1)
    for declaration in item.ResponseDeclaration:
        default = state.map[declaration.identifier + ".DEFAULT"]
        state.map[declaration.identifier] = variables.Value.copy_value(default)
    if response is not None:
        state["RESPONSE"].set_value(response)
    if hint:
        state["HINTREQUEST"].set_value(True)
    state.end_attempt()
    feedback = state.map["FEEDBACK"].value if "FEEDBACK" in state.map else None
    return float(state["SCORE"].value), set(feedback or ())


def _key(node: Any) -> tuple[str, str, list[str]]:
    declaration = node.find(f"{QTI}responseDeclaration[@identifier='RESPONSE']")
    correct = declaration.find(f"{QTI}correctResponse")
    key = [visible(v) for v in correct] if correct is not None else []
    return declaration.get("cardinality"), declaration.get("baseType"), key


def _value(base_type: str, text: str) -> Any:
    if base_type == "directedPair":
        return tuple(text.split())
    return float(text) if base_type == "float" else text


def right_and_wrong(node: Any) -> tuple[Any, list[Any]]:
    """The item's key as a response, and responses that must score 0: each other option
    alone (every box ticked, for multiple answers), or a typed answer that differs."""
    cardinality, base_type, key = _key(node)
    options = [c.get("identifier") for c in node.iter(f"{QTI}simpleChoice")]
    if base_type == "identifier" and cardinality == "single":
        return key[0], [o for o in options if o != key[0]]
    if base_type == "identifier":
        return key, [options, *([o] for o in options if o not in key)]
    if base_type == "directedPair":
        pairs = [_value(base_type, k) for k in key]
        crossed = [(left, pairs[(i + 1) % len(pairs)][1]) for i, (left, _) in enumerate(pairs)]
        return pairs, [crossed, []]
    if base_type == "float":
        return float(key[0]), [float(key[0]) + 1]
    return key[0], [key[0] + "?", key[0].upper() + "!"]


def check_scores(files: dict[str, bytes]) -> int:
    """Every scored item of `files`: its key scores 1, each wrong response 0, no response
    0; returns how many items were run."""
    run = 0
    for key, node in all_items(files):
        if node.find(f"{QTI}responseProcessing") is None or not _key(node)[2]:
            continue  # an essay: a person scores it
        xml = files[key]
        right, wrongs = right_and_wrong(node)
        assert attempt(xml, right)[0] == 1, key
        for wrong in wrongs:
            assert attempt(xml, wrong)[0] == 0, (key, wrong)
        assert attempt(xml, None)[0] == 0, key
        run += 1
    return run


def test_every_key_scores_1_and_every_distractor_0(traps_report: Report) -> None:
    """In pyslet's engine, every item of the traps bank scores its key 1 and anything else 0."""
    files, _ = render(traps_report)
    assert check_scores(files) == len(traps_report.collection.banks[0].bank.questions) - 1


def test_the_engine_scores_what_the_bank_says(traps_report: Report) -> None:
    """Scores follow qbank's own keys: the option marked correct, each accepted short
    answer (case as the question says), a number within its tolerance, multiple answers'
    weights, half the pairs of a matching question."""
    files, _ = render(traps_report)
    found = items(files, traps_report)
    xml = {key: files[node.get("identifier") + ".xml"] for key, node in found.items()}
    bank = {q.id: q for q in traps_report.collection.banks[0].bank.questions}
    for key, question in bank.items():
        if isinstance(question, WithChoices) and not isinstance(question, MultipleAnswers):
            right = next(i for i, c in enumerate(question.choices) if c.correct)
            assert attempt(xml[key], part(traps_report, key, right))[0] == 1, key
        if isinstance(question, ShortAnswer):
            assert [attempt(xml[key], a)[0] for a in question.answers] == [1] * 4
        if isinstance(question, Numerical):
            low, high = question.answer - question.tolerance, question.answer + question.tolerance
            assert attempt(xml[key], float(low))[0] == attempt(xml[key], float(high))[0] == 1
            assert attempt(xml[key], float(high) + 0.001)[0] == 0
    assert attempt(xml["name-it"], "LEN")[0] == 0  # case_sensitive: true
    several = [part(traps_report, "several", i) for i in range(5)]
    assert attempt(xml["several"], several[:2])[0] == pytest.approx(2 / 3)
    assert attempt(xml["several"], several[:4])[0] == pytest.approx(0.5)
    weighted = [part(traps_report, "weighted", i) for i in (0, 2)]
    assert attempt(xml["weighted"], weighted)[0] == 0

    def pair(left: int, target: str) -> tuple[str, str]:
        return part(traps_report, "pairs", f"left-{left}"), part(traps_report, "pairs", target)

    half = [
        pair(0, "target:returns int"),
        pair(1, "target:a # hash"),
        pair(2, "target:Java, not Python: {generic}"),
    ]
    assert attempt(xml["pairs"], half)[0] == pytest.approx(2 / 3)


def test_feedback_shows_the_chosen_option_and_the_explanation(traps_report: Report) -> None:
    """After an answer, FEEDBACK names the chosen option (whose feedback shows) and the
    explanation; a hint request shows the hint alone and scores nothing."""
    files, _ = render(traps_report)
    found = items(files, traps_report)
    mc = files[found["unicode-mc"].get("identifier") + ".xml"]
    right, wrong = part(traps_report, "unicode-mc", 0), part(traps_report, "unicode-mc", 1)
    assert attempt(mc, wrong) == (0, {wrong, "EXPLANATION"})
    assert attempt(mc, right) == (1, {right, "EXPLANATION"})
    number = files[found["number"].get("identifier") + ".xml"]
    assert attempt(number, 0.3)[1] == set()  # no explanation, nothing to show
    hinted = files[found["dict-literal"].get("identifier") + ".xml"]
    key = _key(found["dict-literal"])[2][0]
    assert attempt(hinted, key, hint=True) == (0, {"HINT"})
    assert attempt(hinted, key) == (1, {"EXPLANATION"})


def test_pyslet_reads_the_package_and_finds_every_file(traps_report: Report) -> None:
    """pyslet's IMS Content Packaging reader opens the zip: every file the manifest names
    exists, every member is named by a resource, and the test and items are found by type."""
    context = ExportContext(traps_report)
    data = Qti21Exporter().render_bank(traps_report.collection.banks[0], context)
    folder = Path(tempfile.mkdtemp(prefix="qbank-qti21-"))
    try:
        path = folder / "traps.zip"
        path.write_bytes(data)
        package = ContentPackage(str(path))
        try:
            table = {str(k): v for k, v in package.fileTable.items()}
            assert all(table.values()), [k for k, v in table.items() if not v]
            assert all(package.dPath.join(k).exists() for k in package.fileTable)
            assert sorted(table) == sorted(n for n in members(data) if n != "imsmanifest.xml")
            kinds = [r.type for r in package.manifest.root.Resources.Resource]
            assert kinds.count("imsqti_test_xmlv2p1") == 1
            assert kinds.count("imsqti_item_xmlv2p1") == len(all_items(members(data)))
        finally:
            package.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the shipped banks ----------------------------------------------------------------------

_BANKS: dict[str, Report] = {}


def banks_report() -> Report:
    if "report" not in _BANKS:
        cache = tempfile.mkdtemp(prefix="qbank-banks-cache-")
        try:
            _BANKS["report"] = validate([str(ROOT / "banks")], Options(cache_dir=cache))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return _BANKS["report"]


def test_shipped_banks_are_valid_scored_and_carry_their_images() -> None:
    """`qbank export banks/ -f qti21` as one package: every item and the test schema-valid,
    every key scoring 1 and distractor 0, every image and figure shipped under `media/` and
    referenced from the items that show it; no loss beyond byte-for-byte typed outputs."""
    report = banks_report()
    assert report.ok, [p.format() for p in report.problems]
    context = ExportContext(report)
    files = members(Qti21Exporter().render_collection(report.collection, context))
    for name, data in files.items():
        if name.endswith(".xml") and name != "imsmanifest.xml":
            assert schema_errors(data) == [], name
    questions = sum(len(loaded.bank.questions) for loaded in report.collection)
    assert len(all_items(files)) == questions
    assert check_scores(files) >= questions - 5
    media = {n for n in files if n.startswith("media/")}
    shown = {img.get("src") for _, node in all_items(files) for img in node.iter(f"{QTI}img")}
    assert media and shown == media
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    for resource in resources.values():  # each item depends on the files it shows
        if resource.get("type") == "imsqti_item_xmlv2p1":
            node = etree.fromstring(files[resource.get("href")])
            depends = {
                resources[d.get("identifierref")].get("href")
                for d in resource.iter(f"{CP}dependency")
            }
            assert {i.get("src") for i in node.iter(f"{QTI}img")} | {"qbank.css"} == depends
    assert {w.code for w in context.warnings} <= {"lossy-whitespace"}
