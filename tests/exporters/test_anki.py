"""The Anki .apkg exporter, checked by importing its packages with Anki's own library.

Run ``python tests/exporters/test_anki.py [count]`` for the export benchmark (`qbank.exporters.anki.benchmark`).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbank.errors import ExportError
from qbank.exporters.anki.apkg import AnkiExporter, benchmark, build_time
from qbank.exporters.anki.fields import guid
from qbank.exporters.anki.notetype import (
    NOTE_TYPE_ID,
    NOTE_TYPE_NAME,
    deck_id,
    deck_name,
    model_spec,
)
from qbank.exporters.base import ExportContext
from qbank.loading import load_paths
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from anki_import import (
    DEMO_BANK,
    card_count,
    import_package,
    new_collection,
    notes,
    project_package,
    write_project,
)

GOLDENS = Path(__file__).parent / "goldens"
T1, T2 = 1_700_000_000, 1_700_086_400


def _report(*paths: Path) -> Report:
    report = validate([str(p) for p in paths], Options(execute=False))
    assert report.ok, report.problems
    out = report.result("banks/demo", "out")
    if out is not None:
        out.computed_answer = "<0>\n<1>\n"
        out.refutations = {1: "check failed: assert HIDDEN == answer"}  # for authors only
        out.feedback = {1: "the run printed '<0>\\n<1>\\n'"}  # what learners are told
    return report


def _export(report: Report, timestamp: int | None = T1) -> bytes:
    return AnkiExporter(timestamp=timestamp).render_collection(
        report.collection, ExportContext(report)
    )


def _visible(rendered: str) -> str:
    """What a learner sees: tags and the stylesheet removed, entities decoded."""
    rendered = re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def test_anki_imports_every_question_as_one_note_and_card(project: Path, tmp_path: Path) -> None:
    """Real Anki imports a note and a card per question, in the bank's deck, with our type."""
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project)), tmp_path)
    found = notes(col)
    assert len(found) == 10 and card_count(col) == 10
    mc = next(n for n in found.values() if n.fields["QID"] == "banks/demo/mc")
    assert mc.notetype == NOTE_TYPE_NAME
    assert mc.decks == ["qbank::banks::demo"]
    assert mc.tags == [
        "basics",
        "demo",
        "difficulty::easy",
        "lang::python",
        "type::multiple_choice",
    ]
    assert list(mc.fields) == [f["name"] for f in model_spec()["fields"]]  # type: ignore[attr-defined]
    assert mc.mod == T1
    col.close()


def test_rendered_cards_keep_indentation_and_angle_brackets(project: Path, tmp_path: Path) -> None:
    """Code keeps its indentation and `<int>` shows as text, on the front and on the back."""
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project)), tmp_path)
    by_qid = {n.fields["QID"]: n for n in notes(col).values()}
    front = _visible(by_qid["banks/demo/mc"].questions[0])
    assert 'def f():\n    if True:\n        return "<int>"\n' in front
    assert "std::vector<int>" in front and "A. nothing" in front
    # Option text is CommonMark, as in every format: `# nothing` is a heading.
    assert "<h1>nothing</h1>" in by_qid["banks/demo/mc"].questions[0]
    assert '<span class="k">' in by_qid["banks/demo/mc"].questions[0]
    back = _visible(by_qid["banks/demo/mc"].answers[0])
    assert "C. <int>" in back and "Right, the tag is text." in back
    bug = _visible(by_qid["banks/demo/bug"].answers[0])
    assert "The fix:def add(a, b):\n\treturn a + b" in bug
    tf = _visible(by_qid["banks/demo/tf"].answers[0])
    assert "True or false?" in tf and re.search(r"\nTrue\s+Demo & <traps> \(banks/demo\)\s*$", tf)
    col.close()


def test_back_shows_computed_output_and_refutations(project: Path, tmp_path: Path) -> None:
    """An `output` question without `answer` shows the computed output; the generated
    feedback (never the author's refutation) explains."""
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project)), tmp_path)
    out = next(n for n in notes(col).values() if n.fields["QID"] == "banks/demo/out")
    back = _visible(out.answers[0])
    assert "It prints:<0>\n<1>\n" in back
    assert "the run printed '<0>\\n<1>\\n'" in back
    col.close()


