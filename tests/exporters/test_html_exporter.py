"""The self-grading HTML page, without a browser (``tests/browser/`` drives one): each kind's
form and the key that marks it, what the page shows before and after answering, that it
loads nothing, its template overrides, its script (checked by node, and its marking rules
compared with qbank's own), and `qbank preview`.

Named ``test_html_exporter.py``: ``tests/importers/test_html.py`` holds the basename
``test_html`` (the test folders are not packages)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from qbank.cli import main
from qbank.errors import ExportError
from qbank.exporters.base import ExportContext
from qbank.exporters.html import HtmlExporter
from qbank.exporters.html.answers import option_weights
from qbank.exporters.html.page import SCRIPTS
from qbank.exporters.html.views import unseal
from qbank.exporters.templating import BUILTIN_TEMPLATES
from qbank.model import Choice
from qbank.model.rules import normalise_output, same_output
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from test_media_exports import png

ROOT = Path(__file__).resolve().parents[2]


def render(report: Report, **options: Any) -> tuple[str, ExportContext]:
    context = ExportContext(report)
    return HtmlExporter(options).render_bank(report.collection.banks[0], context), context


def articles(page: str) -> list[Any]:
    return list(lxml_html.fromstring(page).xpath("//article"))


def keys(page: str) -> list[dict[str, Any]]:
    return [unseal(a.get("data-key")) for a in articles(page)]


def project(tmp_path: Path, text: str, execute: bool = True, **files: bytes) -> Report:
    (tmp_path / "qbank.toml").write_text("")
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return validate([str(tmp_path)], Options(execute=execute, cache_dir=str(tmp_path / "c")))


def test_golden(traps_report: Report, golden: Any) -> None:
    """The traps bank's page matches its golden file, byte for byte, every time."""
    page, context = render(traps_report)
    assert page == render(traps_report)[0]
    assert context.warnings == []
    golden("html/traps.html", page)


def test_every_kind_gets_its_form(traps_report: Report) -> None:
    """Radios for one answer, checkboxes for several, text fields, selects for matching, a
    text area for an output without choices and for an essay."""
    page, _ = render(traps_report)
    kinds = [a.get("data-kind") for a in articles(page)]
    assert kinds == [
        "output", "output", "one", "one", "many", "many", "one", "one", "text", "number",
        "number", "match", "essay", "one", "one", "one",
    ]  # fmt: skip
    found = articles(page)
    assert len(found[4].xpath(".//input[@type='checkbox']")) == 5
    assert len(found[6].xpath(".//input[@type='radio']")) == 2
    assert len(found[11].xpath(".//select")) == 3
    assert found[12].xpath(".//textarea") and found[12].get("data-marked") == "false"


def test_keys_mark_what_the_bank_says(traps_report: Report) -> None:
    """Each key is the bank's: the right option's position (shuffled as every export
    shuffles), weights, accepted answers and case, number and tolerance, matches, and an
    output computed by validation."""
    page, _ = render(traps_report)
    found = keys(page)
    bodies = [[o.text_content() for o in a.xpath(".//li[@class='option']//span[@class='body']")]
              for a in articles(page)]  # fmt: skip
    computed = traps_report.result("traps/everything", "computed")
    assert computed is not None and found[1]["expected"] == computed.computed_answer
    assert found[0] == {**found[0], "kind": "output", "exact": False}
    assert bodies[2][found[2]["correct"][0]] == "x\ty~"
    assert dict(zip(bodies[5], found[5]["weights"], strict=True)) == {"2": 50, "4": 50, "3": -100}
    assert sorted(found[4]["weights"]) == [-50.0, -50.0, *[100 / 3] * 3]
    assert (found[6]["correct"], found[7]["correct"]) == ([0], [1])
    assert found[8] == {
        **found[8],
        "answers": ["len", "len()", "a*b", "x->y"],
        "caseSensitive": True,
    }
    assert (found[9]["value"], found[9]["tolerance"], found[10]["value"]) == (0.3, 0.005, 0.00001)
    choices = [o.text for o in articles(page)[11].xpath(".//select[1]/option")][1:]
    rights = [choices[i] for i in found[11]["correct"]]
    assert rights == ["returns int", "a -> b mapping", "Java, not Python: {generic}"]
    assert "The fixed program:" in found[14]["explanation"]


