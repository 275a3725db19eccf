"""The QTI 2.1 exporter: a content package that the official IMS QTI 2.1 schema accepts.

Every item and the test are validated with two XML Schema processors (libxml2 through lxml,
and ``xmlschema``) against the IMS schema in ``qti21_schemas/`` (copies of the published
files; see its README), offline: imports resolve through a map from their URLs to the local
copies. The manifest is read as OpenOLAT reads it (its test resource, its items, their files),
and ``test_qti21_consumer.py`` runs the items in a real QTI engine (pyslet).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from qbank.exporters.base import ExportContext
from qbank.exporters.qti21 import Qti21Exporter, names
from qbank.exporters.qti21.choices import answer_weights
from qbank.model import Bank, Choice, Collection, LoadedBank, MultipleChoice, Output
from qbank.report import Report
from qbank.testing import check_exporter

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "qti21_schemas"
QTI_XSD = SCHEMAS / "www.imsglobal.org" / "xsd" / "imsqti_v2p1.xsd"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
MD = "{http://www.imsglobal.org/xsd/imsmd_v1p2}"
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


# --- validating offline --------------------------------------------------------------------


def local_copy(url: str) -> Path | None:
    """The copy in ``qti21_schemas/`` of the schema at `url` (the folders mirror the URLs)."""
    if not url.startswith("http://"):
        return None
    path = SCHEMAS / url.removeprefix("http://")
    return path if path.is_file() else None


class _Catalog(etree.Resolver):
    """Resolves every schema import to its local copy; anything else is refused (no network)."""

    def resolve(self, system_url: str, public_id: str, context: object) -> Any:
        if not system_url.startswith(("http:", "https:")):
            return None  # a local file: libxml2 reads it
        path = local_copy(system_url)
        if path is None:
            raise AssertionError(f"the schema imports {system_url}, which has no local copy")
        return self.resolve_filename(str(path), context)


@lru_cache(maxsize=1)
def lxml_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Catalog())
    return etree.XMLSchema(etree.parse(str(QTI_XSD), parser))


def _uri_mapper(url: str) -> str:
    path = local_copy(url)
    if path is None and url.startswith("http"):
        raise AssertionError(f"the schema imports {url}, which has no local copy")
    return path.as_uri() if path is not None else url


@lru_cache(maxsize=1)
def xmlschema_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(QTI_XSD), uri_mapper=_uri_mapper)


def schema_errors(xml: bytes) -> list[str]:
    """What libxml2 finds wrong in `xml` against the QTI 2.1 schema."""
    schema = lxml_schema()
    if schema.validate(etree.fromstring(xml)):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


# --- rendering -----------------------------------------------------------------------------


def render(report: Report, **options: Any) -> tuple[dict[str, bytes], ExportContext]:
    """The members of the package of the report's first bank."""
    context = ExportContext(report)
    data = Qti21Exporter(options).render_bank(report.collection.banks[0], context)
    return members(data), context


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def all_items(files: dict[str, bytes]) -> list[tuple[str, etree._Element]]:
    """(file, ``assessmentItem``) for every item, found through the manifest as OpenOLAT
    finds them (``QTI21ContentPackage.getItems()``: resources of type
    ``imsqti_item_xmlv2p1``)."""
    manifest = etree.fromstring(files["imsmanifest.xml"])
    return [
        (resource.get("href"), etree.fromstring(files[resource.get("href")]))
        for resource in manifest.iter(f"{CP}resource")
        if resource.get("type") == "imsqti_item_xmlv2p1"
    ]


def items(files: dict[str, bytes], report: Report) -> dict[str, etree._Element]:
    """Question id -> its ``assessmentItem``, for a package of the report's first bank."""
    loaded = report.collection.banks[0]
    ids = {names.item(loaded, q): q.id for q in loaded.bank.questions}
    return {ids[root.get("identifier")]: root for _, root in all_items(files)}


def part(report: Report, question: str, which: int | str) -> str:
    """The identifier of an option (by authored position) or part of a question."""
    loaded = report.collection.banks[0]
    found = next(q for q in loaded.bank.questions if q.id == question)
    return names.choice(loaded, found, str(which))


