"""The QTI 1.2 (Canvas) exporter: the package's layout and manifest, every file strict XML,
Canvas's question types, scoring and feedback as Canvas's importer reads them
(``gems/plugins/qti_exporter/lib/qti/*.rb``), HTML its sanitizer keeps, and the shipped banks.

The text2qti comparison is in ``test_qti_text2qti.py``, the DTD in ``test_qti_dtd.py``, the
round trip through qbank's importer in ``tests/importers/test_qti_import.py``."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from qbank.cli import main
from qbank.exporters.base import ExportContext
from qbank.exporters.qti import QtiExporter, ids
from qbank.exporters.qti.weights import weight_loss
from qbank.model import Choice
from qbank.report import Report
from qbank.testing import check_exporter

ROOT = Path(__file__).resolve().parents[2]
NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"

# What CanvasSanitize::SANITIZE keeps in a `style` attribute
# (gems/canvas_sanitize/lib/canvas_sanitize/canvas_sanitize.rb): its property list, its
# property patterns, and the "gauntlet" a whole value must pass.
CANVAS_STYLE_PROPERTIES = {
    "background", "border", "clear", "color", "cursor", "direction", "display", "float",
    "font", "height", "left", "line-height", "list-style", "margin", "max-height",
    "max-width", "min-height", "min-width", "overflow", "overflow-x", "overflow-y",
    "padding", "position", "right", "text-align", "table-layout", "text-decoration",
    "text-indent", "top", "vertical-align", "visibility", "white-space", "width",
    "z-index", "zoom",
}  # fmt: skip
CANVAS_STYLE_PATTERNS = [
    r"background-(?:attachment|color|image|position|repeat)",
    r"border-(?:bottom|collapse|color|left|right|spacing|style|top|width)",
    r"font-(?:family|size|stretch|style|variant|weight)",
    r"margin-(?:bottom|left|right|top|offset)",
    r"padding-(?:bottom|left|right|top)",
]
CANVAS_STYLE_VALUE = re.compile(r"([-:,;#%.()/\sa-zA-Z0-9!]|'[\s\w]+'|\"[\s\w]+\"|\([\d,\s]+\))*")
CANVAS_ELEMENTS = {
    "a", "b", "blockquote", "br", "caption", "cite", "code", "col", "hr", "h1", "h2", "h3",
    "h4", "h5", "h6", "del", "ins", "iframe", "font", "colgroup", "dd", "div", "dl", "dt",
    "em", "figure", "figcaption", "i", "img", "li", "ol", "p", "pre", "q", "small", "span",
    "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip


def render(report: Report, **options: Any) -> tuple[bytes, ExportContext]:
    context = ExportContext(report)
    return QtiExporter(options).render_collection(report.collection, context), context


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def strict(data: bytes) -> etree._Element:
    """`data` parsed by lxml without recovery: a truncated or broken file raises."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def items(package: bytes) -> dict[str, etree._Element]:
    """Question id (from the item's label) -> its <item>, over every assessment."""
    found = {}
    for name, data in members(package).items():
        if name.endswith(".xml") and b"<questestinterop" in data[:400]:
            for item in strict(data).iterfind(".//q:item", NS):
                found[item.get("label").rsplit("/", 1)[1]] = item
    return found


def meta(item: etree._Element) -> dict[str, str]:
    fields = item.iterfind(".//q:qtimetadatafield", NS)
    return {f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS) for f in fields}


def html_of(item: etree._Element) -> list[str]:
    return [m.text or "" for m in item.iterfind(".//q:mattext", NS)]


def test_keeps_the_exporter_contract() -> None:
    """qbank.testing.check_exporter passes: every type renders, deterministic, exports."""
    check_exporter(QtiExporter)


def test_package_layout_and_manifest(traps_report: Report) -> None:
    """imsmanifest.xml, `<ident>/<ident>.xml` and `<ident>/assessment_meta.xml` per bank; the
    manifest lists every member and nothing else; every member is strict XML."""
    package, _ = render(traps_report)
    files = members(package)
    ident = ids.assessment_ident("traps/everything")
    assert list(files)[:3] == [
        "imsmanifest.xml",
        f"{ident}/{ident}.xml",
        f"{ident}/assessment_meta.xml",
    ]
    for name, data in files.items():
        if name.endswith(".xml"):
            strict(data)
    manifest = strict(files["imsmanifest.xml"])
    listed = {f.get("href") for f in manifest.iter(f"{CP}file")}
    assert listed == set(files) - {"imsmanifest.xml"}
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    assert resources[ident].get("type") == "imsqti_xmlv1p2"
    meta_ref = resources[ident].find(f"{CP}dependency").get("identifierref")
    assert resources[meta_ref].get("href") == f"{ident}/assessment_meta.xml"
    assert resources[meta_ref].get("type").endswith("learning-application-resource")


