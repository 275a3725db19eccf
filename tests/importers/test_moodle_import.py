"""The Moodle XML importer: a hand-written file in the style of Moodle's own export, hostile
and broken files, and round trips through qbank's own Moodle exporter."""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from import_strategies import generated_questions

from qbank.errors import QbankError
from qbank.exporters.base import ExportContext
from qbank.exporters.gift.weights import answer_weights
from qbank.exporters.moodle import MoodleExporter
from qbank.exporters.rich import markdown_html
from qbank.exporters.variants import groups
from qbank.importers.base import ImportedQuestion, ImportResult
from qbank.importers.moodle import MoodleImporter, category_path
from qbank.importers.writing import plan_import
from qbank.model import (
    Bug,
    CodeChoice,
    Collection,
    LoadedBank,
    Matching,
    MultipleAnswers,
    Numerical,
    Output,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)
from qbank.model.bank import Bank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

DATA = Path(__file__).parent / "data" / "moodle"
ROOT = Path(__file__).resolve().parents[2]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def read(path: Path) -> ImportResult:
    return MoodleImporter().read(path)


def read_text(tmp_path: Path, xml: str | bytes) -> ImportResult:
    path = tmp_path / "quiz.xml"
    path.write_bytes(xml.encode("utf-8") if isinstance(xml, str) else xml)
    return read(path)


def kinds(result: ImportResult) -> list[tuple[int, str]]:
    return [(issue.line, issue.code) for issue in result.issues]


# --- (a) a file as Moodle writes it ---------------------------------------------------------

EXPECTED: list[dict[str, Any]] = [
    {
        "title": "Range end", "type": "multiple_choice", "prompt": "What does this print?",
        "code": 'for i in range(3):\n    print(i, end=" ")\n',
        "explanation": "`range(3)` stops **before** 3.", "points": 2,
        "hint": ["Where does range start?", "Where does it stop?"], "tags": ["loops", "range"],
        "choices": [
            {"text": "0 1 2", "correct": True, "feedback": "Right."},
            {"text": "1 2 3", "feedback": "It starts at *0*."},
            "0 1 2 3",
        ],
        "shuffle": False,
    },
    {
        "title": "Falsy values", "type": "multiple_answers",
        "prompt": "Which values are falsy?\n\n![a truth table](media/truth-table.png)",
        "choices": [
            {"text": "`0`", "correct": True, "weight": 50},
            {"text": '`""`', "correct": True, "weight": 50},
            {"text": "`[0]`", "feedback": "A non-empty list is true.", "weight": -100},
        ],
    },
    {"title": "While else", "type": "true_false", "answer": True,
     "prompt": "A while loop can have an else clause."},
    {"title": "Upper", "type": "short_answer", "answers": ["upper", "str.upper"],
     "case_sensitive": True, "prompt": 'Which method turns "abc" into "ABC"?'},
    {"title": "Length", "type": "numerical", "answer": 5, "tolerance": 0.5,
     "prompt": 'What is `len("hello")`?'},
    {
        "title": "Methods", "type": "matching", "prompt": "Match each method with what it does.",
        "pairs": [
            {"left": "`strip`", "right": "removes edge whitespace"},
            {"left": "`split`", "right": "cuts into a list"},
        ],
        "distractors": ["reverses it"],
    },
    {"title": "Explain join", "type": "essay", "prompt": 'Explain what `", ".join(xs)` does.',
     "code": 'xs = ["a", "b"]\n', "points": 5,
     "explanation": "It joins the strings with a comma and a space."},
    {"title": "Styled", "type": "multiple_choice", "prompt": "Which is red?\n\n|  |\n| --- |\n| a |",
     "choices": [{"text": "a", "correct": True}, "b"], "shuffle": False},
]  # fmt: skip


def test_every_type_of_a_moodle_export() -> None:
    """Each core type maps to its qbank type with every field Moodle XML carries; each
    category is a bank (its info the description, `//` a slash in a name); the base64 PNG is
    the bank's media, referenced from the Markdown; idnumbers and lines are kept."""
    result = read(DATA / "everything.xml")
    loops, strings = result.banks
    assert loops.category == ("Python", "Loops") and loops.data == {
        "description": "Loop questions."
    }
    assert strings.category == ("Python", "Strings / Text")
    assert loops.media == {"media/truth-table.png": PNG} and strings.media == {}
    questions = [*loops.questions, *strings.questions]
    assert [q.data for q in questions] == EXPECTED
    assert [q.idnumber for q in questions] == ["range-end", None, None, "upper", *[None] * 4]
    assert [q.line for q in questions] == [15, 70, 103, 139, 169, 199, 229, 306]
    assert [q.title for q in questions] == [e["title"] for e in EXPECTED]


