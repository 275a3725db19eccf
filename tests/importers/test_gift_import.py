"""The GIFT importer: a hand-written legacy file read into exact bank data, malformed GIFT read
into issues at their lines (never a traceback), and round trips through qbank's own GIFT
exporter (the traps bank, the shipped banks and generated banks) that keep every field GIFT
carries. Cross-checked against the real gift-pegjs parser when node has it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.errors import QbankError
from qbank.exporters.base import ExportContext
from qbank.exporters.gift import GiftExporter, category_block
from qbank.importers.base import ImportResult
from qbank.importers.gift import GiftImporter, category_path
from qbank.importers.ids import question_ids
from qbank.importers.writing import plan_import
from qbank.model import Bank, Collection, LoadedBank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from gift_carried import differences

DATA = Path(__file__).parent / "data" / "gift"
ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "tests" / "gift_parser"


def read(path: Path) -> ImportResult:
    return GiftImporter().read(path)


def read_text(tmp_path: Path, text: str | bytes) -> ImportResult:
    path = tmp_path / "bank.gift"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return read(path)


def issues(result: ImportResult) -> list[tuple[int, str]]:
    return [(issue.line, issue.code) for issue in result.issues]


# --- (a) a legacy file, every construct -----------------------------------------------------

LEGACY: list[tuple[int, str | None, str | None, dict[str, Any]]] = [
    (7, "Range output", "range-print", {
        "type": "multiple_choice", "prompt": "What does this print?",
        "code": 'for i in range(3):\n    print(i, end=" ")\n', "language": "python",
        "choices": [
            {"text": "`0 1 2`", "correct": True, "feedback": "Right: range starts at 0."},
            {"text": "`1 2 3`", "feedback": "No, it starts at 0."},
        ],
        "explanation": "range(3) gives 0, 1 and 2.", "tags": ["loops"]}),
    (16, "Even numbers", None, {
        "type": "multiple_answers", "prompt": "Which of these are even?",
        "choices": [
            {"text": "2", "correct": True, "weight": 50, "feedback": "Yes"},
            {"text": "4", "correct": True, "weight": 50},
            {"text": "3", "weight": -100, "feedback": "3 is odd"},
        ],
        "tags": ["loops", "strings"]}),
    (22, "Escapes", None, {
        "type": "multiple_choice",
        "prompt": "Which dict literal is valid? { and } are braces, ~ a tilde, # a hash.",
        "choices": [{"text": 'd = {"a": 1}', "correct": True}, {"text": "d = {a: 1}"},
                    {"text": 'd = {"a" = 1}'}]}),
    (28, "Typed", None, {"type": "true_false", "prompt": "Python checks types at compile time.",
                         "answer": False}),
    (30, "Short", None, {"type": "short_answer", "prompt": "Which keyword defines a function?",
                         "answers": ["def", "DEF"]}),
    (32, "Pi", None, {"type": "numerical", "prompt": "What is pi, to two decimals?",
                      "answer": 3.14, "tolerance": 0.005}),
    (34, "Dice", None, {"type": "numerical", "prompt": "Roll a die: any face.", "answer": 3.5,
                        "tolerance": 2.5}),
    (36, "Several numbers", None, {"type": "numerical", "prompt": "How many bits in a byte?",
                                   "answer": 8}),
    (38, "Pairs", None, {
        "type": "matching", "prompt": "Match each type with a literal.",
        "pairs": [{"left": "list", "right": "[]"}, {"left": "dict", "right": "{}"},
                  {"left": "tuple", "right": "()"}],
        "distractors": ["set()"]}),
    (45, "Essay", None, {"type": "essay", "prompt": "Explain *why* `is` differs from `==`."}),
    (49, "Gap", None, {
        "type": "multiple_choice", "prompt": "The loop keyword is ____ in Python.",
        "choices": [{"text": "for", "correct": True}, {"text": "while"}, {"text": "do"}]}),
    (51, "Fenced", None, {
        "type": "multiple_choice", "prompt": "What does this print?",
        "code": "x = [1, 2]\nif x:\n    print(len(x))\n", "language": "python",
        "choices": [{"text": "1"}, {"text": "2", "correct": True}, {"text": "3"}]}),
    (53, "Moodle text", None, {"type": "true_false", "prompt": "Line one\nline two",
                               "answer": True}),
]  # fmt: skip


def test_legacy_file_gives_the_exact_questions() -> None:
    """Every construct of the legacy file (escapes, comments, a category, multi-line
    questions, [html] with <pre>, weights, feedback, ranges, a gap) is the bank data above,
    each `::name::` its `title` too (as Moodle shows it)."""
    result = read(DATA / "legacy.gift")
    assert [(b.category, b.title) for b in result.banks] == [(("Python", "Loops"), "Loops")]
    got = [(q.line, q.title, q.idnumber, q.data) for q in result.banks[0].questions]
    assert got == [(line, name, i, {"title": name, **data}) for line, name, i, data in LEGACY]


def test_legacy_losses_are_issues_and_comments() -> None:
    """What the bank cannot hold is an issue at the question's line and a comment above it."""
    result = read(DATA / "legacy.gift")
    assert issues(result) == [
        (28, "import-lost"), (28, "import-lost"), (30, "import-lost"), (36, "import-weight"),
        (47, "import-description"),
    ]  # fmt: skip
    questions = {q.title: q for q in result.banks[0].questions}
    assert questions["Range output"].comments[0].startswith("// Python basics")
    assert questions["Typed"].comments == [
        "feedback for a wrong response: Think about duck typing.",
        "feedback for a right response: Right, it checks at run time.",
    ]
    assert questions["Several numbers"].comments == ["other answer (50%): 7"]
    assert questions["Gap"].comments == [
        "description (line 47): This line is a description\\: it has no answer block."
    ]
    assert "[tag:" not in " ".join(questions["Even numbers"].comments)


