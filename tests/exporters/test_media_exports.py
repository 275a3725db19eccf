"""Images in every export but Moodle XML (DESIGN section 8): the `.apkg` packs them (checked by
importing with Anki's own library), Markdown and JSON copy them into ``media/`` beside their
files, JSON records them beside the bank, GIFT and Anki text warn ``lossy-media``. Figures
come from the report (``QuestionResult.figure``), set by hand here where a test needs one."""

from __future__ import annotations

import json
import re
import struct
import sys
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbank.errors import ExportError
from qbank.exporters.anki.apkg import AnkiExporter
from qbank.exporters.base import ExportContext
from qbank.exporters.gift import GiftExporter
from qbank.exporters.json import JsonExporter
from qbank.exporters.markdown import MarkdownExporter
from qbank.exporters.media import media_file
from qbank.exporting import export, plan
from qbank.loading.yamlio import compose, to_python
from qbank.model import Bank
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from anki_import import import_package, new_collection, notes

BANKS = Path(__file__).resolve().parents[2] / "banks"
T1, T2 = 1_700_000_000, 1_700_086_400
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'
FIGURE = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect/></svg>\n'


def png(shade: int) -> bytes:
    """A real 2x2 grey PNG (its shade makes the bytes differ)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = (b"\0" + bytes([shade] * 2)) * 2
    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


BANK = """\
title: Pictures
questions:
  - id: tree
    type: multiple_choice
    prompt: |
      Look at ![a binary tree](figures/tree.png) and answer.
    choices:
      - text: "Four ![the leaf](figures/leaf.svg)"
        correct: true
      - text: Five
    explanation: See ![a binary tree](figures/tree.png) again, and ![a logo](https://example.org/x.png).
  - id: chart
    type: output
    prompt: What does the program print?
    code: |
      print(1)
    answer: |
      1
    figure: chart.svg
"""


def write(
    root: Path, bank: str = BANK, name: str = "pics", files: dict[str, bytes] | None = None
) -> Path:
    """A project under `root` with one bank and its images; returns the bank file."""
    (root / "qbank.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "qbank.toml").write_text("", encoding="utf-8")
    path = root / "banks" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bank, encoding="utf-8")
    for relative, data in (files or {"figures/tree.png": png(90), "figures/leaf.svg": SVG}).items():
        (path.parent / relative).parent.mkdir(parents=True, exist_ok=True)
        (path.parent / relative).write_bytes(data)
    return path


def report_of(*paths: Path, figure: bytes | None = FIGURE) -> Report:
    """The banks validated without running; the `chart` question's figure set by hand."""
    report = validate([str(p) for p in paths], Options(execute=False))
    assert report.ok, [p.format() for p in report.problems]
    for loaded in report.collection:
        result = report.result(loaded.id, "chart")
        if result is not None:
            result.figure = figure
    return report


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write(tmp_path / "project")


def _planned(exporter: Any, report: Report, out: Path) -> dict[Path, bytes]:
    return dict(plan(exporter, list(report.collection), out, ExportContext(report)))


def _links(markdown: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)


# --- Anki ------------------------------------------------------------------------------------


def test_apkg_media_reach_the_collection_and_reimports_add_no_copy(
    bank: Path, tmp_path: Path
) -> None:
    """Anki imports the package's images into its media folder with their bytes, the note's
    fields reference them by bare name (the figure after the prompt), and importing again,
    the same package or a newer build, adds neither a note nor a media file."""
    report = report_of(bank)
    col = new_collection(tmp_path)
    import_package(
        col,
        AnkiExporter(timestamp=T1).render_collection(report.collection, ExportContext(report)),
        tmp_path,
    )
    folder = Path(col.media.dir())
    tree, leaf = media_file("figures/tree.png", png(90)), media_file("figures/leaf.svg", SVG)
    chart = media_file("chart.svg", FIGURE)
    assert tree and leaf and chart
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        tree.name: png(90),
        leaf.name: SVG,
        chart.name: FIGURE,
    }
    found = {n.fields["QID"].rsplit("/", 1)[1]: n for n in notes(col).values()}
    assert f'<img src="{tree.name}" alt="a binary tree" />' in found["tree"].fields["Question"]
    assert f'src="{leaf.name}"' in found["tree"].fields["Choices"]
    assert f'src="{tree.name}"' in found["tree"].fields["Explanation"]
    assert 'src="https://example.org/x.png"' in found["tree"].fields["Explanation"]
    front = found["chart"].fields["Question"]
    assert front.index("What does the program print?") < front.index(f'src="{chart.name}"')
    assert chart.name in found["chart"].questions[0]
    for name, stamp in (("again.apkg", T1), ("newer.apkg", T2)):
        data = AnkiExporter(timestamp=stamp).render_collection(
            report.collection, ExportContext(report)
        )
        log = import_package(col, data, tmp_path, name)
        assert len(log.new) == 0
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [tree.name, leaf.name, chart.name]
        )
    assert len(notes(col)) == 2
    col.close()