def test_what_has_no_place_is_an_issue_and_a_comment() -> None:
    """Feedback of a typed answer, partial credit, descriptions, cloze, calculated and
    unknown types, HTML Markdown cannot hold: each an issue at its line, its text a comment;
    the settings without a place are one issue for the whole file."""
    result = read(DATA / "everything.xml")
    assert kinds(result) == [
        (103, "import-lost"), (139, "import-weight"), (169, "import-weight"),
        (256, "import-description"), (271, "import-cloze"), (285, "import-calculated"),
        (296, "import-unknown-type"), (306, "import-html"), (1, "import-lost"),
    ]  # fmt: skip
    questions = {q.title: q for bank in result.banks for q in bank.questions}
    assert questions["While else"].comments == [
        "feedback when answering true:",
        "Yes: it runs when the loop ends without break.",
    ]
    assert questions["Upper"].comments == [
        "answer at 50 %, not kept: capitalize (feedback: Only the first letter.)"
    ]
    skipped, styled = questions["Styled"].preceding, questions["Styled"].comments
    assert "The next questions are about *f-strings*." in skipped
    assert '<p>f"{x:{1:SHORTANSWER:=>}5}"</p>' in skipped and "<p>Drag [[1]] here.</p>" in skipped
    assert [x for x in skipped if x.startswith("not imported, from ")] == [
        f"not imported, from {DATA / 'everything.xml'}:{line} (category Python / Strings / Text):"
        for line in (256, 271, 285, 296)
    ]
    assert styled[-1].startswith('<p>Which is <span style="color: red">')
    summary = result.issues[-1].message
    for tag in ("<penalty> (7 questions)", "<hidden>", "<answernumbering>", "<units>"):
        assert tag in summary


def test_sniff_and_category_paths() -> None:
    """Sniffing wants a `<quiz>` root; categories lose their context and `top`."""
    assert MoodleImporter.sniff(
        Path("x.xml"), b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<quiz>'
    )
    assert not MoodleImporter.sniff(Path("x.xml"), b"<?xml version='1.0'?><rss>")
    assert category_path("$course$/top/A//B/C") == ("A/B", "C")
    assert category_path("top") == () and category_path("$system$/Default") == ("Default",)


# --- (b) broken and hostile files -----------------------------------------------------------

QUESTION = """  <question type="{kind}">
    <name><text>{name}</text></name>
    <questiontext format="html"><text><![CDATA[<p>{name}?</p>]]></text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
"""


def test_not_xml_is_one_clear_error(tmp_path: Path) -> None:
    """A file that is not XML, or not a `<quiz>`, is one error naming it."""
    with pytest.raises(QbankError, match="not Moodle XML: the file is not XML"):
        read_text(tmp_path, "::title:: What? {=yes ~no}")
    with pytest.raises(QbankError, match="the root element is <rss>"):
        read_text(tmp_path, "<rss><item/></rss>")


def test_doctype_bomb_is_refused(tmp_path: Path) -> None:
    """A DOCTYPE with entities (billion laughs) is refused before anything expands."""
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY a "aaaaaaaaaa">\n'
    bomb += "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">\n'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bomb += ']>\n<quiz><question type="essay"><name><text>&i;</text></name></question></quiz>'
    with pytest.raises(QbankError, match=r"quiz\.xml:2: refused: the file holds a DOCTYPE"):
        read_text(tmp_path, bomb)


def test_truncated_file_keeps_the_questions_before(tmp_path: Path) -> None:
    """A file cut short (Moodle imports those) keeps every closed question; the break is
    an `import-invalid` issue at its line."""
    xml = "<quiz>\n" + QUESTION.format(kind="truefalse", name="One") + "  <question type="
    result = read_text(tmp_path, xml)
    assert [q.data["title"] for q in result.banks[0].questions] == ["One"]
    assert kinds(result) == [(8, "import-invalid")]
    assert "the questions closed before this line are imported" in result.issues[0].message