def visible(node: etree._Element) -> str:
    """The text of an element, as a browser shows it."""
    return "".join(node.itertext())


def projection(files: dict[str, bytes]) -> str:
    """The package as text for its golden file: each member's name, then its text (a binary
    file as its SHA-256)."""
    out = []
    for name, data in files.items():
        if name.endswith((".xml", ".css")):
            out.append(f"=== {name}\n{data.decode('utf-8')}")
        else:
            out.append(f"=== {name} sha256={hashlib.sha256(data).hexdigest()}\n")
    return "".join(out)


# --- the package ---------------------------------------------------------------------------


def test_golden(traps_report: Report, golden: Any) -> None:
    """The traps bank's package matches its golden projection, and two exports are the same
    bytes."""
    context = ExportContext(traps_report)
    loaded = traps_report.collection.banks[0]
    first = Qti21Exporter().render_bank(loaded, context)
    assert first == Qti21Exporter().render_bank(loaded, context)
    golden("qti21/traps.txt", projection(members(first)))


def test_keeps_the_exporter_contract() -> None:
    check_exporter(Qti21Exporter)


def test_every_item_and_the_test_are_valid_against_the_ims_schema(traps_report: Report) -> None:
    """libxml2 finds every XML member well-formed and the items and test schema-valid."""
    files, _ = render(traps_report)
    xml = [name for name in files if name.endswith(".xml")]
    assert len(xml) == 2 + len(traps_report.collection.banks[0].bank.questions)
    for name in xml:
        etree.fromstring(files[name])  # well-formed, or it raises
        if name != "imsmanifest.xml":
            assert schema_errors(files[name]) == [], name


def test_a_second_validator_agrees(traps_report: Report) -> None:
    """``xmlschema`` (another implementation of XML Schema) also accepts every item and the
    test, and rejects an item broken on purpose: the validation can fail."""
    files, _ = render(traps_report)
    schema = xmlschema_schema()
    for name, data in files.items():
        if name.endswith(".xml") and name != "imsmanifest.xml":
            schema.validate(data.decode("utf-8"))
    broken = next(d for n, d in files.items() if n.endswith(".xml") and b"choiceInteraction" in d)
    broken = broken.replace(b'maxChoices="1"', b'maxChoices="one"')
    assert not schema.is_valid(broken.decode("utf-8"))
    assert schema_errors(broken)


def test_the_schema_copies_are_the_published_files() -> None:
    """Every schema under ``qti21_schemas/`` is listed in its README with the SHA-256 of the
    published file (the IMS licence allows copies only unchanged)."""
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    listed = {path: digest for digest, path in re.findall(r"`([0-9a-f]{64})` `([^`]+)`", readme)}
    copies = {p.relative_to(SCHEMAS).as_posix(): p for p in SCHEMAS.rglob("*.xsd")}
    assert copies and listed.keys() == copies.keys()
    for path, file in copies.items():
        assert hashlib.sha256(file.read_bytes()).hexdigest() == listed[path], path


def test_manifest_declares_every_member_once(traps_report: Report) -> None:
    """The manifest has the test (depending on every item), one item resource per question
    (depending on the stylesheet and the media it shows), and a file entry for every member
    of the zip and nothing else; identifiers are unique NCNames."""
    files, _ = render(traps_report)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert manifest.tag == f"{CP}manifest"
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    assert len(resources) == len(list(manifest.iter(f"{CP}resource")))
    declared = [f.get("href") for f in manifest.iter(f"{CP}file")]
    assert sorted(declared) == sorted(n for n in files if n != "imsmanifest.xml")
    kinds = [r.get("type") for r in resources.values()]
    assert kinds[0] == "imsqti_test_xmlv2p1" and kinds.count("imsqti_test_xmlv2p1") == 1
    test = next(iter(resources.values()))
    item_ids = [i for i, r in resources.items() if r.get("type") == "imsqti_item_xmlv2p1"]
    assert [d.get("identifierref") for d in test.iter(f"{CP}dependency")] == item_ids
    assert len(item_ids) == len(traps_report.collection.banks[0].bank.questions)
    for identifier, resource in resources.items():
        assert NCNAME.match(identifier), identifier
        for dependency in resource.iter(f"{CP}dependency"):
            assert dependency.get("identifierref") in resources


