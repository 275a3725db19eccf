"""Two machines, one bank: `qbank export --format all` gives byte-identical files.

"Two machines" here are two copies of the shipped project in different folders (one path
with a space and a non-ASCII letter), each with a cold cache of its own, run by separate
`qbank` processes that differ in everything a machine may differ in that qbank must not
depend on: the hash seed of the qbank process, the time zone, the locale, the number of
workers. The variants' values come from `rng` seeded by bank id, question id and variant
number, never from the folder, the clock or the process; `SOURCE_DATE_EPOCH` is set, as in
any reproducible build, because Anki's note times are otherwise the build time (so that
re-imports update notes; see README).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QBANK = Path(sys.executable).with_name("qbank")


def _machine(folder: Path, *args: str, **env: str) -> dict[str, bytes]:
    """Copy the project to `folder`, export every format there (`args` added to the
    command, `env` to its environment); every file written, by path."""
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "banks", folder / "banks")
    shutil.copytree(ROOT / "exporters", folder / "exporters")
    (folder / "qbank.toml").write_text("")
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1764633600", **env}
    run = subprocess.run(
        [str(QBANK), "export", "banks", "--format", "all", "-o", "out", *args],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = folder / "out"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_two_machines_write_the_same_bytes(tmp_path: Path) -> None:
    first = _machine(tmp_path / "m1", PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C.UTF-8")
    second = _machine(
        tmp_path / "m 2 é" / "deeper",
        "--jobs",
        "1",
        PYTHONHASHSEED="987654",
        TZ="Asia/Kolkata",
        LC_ALL="C",
    )
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # Every format is there, and the variants of the shipped bank are in what was compared.
    formats = {name.split("/", 1)[0] for name in first}
    assert {"anki", "gift", "html", "json", "markdown", "moodle", "qti", "qti21"} <= formats
    record = first["json/banks/python/variants.variants.json"].decode("utf-8")
    assert "slice-tail#6" in record and "pop-returns#5" in record
