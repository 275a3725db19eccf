"""Media (DESIGN section 8): the images a question's text references are checked statically
(`media-*`, at the line of the field that holds them), their content is part of the static
cache key, and a `figure` is proven: the run must write it, and its bytes reach the report."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from qbank.errors import Problem
from qbank.loading import load_paths
from qbank.model import LoadedBank, QuestionBase
from qbank.model.media import content_flaw, sniff_type, text_fields
from qbank.model.snippets import runs_python
from qbank.options import Options
from qbank.prove.plan import Run, plan_question
from qbank.report import Report
from qbank.static.media import located_texts, runs_code
from qbank.validation import validate


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG of `width` x `height` black grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\0" + b"\0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
CASES = Path(__file__).resolve().parents[1] / "cases"
XML_SVG = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root holding a `figures/` folder with a real PNG."""
    (tmp_path / "qbank.toml").write_text("")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "tree.png").write_bytes(png())
    return tmp_path


def write_bank(folder: Path, body: str, name: str = "bank.yaml") -> Path:
    path = folder / name
    path.write_text("id: media\nquestions:\n" + body, encoding="utf-8")
    return path


def static(path: Path, cache: Path | None = None) -> Report:
    options = Options(execute=False, cache=cache is not None, cache_dir=str(cache or ""))
    return validate([str(path)], options)


def media_problems(report: Report) -> list[Problem]:
    return [p for p in report.problems if p.code.startswith(("media-", "figure-", "bad-file"))]


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of `path` where `needle` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def found(report: Report) -> set[tuple[str, int, str | None]]:
    return {(p.code, p.line, p.question) for p in media_problems(report)}


# --- Static checks, each at the line of the field holding the reference -------------------

QUESTIONS = """\
  - id: in-prompt
    type: essay
    prompt: |
      Look at this:
      ![a tree](figures/missing.png)
  - id: in-hint
    type: essay
    prompt: Look.
    hint: ["first", "![x](figures/tree.bmp)"]
  - id: in-choice
    type: multiple_choice
    prompt: Pick.
    choices:
      - text: "![big](figures/big.png)"
        correct: true
      - text: no image
  - id: in-explanation
    type: essay
    prompt: Look.
    explanation: See ![up](../outside.png).
  - id: in-feedback
    type: multiple_choice
    prompt: Pick.
    choices:
      - text: one
        correct: true
      - text: two
        feedback: "![fake](figures/fake.png)"
"""


def test_each_static_code_is_at_the_line_of_its_field(project: Path) -> None:
    (project / "figures" / "big.png").write_bytes(png() + b"\0" * (1 << 20))
    (project / "figures" / "fake.png").write_bytes(JPEG)
    (project / "figures" / "tree.bmp").write_bytes(b"BM")
    (project.parent / "outside.png").write_bytes(png())
    path = write_bank(project, QUESTIONS)
    report = static(path)
    assert found(report) == {
        ("media-missing", line_of(path, "prompt: |"), "in-prompt"),
        ("media-type", line_of(path, "tree.bmp"), "in-hint"),
        ("media-too-large", line_of(path, "big.png"), "in-choice"),
        ("media-outside-project", line_of(path, "../outside.png"), "in-explanation"),
        ("media-type", line_of(path, "fake.png"), "in-feedback"),
    }
    messages = {p.question: p.message for p in media_problems(report)}
    assert "'figures/missing.png' in `prompt` does not exist" in messages["in-prompt"]
    assert "in choice 2's feedback" in messages["in-feedback"]
    assert "is not a PNG image" in messages["in-feedback"] and "JPEG" in messages["in-feedback"]
    assert "1 MiB" in messages["in-choice"]
    assert "through a symbolic link" not in messages["in-explanation"]
    assert all(p.severity == "error" for p in media_problems(report))


