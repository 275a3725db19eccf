"""`qbank import` on the command line, and the importer registry behind it."""

from __future__ import annotations

import json
import zipfile
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.errors import ImporterNotFound, QbankError
from qbank.importers import registry

LEGACY = {
    "id": "legacy/python",
    "title": "Legacy",
    "questions": [
        {
            "id": "sum",
            "type": "multiple_choice",
            "prompt": "What does this code print?\n\n```python\nprint(1 + 1)\n```",
            "choices": [{"text": "3", "correct": True}, "2", "11"],
        },
        {"id": "essay", "type": "essay", "prompt": "Explain."},
    ],
}


def _legacy(tmp_path: Path) -> Path:
    source = tmp_path / "legacy.json"
    source.write_text(json.dumps(LEGACY, indent=1), encoding="utf-8")
    return source


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_validate_is_an_audit(tmp_path: Path) -> None:
    """Warnings compiler style on stdout, the summary on stderr, exit 0; then `qbank
    validate` refutes the legacy key."""
    out = tmp_path / "out"
    status, stdout, stderr = _run("import", str(_legacy(tmp_path)), "-o", str(out), "--infer")
    assert status == 0, stderr
    assert stdout == (
        f"{tmp_path / 'legacy.json'}:5: warning: sum: became an output question: "
        "validate to check its key [import-inferred]\n"
    )
    assert stderr.strip() == f"1 bank(s), 2 question(s) written to {out}; 1 warning(s)"
    status, stdout, _ = _run("validate", str(out), "--no-cache")
    assert status == 1 and "[answer-mismatch]" in stdout and "[distractor-holds]" in stdout


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    status, _, _ = _run(
        "import", str(_legacy(tmp_path)), "-o", str(tmp_path / "o"), "--infer", "--strict"
    )
    assert status == 1
    status, _, _ = _run("import", str(_legacy(tmp_path)), "-o", str(tmp_path / "p"), "--strict")
    assert status == 0


def test_existing_files_refused_then_forced(tmp_path: Path) -> None:
    source, out = _legacy(tmp_path), tmp_path / "out"
    assert _run("import", str(source), "-o", str(out))[0] == 0
    status, _, stderr = _run("import", str(source), "-o", str(out))
    assert status == 1 and "already exist" in stderr and "--force" in stderr
    assert _run("import", str(source), "-o", str(out), "--force")[0] == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """An unknown --from says "did you mean"; a file of no known format names the formats."""
    status, _, stderr = _run("import", str(_legacy(tmp_path)), "--from", "jsn", "-o", str(tmp_path))
    assert status == 2 and "did you mean `json`" in stderr
    odd = tmp_path / "notes.odd"
    odd.write_text("hello", encoding="utf-8")
    status, _, stderr = _run("import", str(odd), "-o", str(tmp_path / "out"))
    assert status == 2 and "cannot tell the format of" in stderr and "json" in stderr
    assert _run("import", "-o", str(tmp_path))[0] == 2  # no source


def test_a_missing_source_is_one_line(tmp_path: Path) -> None:
    status, _, stderr = _run("import", str(tmp_path / "nope.gift"), "-o", str(tmp_path / "o"))
    assert status == 1 and stderr.startswith("qbank: error:") and "no such file" in stderr


def test_help_lists_import() -> None:
    status, stdout, _ = _run("--help")
    assert status == 0 and "import" in stdout


# --- the registry ------------------------------------------------------------------------------


def test_names_are_the_entry_points() -> None:
    assert {"gift", "json", "moodle"} <= set(registry.names())


def test_a_broken_importer_breaks_only_its_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    points = registry._entry_points()
    broken = EntryPoint("broken", "qbank.importers.no_such_module:Nothing", registry.GROUP)
    monkeypatch.setattr(registry, "_entry_points", lambda: {**points, "broken": broken})
    with pytest.raises(QbankError, match=r"`broken`.*could not be loaded"):
        registry.get("broken")
    assert registry.get("json").name == "json"
    source = _legacy(tmp_path)
    assert registry.guess(source) == "json"


def test_xml_and_zip_are_told_by_content(tmp_path: Path) -> None:
    moodle = tmp_path / "export.xml"
    moodle.write_text('<?xml version="1.0"?>\n<quiz>\n</quiz>\n', encoding="utf-8")
    assert registry.guess(moodle) == "moodle"
    qti = tmp_path / "canvas.xml"
    qti.write_text(
        '<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2"/>', encoding="utf-8"
    )
    package = tmp_path / "canvas.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
    assert registry.content_format(qti, qti.read_bytes()) == "qti"
    assert registry.content_format(package, b"PK") == "qti"
    if "qti" not in registry.names():
        with pytest.raises(ImporterNotFound, match=r"canvas.zip looks like `qti`.*known: "):
            registry.guess(package)
    other = tmp_path / "other.xml"
    other.write_text("<html/>", encoding="utf-8")
    with pytest.raises(ImporterNotFound, match=r"other\.xml"):
        registry.guess(other)


def test_a_folder_imports_every_bank_in_it_and_names_the_rest(tmp_path: Path) -> None:
    """A folder source is every file under it whose format is told: the shipped banks'
    JSON export (with its images and media records) comes back whole; the other files are
    one import-skipped warning, not an error; a PNG holding braces is no GIFT."""
    out = tmp_path / "json"
    runner = CliRunner()
    exported = runner.invoke(
        main, ["export", "banks/python/figures.yaml", "-f", "json", "-o", str(out), "--no-exec"]
    )
    assert exported.exit_code == 0, exported.output
    (out / "notes.txt").write_text("not a bank\n")
    (out / "braces.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0{x}\n")
    result = runner.invoke(main, ["import", str(out), "-o", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    assert "1 bank(s), 3 question(s) written" in result.output
    # the media record, two images (no figure without a run), the notes and the PNG: a
    # PNG read as GIFT would have stopped the import ("not a GIFT file")
    assert "5 file(s) in the folder are no bank" in result.output
    assert "[import-skipped]" in result.output
    assert list((tmp_path / "back").rglob("tree.png"))  # the images came with their bank
