"""The Moodle XML exporter, read back the way Moodle 4.5's importer reads it
(``test_moodle_reader.py``, from ``question/format/xml/format.php``): "Moodle would read key X"."""

from __future__ import annotations

import base64
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from qbank.exporters.base import ExportContext
from qbank.exporters.gift.categories import placed
from qbank.exporters.media import media_file
from qbank.exporters.moodle import MoodleExporter, names
from qbank.exporters.moodle import text as t
from qbank.exporters.moodle.files import embed
from qbank.model import Bank, Collection, LoadedBank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from test_moodle_reader import Question, problems, read, truefalse_key

ROOT = Path(__file__).resolve().parents[2]
BANK = "traps/everything"


def render(report: Report, **options: Any) -> tuple[str, ExportContext]:
    context = ExportContext(report)
    xml = MoodleExporter(options).render_bank(report.collection.banks[0], context)
    return xml, context


def by_id(xml: str) -> dict[str, Question]:
    questions = read(xml)
    assert not problems(xml, questions), problems(xml, questions)
    return {q.idnumber.rsplit("/", 1)[1]: q for q in questions if q.idnumber}


def code_text(field_html: str, index: int = 0) -> str:
    """The text of the `index`-th code block of a field, as a browser shows it."""
    blocks = re.findall(r"<pre[^>]*><code[^>]*>(.*?)</code></pre>", field_html, re.DOTALL)
    return visible(blocks[index])


def visible(field_html: str) -> str:
    """Text as a browser shows it (character references of control characters included,
    which Python's `html.unescape` would drop)."""
    text = re.sub(r"<[^>]+>", "", field_html)
    return html.unescape(re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text))


def test_golden(traps_report: Report, golden: Any) -> None:
    """The traps bank's Moodle XML matches its golden file, byte for byte, every time."""
    xml, _ = render(traps_report)
    assert xml == render(traps_report)[0]
    golden("moodle/traps.xml", xml)


def test_every_type_maps_to_its_moodle_type(traps_report: Report) -> None:
    """Each question kind becomes the Moodle type the mapping table says, with no warning
    beyond what Moodle itself cannot hold (a multi-line output typed as a short answer)."""
    xml, context = render(traps_report)
    kinds = {key: q.qtype for key, q in by_id(xml).items()}
    assert kinds == {
        "dict-literal": "shortanswer", "computed": "shortanswer", "pick-output": "multichoice",
        "unicode-mc": "multichoice", "several": "multichoice", "weighted": "multichoice",
        "statement": "truefalse", "false-statement": "truefalse", "name-it": "shortanswer",
        "number": "numerical", "tiny-number": "numerical", "pairs": "matching",
        "explain": "essay", "fill-gap": "multichoice", "find-bug": "multichoice",
        "values": "multichoice",
    }  # fmt: skip
    codes = {(w.question, w.code) for w in context.warnings}
    assert codes == {("dict-literal", "lossy-whitespace"), ("computed", "lossy-whitespace")}


def test_category_name_idnumber_and_tags(traps_report: Report) -> None:
    """A category per bank from its title path; the name is the title, else the ids; the
    idnumber is `bank-id/question-id`; tags are the bank's and the question's."""
    xml, _ = render(traps_report)
    questions = read(xml)
    assert questions[0].qtype == "category"
    assert (
        questions[0].category
        == (
            "$course$/top/traps/Traps: {braces} = #hash ~tilde:  & ünïcödé // slash"  # no tags: PARAM_TEXT
        )
    )
    found = by_id(xml)
    assert found["dict-literal"].name == "Braces {} = #hash ~tilde: in C:\\path"
    assert found["several"].name == f"{BANK}/several"
    assert found["several"].idnumber == f"{BANK}/several"
    assert found["several"].tags == ["traps", "c++"]


def test_text_keeps_code_and_its_indentation(traps_report: Report) -> None:
    """The code block of the question text is the snippet, every character and indentation
    kept, highlighted (token spans) in `<pre><code class="language-python">`."""
    xml, _ = render(traps_report)
    found = by_id(xml)
    question = traps_report.collection.banks[0].bank.questions[0]
    text = found["dict-literal"].questiontext.text
    assert '<code class="language-python">' in text and '<span class="k"' in text
    assert code_text(text, 1) == question.code  # block 0 is the shown fixture file
    assert "<h4>Braces {} = #hash ~tilde: &lt;int&gt; in C:\\path</h4>" in text
    assert "data/notes.txt" in visible(text) and "unseen.txt" not in text