def test_missing_output_is_a_warning(project: Path) -> None:
    """Without a computed answer, the export warns with the question id instead of guessing."""
    report = validate([str(project)], Options(execute=False))
    context = ExportContext(report)
    AnkiExporter(timestamp=T1).render_collection(report.collection, context)
    assert [(w.code, w.question) for w in context.warnings] == [("anki-no-answer", "out")]


def test_edited_question_updates_in_place(project: Path, tmp_path: Path) -> None:
    """Re-importing a later export after an edit updates the note: same GUID, no duplicate."""
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project), T1), tmp_path)
    before = notes(col)
    project.write_text(DEMO_BANK.replace("Which are even?", "Which numbers are even?"))
    log = import_package(col, _export(_report(project), T2), tmp_path, "second.apkg")
    after = notes(col)
    assert set(after) == set(before) and card_count(col) == 10
    edited = next(n for n in after.values() if n.fields["QID"] == "banks/demo/ma")
    assert edited.fields["Question"] == "<p>Which numbers are even?</p>"
    assert len(log.new) == 0 and len(log.conflicting) == 0
    assert len([n for n in after.values() if n.notetype == NOTE_TYPE_NAME]) == 10
    col.close()


def test_same_epoch_edit_is_not_applied(project: Path, tmp_path: Path) -> None:
    """The documented trade-off: an edit exported with the same epoch is ignored by Anki."""
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project), T1), tmp_path)
    project.write_text(DEMO_BANK.replace("Which are even?", "Which numbers are even?"))
    import_package(col, _export(_report(project), T1), tmp_path, "second.apkg")
    kept = next(n for n in notes(col).values() if n.fields["QID"] == "banks/demo/ma")
    assert kept.fields["Question"] == "<p>Which are even?</p>"
    col.close()


def test_source_date_epoch_gives_identical_bytes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SOURCE_DATE_EPOCH set, two exports are byte-identical and dated that epoch."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T2))
    first = _export(_report(project), None)
    time.sleep(1.1)
    second = _export(_report(project), None)
    assert first == second
    with zipfile.ZipFile(BytesIO(first)) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 15, 22, 13, 20)}


def test_build_time_rejects_a_malformed_epoch() -> None:
    """A SOURCE_DATE_EPOCH that is not a number of seconds is an export error."""
    with pytest.raises(ExportError, match="SOURCE_DATE_EPOCH"):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})
    assert build_time({"SOURCE_DATE_EPOCH": "42"}) == 42
    assert abs(build_time({}) - time.time()) < 5


def test_guids_do_not_depend_on_the_path_given(project: Path) -> None:
    """A bank exported via its file, its folder or an absolute path gets the same GUIDs."""
    root = project.parent.parent
    variants = [project, root / "banks", project.resolve()]
    guids = [[n["guid"] for n in project_package(_export(_report(p)))["notes"]] for p in variants]
    assert guids[0] == guids[1] == guids[2] and len(guids[0]) == 10


def test_collection_file_holds_a_deck_per_bank(project: Path, tmp_path: Path) -> None:
    """One package for the collection; each bank keeps its own deck, with a constant id."""
    other = project.parent / "more" / "b.yaml"
    other.parent.mkdir()
    other.write_text("questions: [{id: q, type: essay, prompt: Why?}]\n")
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project.parent)), tmp_path)
    names = {name for name, _ in [(d.name, d.id) for d in col.decks.all_names_and_ids()]}
    assert {"qbank::banks::demo", "qbank::banks::more::b"} <= names
    assert deck_name("banks/more/b") == "qbank::banks::more::b"
    assert 1 << 30 <= deck_id("qbank::banks::more::b") < 1 << 31
    col.close()


def test_ids_are_constants() -> None:
    """The note type id never changes (a new id would strand every imported note)."""
    assert NOTE_TYPE_ID == 1656860621
    assert NOTE_TYPE_NAME == "qbank question"


def test_night_mode_css_is_in_the_note_type() -> None:
    """Highlighting uses classes, with dark variants for Anki and AnkiDroid night mode."""
    css = str(model_spec()["css"])
    assert ".nightMode .highlight .k" in css and ".night_mode .highlight .k" in css
    assert "text-align: left; overflow-x: auto" in css


