"""A small reader of Moodle XML that reads a file the way Moodle 4.5's importer does.

Written from reading ``question/format/xml/format.php`` (``readquestions``,
``import_headers``, ``import_text_with_files``, ``import_answer``, ``import_hints``,
``import_question_tags``, ``import_multichoice``, ``import_truefalse``, ``import_shortanswer``,
``import_numerical``, ``import_match``, ``import_essay``, ``import_category``),
``question/format.php`` (``importprocess``: grades checked against the list with "Error if grade
not listed", idnumbers), ``question/engine/bank.php`` (``fraction_options_full``, the grade
list), ``lib/questionlib.php`` (``match_grade_options``: within 0.00001) and
``lib/xmlize.php`` (character data that is only whitespace is dropped). No Moodle code is
copied: this is what the importer does, restated, with the checks that make it refuse a
file or a question (:func:`problems`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

# fraction_options_full: p/q for q <= 6, p/10, 1/q for q <= 10, 1/20, negatives, 0 and +-1.
_RAW = (
    0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05,
)  # fmt: skip
GRADES = (0.0, 1.0, -1.0, *_RAW, *(-g for g in _RAW))
MAX_IDNUMBER = 100


@dataclass
class Text:
    """A text field as Moodle stores it: trimmed text, format, and its files."""

    text: str
    format: str = "html"
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Answer:
    text: Text
    fraction: float
    feedback: Text
    tolerance: str | None = None


@dataclass
class Question:
    """What Moodle would store for one ``<question>``."""

    qtype: str
    name: str = ""
    questiontext: Text = field(default_factory=lambda: Text(""))
    generalfeedback: Text = field(default_factory=lambda: Text(""))
    defaultmark: float = 1.0
    penalty: float = 0.3333333
    idnumber: str | None = None
    answers: list[Answer] = field(default_factory=list)
    hints: list[Text] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    subquestions: list[tuple[Text, str]] = field(default_factory=list)
    category: str | None = None
    info: Text | None = None


def _text_of(node: Any) -> str:
    """``getpath(... '#', 'text', 0, '#')`` with `istext`: the first `<text>`, trimmed."""
    text = node.find("text") if node is not None else None
    return (text.text or "").strip(" \t\n\r\0\x0b") if text is not None else ""


def read_field(node: Any, default_format: str = "html") -> Text:
    """``import_text_with_files``: the text, its format and the field's own ``<file>``s."""
    if node is None:
        return Text("", default_format)
    files = {
        f.get("name"): base64.b64decode(f.text or "")
        for f in node.findall("file")
        if f.get("encoding") == "base64"
    }
    return Text(_text_of(node), node.get("format", default_format), files)


def _answer(node: Any) -> Answer:
    tolerance = node.find("tolerance")
    return Answer(
        read_field(node),
        float(node.get("fraction", "0")) / 100,
        read_field(node.find("feedback")),
        tolerance.text if tolerance is not None else None,
    )


def _options(node: Any, *names: str) -> dict[str, str]:
    found = {}
    for name in names:
        child = node.find(name)
        if child is not None:
            found[name] = (child.text or "").strip()
    return found


_OPTIONS = {
    "multichoice": ("single", "shuffleanswers", "answernumbering"),
    "shortanswer": ("usecase",),
    "matching": ("shuffleanswers",),
    "essay": ("responseformat", "responserequired", "responsefieldlines", "attachments"),
}


def strip_tags(text: str) -> str:
    """PHP's ``strip_tags`` (``php_strip_tags_ex``) without allowed tags, as far as a name
    can meet it: a ``<`` followed by whitespace is a character; any other ``<`` opens a tag,
    which runs to the ``>`` outside quotes, or to the end of the text."""
    out: list[str] = []
    in_tag, quote = False, ""
    for index, char in enumerate(text):
        if not in_tag:
            following = text[index + 1 : index + 2]
            if char == "<" and not (following and following.isspace()):
                in_tag = True
            else:
                out.append(char)
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ">":
            in_tag = False
    return "".join(out)


def clean_question_name(name: str) -> str:
    """``qformat_default::clean_question_name`` of what ``getpath`` gave (trimmed text):
    ``clean_param(PARAM_TEXT)`` (strip_tags when the name has no multilang spans), trimmed."""
    return strip_tags(name.strip()).strip()


def read_question(node: Any) -> Question:
    """``import_question``: the headers every type reads, then the type's own parts."""
    qtype = node.get("type")
    q = Question(qtype)
    if qtype == "category":
        q.category = _text_of(node.find("category"))
        q.info = read_field(node.find("info"))
        return q
    q.name = clean_question_name(_text_of(node.find("name")))
    q.questiontext = read_field(node.find("questiontext"))
    q.generalfeedback = read_field(node.find("generalfeedback"))
    for tag, attr in (("defaultgrade", "defaultmark"), ("penalty", "penalty")):
        child = node.find(tag)
        if child is not None:
            setattr(q, attr, float(child.text))
    idnumber = node.find("idnumber")
    q.idnumber = idnumber.text if idnumber is not None else None
    q.tags = [_text_of(tag) for tag in node.findall("tags/tag")]
    q.hints = [read_field(hint) for hint in node.findall("hint")]
    q.answers = [_answer(a) for a in node.findall("answer")]
    q.options = _options(node, *_OPTIONS.get(qtype, ()))
    for sub in node.findall("subquestion"):
        q.subquestions.append((read_field(sub), _text_of(sub.find("answer"))))
    for name in ("graderinfo", "responsetemplate"):
        if node.find(name) is not None:
            q.options[name] = _text_of(node.find(name))
    return q