def test_keys_weights_and_feedback(traps_report: Report) -> None:
    """Moodle would read each key, the grade-list weights, and per-answer feedback (authored,
    else what validation generated)."""
    found = by_id(render(traps_report)[0])
    mc = found["unicode-mc"]
    assert [a.fraction for a in mc.answers] == [1, 0, 0, 0]
    assert mc.options == {"single": "true", "shuffleanswers": "false", "answernumbering": "abc"}
    assert visible(mc.answers[0].feedback.text) == "Right: [n] * 2 repeats {the} list."
    assert mc.defaultmark == 2
    several = found["several"]
    assert several.options["single"] == "false"
    assert [round(a.fraction, 7) for a in several.answers] == [0.3333333] * 3 + [-0.5] * 2
    assert [a.fraction for a in found["weighted"].answers] == [0.5, 0.5, -1]
    pick = found["pick-output"]
    assert pick.answers[0].fraction == 1 and code_text(pick.answers[0].text.text) == "x\ty~"
    assert "end" in visible(pick.answers[2].feedback.text)
    bug = found["find-bug"]
    assert "not why" in visible(bug.answers[1].feedback.text)
    assert code_text(bug.generalfeedback.text).startswith("def add(key, value, into=None):")
    gap = found["fill-gap"]
    assert code_text(gap.answers[0].text.text) == "squares[n] = n ** 2\n"  # Pygments ends lines
    assert "____" in code_text(gap.questiontext.text)


def test_generated_feedback_never_for_a_failing_question(traps_report: Report) -> None:
    """Without authored feedback, a wrong option gets what validation generated; with the
    option off, it gets none."""
    with_generated = by_id(render(traps_report)[0])["fill-gap"]
    assert visible(with_generated.answers[1].feedback.text)
    without = by_id(render(traps_report, refutation_feedback=False)[0])["fill-gap"]
    assert not without.answers[1].feedback.text


def test_true_false_short_numerical_matching_essay(traps_report: Report) -> None:
    """The other types, as Moodle would store them."""
    found = by_id(render(traps_report)[0])
    assert truefalse_key(found["statement"]) is True
    assert truefalse_key(found["false-statement"]) is False
    assert all(len(found[k].answers) == 2 for k in ("statement", "false-statement"))
    name_it = found["name-it"]
    assert name_it.options == {"usecase": "1"}
    assert [a.text.text for a in name_it.answers] == ["len", "len()", "a\\*b", "x->y"]
    number = found["number"]
    assert number.answers[0].text.text == "0.3" and number.answers[0].tolerance == "0.005"
    assert found["tiny-number"].answers[0].text.text == "0.00001"
    pairs = found["pairs"]
    assert [answer for _, answer in pairs.subquestions] == [
        "returns int", "a -> b mapping", "Java, not Python: {generic}", "no such = thing",
        "a # hash",
    ]  # fmt: skip
    assert [bool(text.text) for text, _ in pairs.subquestions] == [True] * 3 + [False] * 2
    assert "List&lt;int&gt;" in pairs.subquestions[2][0].text
    essay = found["explain"]
    assert essay.options["responseformat"] == "editor"
    assert "immutable" in visible(essay.generalfeedback.text)
    assert "s += part  # O(n**2)?" in code_text(essay.questiontext.text)


def test_output_short_answer_is_case_sensitive(traps_report: Report) -> None:
    """An output typed as a short answer compares case (program output does)."""
    found = by_id(render(traps_report)[0])
    assert found["computed"].options == {"usecase": "1"}
    assert found["computed"].answers[0].text.text == "###\n ##\n  #"


def test_hints_one_element_each(traps_report: Report) -> None:
    """Every hint is its own `<hint>`, as HTML; several hints stay several."""
    report = traps_report
    loaded = report.collection.banks[0]
    questions = list(loaded.bank.questions)
    questions[1] = questions[1].model_copy(update={"hint": ("First `try`.", "Then **this**.")})
    bank = loaded.bank.model_copy(update={"questions": tuple(questions)})
    report.collection.banks[0] = loaded.model_copy(update={"bank": bank})
    found = by_id(render(report)[0])
    assert [h.text for h in found["computed"].hints] == [
        "<p>First <code>try</code>.</p>",
        "<p>Then <strong>this</strong>.</p>",
    ]
    assert [visible(h.text) for h in found["dict-literal"].hints] == ["~2 is -3."]


def test_idnumber_shortened_deterministically() -> None:
    """An idnumber over 100 characters keeps a prefix and a hash; the same ids give the same
    idnumber, and none is used twice in a file."""
    long_id = "b/" + "x" * 150
    first = names.idnumber(long_id, set())
    assert len(first) == 100 and first.startswith("b/xxx") and "~" in first
    assert names.idnumber(long_id, set()) == first
    used: set[str] = set()
    ids = [names.idnumber(long_id, used), names.idnumber(long_id, used)]
    assert len(set(ids)) == 2 and all(len(i) <= 100 for i in ids)
    assert names.idnumber("b/short", set()) == "b/short"


