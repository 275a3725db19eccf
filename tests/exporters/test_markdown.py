"""The Markdown exporter: student version and answer key, checked by rendering them with
markdown-it-py (as GitHub would) and by golden files."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from qbank.exporters.base import ExportContext
from qbank.exporters.display import letter, option_order
from qbank.exporters.markdown import MarkdownExporter, fence
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

MD = MarkdownIt("commonmark")


def render(report: Report, key: bool, template_dirs: tuple[str, ...] = ()) -> str:
    exporter = MarkdownExporter()
    context = ExportContext(report, template_dirs=template_dirs)
    files = exporter.render_bank_files(report.collection.banks[0], context)
    content = files[".key" if key else ""]
    assert isinstance(content, str)
    return content


def code_blocks(rendered_html: str, language: str) -> list[str]:
    found = re.findall(
        rf'<pre><code class="language-{language}">(.*?)</code></pre>', rendered_html, flags=re.S
    )
    return [html.unescape(block) for block in found]


def test_goldens(traps_report: Report, golden: Any) -> None:
    """Both versions match their golden files, and rendering twice gives the same text."""
    for key, name in ((False, "traps.md"), (True, "traps.key.md")):
        text = render(traps_report, key)
        assert text == render(traps_report, key)
        golden(name, text)


def test_code_blocks_survive_rendering(traps_report: Report) -> None:
    """Rendered, every question's code and every code option is one intact code block."""
    rendered = MD.render(render(traps_report, key=True))
    blocks = code_blocks(rendered, "python")
    for question in traps_report.collection.banks[0].bank.questions:
        if question.code is not None:
            assert question.code in blocks, question.id
        for choice in question.choices_list:
            if choice.code is not None:
                assert choice.code.rstrip("\n") + "\n" in blocks
    assert "###\n ##\n  #\n" in code_blocks(
        rendered.replace("<code>", '<code class="language-">'), ""
    )


def test_student_version_hides_answers_key_shows_them(traps_report: Report) -> None:
    """The student page has no answers; the key has one `<details>` answer per question,
    wrong options explained by authored or generated feedback."""
    questions = traps_report.collection.banks[0].bank.questions
    fill = traps_report.result("traps/everything", "fill-gap")
    assert fill is not None
    fill.feedback = {1: "With this line the program raises `KeyError: 0`."}
    student = MD.render(render(traps_report, key=False))
    key = MD.render(render(traps_report, key=True))
    assert "<summary>Answer</summary>" not in student
    assert key.count("<summary>Answer</summary>") == len(questions)
    assert student.count("<summary>Hint</summary>") == 1 == key.count("<summary>Hint</summary>")
    assert "<strong>A.</strong>" in student and "<strong>D.</strong>" in student
    assert "KeyError: 0" in key  # how execution refuted that wrong option
    assert "AssertionError" not in student
    assert "<h2>" in student and student.count("<h2>") == len(questions)


def test_hostile_text_stays_text(traps_report: Report) -> None:
    """`<int>` in a title or a matching side is shown, not taken as HTML."""
    rendered = MD.render(render(traps_report, key=False))
    assert "&lt;int&gt;" in rendered.split("</h1>")[0]
    assert "<int>" not in rendered


def test_fence_outlasts_backticks_in_code() -> None:
    """Code holding a ``` run gets a longer fence, so it cannot close the block early."""
    code = "x = '```'\nprint(x)\n"
    rendered = MD.render(fence(code, "python"))
    assert code_blocks(rendered, "python") == [code]
    assert [letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_project_template_overrides_builtin(traps_report: Report, tmp_path: Path) -> None:
    """A project's `exporters/templates/markdown/footer.md.j2` replaces the empty built-in."""
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "footer.md.j2").write_text("Made for {{ bank_id }}.\n")
    text = render(traps_report, key=False, template_dirs=(str(tmp_path),))
    assert text.endswith("\n\nMade for traps/everything.\n")
    assert not render(traps_report, key=False).endswith("traps/everything.\n")


def test_answer_key_can_be_turned_off(traps_report: Report) -> None:
    """With `answer_key: false` only the student version is written."""
    exporter = MarkdownExporter({"answer_key": False})
    files = exporter.render_bank_files(
        traps_report.collection.banks[0], ExportContext(traps_report)
    )
    assert list(files) == [""]


def bank_report(tmp_path: Path, text: str) -> Report:
    """A one-bank project (an empty `qbank.toml` marks its root), validated without running."""
    (tmp_path / "qbank.toml").write_text("")
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8")
    report = validate([str(tmp_path / "bank.yaml")], Options(execute=False))
    assert report.ok, report.problems
    return report


REFUTED = """\
questions:
  - id: q
    type: multiple_choice
    shuffle: false
    prompt: Which is right?
    choices:
      - {text: "right", correct: true}
      - "one"
      - "two"
      - {text: "three", feedback: "Authored: `x` is **bold**."}
"""