def read(xml: str | bytes) -> list[Question]:
    """Every ``<question>`` of a file, as Moodle's ``readquestions`` would see it."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, etree.XMLParser(strip_cdata=False, resolve_entities=False))
    assert root.tag == "quiz"
    return [read_question(node) for node in root.findall("question")]


def truefalse_key(q: Question) -> bool:
    """``import_truefalse``: the answer whose text is ``true`` says whether it is right."""
    for answer in q.answers:
        if answer.text.text == "true":
            return answer.fraction == 1
        if answer.text.text == "false":
            return answer.fraction != 1
    raise AssertionError("no answer written `true` or `false`: Moodle would guess by order")


def on_grade_list(fraction: float) -> bool:
    """``match_grade_options`` with "Error if grade not listed"."""
    return any(abs(fraction - grade) < 0.00001 for grade in GRADES)


def problems(raw: str, questions: list[Question]) -> list[str]:
    """What would make Moodle refuse the file, stop the import, or store something else."""
    found = []
    if "<!--" in raw:
        found.append("an XML comment (`--` inside one is fatal)")
    for text in re.findall(r"<text>(.*?)</text>", raw, re.DOTALL):
        outside = re.sub(r"<!\[CDATA\[.*?\]\]>", "", text, flags=re.DOTALL)
        if outside:
            found.append(f"text outside CDATA (whitespace between entities is lost): {text!r}")
        if re.search(r"\s{300,}", text):
            found.append("a whitespace run long enough to be a chunk Moodle drops")
    seen: set[str] = set()
    for q in questions:
        found += _question_problems(q, seen)
    return found


def _question_problems(q: Question, seen: set[str]) -> list[str]:
    found = []
    label = f"{q.qtype} {q.idnumber}"
    if q.qtype == "category":
        return found
    if q.idnumber is not None:
        if len(q.idnumber) > MAX_IDNUMBER:
            found.append(f"{label}: idnumber longer than 100 characters")
        if q.idnumber in seen:
            found.append(f"{label}: idnumber used twice (Moodle drops the second)")
        seen.add(q.idnumber)
    if q.qtype in ("multichoice", "shortanswer", "numerical"):
        bad = [a.fraction for a in q.answers if not on_grade_list(a.fraction)]
        if bad:
            found.append(f"{label}: grades not on Moodle's list: {bad}")
    if q.qtype == "multichoice" and sum(1 for a in q.answers if a.text.text) < 2:
        found.append(f"{label}: fewer than 2 answers")
    if q.qtype == "multichoice" and any(not a.text.text for a in q.answers):
        found.append(f"{label}: an empty answer (Moodle drops it)")
    if q.qtype == "shortanswer" and max((a.fraction for a in q.answers), default=0) != 1:
        found.append(f"{label}: no answer at 100 %")
    if q.qtype == "truefalse":
        texts = sorted(a.text.text for a in q.answers)
        if texts != ["false", "true"]:
            found.append(f"{label}: answers not written `true` and `false`: {texts}")
    if any(not hint.text for hint in q.hints):
        found.append(f"{label}: a blank hint (Moodle does not store it)")
    if any(text.text and not answer for text, answer in q.subquestions):
        found.append(f"{label}: a subquestion without an answer stops the import")
    return found


def test_grade_list_is_qbanks() -> None:
    """The grades this reader accepts are the ones qbank's static checks allow."""
    from qbank.model.rules import MOODLE_WEIGHTS

    assert sorted(round(g * 100, 5) for g in GRADES if g >= 0) == sorted(MOODLE_WEIGHTS)


def test_reader_refuses_what_moodle_refuses() -> None:
    """33 % is off the list, `True` is not `true`, a comment and escaped text are flagged."""
    raw = (
        "<quiz><!-- x --><question type='multichoice'><name><text>n</text></name>"
        "<answer fraction='33'><text>a &amp; b</text></answer>"
        "<answer fraction='0'><text><![CDATA[b]]></text></answer></question>"
        "<question type='truefalse'><answer fraction='100'><text>True</text></answer>"
        "<answer fraction='0'><text>False</text></answer></question></quiz>"
    )
    found = problems(raw, read(raw))
    assert any("comment" in p for p in found)
    assert any("outside CDATA" in p for p in found)
    assert any("grades not on Moodle's list: [0.33]" in p for p in found)
    assert any("`true` and `false`" in p for p in found)
