"""What learners see, in every format: never hidden code or assertion operands, never an id
that may give the answer away, the fixture files they are meant to see, and no generated
feedback on a question exported although it fails validation (``--allow-invalid``).

Every registered format is exported (``qbank.exporters.load_all``); an ``.apkg`` is read
through the SQLite database inside it (every table), so a new format is checked too. Only
JSON, the full-fidelity format for authors, may carry the hidden snippets, and the
project-local ``question-list`` inventory (for authors) may list ids.
"""

from __future__ import annotations

import html
import io
import re
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank import exporters as registry
from qbank.cli import main
from qbank.exporters.base import ExportContext, Exporter
from qbank.exporting import plan
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
import gift_rules
from anki_import import import_package, new_collection, notes

ROOT = Path(__file__).resolve().parents[2]
AUTHOR_FORMATS = {"json", "question-list"}
"""Formats for authors: JSON may hold hidden code; the inventory lists ids."""

HIDDEN = ("SETUP_SNIPPET_MARKER", "RUN_SNIPPET_MARKER", "CHECK_SNIPPET_MARKER", "hidden-setup")
"""Text that only hidden snippets (`setup`, `run`, `check`) hold."""
OPERANDS = ("OPERAND_MARK",)
"""Assertion operands: built at run time, so they are in no snippet, only in refutations."""

SETUP = '    setup: SETUP_SNIPPET_MARKER = "hidden-setup"\n'
CHECK = '("CHECK_SNIPPET_MARKER", "".join(["OPERAND", "_MARK"]), {left}) == ("CHECK_SNIPPET_MARKER", "".join(["OPERAND", "_MARK"]), {right})'
LEAKY = f"""\
title: Leaks
questions:
  - id: value-q
    type: multiple_choice
    prompt: Which value doubles to `[7, 7]`?
{SETUP}    code: |
      def double(x):
          return x * 2
    run: RUN_SNIPPET_MARKER = double([7])
    check: 'assert {CHECK.format(left="double(answer)", right="RUN_SNIPPET_MARKER")}'
    choices:
      - {{value: [7], correct: true}}
      - {{value: [8]}}
      - {{value: "x"}}
  - id: output-q
    type: output
    prompt: What does this print?
{SETUP}    code: |
      print(sum([1, 2, 3]))
      print("done")
    run: RUN_SNIPPET_MARKER = 1
    check: 'assert "CHECK_SNIPPET_MARKER" and RUN_SNIPPET_MARKER == 1'
    choices: ["5\\ndone\\n", "123\\ndone\\n"]
  - id: code-q
    type: code_choice
    prompt: Which line makes `total` hold 6?
{SETUP}    code: |
      numbers = [1, 2, 3]
      ____
    run: RUN_SNIPPET_MARKER = total
    check: 'assert {CHECK.format(left="RUN_SNIPPET_MARKER", right="6")}'
    choices:
      - {{code: "total = sum(numbers)", correct: true}}
      - {{code: "total = len(numbers)"}}
      - {{code: "total = numbers.sum()"}}
"""


def _report(tmp_path: Path, text: str, execute: bool = True) -> Report:
    bank = tmp_path / "project" / "bank.yaml"
    bank.parent.mkdir(parents=True, exist_ok=True)
    (bank.parent / "qbank.toml").write_text("")
    bank.write_text(text)
    return validate([str(bank)], Options(execute=execute, cache_dir=str(tmp_path / "cache")))


def _zip_text(data: bytes) -> str:
    """A package as text: an Anki package's database, else every text member (XML, HTML,
    CSS) but the IMS manifest, the package's index of identities, which no learner sees."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "collection.anki2" in names:
            return _apkg_text(data)
        texts = [n for n in names if n.endswith((".xml", ".html", ".css", ".txt"))]
        return "\n".join(archive.read(n).decode() for n in texts if n != "imsmanifest.xml")


def _apkg_text(data: bytes) -> str:
    """Every value of every table of the package's database, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.db"
        path.write_bytes(archive.read("collection.anki2"))
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
            rows = [row for t in tables for row in db.execute(f"select * from {t}")]
    return "\n".join(str(value) for row in rows for value in row)