def test_golden_projection(project: Path, request: pytest.FixtureRequest) -> None:
    """The package's notes, note type and decks match the golden projection."""
    projection = project_package(_export(_report(project)))
    text = json.dumps(projection, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    golden = GOLDENS / "anki-demo.json"
    if request.config.getoption("--update-goldens", default=False):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8"), "run pytest --update-goldens to accept"


def test_traps_bank_imports(tmp_path: Path) -> None:
    """The shared bank of hard characters imports with a note per question, code verbatim."""
    traps = Path(__file__).parents[1] / "cases" / "traps.yaml"
    if not traps.exists():
        pytest.skip("tests/cases/traps.yaml is not there yet")
    collection, problems = load_paths([str(traps)])
    report = Report(collection, problems)
    col = new_collection(tmp_path)
    import_package(col, _export(report), tmp_path)
    by_qid = {n.fields["QID"]: n for n in notes(col).values()}
    assert len(by_qid) == collection.question_count
    for loaded in collection:
        for question in loaded.bank.questions:
            front = _visible(by_qid[f"{loaded.id}/{question.id}"].questions[0])
            assert (question.code or "") in front, question.id
    col.close()


SEPARATOR_BANK = """\
title: "Title \\x1f here"
questions:
  - id: mc
    type: multiple_choice
    prompt: "Prompt \\x1f here"
    code: "print('\\x1f')\\n"
    hint: "Hint \\x1f here"
    explanation: "Why \\x1f here"
    choices:
      - {text: "Right \\x1f here", correct: true}
      - {text: "Wrong", feedback: "No \\x1f here"}
      - {code: "x = '\\x1f'"}
  - id: plain
    type: essay
    prompt: Nothing special.
"""


def test_unit_separator_in_any_text_keeps_the_package_importable(tmp_path: Path) -> None:
    """U+001F is Anki's field separator: in any text it would make the package unimportable
    ("note has 11 fields, expected 10"); every field writes it as `&#31;`."""
    bank = write_project(tmp_path / "project", SEPARATOR_BANK)
    report = validate([str(bank)], Options(execute=False))
    assert report.ok, report.problems
    data = _export(report)
    col = new_collection(tmp_path)
    import_package(col, data, tmp_path)
    assert [len(note["fields"]) for note in project_package(data)["notes"]] == [10, 10]
    by_qid = {n.fields["QID"]: n for n in notes(col).values()}
    assert set(by_qid) == {"banks/demo/mc", "banks/demo/plain"}
    mc = by_qid["banks/demo/mc"]
    fields = ("Question", "Code", "Choices", "Hint", "Answer", "Feedback", "Explanation", "Source")
    for name in fields:
        assert "&#31;" in mc.fields[name], name
    assert "<p>Prompt &#31; here</p>" in mc.questions[0]
    col.close()


INDENTED_BANK = """\
questions:
  - id: md
    type: essay
    prompt: |
      Fenced, indented by two spaces:

        ```python
        if x:
            y()
        ```

      An indented block:

          for i in range(2):
              print(i)

      - a list item with a fence:

        ```python title="demo.py"
        def g():
            return 1
        ```

      Not emphasis: \\*x\\*, and `List<int>`.
"""


def test_code_indentation_in_markdown_is_kept(tmp_path: Path) -> None:
    """Code in a prompt keeps its indentation on the card: fences indented 1-3 spaces, in a
    list item or with more after the language, and indented code blocks; `\\*x\\*` is text."""
    bank = write_project(tmp_path / "project", INDENTED_BANK)
    col = new_collection(tmp_path)
    import_package(col, _export(_report(bank)), tmp_path)
    (note,) = notes(col).values()
    rendered = note.questions[0]
    front = _visible(rendered)
    assert "if x:\n    y()\n" in front
    assert "for i in range(2):\n    print(i)\n" in front
    assert "def g():\n    return 1\n" in front
    assert "Not emphasis: *x*, and List<int>." in front
    assert "<em>" not in rendered and "title=" not in front
    assert rendered.count('<pre class="highlight">') == 3
    col.close()


VALUES_BANK = """\
questions:
  - id: values
    type: multiple_choice
    shuffle: false
    prompt: Which value makes `answer * 2 == [None, None]` hold?
    check: assert answer * 2 == [None, None]
    choices:
      - {value: [null], correct: true}
      - value: null
      - value: "a b"
      - value: {"k": "v"}
      - value: 1.5
      - value: true
"""


def test_value_choices_are_shown_as_every_format_shows_them(tmp_path: Path) -> None:
    """A `value` choice shows its value: a string as written, anything else as its Python
    repr (as GIFT and Markdown show it), never as JSON (`null`, `"a b"`, `true`)."""
    from qbank.exporters.display import shown_choice

    bank = write_project(tmp_path / "project", VALUES_BANK)
    report = _report(bank)
    col = new_collection(tmp_path)
    import_package(col, _export(report), tmp_path)
    (note,) = notes(col).values()
    front = _visible(note.questions[0])
    question = report.collection.banks[0].bank.questions[0]
    shown = [shown_choice(question, c).content for c in question.choices_list]
    assert shown == ["[None]", "None", "a b", "{'k': 'v'}", "1.5", "True"]
    assert (
        "".join(f"{letter}. {text}" for letter, text in zip("ABCDEF", shown, strict=True)) in front
    )
    assert "null" not in front and '"a b"' not in front and "true" not in front
    col.close()


def test_integer_keys_stay_integers(tmp_path: Path) -> None:
    """`answer: 104` is an int (as the author wrote it): the card shows 104 and its tolerance."""
    (tmp_path / "qbank.toml").write_text("")
    bank = tmp_path / "n.yaml"
    bank.write_text(
        "questions:\n"
        "  - {id: n, type: numerical, prompt: How many?, answer: 104, tolerance: 2}\n"
        "  - {id: f, type: numerical, prompt: How much?, answer: 2.5}\n"
    )
    col = new_collection(tmp_path)
    import_package(col, _export(_report(bank)), tmp_path)
    backs = sorted(_visible(n.answers[0]) for n in notes(col).values())
    assert "104 ± 2" in backs[0] and "2.5" in backs[1]
    col.close()


def test_listing_does_not_import_genanki() -> None:
    """Importing the exporter module alone does not load genanki (it loads on render)."""
    code = "import sys, qbank.exporters.anki.apkg; print('genanki' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_benchmark_runs_small() -> None:
    """`qbank.exporters.anki.benchmark` runs (real figures: run this file as a script)."""
    figures: dict[str, Any] = benchmark(50, 10)
    assert figures["qbank"] > 0 and figures["genanki"] > 0


def test_ids_that_genanki_would_join_alike_are_two_notes(tmp_path: Path) -> None:
    """Bank `x__y` question `z` and bank `x` question `y__z` (genanki's join makes both
    `qbank__x__y__z`) import as two notes, not one updated by the other (issue 9, defect 8)."""
    project = tmp_path / "project"
    write_project(project, "id: x__y\nquestions: [{id: z, type: essay, prompt: One?}]\n", "a.yaml")
    write_project(project, "id: x\nquestions: [{id: y__z, type: essay, prompt: Two?}]\n", "b.yaml")
    col = new_collection(tmp_path)
    import_package(col, _export(_report(project)), tmp_path)
    found = notes(col)
    assert sorted(n.fields["QID"] for n in found.values()) == ["x/y__z", "x__y/z"]
    col.close()


def test_guids_of_bank_ids_without_a_double_underscore_are_unchanged() -> None:
    """Notes imported before keep updating in place: genanki's GUID for every bank id
    without `__` (question ids may have one), pinned as the demo golden pins the others."""
    import genanki

    for bank_id, question_id in [("banks/demo", "mc"), ("x", "y__z"), ("a_", "b"), ("x", "y")]:
        assert guid(bank_id, question_id) == genanki.guid_for("qbank", bank_id, question_id)
    assert guid("banks/demo", "mc") == "l]{:m$Fy$%"


_BANK_IDS = st.from_regex(r"[xy][xy_]{0,4}(/[xy][xy_]{0,3})?", fullmatch=True)
_QUESTION_IDS = st.from_regex(r"[xy][xy_]{0,5}", fullmatch=True)


@given(st.lists(st.tuples(_BANK_IDS, _QUESTION_IDS), unique=True, max_size=30))
def test_guids_are_one_to_one(pairs: list[tuple[str, str]]) -> None:
    """No two pairs of valid ids share a GUID, however their underscores fall."""
    assert len({guid(bank_id, question_id) for bank_id, question_id in pairs}) == len(pairs)
    assert guid("x__y", "z") != guid("x", "y__z")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for distinct in (size, size // 100 or 1):
        print(f"{size} questions, {distinct} distinct snippets:", benchmark(size, distinct))