def test_apkg_media_map_is_numbered_and_deterministic(bank: Path) -> None:
    """The zip holds `media` {"0": name, ...} in name order and members 0, 1, ... with bytes."""
    import zipfile
    from io import BytesIO

    report = report_of(bank)
    data = AnkiExporter(timestamp=T1).render_collection(report.collection, ExportContext(report))
    assert data == AnkiExporter(timestamp=T1).render_collection(
        report.collection, ExportContext(report)
    )
    with zipfile.ZipFile(BytesIO(data)) as archive:
        mapping = json.loads(archive.read("media"))
        assert list(mapping) == ["0", "1", "2"] and list(mapping.values()) == sorted(
            mapping.values()
        )
        members = {mapping[k]: archive.read(k) for k in mapping}
    assert members[next(n for n in members if n.startswith("tree-"))] == png(90)


def test_anki_text_warns_that_it_cannot_carry_files(bank: Path) -> None:
    """The TSV references the bare names and says, per question, which files it did not carry."""
    from qbank.exporters.anki.text import AnkiTextExporter

    report = report_of(bank)
    context = ExportContext(report)
    text = AnkiTextExporter().render_collection(report.collection, context)
    tree = media_file("figures/tree.png", png(90))
    assert tree is not None and f'src=""{tree.name}""' in text
    media = [w for w in context.warnings if w.code == "lossy-media"]
    assert [w.question for w in media] == ["tree", "chart"] and tree.name in media[0].message


# --- Markdown and the files beside it ----------------------------------------------------------


def test_markdown_copies_images_into_media_with_links_that_resolve(
    bank: Path, tmp_path: Path
) -> None:
    """Every image link of the page and of the answer key opens the copy, with the bytes of
    the original; the figure follows the prompt; URLs are left as written."""
    out = tmp_path / "out"
    export(bank, "markdown", out, validation=Options(execute=False))  # no figure without a run
    report = report_of(bank)
    planned = _planned(MarkdownExporter(), report, out)
    page = out / "banks" / "pics.md"
    # The prompt, the option and the figure; the answer key adds the explanation's image.
    for name, count in ((page, 3), (page.with_name("pics.key.md"), 4)):
        text = planned[name].decode()
        links = [link for link in _links(text) if not link.startswith("https:")]
        assert len(links) == count, text
        for link in links:
            assert (name.parent / unquote(link)) in planned
    assert "https://example.org/x.png" in planned[page.with_name("pics.key.md")].decode()
    images = {p.name: d for p, d in planned.items() if p.parent.name == "media"}
    assert sorted(images.values(), key=len) == sorted([SVG, FIGURE, png(90)], key=len)
    text = planned[page].decode()
    assert text.index("What does the program print?") < text.index("(media/chart-")
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(
        ["banks/pics.md", "banks/pics.key.md"]
        + [f"banks/media/{n}" for n in images if "chart" not in n]
    )


def test_two_banks_sharing_an_image_write_it_once(tmp_path: Path) -> None:
    """Two banks in one folder that show the same image share one copy (names are unique by
    content); the same file name with other bytes gets another name."""
    first = write(tmp_path / "p", name="one")
    write(tmp_path / "p", name="two", files={"figures/tree.png": png(90), "figures/leaf.svg": SVG})
    (tmp_path / "p" / "banks" / "other").mkdir()
    third = write(
        tmp_path / "p",
        bank=BANK.replace("figures/", "other/figures/"),
        name="three",
        files={"other/figures/tree.png": png(200), "other/figures/leaf.svg": SVG},
    )
    report = report_of(first.parent)
    planned = _planned(MarkdownExporter(), report, tmp_path / "out")
    media = sorted(p.name for p in planned if p.parent.name == "media")
    trees = [n for n in media if n.startswith("tree-")]
    assert len(trees) == 2 and len([n for n in media if n.startswith("leaf-")]) == 1
    assert third.exists()


class _Clashing(MarkdownExporter):
    """A plugin whose extra file lands where a bank's page goes (or under it)."""

    name = "clashing"

    def __init__(self, asset: str) -> None:
        super().__init__()
        self.asset = asset

    def render_bank_assets(self, loaded: Any, context: ExportContext) -> dict[str, bytes]:
        return {self.asset: loaded.id.encode()}