def test_manifest_metadata_names_each_question_for_teachers(traps_report: Report) -> None:
    """Each item's LOM says which question it is (``bank-id/question-id``, found nowhere a
    learner's browser gets), its title and its tags; a failing question is tagged
    ``qbank-invalid``."""
    loaded = traps_report.collection.banks[0]
    files, _ = render(traps_report)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    general = [
        resource.find(f"{CP}metadata/{MD}lom/{MD}general")
        for resource in manifest.iter(f"{CP}resource")
        if resource.get("type") == "imsqti_item_xmlv2p1"
    ]
    references = [g.findtext(f"{MD}identifier") for g in general]
    assert references == [f"{loaded.id}/{q.id}" for q in loaded.bank.questions]
    several = general[references.index(f"{loaded.id}/several")]
    assert [visible(k) for k in several.iter(f"{MD}keyword")] == ["traps", "c++"]
    learners = b"".join(data for name, data in files.items() if name != "imsmanifest.xml")
    ids = [q.id for q in loaded.bank.questions if "-" in q.id]  # not plain words (`number`)
    assert len(ids) > 5 and not [i for i in ids if i.encode() in learners]


def test_the_test_has_a_section_per_bank_and_weights_points(traps_report: Report) -> None:
    """A collection is one test (OpenOLAT imports the first test of a package only): a
    section per bank, in order, titled after it; each item weighted by its points; the
    test's MAXSCORE is their sum. (The copy has no computed key for `computed`: left out.)"""
    loaded = traps_report.collection.banks[0]
    other = loaded.model_copy(update={"id": "traps/copy", "path": loaded.path + "-copy"})
    context = ExportContext(traps_report)
    data = Qti21Exporter().render_collection(Collection(banks=[loaded, other]), context)
    files = members(data)
    test = etree.fromstring(files["assessment.xml"])
    assert schema_errors(files["assessment.xml"]) == []
    sections = list(test.iter(f"{QTI}assessmentSection"))
    assert [s.get("title") for s in sections] == [loaded.bank.title.strip()] * 2
    refs = list(sections[0].iter(f"{QTI}assessmentItemRef"))
    weights = [float(r.find(f"{QTI}weight").get("value")) for r in refs]
    assert weights == [q.points for q in loaded.bank.questions]
    maximum = test.find(f"{QTI}outcomeDeclaration[@identifier='MAXSCORE']")
    every = [float(w.get("value")) for w in test.iter(f"{QTI}weight")]
    assert len(every) == 2 * len(refs) - 1
    assert float(visible(maximum)) == sum(every) == 2 * sum(weights) - 1
    hrefs = [r.get("href") for s in sections for r in s.iter(f"{QTI}assessmentItemRef")]
    assert len(set(hrefs)) == len(hrefs) and all(h in files for h in hrefs)


# --- each question kind ---------------------------------------------------------------------


def _interaction(item: etree._Element) -> str:
    body = item.find(f"{QTI}itemBody")
    found = [e.tag.removeprefix(QTI) for e in body.iter() if e.tag.endswith("Interaction")]
    return next(tag for tag in found if tag != "endAttemptInteraction")


def _response(item: etree._Element) -> tuple[str, str]:
    declaration = item.find(f"{QTI}responseDeclaration[@identifier='RESPONSE']")
    return declaration.get("cardinality"), declaration.get("baseType")