def test_sniff_tells_gift_from_other_formats(tmp_path: Path) -> None:
    """GIFT is recognised by its content; JSON and XML are not taken for it."""
    head = (DATA / "legacy.gift").read_bytes()
    assert GiftImporter.sniff(tmp_path / "x.txt", head)
    assert GiftImporter.sniff(tmp_path / "x.txt", b"Q?{=a ~b}")
    assert not GiftImporter.sniff(tmp_path / "x.txt", b'{"questions": []}')
    assert not GiftImporter.sniff(tmp_path / "x.txt", b"<?xml version='1.0'?><quiz/>")
    assert not GiftImporter.sniff(tmp_path / "x.txt", b"just some notes\n")


def test_category_paths() -> None:
    """Contexts and `top` are left out; `//` is a slash inside a name."""
    assert category_path(" $course$/top/A/B ") == ("A", "B")
    assert category_path("$system$/top/In//Out") == ("In/Out",)
    assert category_path("Plain") == ("Plain",)


# --- (b) malformed GIFT: issues at their lines, the other questions still read ----------------

MALFORMED = """::Good one::First?{=yes ~no}

::Unclosed::Where is the brace?{=a ~b

::Stray::A } before {=a ~b}

::Bad weight::Pick{~%+50%a ~%50%b ~%50%c}

::No numbers::How many?{#many}

::Partial only::Name it{=%50%half}

::Broken match::Match{=a -> 1 =b}

::Order::Sort{>2 a b c}

::No title end:Text{=a ~b}

::Good two::Last?{TRUE}
"""


def test_malformed_blocks_are_issues_and_the_rest_is_read(tmp_path: Path) -> None:
    """Each broken block is one issue at its line, its text kept as a comment; the good
    questions around it are imported."""
    result = read_text(tmp_path, MALFORMED)
    names = [q.title for bank in result.banks for q in bank.questions]
    assert names == ["Good one", "Bad weight", "Good two"]
    assert issues(result) == [
        (3, "import-syntax"), (5, "import-syntax"), (7, "import-weight"), (9, "import-syntax"),
        (11, "import-syntax"), (13, "import-syntax"), (15, "import-unknown-type"),
        (17, "import-syntax"),
    ]  # fmt: skip
    bad_weight = result.banks[0].questions[1]
    assert bad_weight.data["choices"][0] == {"text": "%+50%a", "weight": 0}
    assert bad_weight.comments == [
        "unreadable GIFT (line 3): ::Unclosed::Where is the brace?{=a ~b",
        "unreadable GIFT (line 5): ::Stray::A } before {=a ~b}",
    ]
    last = result.banks[0].questions[2]
    assert any("ordering (line 15)" in c for c in last.comments)
    assert all(issue.format().startswith(f"{tmp_path / 'bank.gift'}:") for issue in result.issues)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", [(1, "import-empty")]),
        (b"// only a comment\n\n// and another\n", [(1, "import-empty")]),
        (b"$CATEGORY: $course$/top/X\n::Q::Swallowed?{T}\n", [(2, "import-syntax")]),
    ],
)
def test_files_without_questions_or_with_quirks(
    tmp_path: Path, content: bytes, expected: list[tuple[int, str]]
) -> None:
    """An empty file, a file of comments, a category with no blank line after it."""
    assert issues(read_text(tmp_path, content)) == expected