def test_multiple_answers_weights() -> None:
    """Explicit weights as written; right options without one share what is left of 100 %
    exactly (no rounding to Moodle's grade list); wrong ones lose Moodle's share."""

    def weights(*choices: dict[str, Any]) -> list[float]:
        return option_weights([Choice.model_validate(c) for c in choices])

    right, wrong = {"text": "r", "correct": True}, {"text": "w"}
    assert weights(right, right, wrong, wrong) == [50, 50, -50, -50]
    assert weights({**right, "weight": 70}, right, wrong) == [70, 30, -100]
    eleven = weights(*[right] * 11, wrong)
    assert abs(sum(eleven[:11]) - 100) < 1e-9 and eleven[11] == -100


LEAKY = """\
title: "Leaks <b>bold</b> & co"
description: "A *description* with `code`."
questions:
  - id: the-answer-is-b
    type: multiple_choice
    prompt: Which value doubles to `[7, 7]`?
    setup: HIDDEN_SETUP = 1
    code: |
      def double(x):
          return x * 2
    check: "assert double(answer) == [7, 7], 'CHECK_MARKER'"
    explanation: EXPLANATION_MARKER lists repeat.
    hint: HINT_MARKER multiply.
    choices:
      - {value: [7], correct: true, feedback: AUTHORED_MARKER right.}
      - {value: [8]}
"""


def test_the_key_is_sealed_and_holds_no_hidden_code(tmp_path: Path) -> None:
    """Before answering, the page's text holds no explanation, feedback or key, and never
    the id; sealed, it holds them, the generated feedback too, and never hidden code."""
    report = project(tmp_path, LEAKY)
    assert report.ok, [p.format() for p in report.problems]
    page, _ = render(report)
    for hidden in (
        "EXPLANATION_MARKER",
        "AUTHORED_MARKER",
        "the-answer-is-b",
        "HIDDEN_SETUP",
        "CHECK_MARKER",
    ):
        assert hidden not in page, hidden
    assert "HINT_MARKER" in page  # hints are for before answering
    [key] = keys(page)
    sealed = json.dumps(key)
    assert "EXPLANATION_MARKER" in key["explanation"] and "AUTHORED_MARKER" in sealed
    assert "This is not what the program produces." in sealed  # generated, for [8]
    assert "HIDDEN_SETUP" not in sealed and "CHECK_MARKER" not in sealed
    assert "<title>Leaks &lt;b&gt;bold&lt;/b&gt; &amp; co</title>" in page
    assert "<p>A <em>description</em> with <code>code</code>.</p>" in page