def test_collection_in_one_file(traps_report: Report) -> None:
    """A collection is one `<quiz>`: each bank under its own category."""
    loaded = traps_report.collection.banks[0]
    other = LoadedBank(
        id="other/bank",
        bank=Bank(id="other/bank", title="Other", questions=loaded.bank.questions[:1]),
        path="other.yaml",
    )
    context = ExportContext(traps_report)
    xml = MoodleExporter().render_collection(Collection(banks=[loaded, other]), context)
    questions = read(xml)
    categories = [q.category for q in questions if q.qtype == "category"]
    assert categories[1] == "$course$/top/other/Other"
    assert len([q for q in questions if q.qtype != "category"]) == len(loaded.bank.questions) + 1
    assert not problems(xml, questions)


# --- escaping: any text survives -------------------------------------------------------------


def _texts(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pieces = characters | st.sampled_from(["]]>", "]]", "<![CDATA[", "🐍", " " * 70])
    return st.lists(pieces, max_size=30).map("".join)


_ANY_TEXT = _texts(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("\x00\x01\r\x0b\ufffe")
)


@given(
    _texts(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from("\t\n"))
)
@example("a]]>b]]]]>c")
@example("🐍\n\t x")
def test_cdata_round_trip(value: str) -> None:
    """Any XML text in CDATA (end markers included) parses back to itself."""
    parsed = etree.fromstring(f"<text>{t.cdata(value)}</text>".encode())
    assert (parsed.text or "") == value


@given(_ANY_TEXT)
@example("\x00\x01]]>\r\n\ufffe\U0001f40d")
def test_html_characters_recoverable(value: str) -> None:
    """HTML text holding anything (control characters, CR, U+FFFE) becomes text XML 1.0 can
    hold, and a browser reading the character references gets the exact text back."""
    safe = t.html_chars(html.escape(value))
    parsed = etree.fromstring(f"<text>{t.cdata(safe)}</text>".encode())
    decoded = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), parsed.text or "")
    assert html.unescape(decoded) == value


@given(_ANY_TEXT.filter(lambda s: s.strip()))
@example("  x = ']]>'\n\x01\n" + " " * 700 + "y\n")
def test_code_survives_the_export(code: str) -> None:
    """A snippet with anything in it (`]]>`, control characters, non-BMP characters, long
    runs of spaces) is in the parsed file, highlighted, exactly (CR reads as LF)."""
    html_text = t.code(code, "python")
    parsed = etree.fromstring(f"<text>{t.cdata(html_text)}</text>".encode())
    assert not problems(f"<text>{t.cdata(html_text)}</text>", [])
    expected = code.replace("\r\n", "\n").replace("\r", "\n")
    assert code_text(parsed.text or "") == expected + ("" if expected.endswith("\n") else "\n")


def test_plain_text_drops_what_xml_cannot_hold() -> None:
    """Plain parts cannot escape: characters XML 1.0 cannot hold are dropped, and said so."""
    assert t.plain("a\x01b\rc") == ("ab\nc", True)
    assert t.plain("fine ✓ 🐍") == ("fine ✓ 🐍", False)


# --- media ---------------------------------------------------------------------------------

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
MEDIA_BANK = f"""\
id: media
questions:
  - id: tree
    type: essay
    prompt: "Describe this tree: ![a tree](figures/tree.png)"
    explanation: "It is this one again: ![the tree](figures/tree.png)"
  - id: drawn
    type: output
    prompt: What does the program print, besides drawing?
    code: |
      import base64
      open("plot.png", "wb").write(base64.b64decode("{base64.b64encode(PNG).decode()}"))
      print("drawn")
    answer: "drawn\\n"
    figure: plot.png
"""


def _media_export(tmp_path: Path) -> tuple[dict[str, Question], ExportContext]:
    (tmp_path / "qbank.toml").write_text("", encoding="utf-8")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "tree.png").write_bytes(PNG)
    (tmp_path / "media.yaml").write_text(MEDIA_BANK, encoding="utf-8")
    report = validate([str(tmp_path / "media.yaml")], Options(cache_dir=str(tmp_path / "c")))
    assert report.ok, [p.format() for p in report.problems]
    xml, context = render(report)
    return by_id(xml), context


def test_image_embedded_in_each_field_that_shows_it(tmp_path: Path) -> None:
    """An image in the prompt is a base64 `<file>` of the question text, referenced as
    `@@PLUGINFILE@@/<name>`; the explanation that shows it too carries its own copy (each
    field has its own file area). No warning: Moodle XML carries media."""
    found, context = _media_export(tmp_path)
    tree = found["tree"]
    (name,) = tree.questiontext.files
    assert re.fullmatch(r"tree-[0-9a-f]{12}\.png", name)
    assert tree.questiontext.files[name] == PNG
    assert f'<img src="@@PLUGINFILE@@/{name}" alt="a tree"' in tree.questiontext.text
    assert tree.generalfeedback.files == {name: PNG}
    assert f'src="@@PLUGINFILE@@/{name}"' in tree.generalfeedback.text
    assert not context.warnings