@pytest.mark.parametrize(
    ("asset", "said"),
    [
        ("pics.md", "own file"),  # the very path of the page
        ("pics.md/x.png", "needs a folder there"),  # below the page, as if it were a folder
        ("../escape.png", "unsafe file path"),
        ("/abs.png", "unsafe file path"),
        ("PICS.md", "ignores case"),
    ],
)
def test_an_extra_file_that_clashes_refuses_the_export(
    bank: Path, tmp_path: Path, asset: str, said: str
) -> None:
    """An extra file is checked like the bank's own files: nothing is written."""
    report = report_of(bank)
    with pytest.raises(ExportError, match=re.escape(said)):
        _planned(_Clashing(asset), report, tmp_path / "out")


def test_two_banks_giving_one_path_other_bytes_refuse_the_export(tmp_path: Path) -> None:
    """Shared extra files must be the same bytes: else the error names both banks."""
    write(tmp_path / "p", name="one")
    write(tmp_path / "p", name="two")
    report = report_of(tmp_path / "p" / "banks")
    with pytest.raises(ExportError, match=r"banks 'banks/one' and 'banks/two' would both write"):
        _planned(_Clashing("media/same.png"), report, tmp_path / "out")


def test_a_failed_export_writes_no_image(bank: Path, tmp_path: Path) -> None:
    """The images are part of the all-or-nothing write: a folder in the way of one changes
    nothing (no page, no other image)."""
    report = report_of(bank)
    planned = _planned(MarkdownExporter(), report, tmp_path / "out")
    blocked = next(p for p in planned if p.name.startswith("tree-"))
    blocked.mkdir(parents=True)
    with pytest.raises(ExportError):
        export(bank, "markdown", tmp_path / "out", validation=Options(execute=False))
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


# --- JSON ------------------------------------------------------------------------------------


def test_json_records_media_beside_a_bank_that_still_loads_back(bank: Path, tmp_path: Path) -> None:
    """`<bank>.json` is the bank unchanged (loads back equal, references as written);
    `<bank>.media.json` records each question's images; the copies are in `media/`."""
    report = report_of(bank)
    out = tmp_path / "out"
    planned = _planned(JsonExporter(), report, out)
    root, issue = compose(planned[out / "banks" / "pics.json"].decode())
    assert issue is None and root is not None
    loaded_back = Bank.model_validate(to_python(root))
    assert loaded_back.model_copy(update={"id": None}) == report.collection.banks[0].bank
    record = json.loads(planned[out / "banks" / "pics.media.json"])
    assert record["bank"] == "banks/pics" and record["schema_version"] == 1
    tree = media_file("figures/tree.png", png(90))
    assert tree is not None
    assert record["questions"]["tree"][0] == {
        "source": "figures/tree.png",
        "name": tree.name,
        "file": f"media/{tree.name}",
        "sha256": tree.sha256,
        "mime": "image/png",
        "figure": False,
    }
    assert [m["source"] for m in record["questions"]["tree"]] == [
        "figures/tree.png",
        "figures/leaf.svg",
    ]
    (chart,) = record["questions"]["chart"]
    assert chart["figure"] is True and chart["source"] == "chart.svg"
    for entries in record["questions"].values():
        for entry in entries:
            assert planned[out / "banks" / entry["file"]]


def test_json_of_a_bank_without_media_is_one_file(tmp_path: Path) -> None:
    """No record and no folder when no question shows an image."""
    path = write(
        tmp_path / "p",
        bank="questions:\n  - {id: a, type: true_false, prompt: Yes?, answer: true}\n",
        files={},
    )
    planned = _planned(JsonExporter(), report_of(path), tmp_path / "out")
    assert [p.name for p in planned] == ["pics.json"]


# --- GIFT ------------------------------------------------------------------------------------


def test_gift_shows_alt_text_and_warns_once_per_question(bank: Path) -> None:
    """No `<img>` of a file survives in GIFT: each reads as its alt text; URLs stay images;
    one `lossy-media` warning per question names its images (and the figure)."""
    report = report_of(bank)
    context = ExportContext(report)
    text = GiftExporter().render_collection(report.collection, context)
    assert "[image\\: a binary tree]" in text and "Four [image\\: the leaf]" in text
    assert "figures/" not in text and ".svg" not in text and text.count("<img") == 1
    assert 'src\\="https\\://example.org/x.png"' in text
    media = [w for w in context.warnings if w.code == "lossy-media"]
    assert [w.question for w in media] == ["tree", "chart"]
    assert "figures/tree.png, figures/leaf.svg" in media[0].message
    assert "the figure chart.svg is left out" in media[1].message


# --- Odd file names, in every format ---------------------------------------------------------