def _exported(report: Report, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Format name -> every file it writes for the bank, as one text (GIFT escapes undone,
    HTML entities decoded), for every registered format."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    found = {}
    for name, cls in registry.load_all(ROOT).items():
        if isinstance(cls, Exception):
            pytest.fail(f"exporter {name} cannot be loaded: {cls}")
        exporter: Exporter = cls()
        files = plan(exporter, list(report.collection), Path("out"), ExportContext(report))
        text = "\n".join(_zip_text(d) if d.startswith(b"PK") else d.decode() for _, d in files)
        found[name] = html.unescape(gift_rules.decode(text) if name == "gift" else text)
    return found


def test_no_learner_facing_file_holds_hidden_code_or_operands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value, an output and a code-choice question, whose refutations quote hidden code
    and assertion operands: no export but JSON holds any of it."""
    report = _report(tmp_path, LEAKY)
    assert report.ok, [p.format() for p in report.problems]
    refutations = "\n".join(
        text for result in report.results.values() for text in result.refutations.values()
    )
    assert all(word in refutations for word in ("CHECK_SNIPPET_MARKER", *OPERANDS))
    exported = _exported(report, monkeypatch)
    assert {"gift", "anki", "anki-text", "markdown", "json"} <= set(exported)
    for name, text in exported.items():
        if name == "json":
            assert all(word in text for word in HIDDEN)  # full fidelity, for authors
            continue
        leaked = [word for word in (*HIDDEN, *OPERANDS) if word in text]
        assert not leaked, f"{name} shows learners {leaked}"
    for result in report.results.values():  # what validation generated for learners shows
        for said in result.feedback.values():
            first = said.strip().splitlines()[0].replace("`", "")
            for name in ("gift", "anki", "anki-text", "markdown"):
                assert first in re.sub(r"<[^>]+>|`", "", exported[name]), (name, said)


TITLED = """\
id: quiz
questions:
  - id: append-returns-none
    type: multiple_choice
    title: Appending to a list
    prompt: What does `[].append(1)` give?
    choices: [{text: "`None`", correct: true}, "`[1]`"]
  - id: sorted-makes-a-copy
    type: true_false
    prompt: "`sorted(xs)` changes `xs`."
    answer: false
"""


def _learner_parts(name: str, text: str) -> str:
    """What a learner can see: the GIFT name (`::bank/id::`), Moodle XML's `<name>` and
    `<idnumber>` (the question bank's columns, for teachers) and the Anki QID and GUID
    columns are identities, never shown."""
    if name == "moodle":
        return re.sub(r"<(name|idnumber)>.*?</\1>", "", text)
    if name == "gift":
        return re.sub(r"^::.*?::", "", text, flags=re.M)
    if name == "qti":  # the item's label (Canvas's identity of the item, never shown)
        return re.sub(r' label="[^"]*"', "", text)
    if name in ("anki", "anki-text"):
        return text.replace("quiz/append-returns-none", "").replace("quiz/sorted-makes-a-copy", "")
    return text


def test_titles_head_questions_and_ids_never_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title is the heading; without one, Markdown numbers the question: no learner-facing
    export shows an id (GIFT keeps `::bank/id::` as the question's identity)."""
    report = _report(tmp_path, TITLED, execute=False)
    exported = _exported(report, monkeypatch)
    for name, text in exported.items():
        if name in AUTHOR_FORMATS:
            continue
        seen = _learner_parts(name, text)
        assert "Appending to a list" in seen, name
        assert "append-returns-none" not in seen and "sorted-makes-a-copy" not in seen, name
    markdown = exported["markdown"]
    assert "## 1. Appending to a list\n" in markdown and "## Question 2\n" in markdown
    assert "::quiz/append-returns-none::[html]<h4>Appending to a list</h4><p>" in exported["gift"]


def test_anki_cards_and_browser_show_the_title(tmp_path: Path) -> None:
    """Imported by Anki: the card shows the title, and the browser's sort field is the title
    and prompt, not the id."""
    from qbank.exporters.anki.apkg import AnkiExporter

    report = _report(tmp_path, TITLED, execute=False)
    data = AnkiExporter(timestamp=1_700_000_000).render_collection(
        report.collection, ExportContext(report)
    )
    col = new_collection(tmp_path)
    import_package(col, data, tmp_path)
    by_qid = {n.fields["QID"]: n for n in notes(col).values()}
    titled = by_qid["quiz/append-returns-none"]
    assert '<h3 class="title">Appending to a list</h3>' in titled.questions[0]
    assert "append-returns-none" not in titled.questions[0] + titled.answers[0]
    sort_fields = sorted(r[0] for r in col.db.execute("select sfld from notes"))
    assert sort_fields == [
        "Appending to a listWhat does [].append(1) give?",
        "sorted(xs) changes xs.",
    ]
    col.close()


SHOWN = """\
questions:
  - id: imports-a-module
    type: output
    prompt: What does this print?
    files:
      helper.py: {content: "SHOWN_VALUE = 41\\n", shown: true}
      notes.csv: {content: "name,count\\nshown-data,2\\n", shown: true}
      unseen.txt: UNSHOWN_FIXTURE
    code: |
      from helper import SHOWN_VALUE
      print(SHOWN_VALUE + 1)
"""


def test_shown_files_follow_the_prompt_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each shown file, headed by its name, comes after the prompt and before the code;
    a file that is not shown appears in no learner-facing export."""
    report = _report(tmp_path, SHOWN)
    assert report.ok, [p.format() for p in report.problems]
    exported = _exported(report, monkeypatch)
    for name, text in exported.items():
        if name in AUTHOR_FORMATS:
            continue
        plain = re.sub(r"<[^>]+>", "", text)
        order = [plain.find(s) for s in ("What does this print?", "helper.py", "SHOWN_VALUE = 41",
                                         "notes.csv", "shown-data", "from helper import")]  # fmt: skip
        assert -1 not in order and order == sorted(order), (name, order)
        assert "UNSHOWN_FIXTURE" not in text, name
    assert "```python\nSHOWN_VALUE = 41\n```" in exported["markdown"]
    assert '<code class="language-python">SHOWN_VALUE = 41' in exported["gift"]
    assert "UNSHOWN_FIXTURE" in exported["json"]  # still written for the run


INVALID = """\
questions:
  - id: wrong-key
    type: output
    prompt: What does this print?
    code: print(6)
    answer: "7\\n"
    choices: ["5\\n"]
  - id: fine
    type: output
    prompt: And this?
    code: print(1)
    choices: ["2\\n"]
"""


def test_allow_invalid_marks_failing_questions_and_drops_their_feedback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing question is exported tagged `qbank-invalid` and without generated feedback
    (which would contradict its authored key); the others keep theirs."""
    report = _report(tmp_path, INVALID)
    assert [p.code for p in report.problems if p.severity == "error"] == ["answer-mismatch"]
    for qid, line in (("wrong-key", "REAL_OUTPUT_6"), ("fine", "REAL_OUTPUT_1")):
        result = report.result(report.collection.banks[0].id, qid)
        assert result is not None
        result.feedback = {0: f"The code prints:\n\n```\n{line}\nsecond line\n```"}
    exported = _exported(report, monkeypatch)
    for name in ("gift", "anki", "anki-text", "markdown"):
        assert "REAL_OUTPUT_6" not in exported[name], name
        shown = re.sub(r"\n +", "\n", re.sub(r"<[^>]+>", "", exported[name]))  # list indents
        assert "REAL_OUTPUT_1\nsecond line" in shown, name
    gift = exported["gift"]
    assert "\n// [tag:qbank-invalid]\n::bank/wrong-key::" in gift and "\n\n::bank/fine::" in gift
    assert "qbank-invalid" in exported["anki"] and "qbank-invalid" in exported["anki-text"]


def _cli(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", str(project / "bank.yaml"), *args, "--no-cache"])
    return result.exit_code, result.stdout, result.stderr


def _project(tmp_path: Path, text: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "qbank.toml").write_text("")
    (project / "bank.yaml").write_text(text)
    return project


def test_allow_invalid_warns_once_per_failing_question(tmp_path: Path) -> None:
    """One `export-invalid` warning per failing question, in the report's form."""
    project = _project(tmp_path, INVALID)
    code, out, err = _cli(project, "-f", "gift", "-o", str(tmp_path / "x.gift"), "--allow-invalid")
    assert code == 0, err
    warnings = [line for line in out.splitlines() if "[export-invalid]" in line]
    assert warnings == [
        f"{project / 'bank.yaml'}:2: warning: wrong-key: exported although it fails validation "
        "[export-invalid]"
    ]
    assert "[tag:qbank-invalid]" in (tmp_path / "x.gift").read_text()


def test_a_refused_export_says_why_in_one_sentence(tmp_path: Path) -> None:
    """No dangling colon: the count, what happened and what to do (also under --strict)."""
    project = _project(tmp_path, INVALID)
    code, out, err = _cli(project, "-f", "gift", "-o", str(tmp_path / "x.gift"))
    assert code == 1 and "[answer-mismatch]" in out and not (tmp_path / "x.gift").exists()
    assert err == (
        "qbank: error: 1 error(s) in the banks: export refused (fix them, or use --allow-invalid)\n"
    )
    (project / "bank.yaml").write_text(SHOWN.replace("prompt:", "hint: Think.\n    prompt:"))
    code, out, err = _cli(project, "-f", "gift", "-o", str(tmp_path / "x.gift"), "--strict")
    assert code == 1 and "[lossy-hint]" in out
    assert err == (
        "qbank: error: 1 warning(s) with --strict: export refused "
        "(fix them, or export without --strict)\n"
    )
