"""The `qti` package has the structure the real text2qti (PyPI) writes for the same
questions: member layout, manifest resource types, the item metadata fields and Canvas's
question_type values, response elements. Not byte equality: idents, HTML and feedback
differ by design."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qbank.exporters.base import ExportContext
from qbank.exporters.qti import QtiExporter
from qbank.model import Bank, Collection, LoadedBank
from qbank.report import Report

if not os.environ.get("QBANK_GATE"):  # the gate installs the dev extra: there it must run
    pytest.importorskip("text2qti", reason="text2qti is in the dev extra")

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
QUIZ = """\
Quiz title: Comparison
Quiz description: The same questions, written by two tools.

1.  Which keyword defines a function? ![a dot](dot.png)
*a) `def`
b)  `fun`

2.  Which of these are immutable?
[*] `tuple`
[*] `str`
[ ] `list`

3.  Is `[]` falsy?
*a) True
b)  False

4.  Name the built-in that gives a length.
*   len

5.  What is `0.1 + 0.2`, to two decimals?
=   0.3 +- 0.005

6.  Explain why strings are immutable.
____
"""
BANK = {
    "title": "Comparison",
    "description": "The same questions, written by two tools.",
    "questions": [
        {"id": "q1", "type": "multiple_choice", "prompt": "Which keyword defines a function? ![a dot](dot.png)",
         "choices": [{"text": "`def`", "correct": True}, "`fun`"]},
        {"id": "q2", "type": "multiple_answers", "prompt": "Which of these are immutable?",
         "choices": [{"text": "`tuple`", "correct": True}, {"text": "`str`", "correct": True}, "`list`"]},
        {"id": "q3", "type": "true_false", "prompt": "Is `[]` falsy?", "answer": True},
        {"id": "q4", "type": "short_answer", "prompt": "Name the built-in that gives a length.",
         "answers": ["len"]},
        {"id": "q5", "type": "numerical", "prompt": "What is `0.1 + 0.2`, to two decimals?",
         "answer": 0.3, "tolerance": 0.005},
        {"id": "q6", "type": "essay", "prompt": "Explain why strings are immutable."},
    ],
}  # fmt: skip
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


def _text2qti_zip(folder: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    monkeypatch.chdir(folder)  # text2qti finds images from the working folder
    config = Config()
    config.load()
    quiz = Quiz(QUIZ, config=config, source_name="quiz.md", resource_path=str(folder))
    return QTI(quiz).zip_bytes()


def _qbank_zip(folder: Path) -> bytes:
    loaded = LoadedBank(
        id="comparison", path=str(folder / "quiz.yaml"), bank=Bank.model_validate(BANK)
    )
    report = Report(Collection([loaded]))
    return QtiExporter().render_collection(report.collection, ExportContext(report))


def _shape(package: bytes) -> dict[str, object]:
    """What the two packages must share."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = manifest.iter(f"{CP}resource")
    (ident,) = {n.split("/")[0] for n in files if n.endswith("/assessment_meta.xml")}
    assessment = etree.fromstring(files[f"{ident}/{ident}.xml"])
    items = list(assessment.iterfind(".//q:item", NS))
    fields = [
        [f.findtext("q:fieldlabel", "", NS) for f in i.iterfind(".//q:qtimetadatafield", NS)]
        for i in items
    ]
    types = [dict(zip(f, (e.text for e in i.iterfind(".//q:fieldentry", NS)), strict=True))["question_type"]
             for f, i in zip(fields, items, strict=True)]  # fmt: skip
    responses = [[(r.tag.split("}")[1], r.get("rcardinality"), r[0].tag.split("}")[1], r[0].get("fibtype"))
                  for r in i.find("q:presentation", NS) if r.tag.split("}")[1].startswith("response")]
                 for i in items]  # fmt: skip
    images = sorted(src for m in assessment.iterfind(".//q:mattext", NS)
                    for src in re.findall(r'src="([^"]*)"', m.text or ""))  # fmt: skip
    return {
        "layout": sorted(
            n.replace(ident, "<ident>") for n in files if not n.startswith(("images/", "media/"))
        ),
        "resource types": sorted({r.get("type") for r in resources}),
        "assessment root": (assessment.tag, [c.tag for c in assessment[0]]),
        "metadata fields": fields,
        "question types": types,
        "responses": responses,
        "feedback names": sorted(
            {f.get("ident") for f in assessment.iterfind(".//q:itemfeedback", NS)} & {"general_fb"}
        ),
        "images": [
            re.sub(r"^(?:%24|\$)IMS-CC-FILEBASE(?:%24|\$)/[a-z]+/", "FILEBASE/", s).split("/")[0]
            for s in images
        ],
    }


def test_same_structure_as_text2qti(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same members, resource types, item metadata fields, question types, response
    elements (cardinality, numeric blank) and image references (into the package through
    `$IMS-CC-FILEBASE$`)."""
    (tmp_path / "dot.png").write_bytes(PNG)
    theirs = _shape(_text2qti_zip(tmp_path, monkeypatch))
    ours = _shape(_qbank_zip(tmp_path))
    assert ours == theirs
    assert theirs["question types"] == [
        "multiple_choice_question", "multiple_answers_question", "true_false_question",
        "short_answer_question", "numerical_question", "essay_question",
    ]  # fmt: skip
    assert theirs["images"] == ["FILEBASE"]
