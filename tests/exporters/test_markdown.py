"""The Markdown exporter: student version and answer key, checked by rendering them with
markdown-it-py (as GitHub would) and by golden files."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from qbank.exporters.base import ExportContext
from qbank.exporters.markdown import MarkdownExporter, fence, letter
from qbank.report import Report

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
    wrong options explained by feedback or by how they were refuted."""
    questions = traps_report.collection.banks[0].bank.questions
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