def test_non_utf8_is_decoded_with_an_issue(tmp_path: Path) -> None:
    """A Windows-1252 file: one issue naming the line of the first bad byte, text decoded."""
    result = read_text(tmp_path, "::Q1::Ok?{T}\n\n::Q2::Café?{=oui ~non}\n".encode("cp1252"))
    assert issues(result) == [(3, "import-encoding")]
    assert result.banks[0].questions[1].data["prompt"] == "Café?"


def test_line_endings_bom_and_binary(tmp_path: Path) -> None:
    """CRLF, CR-only and a BOM are read; a binary file is refused with a clear error."""
    for text in ("\ufeff::A::x?{T}\r\n\r\n::B::y?{F}\r\n", "::A::x?{T}\r\r::B::y?{F}\r"):
        result = read_text(tmp_path, text)
        assert [(q.line, q.title) for q in result.banks[0].questions] == [(1, "A"), (3, "B")]
        assert not result.issues
    with pytest.raises(QbankError, match="binary"):
        read_text(tmp_path, b"PK\x03\x04\x00\x00binary")


# --- (c) round trips through qbank's own GIFT exporter --------------------------------------


def round_trip(report: Report) -> dict[str, tuple[set[str], Any]]:
    """Each question's differing fields after export and import, by `bank/question` name."""
    context = ExportContext(report)
    exporter = GiftExporter({"refutation_feedback": False})
    found: dict[str, tuple[set[str], Any]] = {}
    for loaded in report.collection:
        path = Path(report_dir(report)) / f"{loaded.id.replace('/', '_')}.gift"
        path.write_text(exporter.render_bank(loaded, context), encoding="utf-8")
        result = read(path)
        (bank,) = result.banks
        assert bank.category == category_path(category_block(loaded)[len("$CATEGORY: ") :])
        assert bank.data.get("id") == loaded.id  # every `::bank-id/question-id::` agrees
        imported = {q.title: q for q in bank.questions}
        written = zip(bank.questions, question_ids(bank.questions), strict=True)
        ids = {q.title: qid for q, (qid, _) in written}
        for question in loaded.bank.questions:
            name = f"{loaded.id}/{question.id}"
            if name in imported:
                assert ids[name] == question.id, name
                found[name] = (differences(loaded, question, imported[name]), imported[name])
    return found


_DIRS: dict[int, str] = {}