def test_generated_feedback_is_markdown_and_refutations_never_show(tmp_path: Path) -> None:
    """The learner feedback validation generated is Markdown (a fenced output keeps its lines
    and backslashes); the author's refutation, which quotes hidden code, never shows;
    authored feedback stays Markdown."""
    report = bank_report(tmp_path, REFUTED)
    result = report.result("bank", "q")
    assert result is not None
    result.refutations = {1: "check failed: assert HIDDEN == answer", 2: "left: 'OPERAND'"}
    output = "a\\n  b\n\n  `x` *y*\n"
    result.feedback = {1: "With this line the program raises `AttributeError: __len__`.",
                       2: f"The code prints:\n\n```\n{output}```"}  # fmt: skip
    rendered = MD.render(render(report, key=True))
    assert "raises <code>AttributeError: __len__</code>." in rendered
    assert "<strong>len</strong>" not in rendered
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", rendered, re.S)
    assert [html.unescape(b) for b in blocks] == [output]
    assert "HIDDEN" not in rendered and "OPERAND" not in rendered
    assert "<code>x</code> is <strong>bold</strong>" in rendered


HOSTILE = """\
questions:
  - id: generic
    type: multiple_choice
    shuffle: false
    prompt: "Is `List<int>` the same as List<int>? A <b>bold</b> & <details> claim."
    explanation: "An early </details> here, and <https://example.com> stays a link."
    hint: "<summary>Hint?</summary> <!-- comment"
    choices:
      - {text: "Yes <int>", correct: true, feedback: "See </details>"}
      - "No"
  - id: unclosed
    type: essay
    prompt: |
      An unclosed fence:

      ```python
      print("<b>")
    explanation: Nothing <i>else</i>.
  - id: after
    type: true_false
    prompt: Still a question of its own?
    answer: true
"""


def test_raw_html_in_authored_text_is_shown_as_text(tmp_path: Path) -> None:
    """Rendered with raw HTML on (as GitHub does), `<int>` and tags in prompts, options,
    hints, feedback and explanations show as text, `</details>` cannot close the answer fold,
    and a fence left open cannot swallow the rest of the page."""
    report = bank_report(tmp_path, HOSTILE)
    for key in (False, True):
        rendered = MD.render(render(report, key=key))
        text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
        assert "Is List<int> the same as List<int>? A <b>bold</b> & <details> claim." in text
        assert "<code>List&lt;int&gt;</code>" in rendered and "<b>" not in rendered
        assert "Yes <int>" in text and "<int>" not in rendered
        assert rendered.count("<h2>") == 3 and "Still a question of its own?" in text
        assert code_blocks(rendered, "python") == ['print("<b>")\n']
        assert rendered.count("<details>") == rendered.count("</details>")
        assert rendered.count("<details>") == (3 if key else 0) + 1
        assert "<!--" not in rendered and "<summary>Hint?" not in rendered
    key_page = MD.render(render(report, key=True))
    assert "An early </details> here" in html.unescape(key_page)
    assert '<a href="https://example.com">https://example.com</a>' in key_page
    assert "Nothing &lt;i&gt;else&lt;/i&gt;." in key_page


SHUFFLED = """\
questions:
  - id: kept
    type: multiple_choice
    shuffle: false
    prompt: In order?
    choices: [{text: "first", correct: true}, "second", "third", "fourth"]
""" + "".join(
    f"""\
  - id: out{n}
    type: output
    prompt: What does it print?
    code: print({n})
    answer: "{n}\\n"
    choices: ["x{n}", "y{n}", "z{n}"]
  - id: mc{n}
    type: multiple_choice
    prompt: Which?
    choices: [{{text: "r{n}", correct: true}}, "s{n}", "t{n}", "u{n}"]
"""
    for n in range(6)
)


def test_student_version_uses_the_anki_option_order(tmp_path: Path) -> None:
    """Options are shuffled as in the Anki export (seeded by bank and question ids): the key
    of an `output` question is not always A; `shuffle: false` keeps the authored order."""
    report = bank_report(tmp_path, SHUFFLED)
    student = render(report, key=False)
    key = render(report, key=True)
    questions = report.collection.banks[0].bank.questions
    assert "- **A.** first\n- **B.** second\n- **C.** third\n- **D.** fourth" in student
    letters = re.findall(r"\*\*Answer: ([A-Z])\*\*", key)
    assert letters[0] == "A" and len(set(letters[1::2])) > 1  # `output` keys: not all A
    for question, answer in zip(questions[1:], letters[1:], strict=True):
        order = option_order("bank", question, True)
        texts = [
            f"{question.id[-1]}\n" if i == -1 else question.choices_list[i].text for i in order
        ]
        right = next(p for p, i in enumerate(order) if i == -1 or question.choices_list[i].correct)
        assert answer == letter(right), question.id
        number = questions.index(question) + 1  # headed `Question <n>`: ids are not shown
        section = student.split(f"## Question {number}\n")[1].split("## ")[0]
        options = re.split(r"^- \*\*([A-Z])\.\*\*", section, flags=re.M)[1:]
        assert options[0::2] == [letter(p) for p in range(len(order))]
        for text, body in zip(texts, options[1::2], strict=True):
            assert str(text).strip() in body.split("<details>")[0], question.id