def test_legal_images_pass(project: Path) -> None:
    nested = project / "figures" / "deep" / "er"
    nested.mkdir(parents=True)
    (nested / "tree one.gif").write_bytes(GIF)
    (project / "figures" / "photo.jpeg").write_bytes(JPEG)
    (project / "figures" / "photo.JPG").write_bytes(JPEG)
    (project / "figures" / "plain.svg").write_text(SVG)
    (project / "figures" / "xml.svg").write_text(XML_SVG)
    body = """\
  - id: legal
    type: matching
    prompt: |
      ![tree](figures/tree.png "a title") ![p](figures/photo.jpeg) ![P](./figures/photo.JPG)
      ![s](figures/plain.svg) ![x](figures/deep/../xml.svg)
      ![spaced](<figures/deep/er/tree one.gif>) ![escaped](figures/deep/er/tree%20one.gif)
      ![web](https://example.com/missing.png) ![data](data:image/png;base64,AAAA)
    pairs:
      - left: "![l](figures/tree.png)"
        right: a tree
      - left: b
        right: c
"""
    path = write_bank(project, body)
    report = static(path)
    assert media_problems(report) == []
    assert report.ok, [p.format() for p in report.problems]


def test_a_symlink_out_of_the_project_is_outside_and_one_inside_is_fine(project: Path) -> None:
    (project.parent / "elsewhere.png").write_bytes(png())
    os.symlink(project.parent / "elsewhere.png", project / "figures" / "escape.png")
    os.symlink(project / "figures" / "tree.png", project / "figures" / "alias.png")
    body = """\
  - id: linked
    type: essay
    prompt: "![e](figures/escape.png)"
    explanation: "![a](figures/alias.png)"
"""
    path = write_bank(project, body)
    report = static(path)
    assert found(report) == {("media-outside-project", line_of(path, "prompt:"), "linked")}
    assert "leads, through a symbolic link, outside" in media_problems(report)[0].message


def test_an_absolute_path_is_outside_the_project(project: Path) -> None:
    target = project / "figures" / "tree.png"
    path = write_bank(project, f'  - id: absolute\n    type: essay\n    prompt: "![t]({target})"\n')
    report = static(path)
    assert found(report) == {("media-outside-project", line_of(path, "prompt:"), "absolute")}
    assert "absolute path" in media_problems(report)[0].message


def test_oversized_by_the_default_limit_and_by_media_limit(project: Path) -> None:
    (project / "figures" / "large.png").write_bytes(png() + b"\0" * (1 << 20))
    body = """\
  - id: large
    type: essay
    prompt: "![l](figures/large.png)"
  - id: small
    type: essay
    prompt: "![t](figures/tree.png)"
"""
    default = static(write_bank(project, body, "default.yaml"))
    assert {p.question for p in media_problems(default)} == {"large"}
    raised = project / "raised.yaml"
    raised.write_text("id: raised\nmedia_limit: 2 MiB\nquestions:\n" + body)
    assert media_problems(static(raised)) == []
    lowered = project / "lowered.yaml"
    lowered.write_text("id: lowered\nmedia_limit: 20\nquestions:\n" + body)
    problems = media_problems(static(lowered))
    assert {(p.question, p.code) for p in problems} == {
        ("large", "media-too-large"),
        ("small", "media-too-large"),
    }
    assert "20 bytes" in problems[0].message