def test_unknown_type_and_empty_multichoice_keep_the_others(tmp_path: Path) -> None:
    """An unknown type is an issue (its text a comment before the next question); a
    multichoice without answers is kept with an `import-invalid` issue; the rest is read."""
    xml = "<quiz>\n" + QUESTION.format(kind="ordering", name="Order")
    xml += '  <question type="multichoice"><name><text>Empty</text></name>'
    xml += "<questiontext><text>Pick</text></questiontext></question>\n"
    xml += QUESTION.format(kind="truefalse", name="Last") + "</quiz>\n"
    result = read_text(tmp_path, xml)
    empty, last = result.banks[0].questions
    assert empty.data == {"title": "Empty", "type": "multiple_choice", "prompt": "Pick",
                          "choices": [], "shuffle": False}  # fmt: skip
    assert empty.preceding[:2] == [
        f"not imported, from {tmp_path / 'quiz.xml'}:2:",
        "Moodle ordering question 'Order', text:",
    ]
    assert last.data["answer"] is True
    assert kinds(result) == [(2, "import-unknown-type"), (8, "import-invalid")]


def test_bad_numbers_and_base64_are_issues(tmp_path: Path) -> None:
    """Values that are not what Moodle expects are issues with the line, never tracebacks."""
    xml = """<quiz>
  <question type="numerical"><name><text>N</text></name>
    <questiontext format="html"><text><![CDATA[<p>x <img src="@@PLUGINFILE@@/a.png"></p>]]></text>
      <file name="a.png" encoding="base64">!!!notbase64</file></questiontext>
    <defaultgrade>lots</defaultgrade>
    <answer fraction="high"><text>five</text></answer>
  </question>
</quiz>"""
    result = read_text(tmp_path, xml)
    assert {code for _, code in kinds(result)} == {"import-invalid", "import-lost", "import-weight"}
    assert all(line == 2 for line, code in kinds(result) if code == "import-invalid")
    assert result.banks[0].questions[0].data["answer"] == "five"


# --- (c) round trips through qbank's own exporter -------------------------------------------

MOODLE_TYPE = {Output: "short_answer", CodeChoice: "multiple_choice", Bug: "multiple_choice"}


def _html(markdown: str | None) -> str:
    """Rendered, with image paths out (their bytes are compared per bank)."""
    return re.sub(r'src="[^"]*"', "src", " ".join(markdown_html(markdown or "").split()))


def _choices(q: WithChoices | Output) -> list[tuple[str, bool, str | None, float | None]]:
    weights = answer_weights(q.choices).weights if isinstance(q, MultipleAnswers) else None
    return [
        (_html(c.text) if c.text is not None else c.shown.strip(), c.correct, _html(c.feedback) if c.feedback else None,
         weights[i] if weights else None)
        for i, c in enumerate(q.choices)
    ]  # fmt: skip


def carried(q: Any, bank_tags: tuple[str, ...], language: str = "python") -> dict[str, Any]:
    """What Moodle XML carries of a question, comparable across the round trip (`language`:
    the bank's, the default of the question's)."""
    found: dict[str, Any] = {
        "title": q.title, "prompt": _html(q.prompt), "code": q.code and q.code.rstrip("\n") + "\n",
        "language": (q.language or language) if q.code else None, "hint": [_html(h) for h in q.hint],
        "points": q.points, "tags": list(dict.fromkeys((*bank_tags, *q.tags))),
    }  # fmt: skip
    kind = MOODLE_TYPE.get(type(q), q.type)
    if isinstance(q, Output) and q.choices:
        kind = "multiple_choice"
    found["type"] = kind
    if not isinstance(q, Bug):
        found["explanation"] = _html(q.explanation)
    if isinstance(q, WithChoices):
        found["choices"], found["shuffle"] = _choices(q), q.shuffle
    for name in ("answer", "answers", "case_sensitive", "tolerance", "distractors"):
        if isinstance(q, (TrueFalse, ShortAnswer, Numerical, Matching)) and hasattr(q, name):
            found[name] = getattr(q, name)
    if isinstance(q, Matching):
        found["pairs"] = [(_html(p.left), p.right) for p in q.pairs]
    return found


def imported(question: ImportedQuestion) -> Any:
    data = {"id": "x", **question.data}
    return Bank.model_validate({"id": "b", "questions": [data]}).questions[0]


