"""Export files that cannot all be written (issue 9, defect 8): collisions of any kind are found
before anything is written, and a write that fails says truly what it replaced, leaving no
temp file and no folder it made."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import qbank
from qbank import fileio
from qbank.errors import ExportError
from qbank.fileio import collision, write_all_atomic
from qbank.options import Options

NO_EXEC = Options(execute=False, cache=False)


def _project(tmp_path: Path, *ids: str) -> Path:
    (tmp_path / "qbank.toml").touch()
    banks = tmp_path / "banks"
    banks.mkdir()
    for n, bank_id in enumerate(ids):
        (banks / f"b{n}.yaml").write_text(
            f"id: {bank_id}\nquestions:\n  - {{id: q, type: essay, prompt: Why?}}\n"
        )
    return banks


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (temp files included) with its text, folders as ``/``."""
    return {
        p.relative_to(folder).as_posix(): p.read_text() if p.is_file() else "/"
        for p in sorted(folder.rglob("*"))
    }


def test_a_file_another_bank_needs_as_a_folder_is_refused_before_writing(tmp_path: Path) -> None:
    """`x.md` (bank x's page) and `x.md/y.md` (bank x.md/y's): an error naming both banks, and
    the old export untouched: no file replaced, no temp file, no folder made."""
    banks = _project(tmp_path, "x", "x.md/y")
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.md").write_text("OLD")
    with pytest.raises(ExportError) as error:
        qbank.export(banks, "markdown", out, validation=NO_EXEC)
    said = str(error.value)
    assert (
        "bank 'x' would be written to the file" in said and "bank 'x.md/y' needs a folder" in said
    )
    assert said.endswith("rename one of them (nothing was written)")
    assert _tree(out) == {"x.md": "OLD"}


def test_the_folder_first_order_is_refused_too(tmp_path: Path) -> None:
    banks = _project(tmp_path, "a.md/b", "a")
    with pytest.raises(ExportError, match="needs a folder"):
        qbank.export(banks, "markdown", tmp_path / "out", validation=NO_EXEC)
    assert not (tmp_path / "out").exists()


def test_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    """`Intro.md` and `intro.md` are one file on macOS and Windows: refused everywhere, so an
    export is the same on every system."""
    banks = _project(tmp_path, "Intro", "intro")
    with pytest.raises(ExportError, match="ignores case") as error:
        qbank.export(banks, "markdown", tmp_path / "out", validation=NO_EXEC)
    assert "'Intro'" in str(error.value) and "'intro'" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_collision_finds_every_kind(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "a.md" / "b.md"
    assert collision([a, tmp_path / "c.md", b]) == fileio.Collision(a, b, True, False)
    assert collision([b, a]) == fileio.Collision(a, b, True, False)
    assert collision([a, a]) == fileio.Collision(a, a, False, False)
    upper = tmp_path / "A.MD"
    assert collision([a, upper]) == fileio.Collision(a, upper, False, True)
    assert collision([upper, b]) == fileio.Collision(upper, b, True, True)
    assert collision([a, tmp_path / "a.mdx", tmp_path / "sub" / "a.md"]) is None


def _failing_on(call: int, real: Callable[..., None]) -> Callable[..., None]:
    calls = {"n": 0}

    def replace(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == call:
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    return replace


def test_a_rename_failing_midway_says_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks = _project(tmp_path, "a", "new/b")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").write_text("OLD a")
    (out / "a.key.md").write_text("OLD key")
    monkeypatch.setattr(fileio.os, "replace", _failing_on(2, os.replace))
    with pytest.raises(ExportError) as error:
        qbank.export(banks, "markdown", out, validation=NO_EXEC)
    said = str(error.value)
    assert "nothing was replaced" not in said
    assert f"1 file(s) were replaced ({out / 'a.md'})" in said
    assert f"3 were not ({out / 'a.key.md'}, {out / 'new' / 'b.md'}" in said
    tree = _tree(out)
    assert tree["a.key.md"] == "OLD key" and tree["a.md"] != "OLD a"
    assert set(tree) == {"a.md", "a.key.md"}  # no temp file, no empty folder `new/`


def test_a_first_rename_failing_replaces_nothing_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    banks = _project(tmp_path, "a", "new/b")
    out = tmp_path / "out"
    monkeypatch.setattr(fileio.os, "replace", _failing_on(1, os.replace))
    with pytest.raises(ExportError, match="cannot write the export, nothing was replaced"):
        qbank.export(banks, "markdown", out, validation=NO_EXEC)
    assert not out.exists()


def test_a_staging_failure_removes_the_folders_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fileio._stage
    staged: list[Path] = []

    def stage(target: Path, data: bytes) -> Path:
        if staged:
            raise OSError(28, "No space left on device")
        staged.append(target)
        return real(target, data)

    monkeypatch.setattr(fileio, "_stage", stage)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space"):
        write_all_atomic([(out / "deep" / "one.md", b"1"), (out / "other" / "two.md", b"2")])
    assert not out.exists()


def test_a_file_where_a_folder_must_go_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("OLD")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        write_all_atomic([(tmp_path / "new" / "a.md", b"a"), (tmp_path / "x.md" / "y.md", b"y")])
    assert _tree(tmp_path) == {"x.md": "OLD"}