def test_magic_bytes_must_match_the_suffix() -> None:
    assert sniff_type(png()) == "image/png"
    assert sniff_type(GIF) == "image/gif"
    assert sniff_type(JPEG) == "image/jpeg"
    assert sniff_type(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert sniff_type(SVG.encode()) == sniff_type(XML_SVG.encode()) == "image/svg+xml"
    assert sniff_type(b'<?xml version="1.0"?><html/>') is None
    assert content_flaw("a.png", png()) is None
    assert content_flaw("a.svg", b"hello") == (
        "is not an SVG image, as its name says (its bytes are no image)"
    )
    assert content_flaw("a.gif", png()) is not None
    assert content_flaw("a.txt", b"anything") is None  # not an image type: the suffix check


def test_a_directory_or_a_missing_folder_is_missing(project: Path) -> None:
    (project / "figures" / "dir.png").mkdir()
    body = """\
  - id: folder
    type: essay
    prompt: "![d](figures/dir.png)"
  - id: nowhere
    type: essay
    prompt: "![n](nowhere/x.png)"
"""
    codes = {(p.question, p.code) for p in media_problems(static(write_bank(project, body)))}
    assert codes == {("folder", "media-missing"), ("nowhere", "media-missing")}


def test_located_texts_are_the_texts_of_text_fields(project: Path) -> None:
    (project / "figures" / "big.png").write_bytes(png())
    collection, _ = load_paths([str(write_bank(project, QUESTIONS))])
    for question in collection.banks[0].bank.questions:
        located = [(field, text) for _, field, text in located_texts(question)]
        assert located == list(text_fields(question))


# --- The static cache key holds every image's content -------------------------------------


def test_a_changed_image_is_seen_by_a_cached_validation(project: Path) -> None:
    body = '  - id: cached\n    type: essay\n    prompt: "![t](figures/tree.png)"\n'
    path, cache = write_bank(project, body), project / "cache"
    assert media_problems(static(path, cache)) == []
    assert media_problems(static(path, cache)) == []  # from the cache
    image = project / "figures" / "tree.png"
    image.write_bytes(png() + b"\0" * (1 << 20))
    assert [p.code for p in media_problems(static(path, cache))] == ["media-too-large"]
    image.write_bytes(b"not a png")
    assert [p.code for p in media_problems(static(path, cache))] == ["media-type"]
    image.unlink()
    assert [p.code for p in media_problems(static(path, cache))] == ["media-missing"]
    image.write_bytes(png())
    assert media_problems(static(path, cache)) == []


def test_the_same_bank_in_two_folders_checks_each_folders_images(project: Path) -> None:
    body = '  - id: twin\n    type: essay\n    prompt: "![t](figures/tree.png)"\n'
    other = project / "other"
    other.mkdir()
    cache = project / "cache"
    assert media_problems(static(write_bank(project, body), cache)) == []
    report = static(write_bank(other, body), cache)  # same bytes, no figures/ beside it
    assert [p.code for p in media_problems(report)] == ["media-missing"]


# --- figure: -------------------------------------------------------------------------------


def figure_bank(project: Path, program: str, extra: str = "", figure: str = "plot.png") -> Path:
    code = "\n".join("      " + line for line in program.splitlines())
    body = f"""\
  - id: plot
    type: output
    prompt: What does it print?
    code: |
{code}
    answer: "drawn\\n"
    figure: {figure}
{extra}"""
    return write_bank(project, body)


def writes(data: bytes) -> str:
    return f'open("plot.png", "wb").write(bytes.fromhex("{data.hex()}"))\nprint("drawn")'


def run(path: Path, cache: Path) -> Report:
    return validate([str(path)], Options(cache_dir=str(cache)))


def test_a_written_figure_reaches_the_report_also_from_the_cache(project: Path) -> None:
    image, cache = png(2, 2), project / "cache"
    path = figure_bank(project, writes(image))
    first = run(path, cache)
    assert first.ok, [p.format() for p in first.problems]
    result = first.results[("media", "plot")]
    assert result.figure == image and not result.from_cache
    again = run(path, cache).results[("media", "plot")]  # the bank's proof memo
    assert again.figure == image and again.from_cache
    # Another question changes the bank's digest: the memo misses, the run cache holds.
    with path.open("a", encoding="utf-8") as handle:
        handle.write("  - id: other\n    type: essay\n    prompt: Why?\n")
    third = run(path, cache).results[("media", "plot")]
    assert third.figure == image and third.from_cache


def test_a_figure_the_program_does_not_write_fails(project: Path) -> None:
    path = figure_bank(project, 'print("drawn")')
    report = run(path, project / "cache")
    problems = [p for p in report.problems if p.severity == "error"]
    assert [(p.code, p.line, p.question) for p in problems] == [
        ("figure-missing", line_of(path, "figure:"), "plot")
    ]
    assert "the program did not write plot.png" in problems[0].message
    result = report.results[("media", "plot")]
    assert result.state == "failed" and result.figure is None


def test_a_figure_of_the_wrong_type_or_too_large_fails(project: Path) -> None:
    cache = project / "cache"
    wrong = run(figure_bank(project, writes(b"GIF89a, not a png")), cache)
    assert [p.code for p in wrong.problems] == ["media-type"]
    assert wrong.results[("media", "plot")].figure is None
    path = figure_bank(project, writes(png()))
    text = path.read_text().replace("id: media\n", "id: media\nmedia_limit: 30\n")
    path.write_text(text)
    large = run(path, cache)
    assert [(p.code, p.line) for p in large.problems] == [
        ("media-too-large", line_of(path, "figure:"))
    ]


def test_a_figure_on_a_question_without_code_is_an_error(project: Path) -> None:
    body = """\
  - id: still
    type: multiple_choice
    prompt: Pick.
    code: print(1)
    figure: plot.png
    choices:
      - text: a
        correct: true
      - text: b
  - id: badname
    type: output
    code: print(1)
    prompt: What?
    figure: ../plot.png
  - id: notimage
    type: output
    code: print(1)
    prompt: What?
    figure: plot.txt
"""
    path = write_bank(project, body)
    report = static(path)
    assert {(p.code, p.question) for p in media_problems(report)} == {
        ("figure-without-run", "still"),
        ("bad-file-name", "badname"),
        ("media-type", "notimage"),
    }
    lines = {p.question: p.line for p in media_problems(report)}
    assert lines["still"] == line_of(path, "figure: plot.png")
    assert lines["badname"] == line_of(path, "figure: ../plot.png")


def test_runs_code_agrees_with_the_plan() -> None:
    collection, problems = load_paths([str(CASES)])
    assert collection.banks, problems
    checked = 0
    for loaded in collection.banks:
        for question in loaded.bank.questions:
            assert runs_code(loaded, question) == bool(_planned(loaded, question)), question.id
            checked += 1
    assert checked > 20


def _planned(loaded: LoadedBank, question: QuestionBase) -> list[Run]:
    """The runs the coordinator plans for `question` (only Python questions are planned)."""
    return plan_question(loaded.bank, question) if runs_python(loaded.bank, question) else []


def test_the_figure_is_read_back_by_the_run_of_the_program_shown(project: Path) -> None:
    body = """\
  - id: gap
    type: code_choice
    prompt: Which line saves it?
    figure: plot.png
    code: |
      ____
    choices:
      - code: x = 1
      - code: y = 2
        correct: true
  - id: bug
    type: bug
    prompt: Why?
    figure: out/plot.svg
    code: print(1)
    fix: print(2)
    check: assert stdout == "2\\n"
    choices:
      - text: a
        correct: true
      - text: b
"""
    collection, problems = load_paths([str(write_bank(project, body))])
    assert problems == []
    loaded = collection.banks[0]
    gap, bug = (plan_question(loaded.bank, q) for q in loaded.bank.questions)
    assert [r.spec.collect_bytes for r in gap] == [(), (("plot.png", (1 << 20) + 1),)]
    assert [(r.role, r.spec.collect_bytes) for r in bug] == [
        ("buggy", (("out/plot.svg", (1 << 20) + 1),)),
        ("fix", ()),
    ]


def test_a_figure_that_is_also_a_fixture_is_an_error(project: Path) -> None:
    """A fixture is in the run's folder before the program starts: `figure` naming one would
    be 'written' by every program, so it proves nothing and is refused statically."""
    fixture = f'    files:\n      plot.png: "{"x" * 4}"\n'
    path = figure_bank(project, 'print("drawn")', extra=fixture)
    report = validate([str(path)], Options(execute=False))
    assert [(p.code, p.line, p.question) for p in report.problems] == [
        ("figure-is-fixture", line_of(path, "figure:"), "plot")
    ]