def test_every_kind_maps_to_its_interaction(traps_report: Report) -> None:
    """Each question kind becomes the interaction and response the mapping table says, with
    no warning beyond what QTI cannot hold (a typed output compared byte for byte)."""
    files, context = render(traps_report)
    found = {
        key: (_interaction(item), *_response(item))
        for key, item in items(files, traps_report).items()
    }
    choice, entry, extended = "choiceInteraction", "textEntryInteraction", "extendedTextInteraction"
    single = ("single", "identifier")
    assert found == {
        "dict-literal": (extended, "single", "string"), "computed": (extended, "single", "string"),
        "pick-output": (choice, *single), "unicode-mc": (choice, *single),
        "several": (choice, "multiple", "identifier"), "weighted": (choice, "multiple", "identifier"),
        "statement": (choice, *single), "false-statement": (choice, *single),
        "name-it": (entry, "single", "string"), "number": (entry, "single", "float"),
        "tiny-number": (entry, "single", "float"),
        "pairs": ("matchInteraction", "multiple", "directedPair"),
        "explain": (extended, "single", "string"), "fill-gap": (choice, *single),
        "find-bug": (choice, *single), "values": (choice, *single),
    }  # fmt: skip
    codes = {(w.question, w.code) for w in context.warnings}
    assert codes == {("dict-literal", "lossy-whitespace"), ("computed", "lossy-whitespace")}


def test_choices_keep_order_shuffle_and_max_choices(traps_report: Report) -> None:
    """Options keep their authored order and identifiers; `shuffle: false` is carried; one
    answer for single choice, any number for multiple answers; true/false is two options."""
    found = items(render(traps_report)[0], traps_report)
    mc = found["unicode-mc"].find(f".//{QTI}choiceInteraction")
    assert (mc.get("shuffle"), mc.get("maxChoices")) == ("false", "1")
    assert [c.get("identifier") for c in mc] == [
        part(traps_report, "unicode-mc", i) for i in range(4)
    ]
    assert found["several"].find(f".//{QTI}choiceInteraction").get("maxChoices") == "0"
    tf = found["statement"].find(f".//{QTI}choiceInteraction")
    assert [(c.get("identifier"), visible(c)) for c in tf] == [("true", "True"), ("false", "False")]
    key = found["statement"].find(f".//{QTI}correctResponse")
    assert visible(key) == "true"
    assert visible(found["false-statement"].find(f".//{QTI}correctResponse")) == "false"


def test_multiple_answers_map_qbank_weights() -> None:
    """Shares of the correct options add up to (at least) 1 in any order, explicit weights
    are kept, and every unweighted wrong option costs 1/n of them, so ticking all scores 0."""
    even = (Choice(text="2", correct=True), Choice(text="4", correct=True), Choice(text="3"))
    assert answer_weights(even) == [0.5, 0.5, -1.0]
    thirds = answer_weights(tuple(Choice(text=str(i), correct=True) for i in range(3)))
    assert sum(thirds) >= 1 and sum(reversed(thirds)) >= 1 and max(thirds) < 0.3333334
    tenths = answer_weights(tuple(Choice(text=str(i), correct=True) for i in range(10)))
    assert sum(tenths) >= 1
    weighted = (
        Choice(text="a", correct=True, weight=70),
        Choice(text="b", correct=True),
        Choice(text="c", weight=-50),
        Choice(text="d"),
    )
    assert answer_weights(weighted) == [0.7, 0.3, -0.5, -0.5]


def test_short_answer_numerical_and_matching_keys(traps_report: Report) -> None:
    """Every accepted answer maps to 1 with the question's case rule; a number is compared
    with its tolerance; each right pair maps to 1/n and distractors are extra targets."""
    found = items(render(traps_report)[0], traps_report)
    entries = found["name-it"].findall(f".//{QTI}mapEntry")
    assert [(e.get("mapKey"), e.get("caseSensitive")) for e in entries] == [
        ("len", "true"), ("len()", "true"), ("a*b", "true"), ("x->y", "true")
    ]  # fmt: skip
    equal = found["number"].find(f".//{QTI}equal")
    assert (equal.get("toleranceMode"), equal.get("tolerance")) == ("absolute", "0.005")
    assert found["tiny-number"].find(f".//{QTI}equal").get("toleranceMode") == "exact"
    assert visible(found["tiny-number"].find(f".//{QTI}correctResponse")) == "0.00001"
    sets = found["pairs"].findall(f".//{QTI}simpleMatchSet")
    assert [len(s) for s in sets] == [3, 5]
    assert [visible(c) for c in sets[1]][3:] == ["no such = thing", "a # hash"]
    pairs = [visible(v) for v in found["pairs"].find(f".//{QTI}correctResponse")]
    bank = traps_report.collection.banks[0].bank
    rights = [p.right for p in next(q for q in bank.questions if q.id == "pairs").pairs]
    assert pairs == [
        f"{part(traps_report, 'pairs', f'left-{i}')} {part(traps_report, 'pairs', f'target:{r}')}"
        for i, r in enumerate(rights)
    ]