def test_figure_shown_after_the_prompt(tmp_path: Path) -> None:
    """The figure the run drew is an image right after the prompt, its bytes a `<file>` of
    the question text."""
    drawn = _media_export(tmp_path)[0]["drawn"]
    (name,) = drawn.questiontext.files
    assert drawn.questiontext.files[name] == PNG
    text = drawn.questiontext.text
    prompt_end = text.index("besides drawing?</p>")
    assert text.index(f'<img src="@@PLUGINFILE@@/{name}"') > prompt_end
    assert text.index(f"@@PLUGINFILE@@/{name}") < text.index('<pre class="highlight">')


def test_embed_leaves_unknown_images() -> None:
    """Only images that name one of the question's media are rewritten; nothing is attached
    for a field without images."""
    media = {"a.png": media_file("a.png", PNG)}
    assert all(media.values())
    field = embed('<img src="elsewhere.png" alt="">', media)  # type: ignore[arg-type]
    assert field.html == '<img src="elsewhere.png" alt="">' and field.files == ()
    assert embed("<p>no image</p>", media).files == ()  # type: ignore[arg-type]


# --- the shipped banks ----------------------------------------------------------------------

_BANKS: dict[str, Report] = {}


def banks_report() -> Report:
    if "report" not in _BANKS:
        cache = tempfile.mkdtemp(prefix="qbank-banks-cache-")
        try:
            _BANKS["report"] = validate([str(ROOT / "banks")], Options(cache_dir=cache))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return _BANKS["report"]


def test_shipped_banks(golden: Any) -> None:
    """Each shipped bank imports cleanly (nothing Moodle refuses), matches its golden, and
    exports with no loss at all: every `lossy-*` GIFT reports for them is carried here."""
    report = banks_report()
    assert report.ok, [p.format() for p in report.problems]
    context = ExportContext(report)
    for loaded in report.collection:
        xml = MoodleExporter().render_bank(loaded, context)
        questions = read(xml)
        assert not problems(xml, questions), problems(xml, questions)
        # A category question for the bank, then one per switch: into each question's
        # variants category and back to the bank's (exporters/gift/categories.py).
        switches = sum(p.switch is not None for p in placed(loaded, loaded.bank.questions))
        assert len(questions) == len(loaded.bank.questions) + 1 + switches
        golden(f"moodle/{loaded.id}.xml", xml)
    lossy = {(w.question, w.code) for w in context.warnings}
    assert lossy == set()


def test_control_character_in_a_short_answer_is_warned(traps_report: Report) -> None:
    """A plain-text answer cannot hold U+0001 in XML 1.0: left out of the answer, and said."""
    loaded = traps_report.collection.banks[0]
    questions = list(loaded.bank.questions)
    index = next(i for i, q in enumerate(questions) if q.id == "name-it")
    questions[index] = questions[index].model_copy(update={"answers": ("le\x01n",)})
    bank = loaded.bank.model_copy(update={"questions": tuple(questions)})
    traps_report.collection.banks[0] = loaded.model_copy(update={"bank": bank})
    xml, context = render(traps_report)
    assert [a.text.text for a in by_id(xml)["name-it"].answers] == ["len"]
    assert ("name-it", "lossy-character") in {(w.question, w.code) for w in context.warnings}


@example("Q < & >")
@example("a<b")
@example("x <")
@example("<b>bold</b> and 2>1")
@example("<a '>'>x")
@given(st.text(st.sampled_from("ab <>&/'\"=1"), min_size=1, max_size=14).filter(str.strip))
def test_names_survive_moodles_strip_tags(title: str) -> None:
    """Moodle cleans a name with strip_tags: what the exporter writes comes through it whole,
    so `a<b` is not read as `a`; only real tags (which Moodle would eat too) are left out."""
    bank = Bank.model_validate(
        {"title": "T", "questions": [{"id": "q", "type": "essay", "prompt": "P", "title": title}]}
    )
    loaded = LoadedBank(id="b", path="b.yaml", bank=bank)
    written = names.name(loaded, bank.questions[0])
    xml = MoodleExporter().render_bank(loaded, ExportContext(Report(Collection([loaded]))))
    (question,) = [q for q in read(xml) if q.qtype != "category"]
    assert question.name == written.strip()
    if ">" not in title:  # no tag to leave out: every character is kept but a final `<`
        kept = title.replace(" ", "").rstrip("<") or "b/q"
        assert question.name.replace(" ", "") == kept