def test_the_page_loads_nothing(traps_report: Report) -> None:
    """A Content-Security-Policy first in <head> allows only the page's own style and
    script (by hash) and data: images; no element points outside the page."""
    page, _ = render(traps_report)
    tree = lxml_html.fromstring(page)
    head = tree.find("head")
    assert (
        head[0].get("charset") == "utf-8" and head[1].get("http-equiv") == "Content-Security-Policy"
    )
    policy = head[1].get("content")
    for element, directive in (
        (tree.find(".//style"), "style-src"),
        (tree.find(".//script"), "script-src"),
    ):
        digest = base64.b64encode(hashlib.sha256(element.text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    assert policy.startswith("default-src 'none'; img-src data:;")
    assert len(tree.findall(".//script")) == 1 and len(tree.findall(".//style")) == 1
    links = [v for e in tree.iter() for k, v in e.attrib.items() if k in ("src", "href", "action")]
    assert links and all(v.startswith(("data:", "#")) for v in links), links


def test_images_are_inlined_and_remote_ones_warned(tmp_path: Path) -> None:
    """A file image becomes a data: URI of its bytes; a remote one is its alt text and a
    `lossy-media` warning (the page loads nothing)."""
    bank = """\
questions:
  - id: pic
    type: true_false
    prompt: "![a square](square.png) and ![far away](https://example.com/x.png)"
    answer: true
"""
    report = project(tmp_path, bank, **{"square.png": png(9)})
    page, context = render(report)
    [image] = lxml_html.fromstring(page).xpath("//article//img")
    assert image.get("src") == "data:image/png;base64," + base64.b64encode(png(9)).decode()
    assert image.get("alt") == "a square" and "[image: far away]" in page
    assert "example.com" not in page
    assert [(w.code, w.question) for w in context.warnings] == [("lossy-media", "pic")]


def test_an_output_without_key_is_shown_not_marked(tmp_path: Path) -> None:
    """Validated without execution, an `output` with no `answer` has no key: the page shows
    it, says why it cannot be answered, and warns `missing-key`."""
    report = project(
        tmp_path,
        "questions:\n  - {id: o, type: output, prompt: Hi?, code: print(1)}\n",
        execute=False,
    )
    page, context = render(report)
    [article] = articles(page)
    assert article.get("data-kind") == "none" and not article.xpath(".//form")
    assert "cannot be answered here" in article.text_content()
    assert [w.code for w in context.warnings] == ["missing-key"]
    assert "Score: 0 of 0 points · 0 of 0 questions answered" in page


def test_a_failing_question_says_so_without_generated_feedback(tmp_path: Path) -> None:
    """With allow_invalid, a question failing validation says its key may be wrong, and
    its wrong options get no generated feedback (it could contradict the key)."""
    bank = """\
questions:
  - {id: bad, type: output, prompt: What?, code: print(6), answer: "7\\n", choices: ["5\\n"]}
  - {id: good, type: output, prompt: And?, code: print(1), choices: ["2\\n"]}
"""
    report = project(tmp_path, bank)
    page, _ = render(report)
    bad, good = articles(page)
    assert (
        "fails validation" in bad.text_content() and "fails validation" not in good.text_content()
    )
    assert keys(page)[0]["feedback"] == {} and "The code prints" in json.dumps(keys(page)[1])
    assert keys(render(report, refutation_feedback=False)[0])[1]["feedback"] == {}


def test_the_theme_option_and_the_score(traps_report: Report) -> None:
    """`theme` opens the page light, dark or following the system; the score counts only
    what the page marks (not the essay), with their points (one is worth 2)."""
    assert (
        '<html lang="en" class="no-js" data-theme="dark">' in render(traps_report, theme="dark")[0]
    )
    page = render(traps_report)[0]
    assert 'data-theme="auto"' in page
    assert "Score: 0 of 16 points · 0 of 15 questions answered" in page


def test_a_project_overrides_the_stylesheet(tmp_path: Path) -> None:
    """`exporters/templates/html/page.css` replaces the built-in stylesheet, and the policy
    allows the new one; one that would close the <style> early is refused."""
    report = project(
        tmp_path, "questions:\n  - {id: t, type: true_false, prompt: Yes?, answer: true}\n"
    )
    folder = tmp_path / "exporters" / "templates" / "html"
    folder.mkdir(parents=True)
    (folder / "page.css").write_text("body { color: rebeccapurple; }\n")
    context = ExportContext(report, template_dirs=(str(tmp_path / "exporters" / "templates"),))
    page = HtmlExporter().render_bank(report.collection.banks[0], context)
    style = lxml_html.fromstring(page).find(".//style").text
    assert style.endswith("body { color: rebeccapurple; }\n") and "--bg:" not in style
    (folder / "page.css").write_text("a {} </style><script>alert(1)</script>")
    with pytest.raises(ExportError, match=r"page\.css"):
        HtmlExporter().render_bank(report.collection.banks[0], context)


# --- The script, run by node ---------------------------------------------------------------


def _node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("QBANK_GATE"):  # the gate's machine has node (the GIFT parser)
            pytest.fail("node is missing")
        pytest.skip("node is missing")
    return found


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_is_valid_javascript(name: str) -> None:
    """node parses each script the page inlines."""
    run = subprocess.run(
        [_node(), "--check", str(BUILTIN_TEMPLATES / name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr


def _marking(calls: list[list[Any]]) -> list[Any]:
    """Each `[function, *arguments]` of QbankMarking, run by node: the results."""
    source = (BUILTIN_TEMPLATES / "html" / "marking.js").read_text(encoding="utf-8")
    driver = "const calls = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n" \
             "console.log(JSON.stringify(calls.map(([f, ...a]) => QbankMarking[f](...a))));\n"  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "marking.js")
        script.write_text(source + "\n" + driver, encoding="utf-8")
        run = subprocess.run(
            [_node(), str(script)],
            input=json.dumps(calls),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    results: list[Any] = json.loads(run.stdout)
    return results


SPACES = ["a", " ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000", "\ufeff", "\u200b"]  # fmt: skip


def test_outputs_compare_as_qbank_proves_them() -> None:
    """The page's output comparison is qbank's (`normalise_output`, `same_output`) on every
    text of up to three pieces: words and every kind of space Python and JavaScript
    disagree on."""
    texts = [a + b + c for a in SPACES for b in SPACES for c in ["", *SPACES]]
    got = _marking([["normaliseOutput", t] for t in texts])
    assert got == [normalise_output(t) for t in texts]
    pairs = [("a\n", "a"), ("a  \nb\n\n", "a\nb"), ("a", "a "), ("0-1-2-", "0-1-2-")]
    calls = [["sameOutput", e, a, exact] for e, a in pairs for exact in (False, True)]
    assert _marking(calls) == [same_output(e, a, exact=x) for e, a in pairs for x in (False, True)]


def test_numbers_and_short_answers_are_read_as_learners_type_them() -> None:
    """Numbers: a point for decimals, commas grouping thousands, exponents, a Unicode minus;
    the tolerance includes its ends. Short answers: spaces around ignored, Unicode
    compared composed, case by the question's rule."""
    typed = ["3.14", " -2 ", "1.5e3", "+.5", "1,000.5", "\u22124", "0,3", "1,00", "abc", "1e", ""]
    # a decimal comma is refused even when it looks like a thousands group; so is a number
    # no double holds (Infinity would be within any slack)
    typed += ["0,300", "1e999", "-1e999"]
    assert _marking([["parseNumber", t] for t in typed]) == [
        3.14, -2, 1500, 0.5, 1000.5, -4, None, None, None, None, None, None, None, None
    ]  # fmt: skip
    tolerance = [[0.295, 0.3, 0.005], [0.305, 0.3, 0.005], [0.2949, 0.3, 0.005], [1e-5, 0.00001, 0]]
    tolerance += [[1e300, 3.14, 0.01]]  # a huge answer is no nearer for being huge
    assert _marking([["withinTolerance", *t] for t in tolerance]) == [
        True,
        True,
        False,
        True,
        False,
    ]
    texts = [
        [" LEN ", ["len"], False],
        ["LEN", ["len"], True],
        ["e\u0301", ["\u00e9"], True],
        ["x", ["a", "x"], True],
    ]
    assert _marking([["sameText", *t] for t in texts]) == [True, False, True, True]


# --- qbank preview ---------------------------------------------------------------------------

PREVIEWED = "questions:\n  - {id: t, type: true_false, prompt: Is it?, answer: true}\n"


def _preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    result = CliRunner().invoke(main, ["preview", *args, "--no-cache"])
    return result.exit_code, result.stdout, result.stderr


def test_preview_builds_the_page_in_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`qbank preview BANK` validates, writes the page into a fresh temporary folder and
    prints its path; `--open` opens it in the browser."""
    project(tmp_path, PREVIEWED)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    code, out, err = _preview(tmp_path, monkeypatch, str(tmp_path / "bank.yaml"), "--open")
    assert code == 0, err
    [line] = out.splitlines()
    page = Path(line)
    assert page.parent.parent == tmp_path / "tmp" and page.parent.name.startswith("qbank-preview-")
    assert page.name == "bank.html" and "Is it?" in page.read_text(encoding="utf-8")
    assert opened == [page.as_uri()] and "1 page(s) built in" in err


def test_preview_of_several_banks_links_them_and_says_when_no_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several banks: each page and an index linking them, which `--open` opens; without a
    browser it says to open the file by hand."""
    project(tmp_path, PREVIEWED)
    (tmp_path / "second.yaml").write_text("title: Second\n" + PREVIEWED)
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    code, out, err = _preview(tmp_path, monkeypatch, str(tmp_path), "--open")
    assert code == 0, err
    *pages, index = [Path(line) for line in out.splitlines()]
    assert [p.name for p in pages] == ["bank.html", "second.html"] and index.name == "index.html"
    links = lxml_html.fromstring(index.read_text(encoding="utf-8")).xpath("//a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("bank", "bank.html"),
        ("Second", "second.html"),
    ]
    assert f"no web browser to open it here: open {index} yourself" in err


def test_preview_refuses_a_failing_bank_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As export does: problems listed, exit 1, no folder left behind."""
    project(
        tmp_path,
        "questions:\n  - {id: o, type: output, prompt: What?, code: print(6), answer: '7'}\n",
    )
    code, out, err = _preview(tmp_path, monkeypatch, str(tmp_path / "bank.yaml"))
    assert code == 1 and "[answer-mismatch]" in out and "export refused" in err
    assert list((tmp_path / "tmp").iterdir()) == []


def test_preview_with_allow_invalid_builds_and_says_the_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--allow-invalid`: the page is built, the errors still printed, the question marked."""
    project(
        tmp_path,
        "questions:\n  - {id: o, type: output, prompt: What?, code: print(6), answer: '7'}\n",
    )
    code, out, err = _preview(tmp_path, monkeypatch, str(tmp_path / "bank.yaml"), "--allow-invalid")
    assert code == 0, err
    problems, page = out.splitlines()[:-1], Path(out.splitlines()[-1])
    assert any("[answer-mismatch]" in p for p in problems) and any(
        "[export-invalid]" in p for p in problems
    )
    assert "fails validation" in page.read_text(encoding="utf-8")


def test_an_image_in_the_description_is_its_alt_text(tmp_path: Path) -> None:
    """A bank's description is not a question: its images are not shipped, but said."""
    report = project(
        tmp_path,
        "description: '![logo](logo.png) A bank.'\nquestions:\n  - {id: t, type: true_false, prompt: Yes?, answer: true}\n",
    )
    page, context = render(report)
    assert '<span class="no-image">[image: logo]</span> A bank.' in page and "logo.png" not in page
    assert [(w.code, w.question) for w in context.warnings] == [("lossy-media", None)]


def test_the_key_is_the_correct_options_and_tolerance_ends_read_as_written(
    tmp_path: Path,
) -> None:
    """A right option the weights leave 0 % is still a right option on the page (the page
    said "Answers: A, B" and marked B wrong); a tolerance's ends are the decimals the author
    wrote, not 3.1300000000000003."""
    report = project(
        tmp_path,
        """\
questions:
  - id: share
    type: multiple_answers
    prompt: Which?
    shuffle: false
    choices:
      - {text: a, correct: true, weight: 50}
      - {text: b, correct: true}
      - c
  - id: pi
    type: numerical
    prompt: Pi?
    answer: 3.14
    tolerance: 0.01
""",
        execute=False,
    )
    page, _ = render(report)
    many, number = keys(page)
    assert many["correct"] == [0, 1]
    assert "from 3.13 to 3.15" in number["answer"]