ODD_NAMES = [
    ("my tree.png", "<my tree.png>"),
    ("arbre-ü.png", "arbre-ü.png"),
    ("a&b.png", "a&b.png"),
    ("c#1.png", "c#1.png"),
    ("50%.png", "50%25.png"),
    ("Q&A #2 (v1).png", "<Q&A #2 (v1).png>"),
]


@pytest.mark.parametrize(("name", "written"), ODD_NAMES)
def test_odd_file_names_survive_every_format(tmp_path: Path, name: str, written: str) -> None:
    """A file name with spaces, non-ASCII letters, `&`, `#`, `%` or parentheses reaches each
    format: Anki's media folder has the bytes and the field names the file, the Markdown link
    opens the copy, JSON records the name as written, GIFT keeps the alt text."""
    bank = f"questions:\n  - id: q\n    type: true_false\n    prompt: 'See ![the picture]({written}).'\n    answer: true\n"
    path = write(tmp_path / "p", bank=bank, files={name: png(30)})
    report = report_of(path)
    item = media_file(name, png(30))
    assert item is not None and re.fullmatch(r"[a-z0-9_-]+-[0-9a-f]{12}\.png", item.name)
    col = new_collection(tmp_path)
    import_package(
        col,
        AnkiExporter(timestamp=T1).render_collection(report.collection, ExportContext(report)),
        tmp_path,
    )
    assert (Path(col.media.dir()) / item.name).read_bytes() == png(30)
    (note,) = notes(col).values()
    assert f'src="{item.name}"' in note.fields["Question"]
    col.close()
    planned = _planned(MarkdownExporter(), report, tmp_path / "md")
    page = planned[tmp_path / "md" / "banks" / "pics.md"].decode()
    (link,) = _links(page)
    assert planned[tmp_path / "md" / "banks" / link] == png(30)
    planned = _planned(JsonExporter(), report, tmp_path / "json")
    record = json.loads(planned[tmp_path / "json" / "banks" / "pics.media.json"])
    assert record["questions"]["q"][0]["source"] == name
    context = ExportContext(report)
    gift = GiftExporter().render_collection(report.collection, context)
    assert "See [image\\: the picture]." in gift
    assert [w.code for w in context.warnings] == ["lossy-media"] and name in context.warnings[
        0
    ].message


# --- The demo bank ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """banks/python/figures.yaml, proven by running it (the figure is the run's)."""
    cache = tmp_path_factory.mktemp("cache")
    report = validate([str(BANKS / "python" / "figures.yaml")], Options(cache_dir=str(cache)))
    assert report.ok, [p.format() for p in report.problems]
    return report


def test_demo_bank_draws_its_figure_and_exports_it(figures_report: Report, golden: Any) -> None:
    """The demo bank's run writes the chart; the Markdown pages show it and the diagrams, and
    match their golden files."""
    loaded = figures_report.collection.banks[0]
    result = figures_report.result(loaded.id, "rounding-chart")
    assert result is not None and result.figure is not None and result.figure.startswith(b"<svg")
    assert result.figure.count(b"<rect") == 5
    context = ExportContext(figures_report)
    files = MarkdownExporter().render_bank_files(loaded, context)
    assets = MarkdownExporter().render_bank_assets(loaded, context)
    assert len(assets) == 3 and any(a.startswith("media/chart-") for a in assets)
    golden("figures.md", files[""])
    golden("figures.key.md", files[".key"])
    golden("figures.media.json", JsonExporter().render_bank_files(loaded, context)[".media"])


_NAME_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="<>\\"
)


@given(
    st.text(_NAME_CHARS, min_size=1, max_size=20).filter(
        lambda s: s.strip() == s and not re.search(r"&[#A-Za-z0-9]+;", s)
    )
)
def test_any_file_name_in_angle_brackets_is_found_rewritten_and_named_safely(stem: str) -> None:
    """Whatever the file name, the reference found in the Markdown, the `<img src>` that
    markdown-it renders from it and the Markdown rewrite all name the same file, and the
    exported name is safe everywhere."""
    from qbank.exporters.media import rewrite_images, rewrite_markdown
    from qbank.exporters.rich import markdown_html
    from qbank.model.media import image_refs

    name = stem + ".png"
    text = f"See ![alt]({'<' + name + '>'}) here."
    (ref,) = image_refs(text)
    assert ref.target == name
    item = media_file(name, png(1))
    assert item is not None and re.fullmatch(r"[a-z0-9_-]+-[0-9a-f]{12}\.png", item.name)
    files = {name: item}
    assert f'src="{item.name}"' in rewrite_images(markdown_html(text), files, lambda f: f.name)
    assert (
        rewrite_markdown(text, files, lambda f: f"media/{f.name}")
        == f"See ![alt](media/{item.name}) here."
    )