def test_feedback_explanation_and_hints(traps_report: Report) -> None:
    """Per-option feedback (authored, else generated) and the explanation are modalFeedback
    on FEEDBACK; the fix of a bug follows its explanation; an essay's explanation is for
    scorers only; hints sit behind a hint button that does not count as an attempt."""
    found = items(render(traps_report)[0], traps_report)

    def feedback(key: str) -> dict[str, str]:
        nodes = found[key].findall(f"{QTI}modalFeedback")
        assert all(n.get("outcomeIdentifier") == "FEEDBACK" for n in nodes)
        return {n.get("identifier"): visible(n) for n in nodes}

    mc = feedback("unicode-mc")
    assert mc[part(traps_report, "unicode-mc", 0)] == "Right: [n] * 2 repeats {the} list."
    assert mc["EXPLANATION"] == "Repetition of lists: [x] * n."
    assert "not why" in feedback("find-bug")[part(traps_report, "find-bug", 1)]
    assert "Fixed code:" in feedback("find-bug")["EXPLANATION"]
    generated = {part(traps_report, "fill-gap", i) for i in (1, 2, 3)}
    assert feedback("fill-gap").keys() >= generated
    assert "HINT" in feedback("dict-literal")
    button = found["dict-literal"].find(f".//{QTI}endAttemptInteraction")
    assert (button.get("responseIdentifier"), button.get("countAttempt")) == (
        "HINTREQUEST",
        "false",
    )
    essay = found["explain"]
    assert essay.findall(f"{QTI}modalFeedback") == []
    assert visible(essay.find(f".//{QTI}rubricBlock[@view='scorer']")).startswith("Strings")
    assert essay.find(f"{QTI}responseProcessing") is None


def test_without_generated_feedback_only_authored_feedback_remains(traps_report: Report) -> None:
    """With `refutation_feedback` off, wrong options keep only their authored feedback."""
    found = items(render(traps_report, refutation_feedback=False)[0], traps_report)
    ids = {n.get("identifier") for n in found["fill-gap"].findall(f"{QTI}modalFeedback")}
    assert not ids & {part(traps_report, "fill-gap", i) for i in (1, 2, 3)}
    ids = {n.get("identifier") for n in found["find-bug"].findall(f"{QTI}modalFeedback")}
    assert part(traps_report, "find-bug", 1) in ids


def test_templates_are_named_only_where_the_rules_are_theirs(traps_report: Report) -> None:
    """An item without feedback names its standard template and carries its rules; one with
    feedback or a tolerance has custom rules and names none."""
    found = items(render(traps_report)[0], traps_report)
    templates = {
        key: item.find(f"{QTI}responseProcessing").get("template", "")
        for key, item in found.items()
        if item.find(f"{QTI}responseProcessing") is not None
    }
    base = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
    assert templates["several"] == base + "map_response"
    assert templates["false-statement"] == base + "match_correct"
    assert templates["unicode-mc"] == "" and templates["number"] == ""