def round_trip(report: Report, tmp_path: Path) -> None:
    context = ExportContext(report)
    exporter = MoodleExporter({"refutation_feedback": False})
    for index, loaded in enumerate(report.collection):
        path = tmp_path / f"{index}.xml"
        path.write_text(exporter.render_bank(loaded, context), encoding="utf-8")
        result = read(path)
        bank, *variant_banks = result.banks
        title = loaded.bank.title or loaded.id.rsplit("/", 1)[-1]
        assert bank.category[-1] == title
        # A question's variants come back from a category of their own, below the bank's.
        groups_ = {g.id for g in groups(loaded.bank.questions) if g.varied}
        assert sorted(b.category[-1] for b in variant_banks) == sorted(groups_)
        assert all(b.category[:-1] == bank.category for b in variant_banks)
        assert {i.code for i in result.issues} <= {"import-lost"}, [
            i.format() for i in result.issues
        ]
        back_questions = [q for b in result.banks for q in b.questions]
        assert len(back_questions) == len(loaded.bank.questions)
        media = {k: v for b in result.banks for k, v in b.media.items()}
        if media and not any(q.figure for q in loaded.bank.questions):
            folder = Path(loaded.path).parent
            images = {p.read_bytes() for p in folder.rglob("*.*") if p.is_file()}
            assert set(media.values()) <= images
        by_idnumber = {q.idnumber: q for q in back_questions}
        for original in loaded.bank.questions:
            back = by_idnumber[f"{loaded.id}/{original.id}"]
            if original.shown_files or original.figure:
                continue  # shown files and figures are part of the Moodle text
            got = carried(imported(back), ())
            if isinstance(original, Output) and not original.choices:
                got["answers"] = [original.answer]  # a one-line key, compared in its own test
            want = carried(original, loaded.bank.tags, loaded.bank.language)
            if isinstance(original, (Output, CodeChoice)):
                got.pop("choices", None), want.pop("choices", None)
            assert {k: got.get(k) for k in want} == want, original.id


@settings(max_examples=60, deadline=None)
@given(generated_questions(), st.lists(st.sampled_from(["t1", "t-2", "t_3"]), unique=True))
def test_generated_banks_round_trip(questions: list[dict[str, Any]], tags: list[str]) -> None:
    """Generated questions of every type Moodle XML carries (Markdown and HTML characters in
    text, indented code, hints, points, shuffle, case, distractors, tags) come back with every
    carried field equal."""
    bank = Bank.model_validate({"title": "Gen", "tags": tags, "questions": questions})
    report = Report(Collection([LoadedBank(id="gen/bank", path="gen.yaml", bank=bank)]))
    with tempfile.TemporaryDirectory() as folder:
        round_trip(report, Path(folder))


def test_shipped_banks_round_trip(tmp_path: Path) -> None:
    """Every field Moodle XML carries of the shipped banks comes back equal."""
    report = validate([str(ROOT / "banks")], Options(cache_dir=str(tmp_path / "cache")))
    assert report.ok
    round_trip(report, tmp_path)


def test_moodle_19_image_tag_is_an_image_after_the_text(tmp_path: Path) -> None:
    """Moodle 1.9's `<image>` + `<image_base64>` (which Moodle 4.5 still reads, appending the
    image to the question text) is media after the prompt; an `<image>` without data, or
    with broken base64, is an `import-lost` issue."""
    picture = base64.b64encode(PNG).decode()
    question = QUESTION.format(kind="truefalse", name="Old")
    with_image = question.replace(
        "<answer",
        f"<image>pics/old.png</image><image_base64>\n{picture}\n</image_base64><answer",
        1,
    )
    xml = "<quiz>\n" + with_image + question.replace("<answer", "<image>gone.png</image><answer", 1)
    result = read_text(tmp_path, xml + "</quiz>\n")
    (bank,) = result.banks
    assert bank.questions[0].data["prompt"] == "Old?\n\n![](media/pics_old.png)"
    assert bank.media == {"media/pics_old.png": PNG}
    assert "image" not in " ".join(i.message for i in result.issues if i.line == 2)
    assert [(i.line, i.code) for i in result.issues if "old-style" in i.message] == [
        (10, "import-lost")  # the second question's line (the first spans 8)
    ]


# --- (d) what the review found lost or changed silently --------------------------------------

CATEGORY = (
    '  <question type="category"><category><text>$course$/top/{name}</text></category></question>\n'
)
CLOZE = """  <question type="cloze"><name><text>Fill</text></name>
    <questiontext format="html"><text>The keyword {1:SHORTANSWER:=def} defines.</text></questiontext>
  </question>
"""


def test_a_cloze_alone_in_its_category_is_kept_beside_the_next_question(tmp_path: Path) -> None:
    """A category holding only an item that is not imported writes no bank: its text goes
    above the next question written (of another category), its header naming its own."""
    xml = "<quiz>\n" + CATEGORY.format(name="Week 1") + CLOZE + CATEGORY.format(name="Week 2")
    result = read_text(tmp_path, xml + QUESTION.format(kind="truefalse", name="T") + "</quiz>\n")
    (bank,) = result.banks
    assert bank.category == ("Week 2",)
    preceding = bank.questions[0].preceding
    assert preceding[0] == f"not imported, from {tmp_path / 'quiz.xml'}:3 (category Week 1):"
    assert "The keyword {1:SHORTANSWER:=def} defines." in preceding


