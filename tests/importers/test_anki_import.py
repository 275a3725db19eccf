"""The Anki importer: genanki packages made the way other tools make them, qbank's own
`.apkg` export read back, malformed packages, and the CLI round to `qbank validate`."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.errors import QbankError
from qbank.importers.anki import AnkiImporter
from qbank.importers.anki.notes import OWN_FIELDS
from qbank.importers.base import ImportResult
from qbank.importers.registry import guess

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
CUSTOM = genanki.Model(
    1_607_392_000,
    "Vocabulary",
    fields=[{"name": "Word"}, {"name": "Meaning"}, {"name": "Example"}],
    templates=[{"name": "Card 1", "qfmt": "{{Word}}", "afmt": "{{Meaning}}"}],
)


def _deck(tmp_path: Path) -> Path:
    python = genanki.Deck(2_059_400_110, "Python::Loops")
    other = genanki.Deck(2_059_400_111, "Misc")
    add = python.add_note
    add(
        genanki.Note(
            genanki.BASIC_MODEL, ["What keyword leaves a loop?", "break"], tags=["loops"], guid="g1"
        )
    )
    add(
        genanki.Note(
            genanki.BASIC_MODEL,
            ["What does this print?<pre>for i in range(2):\n    print(i)</pre>", "0<br>1"],
            tags=["python::loops", "draft::"],
            guid="g2",
        )
    )
    add(
        genanki.Note(
            genanki.BASIC_TYPE_IN_THE_ANSWER_MODEL,
            ["Why use <b>enumerate</b>?", "It gives the index and the item together."],
            guid="g3",
        )
    )
    add(genanki.Note(genanki.CLOZE_MODEL, ["A {{c1::list::mutable}} can change.", ""], guid="g4"))
    add(
        genanki.Note(
            genanki.CLOZE_MODEL, ["{{c1::for}} and {{c2::while}} loop.", "Extra"], guid="g5"
        )
    )
    other.add_note(
        genanki.Note(
            genanki.BASIC_MODEL, ['A tree: <img src="tree.png">[sound:say.mp3]', "oak"], guid="g6"
        )
    )
    other.add_note(
        genanki.Note(CUSTOM, ["idempotent", "same result twice", "abs(abs(x))"], guid="g7")
    )
    (tmp_path / "tree.png").write_bytes(PNG)
    package = genanki.Package([python, other])
    package.media_files = [str(tmp_path / "tree.png")]
    out = tmp_path / "deck.apkg"
    package.write_to_file(str(out), timestamp=1_700_000_000)
    return out


def _read(path: Path) -> ImportResult:
    return AnkiImporter().read(path)


def test_genanki_package_maps_every_note_type(tmp_path: Path) -> None:
    path = _deck(tmp_path)
    assert guess(path) == "anki" and AnkiImporter.sniff(path, path.read_bytes()[:4096])
    result = _read(path)
    banks = {bank.category: bank for bank in result.banks}
    assert set(banks) == {("Python", "Loops"), ("Misc",)}
    loops = [q.data for q in banks["Python", "Loops"].questions]
    assert loops[0] == {
        "type": "short_answer",
        "prompt": "What keyword leaves a loop?",
        "answers": ["break"],
        "tags": ["loops"],
    }
    assert loops[1]["type"] == "essay" and loops[1]["prompt"] == "What does this print?"
    assert loops[1]["code"] == "for i in range(2):\n    print(i)\n"
    assert loops[1]["explanation"] == "0  \n1" or loops[1]["explanation"].split() == ["0", "1"]
    assert loops[1]["tags"] == ["python::loops", "draft"]
    assert loops[2] == {
        "type": "essay",
        "prompt": "Why use **enumerate**?",
        "explanation": "It gives the index and the item together.",
    }
    assert loops[3] == {
        "type": "short_answer",
        "prompt": "A ____ can change.",
        "answers": ["list"],
        "hint": "mutable",
    }
    assert loops[4] == {
        "type": "essay",
        "prompt": "{{c1::for}} and {{c2::while}} loop.",
        "explanation": "Extra",
    }
    questions = banks["Python", "Loops"].questions
    assert [q.idnumber for q in questions] == ["g1", "g2", "g3", "g4", "g5"]
    assert [q.line for q in questions] == [1, 2, 3, 4, 5]
    assert questions[0].comments[0].startswith("from deck.apkg: note ")
    misc = banks["Misc",]
    assert misc.questions[0].data["prompt"] == "A tree: ![](media/tree.png)"
    assert misc.media == {"media/tree.png": PNG}
    assert misc.questions[1].data == {
        "type": "essay",
        "prompt": "idempotent",
        "explanation": "same result twice\n\nabs(abs(x))",
    }
    found = sorted((i.kind, i.line) for i in result.issues)
    assert found == [("cloze", 5), ("lost", 1), ("lost", 2), ("unknown-type", 2)]
    assert "[sound:say.mp3]" in " ".join(i.message for i in result.issues if i.kind == "lost")


def _own_export(tmp_path: Path) -> Path:
    from qbank.exporters.anki.apkg import AnkiExporter
    from qbank.exporters.base import ExportContext
    from qbank.options import Options
    from qbank.validation import validate

    report = validate(["banks"], Options(execute=False))
    data = AnkiExporter(timestamp=1_700_000_000).render_collection(
        report.collection, ExportContext(report)
    )
    out = tmp_path / "own.apkg"
    out.write_bytes(data)
    return out


def test_own_export_comes_back(tmp_path: Path) -> None:
    from qbank.exporters.anki.notetype import FIELDS
    from qbank.loading import load_paths

    assert OWN_FIELDS == FIELDS
    result = _read(_own_export(tmp_path))
    loaded, _ = load_paths(["banks"])
    originals = {(b.id, q.id): q for b in loaded.banks for q in b.bank.questions}
    imported = {(b.data["id"], q.data["id"]): q.data for b in result.banks for q in b.questions}
    assert set(imported) == set(originals)
    for key, question in originals.items():
        got = imported[key]
        assert (got.get("code") or "").rstrip("\n") == (question.code or "").rstrip("\n"), key
        assert got.get("title") == question.title, key
        assert bool(got.get("hint")) == bool(question.hint), key
        assert bool(got.get("explanation")) == bool(question.explanation), key
        if question.type in ("multiple_choice", "multiple_answers", "true_false"):
            assert got["type"] == question.type, key
    assert {b.category for b in result.banks} == {tuple(b.id.split("/")) for b in loaded.banks}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "said"),
    [
        (None, "not a valid zip"),
        ({"readme.txt": b"x"}, "holds no collection"),
        ({"collection.anki2": b"SQLite junk" * 50}, "cannot be read"),
        ({"collection.anki2": b"", "../evil": b"x"}, "points outside"),
        ({"collection.anki21b": b"\x28\xb5\x2f\xfd", "collection.anki2": b""}, "legacy"),
    ],
)
def test_malformed_packages_are_clear_errors(
    tmp_path: Path, members: dict[str, bytes] | None, said: str
) -> None:
    path = tmp_path / "bad.apkg"
    if members is None:
        path.write_bytes(b"not a zip at all")
    else:
        _zip(path, members)
    with pytest.raises(QbankError, match=said):
        _read(path)


def test_empty_collection_is_an_issue(tmp_path: Path) -> None:
    source = _deck(tmp_path)
    with zipfile.ZipFile(source) as archive:
        data = archive.read("collection.anki2")
    db = tmp_path / "c.sqlite"
    db.write_bytes(data)
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM notes")
    connection.close()
    result = _read(_zip(tmp_path / "empty.apkg", {"collection.anki2": db.read_bytes()}))
    assert [i.kind for i in result.issues] == ["empty"]


def test_cli_import_then_validate(tmp_path: Path) -> None:
    source = _deck(tmp_path)
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(main, ["import", str(source), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / "media" / "tree.png").read_bytes() == PNG
    checked = runner.invoke(main, ["validate", str(out), "--no-exec"])
    assert checked.exit_code == 0, checked.output
    assert " 0 error(s)" in checked.output


def test_an_encrypted_member_is_one_clear_error(tmp_path: Path) -> None:
    """zipfile raises RuntimeError for a password-protected member: one error naming it."""
    path = _zip(tmp_path / "enc.apkg", {"collection.anki2": b"x" * 10})
    data = bytearray(path.read_bytes())
    data[6] |= 1  # the "encrypted" flag bit, in the local header and the central directory
    data[data.find(b"PK\x01\x02") + 8] |= 1
    path.write_bytes(bytes(data))
    with pytest.raises(QbankError, match=r"enc\.apkg: collection\.anki2 is encrypted"):
        _read(path)


def test_a_tag_the_bank_refuses_is_slugged_with_an_issue(tmp_path: Path) -> None:
    """The one rule of :mod:`qbank.importers.tags`: `a<b` -> `a-b`, `::` alone left out."""
    deck = genanki.Deck(2_059_400_120, "Tags")
    deck.add_note(genanki.Note(genanki.BASIC_MODEL, ["Q?", "A"], tags=["a<b", "ok"], guid="t1"))
    path = tmp_path / "tags.apkg"
    genanki.Package(deck).write_to_file(str(path))
    result = _read(path)
    assert result.banks[0].questions[0].data["tags"] == ["a-b", "ok"]
    assert [(i.line, i.code) for i in result.issues] == [(1, "import-lost")]
    assert "'a<b'" in result.issues[0].message and "'a-b'" in result.issues[0].message