def test_code_is_highlighted_with_classes_and_the_stylesheet_colours_them(
    traps_report: Report,
) -> None:
    """Code blocks are `<pre class="highlight">` with token classes and no `style` (QTI has
    none); every character and indentation is kept; each item links the package's CSS."""
    files, _ = render(traps_report)
    found = items(files, traps_report)
    question = traps_report.collection.banks[0].bank.questions[0]
    blocks = found["dict-literal"].findall(f".//{QTI}pre[@class='highlight']")
    assert visible(blocks[-1]) == question.code
    assert not [e for e in found["dict-literal"].iter() if "style" in e.attrib]
    assert ".highlight .k" in files["qbank.css"].decode("utf-8")
    sheets = [i.find(f"{QTI}stylesheet").get("href") for i in found.values()]
    assert set(sheets) == {"qbank.css"}


def test_identifiers_are_stable_ncnames_and_never_the_title(traps_report: Report) -> None:
    """Item identifiers derive from the bank and question ids (the same in another export,
    unique, NCNames); the item title is the question's title or its number."""
    first, second = (
        items(render(traps_report)[0], traps_report),
        items(render(traps_report)[0], traps_report),
    )
    ids = [i.get("identifier") for i in first.values()]
    assert ids == [i.get("identifier") for i in second.values()]
    assert len(set(ids)) == len(ids) and all(NCNAME.match(i) for i in ids)
    assert first["several"].get("title") == "Question 5"
    assert first["dict-literal"].get("title").startswith("Braces {} = #hash")


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\ufffe"])
def test_characters_xml_cannot_hold_are_warned_and_left_out(
    traps_report: Report, character: str
) -> None:
    """A control character in a prompt or a right side leaves every file well-formed and
    valid, and is a `lossy-character` warning; a carriage return is kept as a reference."""
    loaded = traps_report.collection.banks[0]
    questions = list(loaded.bank.questions)
    index = next(i for i, q in enumerate(questions) if q.id == "pairs")
    pairs = questions[index]
    right = pairs.pairs[0].model_copy(update={"right": f"ret{character}urns\rint"})
    questions[index] = pairs.model_copy(
        update={"prompt": f"Match{character}!", "pairs": (right, *pairs.pairs[1:])}
    )
    bank = loaded.bank.model_copy(update={"questions": tuple(questions)})
    traps_report.collection.banks[0] = loaded.model_copy(update={"bank": bank})
    files, context = render(traps_report)
    item = items(files, traps_report)["pairs"]
    assert schema_errors(etree.tostring(item)) == []
    assert "ret" + "urns\rint" in [visible(c) for c in item.iter(f"{QTI}simpleAssociableChoice")]
    assert ("pairs", "lossy-character") in {(w.question, w.code) for w in context.warnings}


def test_markup_qti_has_no_place_for_is_warned(traps_report: Report) -> None:
    """A numbered list starting at 3 and a link title are left out, and said."""
    loaded = traps_report.collection.banks[0]
    questions = list(loaded.bank.questions)
    questions[4] = questions[4].model_copy(
        update={"prompt": '3. three\n4. four\n\n[docs](https://docs.python.org "Docs")'}
    )
    bank = loaded.bank.model_copy(update={"questions": tuple(questions)})
    traps_report.collection.banks[0] = loaded.model_copy(update={"bank": bank})
    files, context = render(traps_report)
    item = items(files, traps_report)[questions[4].id]
    assert schema_errors(etree.tostring(item)) == []
    assert item.find(f".//{QTI}a").get("href") == "https://docs.python.org"
    messages = [w.message for w in context.warnings if w.code == "lossy-markup"]
    assert len(messages) == 2 and "starts at 1" in messages[0] and "Docs" in messages[1]


def test_a_question_that_cannot_be_written_is_left_out_and_said() -> None:
    """An `output` question with no key (not validated with execution) is left out with a
    `missing-key` warning; the test, with an empty section, is still valid."""
    question = Output(type="output", id="no-key", prompt="What?", code="print(1)\n")
    loaded = LoadedBank(id="demo", path="demo.yaml", bank=Bank(id="demo", questions=(question,)))
    context = ExportContext(Report(Collection([loaded])))
    files = members(Qti21Exporter().render_bank(loaded, context))
    assert list(files) == ["imsmanifest.xml", "assessment.xml", "qbank.css"]
    assert schema_errors(files["assessment.xml"]) == []
    assert [(w.question, w.code) for w in context.warnings] == [("no-key", "missing-key")]