def report_dir(report: Report) -> str:
    """A folder for the GIFT files of `report`'s round trip, removed when the tests end."""
    import atexit
    import shutil
    import tempfile

    if id(report) not in _DIRS:
        folder = _DIRS[id(report)] = tempfile.mkdtemp(prefix="qbank-gift-rt-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return _DIRS[id(report)]


#: What differs after the traps bank's round trip, and why: each is a loss of GIFT (or of
#: its HTML), never of the importer.
TRAPS_LOSSES = {
    # shown fixture files are more code blocks before `code`: which one is the code is unclear
    "dict-literal": {"prompt", "code", "language"},
    "computed": {"prompt", "code", "language"},
    # a fenced block in a prompt without `code` is lifted into `code`
    "unicode-mc": {"prompt", "code", "language"},
    "explain": {"prompt", "code", "language"},
    # a bug's fix is shown in the general feedback
    "find-bug": {"explanation"},
    # the exporter leaves out the short answer `x->y` (lossy-answer: `->` means matching)
    "name-it": {"answers"},
}

#: The same for the shipped banks, checked without running (so `output` questions without
#: an `answer` are left out of the GIFT: `missing-key`).
SHIPPED_LOSSES = {
    "banks/fastapi/background-tasks/add-task-called": {"explanation"},  # the fix, shown
    "banks/python/basics/append-mode": {"explanation"},
    "banks/python/basics/except-tuple": {"explanation"},
    "banks/python/basics/readlines-newline": {"explanation"},
    "banks/javascript/basics/map-parseint": {"explanation"},
    "banks/sql/basics/left-join-where": {"explanation"},
    "banks/bash/basics/pipeline-subshell": {"explanation"},
    "banks/bash/basics/redirect-order": {"explanation"},
    "banks/c/basics/off-by-one": {"explanation"},
    "banks/c/basics/strcmp-equal": {"explanation"},
    # HTML collapses the double space of an inline code span (`"a  b ".split()`)
    "banks/python/basics/string-methods": {"pairs"},
    # GIFT carries no files: an image is its alt text in brackets
    "banks/python/figures/shared-rows": {"prompt"},
    "banks/python/figures/tree-walk": {"prompt"},
    # a shown fixture file is one more code block: which one is `code` is unclear
    "banks/python/surprises/module-runs-once": {"prompt", "code", "language"},
}


def test_traps_bank_round_trip(traps_report: Report) -> None:
    """Every field GIFT carries comes back (type, title, prompt, code and its indentation,
    choices and keys, weights, feedback, explanation, tags, category); what differs is the
    table above."""
    found = round_trip(traps_report)
    questions = traps_report.collection.banks[0].bank.questions
    assert len(found) == len(questions)
    losses = {name.rsplit("/", 1)[1]: diff for name, (diff, _) in found.items() if diff}
    assert losses == TRAPS_LOSSES


def test_shipped_banks_round_trip() -> None:
    """The banks in banks/ (checked without running) come back field for field, apart from
    the table above; the two `output` questions without an `answer` are not exported."""
    report = validate([str(ROOT / "banks")], Options(execute=False, cache=False))
    found = round_trip(report)
    assert len(found) == sum(len(b.bank.questions) for b in report.collection) - 2
    assert {name: diff for name, (diff, _) in found.items() if diff} == SHIPPED_LOSSES


_WORD = st.text(st.sampled_from("abcxyzABC019.,?!'\"()%{}~=#:/[]"), min_size=1, max_size=8)
_TEXT = st.lists(_WORD, min_size=1, max_size=5).map(lambda words: "Q " + " ".join(words))
_CODE_LINE = st.text(st.sampled_from("ab =:{}~#\\/<>&\"'0n"), max_size=12)
_CODE = st.lists(st.tuples(st.integers(0, 8), _CODE_LINE), min_size=1, max_size=5).map(
    lambda lines: "\n".join(" " * n + text for n, text in lines).strip("\n") + "\n"
)


@st.composite
def _questions(draw: st.DrawFn) -> list[dict[str, Any]]:
    common = {"prompt": draw(_TEXT), "explanation": draw(st.none() | _TEXT)}
    if draw(st.booleans()):
        common["code"] = draw(_CODE.filter(str.strip))
    if draw(st.booleans()):
        common["title"] = draw(_TEXT)
    texts = draw(st.lists(_TEXT, min_size=3, max_size=4, unique=True))
    feedback = draw(st.lists(st.none() | _TEXT, min_size=len(texts), max_size=len(texts)))
    choices = [{"text": t, "feedback": f} for t, f in zip(texts, feedback, strict=True)]
    return [
        {**common, "id": "mc", "type": "multiple_choice",
         "choices": [{**choices[0], "correct": True}, *choices[1:]]},
        {**common, "id": "ma", "type": "multiple_answers",
         "choices": [{**choices[0], "correct": True}, {**choices[1], "correct": True},
                     *choices[2:]]},
        {**common, "id": "tf", "type": "true_false", "answer": draw(st.booleans())},
        {**common, "id": "num", "type": "numerical", "answer": draw(st.integers(-99, 99)),
         "tolerance": draw(st.sampled_from([0, 1, 0.5]))},
        {**common, "id": "match", "type": "matching",
         "pairs": [{"left": t, "right": f"r{i}"} for i, t in enumerate(texts[:2])]},
        {**common, "id": "essay", "type": "essay"},
    ]  # fmt: skip


@settings(max_examples=40)
@given(_questions(), st.lists(_WORD.filter(lambda t: "]" not in t), max_size=2, unique=True))
def test_generated_banks_round_trip(questions: list[dict[str, Any]], tags: list[str]) -> None:
    """Generated questions of every type GIFT carries (GIFT's structural characters and
    backslashes in text, indented code with `//`, `0`, `<` and `&` lines) come back with
    every carried field equal."""
    tag_list = [f"t{i}" for i, _ in enumerate(tags)]
    bank = Bank.model_validate({"title": "Gen", "tags": tag_list, "questions": questions})
    report = Report(Collection([LoadedBank(id="gen/bank", path="gen.yaml", bank=bank)]))
    found = round_trip(report)
    assert {name: diff for name, (diff, _) in found.items() if diff} == {}
    assert len(found) == len(questions)


# --- (d) the real gift-pegjs parser agrees on the legacy file -------------------------------


def test_gift_pegjs_agrees_on_count_and_types() -> None:
    """gift-pegjs reads the legacy file into the same questions, of the same types."""
    if shutil.which("node") is None or not (PARSER / "node_modules" / "gift-pegjs").is_dir():
        pytest.skip("node or gift-pegjs missing: run `cd tests/gift_parser && npm ci`")
    text = (DATA / "legacy.gift").read_text(encoding="utf-8")
    run = subprocess.run(
        ["node", "parse.js"], input=text, capture_output=True, text=True, cwd=PARSER, timeout=60
    )
    parsed = json.loads(run.stdout)
    assert run.returncode == 0, parsed
    pegjs = {
        "MC": {"multiple_choice", "multiple_answers"}, "TF": {"true_false"},
        "Short": {"short_answer"}, "Numerical": {"numerical"}, "Matching": {"matching"},
        "Essay": {"essay"},
    }  # fmt: skip
    questions = [q for q in parsed if q["type"] not in ("Category", "Description")]
    ours = read(DATA / "legacy.gift").banks[0].questions
    assert [q["title"] for q in questions] == [q.title for q in ours]
    for theirs, mine in zip(questions, ours, strict=True):
        assert mine.data["type"] in pegjs[theirs["type"]], theirs["title"]
    assert [q["type"] for q in parsed].count("Description") == 1


@pytest.mark.parametrize(
    ("gift", "data", "codes"),
    [
        ("::W::Q{=%50%a ~b}", {"choices": [{"text": "%50%a", "correct": True}, {"text": "b"}]},
         ["import-weight"]),
        ("::H::[html]<table><tr><td>x</td></tr></table>{=a ~b}", {"type": "multiple_choice"},
         ["import-html"]),
        ("::Z::Zero{#=0}", {"type": "numerical", "answer": 0}, []),
        ("::C::A {=x ~y} and {=z ~w}", {"prompt": "A ____ and {=z ~w}"}, ["import-cloze"]),
        ("::S::star{=a*b =\\\\*c}", {"answers": ["a*b", "*c"]}, ["import-lost"]),
        ("::P::Partial{=a ~%50%b ~c}", {"type": "multiple_choice"}, ["import-weight"]),
    ],
)  # fmt: skip
def test_moodle_quirks(tmp_path: Path, gift: str, data: dict[str, Any], codes: list[str]) -> None:
    """`=%50%` is text in Moodle, tables are kept as HTML comments, `{#=0}` is zero, a second
    answer block stays text, `*` is a wildcard (`\\*` a star), a single-answer question loses
    partial credit: each with its issue."""
    result = read_text(tmp_path, gift + "\n")
    (question,) = result.banks[0].questions
    assert {key: question.data[key] for key in data} == data
    assert [issue.code for issue in result.issues] == codes


def test_indentation_in_a_fence_is_kept_and_reported(tmp_path: Path) -> None:
    """Moodle trims every GIFT line, so a fenced block's indentation never reached learners;
    the import keeps the author's code (validation can run it) and says what Moodle did."""
    from qbank.importers.gift import GiftImporter

    source = tmp_path / "loop.gift"
    source.write_text(
        "::Loop::[markdown]What does this print?\n```python\nfor i in range(2):\n"
        "    print(i)\n```\n{=0\n1 ~1}\n"
    )
    result = GiftImporter().read(source)
    [question] = result.banks[0].questions
    assert question.data["code"] == "for i in range(2):\n    print(i)\n"
    assert [(i.line, i.kind) for i in result.issues if i.kind == "indentation"] == [
        (1, "indentation")
    ]
    assert "line 4" in next(i.message for i in result.issues if i.kind == "indentation")


# --- (e) what the review found lost or changed silently --------------------------------------


def test_the_name_is_the_title_unless_qbank_wrote_an_id_path(tmp_path: Path) -> None:
    """`::Циклы в Python::` is the title (as Moodle shows it), its slug the id; qbank's own
    `::bank-id/question-id::` gives the ids back (the bank's when all agree), no title."""
    result = read_text(tmp_path, "::Циклы в Python::Q?{T}\n")
    (question,) = result.banks[0].questions
    assert question.data["title"] == "Циклы в Python"
    own = read_text(tmp_path, "::py/loops/q1::A?{T}\n\n::py/loops/q2::B?{F}\n")
    (bank,) = own.banks
    assert bank.data["id"] == "py/loops"
    assert [qid for qid, _ in question_ids(bank.questions)] == ["q1", "q2"]
    assert all("title" not in q.data for q in bank.questions)
    mixed = read_text(tmp_path, "::py/loops/q1::A?{T}\n\n::Other::B?{F}\n")
    assert "id" not in mixed.banks[0].data


def test_a_long_name_is_cut_to_a_title_with_an_issue(tmp_path: Path) -> None:
    name = "word " * 50
    result = read_text(tmp_path, f"::{name}::Q?{{T}}\n")
    (question,) = result.banks[0].questions
    assert len(question.data["title"]) <= 200
    assert issues(result) == [(1, "import-lost")]
    assert f"name (in full): {name.strip()}" in question.comments


def test_a_tag_with_a_space_is_slugged_not_the_question_refused(tmp_path: Path) -> None:
    result = read_text(tmp_path, "// [tag:week 1] [tag:geo]\n::Cap::Capital?{=Paris}\n")
    assert result.banks[0].questions[0].data["tags"] == ["week-1", "geo"]
    assert issues(result) == [(2, "import-lost")]
    assert "'week 1'" in result.issues[0].message


def test_a_bom_before_a_non_utf8_byte_is_not_text(tmp_path: Path) -> None:
    result = read_text(tmp_path, b"\xef\xbb\xbf::Q1::Ok?{T}\n\n::Caf\xe9::Menu?{=a ~b}\n")
    first, second = result.banks[0].questions
    assert (first.title, first.data["prompt"]) == ("Q1", "Ok?")
    assert second.title == "Café" and issues(result) == [(3, "import-encoding")]


@pytest.mark.parametrize("answer", ["1e999999999..1e999999999", "1:1e999999999", "1e400"])
def test_a_number_no_float_holds_is_invalid_not_a_traceback(tmp_path: Path, answer: str) -> None:
    result = read_text(tmp_path, f"::N::n?{{#{answer}}}\n\n::T::t?{{T}}\n")
    assert [q.title for q in result.banks[0].questions] == ["T"]
    assert issues(result) == [(1, "import-invalid")]
    assert any(answer in line for line in result.banks[0].questions[0].comments)


def test_trailing_text_goes_to_the_last_question_of_the_file(tmp_path: Path) -> None:
    """A `$CATEGORY` revisited: the unreadable block at the end lands below the file's last
    question, not below the last question of the bank first created."""
    gift = (
        "$CATEGORY: A\n\n::A1::a?{T}\n\n$CATEGORY: B\n\n::B1::b?{T}\n\n"
        "$CATEGORY: A\n\n::A2::a?{T}\n\n::Bad::x{=y\n"
    )
    result = read_text(tmp_path, gift)
    last = {q.title: q for bank in result.banks for q in bank.questions}["A2"]
    assert last.comments == ["unreadable GIFT (line 13): ::Bad::x{=y"]


def test_issues_name_the_written_id(tmp_path: Path) -> None:
    """The writer names each issue's question by the id it got (`my-q-2`), not its title."""
    path = tmp_path / "bank.gift"
    path.write_text("::My Q::Is it?{T#no#yes}\n\n::My Q::Again?{F#no#yes}\n", encoding="utf-8")
    plan = plan_import([GiftImporter().read(path)], tmp_path / "out")
    assert {(i.line, i.question) for i in plan.issues} == {(1, "my-q"), (3, "my-q-2")}


def test_a_comment_line_in_a_fence_is_kept_and_reported(tmp_path: Path) -> None:
    """Moodle drops a `//` line even inside a ``` fence; the import keeps the code as
    written, says so at the question, and names the line in a comment."""
    gift = "::js::[markdown]Log?\n```js\nlet x = 1;\n// x = 2;\nconsole.log(x);\n```\n{=1 ~2}\n"
    result = read_text(tmp_path, gift)
    (question,) = result.banks[0].questions
    assert question.data["code"] == "let x = 1;\n// x = 2;\nconsole.log(x);\n"
    assert issues(result) == [(1, "import-syntax")]
    assert "line 4" in result.issues[0].message
    assert question.comments == ["line 4, dropped by Moodle as a comment: // x = 2;"]


def test_an_untitled_question_never_takes_a_later_given_id(tmp_path: Path) -> None:
    """The first question has no name (`q1` by position); the second is named `q1`: it
    keeps `q1`, and the untitled one moves."""
    result = read_text(tmp_path, "Untitled?{T}\n\n::q1::Named?{F}\n")
    assert [qid for qid, _ in question_ids(result.banks[0].questions)] == ["q1-2", "q1"]