def test_items_not_imported_after_the_last_question_go_below_it(tmp_path: Path) -> None:
    """Trailing items land on the file's last question, even in another category; with no
    question at all, they are the comments of a bank of no questions: never lost."""
    xml = "<quiz>\n" + QUESTION.format(kind="truefalse", name="T") + CATEGORY.format(name="B")
    result = read_text(tmp_path, xml + CLOZE + "</quiz>\n")
    (bank,) = result.banks
    assert "The keyword {1:SHORTANSWER:=def} defines." in bank.questions[0].comments
    alone = read_text(tmp_path, "<quiz>\n" + CLOZE + "</quiz>\n")
    (empty,) = alone.banks
    assert empty.questions == [] and "The keyword {1:SHORTANSWER:=def} defines." in empty.comments
    assert kinds(alone) == [(2, "import-cloze")]
    plan = plan_import([alone], tmp_path / "out")
    (text,) = plan.files.values()
    assert b"# The keyword {1:SHORTANSWER:=def} defines.\nquestions: []\n" in text


def test_a_tag_with_a_space_is_slugged_not_the_question_refused(tmp_path: Path) -> None:
    tags = "<tags><tag><text>week 1</text></tag><tag><text>geo</text></tag></tags>"
    question = QUESTION.format(kind="truefalse", name="T").replace(
        "</question>", tags + "</question>"
    )
    result = read_text(tmp_path, "<quiz>\n" + question + "</quiz>\n")
    assert result.banks[0].questions[0].data["tags"] == ["week-1", "geo"]
    assert kinds(result) == [(2, "import-lost")]
    assert "'week 1'" in result.issues[0].message and "'week-1'" in result.issues[0].message


def test_a_rich_text_essay_keeps_its_template_as_a_comment(tmp_path: Path) -> None:
    xml = """<quiz>
  <question type="essay"><name><text>E</text></name>
    <questiontext format="html"><text>Explain.</text></questiontext>
    <responseformat>editor</responseformat>
    <responsetemplate format="html"><text><![CDATA[<p>A for-loop ...</p>]]></text></responsetemplate>
  </question>
</quiz>"""
    result = read_text(tmp_path, xml)
    question = result.banks[0].questions[0]
    assert "code" not in question.data and "<p>A for-loop ...</p>" in question.comments
    assert kinds(result) == [(2, "import-lost")]


def test_a_name_too_long_for_a_title_is_cut_with_an_issue(tmp_path: Path) -> None:
    name = " ".join(["Long name"] * 25)
    result = read_text(
        tmp_path, "<quiz>\n" + QUESTION.format(kind="truefalse", name=name) + "</quiz>"
    )
    question = result.banks[0].questions[0]
    assert len(question.data["title"]) <= 200 and name.startswith(question.data["title"])
    assert f"name (in full): {name}" in question.comments
    assert kinds(result) == [(2, "import-lost")]


def test_a_fraction_that_is_not_finite_is_an_issue(tmp_path: Path) -> None:
    """`nan` compares as nothing: without the check no option was correct, silently."""
    xml = """<quiz>
  <question type="multichoice"><name><text>M</text></name>
    <questiontext format="html"><text>m?</text></questiontext>
    <answer fraction="nan"><text>a</text></answer>
    <answer fraction="100"><text>b</text></answer>
  </question>
</quiz>"""
    result = read_text(tmp_path, xml)
    assert result.banks[0].questions[0].data["choices"] == ["a", {"text": "b", "correct": True}]
    assert kinds(result) == [(2, "import-invalid")]
    assert "'nan'" in result.issues[0].message


def test_a_markdown_question_text_has_its_fence_lifted_into_code(tmp_path: Path) -> None:
    xml = """<quiz>
  <question type="shortanswer"><name><text>Md</text></name>
    <questiontext format="markdown"><text>What does this print?

```js
console.log(6 * 7)
```</text></questiontext>
    <answer fraction="100"><text>42</text></answer>
  </question>
</quiz>"""
    data = read_text(tmp_path, xml).banks[0].questions[0].data
    assert (data["prompt"], data["code"], data["language"]) == (
        "What does this print?",
        "console.log(6 * 7)\n",
        "js",
    )