def test_zip_members_are_dated_by_source_date_epoch_or_1980(
    traps_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never the current time: 1980-01-01 by default, `SOURCE_DATE_EPOCH` when set."""
    loaded = traps_report.collection.banks[0]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = Qti21Exporter().render_bank(loaded, ExportContext(traps_report))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = Qti21Exporter().render_bank(loaded, ExportContext(traps_report))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@settings(max_examples=60)
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=40))
@example("<b>&amp;</b> ]]> \r\n\t `x < y` [a](b 'c') ![i](j.png)")
def test_any_text_gives_a_valid_item(text: str) -> None:
    """Whatever a prompt, an option and a feedback hold, the item is well-formed and valid,
    and the text a learner reads is the text written (less what XML cannot hold)."""
    question = MultipleChoice(
        type="multiple_choice",
        id="any",
        prompt=f"{text}?",
        choices=(Choice(text=f"{text}!", correct=True), Choice(text="no", feedback=text)),
    )
    loaded = LoadedBank(id="demo", path="demo.yaml", bank=Bank(id="demo", questions=(question,)))
    report = Report(Collection([loaded]))
    files, _ = render(report)
    item = items(files, report)["any"]
    assert schema_errors(etree.tostring(item)) == []
    options = [visible(c) for c in item.iter(f"{QTI}simpleChoice")]
    assert options[1] == "no"


_LINE = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(_LINE.filter(str.strip), _LINE.filter(lambda t: t == t.strip() and t.strip()))
@example("Page\fbreak <b>", "List<Integer> & <class 'int'>")
def test_any_title_and_typed_key_give_a_valid_package(title: str, key: str) -> None:
    """A title (shown in the test and the manifest) and typed keys (a short answer, an
    output, which `correctResponse` holds as character data) with `<`, `&` or characters
    XML cannot hold: every member is well-formed and every item valid."""
    questions = [
        {"id": "short", "type": "short_answer", "title": title, "prompt": "P", "answers": [key]},
        {"id": "out", "type": "output", "title": title, "prompt": "P", "code": "pass\n",
         "answer": key + "\n"},
    ]  # fmt: skip
    bank = Bank.model_validate({"id": "demo", "title": title, "questions": questions})
    loaded = LoadedBank(id="demo", path="demo.yaml", bank=bank)
    files = members(
        Qti21Exporter().render_bank(loaded, ExportContext(Report(Collection([loaded]))))
    )
    for name, data in files.items():
        if name.endswith(".xml"):
            etree.fromstring(data)  # raises on anything not well-formed
    for _, item in all_items(files):
        assert schema_errors(etree.tostring(item)) == []
    assert schema_errors(files["assessment.xml"]) == []


def test_tolerances_keep_their_digits_and_boxes_do_not_tell_the_key(traps_report: Report) -> None:
    """A tolerance of 1e-36 is written as such (not rounded to 0); text boxes have one
    size whatever the key, and no item gets a second attempt (a hint is free, and a second
    try would come after the explanation)."""
    question = {"id": "h", "type": "numerical", "prompt": "h?", "answer": 6.62607015e-34,
                "tolerance": 1e-36, "hint": "Planck"}  # fmt: skip
    bank = Bank.model_validate({"id": "demo", "questions": [question]})
    loaded = LoadedBank(id="demo", path="demo.yaml", bank=bank)
    files = members(
        Qti21Exporter().render_bank(loaded, ExportContext(Report(Collection([loaded]))))
    )
    text = b"".join(files.values()).decode("utf-8", "replace")
    assert 'tolerance="0.000000000000000000000000000000000001"' in text
    assert re.findall(r"maxAttempts=\"(\d+)\"", files["assessment.xml"].decode()) == ["1"]
    traps, _ = render(traps_report)
    lengths = set(re.findall(r'expectedLength="(\d+)"', b"".join(traps.values()).decode()))
    assert len(lengths) == 1