def test_a_truncated_member_is_caught_by_a_strict_parser(traps_report: Report) -> None:
    """QTIMigrationTool parses with lxml's `recover=True` and imports what it could read; the
    strict parse used above does fail on the same file cut short."""
    package, _ = render(traps_report)
    ident = ids.assessment_ident("traps/everything")
    data = members(package)[f"{ident}/{ident}.xml"]
    lenient = etree.fromstring(data[: len(data) // 2], etree.XMLParser(recover=True))
    assert lenient.tag.endswith("questestinterop")  # what Canvas would half-import
    with pytest.raises(etree.XMLSyntaxError):
        strict(data[: len(data) // 2])


def test_every_type_has_its_canvas_question_type(traps_report: Report) -> None:
    """Each kind becomes the question_type of the mapping tables, with points and ids."""
    package, context = render(traps_report)
    found = items(package)
    assert {key: meta(item)["question_type"] for key, item in found.items()} == {
        "dict-literal": "short_answer_question", "computed": "short_answer_question",
        "pick-output": "multiple_choice_question", "unicode-mc": "multiple_choice_question",
        "several": "multiple_answers_question", "weighted": "multiple_answers_question",
        "statement": "true_false_question", "false-statement": "true_false_question",
        "name-it": "short_answer_question", "number": "numerical_question",
        "tiny-number": "numerical_question", "pairs": "matching_question",
        "explain": "essay_question", "fill-gap": "multiple_choice_question",
        "find-bug": "multiple_choice_question", "values": "multiple_choice_question",
    }  # fmt: skip
    assert meta(found["unicode-mc"])["points_possible"] == "2"
    labels = [node.get("ident") for node in found["unicode-mc"].iterfind(".//q:response_label", NS)]
    assert meta(found["unicode-mc"])["original_answer_ids"] == ",".join(labels)
    assert all(label.isdigit() for label in labels)
    assert {(w.question, w.code) for w in context.warnings} == {
        ("dict-literal", "lossy-whitespace"), ("dict-literal", "lossy-case"),
        ("dict-literal", "lossy-hint"), ("computed", "lossy-whitespace"),
        ("weighted", "lossy-weight"), ("name-it", "lossy-case"),
    }  # fmt: skip


def test_idents_are_stable_and_exports_byte_identical(traps_report: Report) -> None:
    """Idents come from the ids (Canvas updates a re-imported question by them)."""
    first, _ = render(traps_report)
    assert first == render(traps_report)[0]
    item = items(first)["several"]
    assert item.get("ident") == ids.item_ident("traps/everything", "several")
    assert ids.item_ident("a", "b/c") != ids.item_ident("a/b", "c")


def _scoring(item: etree._Element) -> list[etree._Element]:
    return [
        c for c in item.iterfind(".//q:respcondition", NS) if c.find("q:setvar", NS) is not None
    ]


def test_multiple_choice_and_per_option_feedback(traps_report: Report) -> None:
    """The key scores 100; an option's feedback is authored, else what validation generated
    for learners; the explanation is the general feedback shown on every response."""
    found = items(render(traps_report)[0])
    item = found["unicode-mc"]
    (score,) = _scoring(item)
    assert score.findtext(".//q:setvar", "", NS) == "100"
    key = score.findtext(".//q:varequal", "", NS)
    feedback = {f.get("ident"): "".join(html_of(f)) for f in item.iterfind("q:itemfeedback", NS)}
    assert "Repetition" in feedback["general_fb"]
    assert "repeats {the} list" in feedback[f"{key}_fb"]
    generated = "".join(html_of(found["fill-gap"].find("q:itemfeedback[last()]", NS)))
    assert "raises" in generated
    fix = "".join(html_of(found["find-bug"].find("q:itemfeedback", NS)))
    assert "Fixed code" in fix and "into" in fix


def test_multiple_answers_in_canvas_form(traps_report: Report) -> None:
    """One condition: each right option picked and no wrong one (`<not>`), as Canvas writes."""
    item = items(render(traps_report)[0])["several"]
    (score,) = _scoring(item)
    right = [v.text for v in score.iterfind("q:conditionvar/q:and/q:varequal", NS)]
    wrong = [v.text for v in score.iterfind("q:conditionvar/q:and/q:not/q:varequal", NS)]
    assert len(right) == 3 and len(wrong) == 2


def test_canvas_weights() -> None:
    """Canvas gives each right option 100/k % and takes 100/k % per wrong pick: only those
    weights (or none) are carried; others are named in the warning."""
    right, wrong = Choice(text="a", correct=True), Choice(text="b")
    assert weight_loss((right, right, wrong)) is None
    fair = (Choice(text="a", correct=True, weight=50), Choice(text="b", correct=True, weight=50),
            Choice(text="c", weight=-50))  # fmt: skip
    assert weight_loss(fair) is None
    harsh = (*fair[:2], Choice(text="c", weight=-100))
    assert "50, 50, -100" in (weight_loss(harsh) or "")
    thirds = (Choice(text="a", correct=True, weight=33.33333), Choice(text="b", correct=True),
              Choice(text="c", correct=True), Choice(text="d", weight=-33.33333))  # fmt: skip
    assert weight_loss(thirds) is None


def test_true_false_numerical_matching_essay(traps_report: Report) -> None:
    """True/False named as Canvas names them; numerical as an exact answer with its margin
    in exact decimals; matching rows each offering every right side and the distractors."""
    found = items(render(traps_report)[0])
    texts = [html_of(node)[0] for node in found["statement"].iterfind(".//q:response_label", NS)]
    assert texts == ["True", "False"]
    (score,) = _scoring(found["number"])
    var = score.find("q:conditionvar/q:or", NS)
    assert var.findtext("q:varequal", "", NS) == "0.3"
    assert (var.findtext("q:and/q:vargte", "", NS), var.findtext("q:and/q:varlte", "", NS)) == (
        "0.295",
        "0.305",
    )
    tiny = _scoring(found["tiny-number"])[0].find("q:conditionvar/q:or", NS)
    assert tiny.findtext("q:varequal", "", NS) == "0.00001"
    rows = found["pairs"].findall(".//q:response_lid", NS)
    offered = [
        [html_of(node)[0] for node in row.iterfind(".//q:response_label", NS)] for row in rows
    ]
    assert len(rows) == 3 and all(o == offered[0] for o in offered)
    assert offered[0][-2:] == ["no such = thing", "a # hash"]
    assert [c.findtext(".//q:setvar", "", NS) for c in _scoring(found["pairs"])] == ["33.33"] * 3
    assert all(c.find(".//q:setvar", NS).get("action") == "Add" for c in _scoring(found["pairs"]))
    assert _scoring(found["explain"]) == []


def test_short_answers_say_case_for_other_platforms(traps_report: Report) -> None:
    """Canvas ignores case (a warning says so); `case="Yes"` is still written."""
    item = items(render(traps_report)[0])["name-it"]
    values = item.findall(".//q:varequal", NS)
    assert [v.text for v in values] == ["len", "len()", "a*b", "x->y"]
    assert {v.get("case") for v in values} == {"Yes"}


def test_html_survives_canvas_sanitizer(traps_report: Report) -> None:
    """Every element is one Canvas keeps, and every style property and value passes its
    filter: highlighted code keeps its colours in Canvas."""
    package, _ = render(traps_report)
    seen_styles = 0
    for item in items(package).values():
        for html in html_of(item):
            fragment = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser()).find(
                ".//body/div"
            )
            for node in fragment.iter():
                assert node.tag in CANVAS_ELEMENTS | {"div"}, node.tag
                style = node.get("style")
                if style is None:
                    continue
                seen_styles += 1
                assert CANVAS_STYLE_VALUE.fullmatch(style), style
                for declaration in filter(None, (d.strip() for d in style.split(";"))):
                    name = declaration.split(":", 1)[0].strip()
                    allowed = name in CANVAS_STYLE_PROPERTIES or any(
                        re.fullmatch(p, name) for p in CANVAS_STYLE_PATTERNS
                    )
                    assert allowed, declaration
    assert seen_styles > 100


def test_a_long_question_text_drops_its_colours(traps_report: Report) -> None:
    """Over Canvas's 16 KB the code is written plain; still over, `lossy-size`."""
    loaded = traps_report.collection.banks[0]
    first = loaded.bank.questions[0]
    long = first.model_copy(update={"code": "print(1)\n" * 200})
    huge = first.model_copy(update={"id": "huge", "code": "print(1)\n" * 3000})
    bank = loaded.bank.model_copy(update={"questions": (long, huge)})
    traps_report.collection.banks[:] = [loaded.model_copy(update={"bank": bank})]
    package, context = render(traps_report)
    found = items(package)
    text = html_of(found["dict-literal"])[0]
    assert "print(1)" in text and 'style="' not in text
    assert {(w.question, w.code) for w in context.warnings if w.code == "lossy-size"} == {
        ("huge", "lossy-size")
    }


def _meta_member(package: bytes) -> bytes:
    return next(d for n, d in members(package).items() if n.endswith("meta.xml"))


def _setting(settings: etree._Element, tag: str) -> str | None:
    return settings.findtext(f"{{http://canvas.instructure.com/xsd/cccv1p0}}{tag}")


def test_shuffle_is_per_quiz(traps_report: Report) -> None:
    """Canvas shuffles per quiz: off when a question says `shuffle: false`, and then the
    other questions' options are in qbank's seeded order, the same every time."""
    package, _ = render(traps_report)
    assert b"<shuffle_answers>false</shuffle_answers>" in _meta_member(package)
    loaded = traps_report.collection.banks[0]
    kept = tuple(q for q in loaded.bank.questions if getattr(q, "shuffle", True))
    traps_report.collection.banks[:] = [
        loaded.model_copy(update={"bank": loaded.bank.model_copy(update={"questions": kept})})
    ]
    assert b"<shuffle_answers>true</shuffle_answers>" in _meta_member(render(traps_report)[0])


def test_quiz_settings_and_bank_name(traps_report: Report) -> None:
    """The assessment's title is the bank's (Canvas names the question bank after it); the
    points add up; options choose the quiz type and attempts."""
    package, _ = render(traps_report, quiz_type="practice_quiz", allowed_attempts=-1)
    files = members(package)
    ident = ids.assessment_ident("traps/everything")
    assessment = strict(files[f"{ident}/{ident}.xml"]).find("q:assessment", NS)
    assert assessment.get("title") == traps_report.collection.banks[0].bank.title
    settings = strict(files[f"{ident}/assessment_meta.xml"])
    assert (
        _setting(settings, "quiz_type"),
        _setting(settings, "allowed_attempts"),
        _setting(settings, "points_possible"),
    ) == (
        "practice_quiz",
        "-1",
        "17",
    )
    assert settings.find("{http://canvas.instructure.com/xsd/cccv1p0}assignment") is None


def test_shipped_banks_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Any
) -> None:
    """`qbank export banks/ -f qti -o build/canvas.zip`: one package, an assessment per bank,
    every image inside it and referenced the way Canvas resolves it; quickstart's assessment
    matches its golden."""
    shutil.copytree(ROOT / "banks", tmp_path / "banks")
    (tmp_path / "qbank.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "banks/", "-f", "qti", "-o", "build/canvas.zip"])
    assert result.exit_code == 0, result.output
    files = members((tmp_path / "build" / "canvas.zip").read_bytes())
    banks = sorted(p for p in (tmp_path / "banks").rglob("*.yaml"))
    assert len([n for n in files if n.endswith("/assessment_meta.xml")]) == len(banks)
    package = (tmp_path / "build" / "canvas.zip").read_bytes()
    found = items(package)
    sources = [src for item in found.values() for html in html_of(item)
               for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', html)]  # fmt: skip
    assert len(sources) >= 3
    for src in sources:
        assert src.startswith("$IMS-CC-FILEBASE$/media/"), src
        assert src.removeprefix("$IMS-CC-FILEBASE$/") in files
    assert {n for n in files if n.startswith("media/")} == {
        s.removeprefix("$IMS-CC-FILEBASE$/") for s in sources
    }
    ident = ids.assessment_ident("banks/python/quickstart")
    golden("qti/python/quickstart.xml", files[f"{ident}/{ident}.xml"])


@pytest.mark.parametrize("title", ["Page\fbreak", "a\x00b <c> & ]]>", "tab\there"])
def test_a_title_with_characters_xml_cannot_hold_keeps_the_package_well_formed(
    title: str,
) -> None:
    """The title is the item's `title` and the heading of its text: both are written
    without what XML 1.0 cannot hold (a form feed broke the whole assessment before)."""
    from qbank.model import Bank, Collection, LoadedBank

    question = {"id": "t", "type": "true_false", "title": title, "prompt": "Is 1 < 2?",
                "answer": True}  # fmt: skip
    bank = Bank.model_validate({"id": "demo", "title": title, "questions": [question]})
    loaded = LoadedBank(id="demo", path="demo.yaml", bank=bank)
    package = QtiExporter().render_bank(loaded, ExportContext(Report(Collection([loaded]))))
    for name, data in members(package).items():
        if name.endswith(".xml"):
            strict(data)
    (item,) = items(package).values()
    assert "Is 1 &lt; 2?" in "".join(html_of(item))
