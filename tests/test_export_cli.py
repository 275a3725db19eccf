"""`qbank export` and `qbank formats`: where files go (-o a folder or a file), exit codes,
refusing invalid banks, --strict, --tags, --format all, and the library function behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qbank import load
from qbank.cli import main
from qbank.errors import ExportError
from qbank.exporting import ExportRefused, export
from qbank.options import Options

ROOT = Path(__file__).resolve().parents[1]
TRAPS = ROOT / "tests" / "cases" / "traps.yaml"
INVALID = ROOT / "tests" / "malformed" / "correct-count.yaml"
SECOND = "id: second\ntags: [extra]\nquestions:\n  - {id: q, type: essay, prompt: Why?}\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def two_banks(tmp_path: Path) -> Path:
    """A project with the traps bank and a second, tiny one."""
    (tmp_path / "qbank.toml").write_text("")
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "traps.yaml").write_text(TRAPS.read_text(encoding="utf-8"), encoding="utf-8")
    (banks / "second.yaml").write_text(SECOND)
    return banks


def test_folder_gets_one_file_per_bank(two_banks: Path, tmp_path: Path) -> None:
    """-o a folder: `<out>/<bank-id>.<ext>`, bank-id slashes as folders; exit 0."""
    out = tmp_path / "out"
    result = run("export", two_banks, "-f", "gift", "-o", out, "--no-exec")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "second.gift", "traps", "traps/everything.gift"]  # fmt: skip
    assert "warning: dict-literal: GIFT cannot carry hints" in result.output
    assert "[lossy-hint]" in result.output


def test_file_with_the_extension_gets_the_collection(two_banks: Path, tmp_path: Path) -> None:
    """-o x.gift: one file with every bank (GIFT holds a collection)."""
    out = tmp_path / "all.gift"
    assert run("export", two_banks, "-f", "gift", "-o", out, "--no-exec").exit_code == 0
    text = out.read_text()
    assert text.count("$CATEGORY:") == 2 and "::second/q::" in text


def test_per_bank_format_refuses_one_file_for_two_banks(two_banks: Path, tmp_path: Path) -> None:
    """-o x.md with two banks: Markdown is one file per bank, so exit 1 and nothing written."""
    out = tmp_path / "all.md"
    result = run("export", two_banks, "-f", "markdown", "-o", out, "--no-exec")
    assert result.exit_code == 1 and "give -o a folder" in result.output
    assert not out.exists()
    single = run("export", two_banks / "second.yaml", "-f", "markdown", "-o", out, "--no-exec")
    assert single.exit_code == 0 and out.exists() and (tmp_path / "all.key.md").exists()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    """A typo'd format exits 2 and suggests the right name."""
    result = run("export", TRAPS, "-f", "markdwn", "-o", tmp_path, "--no-exec")
    assert result.exit_code == 2 and "did you mean `markdown`" in result.output


def test_invalid_bank_refused_unless_allowed(tmp_path: Path) -> None:
    """A bank failing validation is refused (exit 1, its problems listed), unless
    --allow-invalid."""
    refused = run("export", INVALID, "-f", "json", "-o", tmp_path / "a", "--no-exec")
    assert refused.exit_code == 1 and "[correct-count]" in refused.output
    assert not (tmp_path / "a").exists()
    allowed = run(
        "export", INVALID, "-f", "json", "-o", tmp_path / "b", "--no-exec", "--allow-invalid"
    )
    assert allowed.exit_code == 0 and list((tmp_path / "b").rglob("*.json"))


def test_strict_makes_warnings_fatal_and_writes_nothing(tmp_path: Path) -> None:
    """--strict: a lossy conversion fails the export and leaves an older file untouched."""
    out = tmp_path / "traps.gift"
    out.write_text("previous")
    result = run("export", TRAPS, "-f", "gift", "-o", out, "--no-exec", "--strict")
    assert result.exit_code == 1 and "[lossy-hint]" in result.output
    assert out.read_text() == "previous"


def test_tags_filter_questions(two_banks: Path, tmp_path: Path) -> None:
    """--tags keeps questions carrying one of the tags (bank tags count); empty banks go."""
    out = tmp_path / "out"
    assert (
        run(
            "export", two_banks, "-f", "json", "-o", out, "--tags", "extra,none", "--no-exec"
        ).exit_code
        == 0
    )
    assert [p.name for p in out.rglob("*.json")] == ["second.json"]


def test_format_all_uses_subfolders(two_banks: Path, tmp_path: Path) -> None:
    """-f all: every registered format into its own subfolder of -o."""
    out = tmp_path / "out"
    result = run("export", two_banks, "-f", "all", "-o", out, "--no-exec")
    assert result.exit_code == 0, result.output
    assert {"gift", "markdown", "json"} <= {p.name for p in out.iterdir()}
    assert (out / "json" / "second.json").exists()


def test_export_is_reproducible(tmp_path: Path) -> None:
    """Exporting twice gives the same bytes."""
    for name in ("a", "b"):
        assert (
            run("export", TRAPS, "-f", "markdown", "-o", tmp_path / name, "--no-exec").exit_code
            == 0
        )
    for first in (tmp_path / "a").rglob("*.md"):
        assert (
            first.read_bytes() == (tmp_path / "b" / first.relative_to(tmp_path / "a")).read_bytes()
        )


def test_formats_lists_name_extension_and_files() -> None:
    """`qbank formats` shows each format's extension, file layout and description."""
    result = run("formats")
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert ".gift" in lines["gift"] and "collection" in lines["gift"]
    assert ".json" in lines["json"] and "per bank" in lines["json"]


def test_library_export_of_a_collection(tmp_path: Path) -> None:
    """`qbank.exporting.export` takes a loaded collection too, and reports its warnings."""
    result = export(load(TRAPS), "gift", tmp_path / "t.gift", validation=Options(execute=False))
    assert result.files == [tmp_path / "t.gift"]
    assert any(w.code == "lossy-hint" for w in result.warnings)
    with pytest.raises(ExportRefused) as refused:
        export(
            load(TRAPS), "gift", tmp_path / "u.gift", strict=True, validation=Options(execute=False)
        )
    assert refused.value.problems and not (tmp_path / "u.gift").exists()
    assert isinstance(refused.value, ExportError)


def test_colliding_output_paths_are_refused(tmp_path: Path) -> None:
    """Banks `a` and `a.key` would both write `a.key.md` (the key of `a`, the page of `a.key`):
    an error naming both banks, and nothing written."""
    (tmp_path / "qbank.toml").write_text("")
    banks = tmp_path / "banks"
    banks.mkdir()
    for name in ("a", "a.key"):
        (banks / f"{name}.yaml").write_text(
            f"id: {name}\nquestions:\n  - {{id: q, type: essay, prompt: Why?}}\n"
        )
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="would both be written") as error:
        export(banks, "markdown", out, validation=Options(execute=False))
    assert "'a'" in str(error.value) and "'a.key'" in str(error.value)
    assert not out.exists()
    result = run("export", banks, "-f", "markdown", "-o", out, "--no-exec")
    assert result.exit_code == 1 and "a.key.md" in result.output and not out.exists()
    assert run("export", banks, "-f", "gift", "-o", out, "--no-exec").exit_code == 0
