"""The cache never crashes qbank and never lies (issue 9, defects 5 and 6).

Defect 5: any error of the database or its folder (at open, read, write, commit, close) is
one `cache-unusable` warning; the validation goes on without the cache and proves the same, a
damaged cache is set aside so the next run rebuilds it, and an entry that does not decode is
a miss. Defect 6: what a run sees and its cache key do not part: the host's `PYTHON*`
variables do not reach the runs, and the code of editable and local installs is in the key.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qbank import cache as cache_module
from qbank.cache import Cache
from qbank.options import Options
from qbank.prove.environment import Probe
from qbank.report import Report
from qbank.runner import RunResult
from qbank.validation import validate

BANK = """\
questions:
  - id: one
    type: output
    prompt: What does it print?
    code: print(6 * 7)
    answer: "42\\n"
  - id: two
    type: true_false
    prompt: Is 2 even?
    answer: true
    check: assert (2 % 2 == 0) == answer
"""


def _bank(tmp_path: Path, text: str = BANK) -> Path:
    (tmp_path / "qbank.toml").touch()
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    return path


def _validate(path: Path, folder: Path, **options: object) -> Report:
    return validate([str(path)], Options(cache_dir=str(folder), **options))  # type: ignore[arg-type]


def _warnings(report: Report) -> list[str]:
    return [p.format() for p in report.problems if p.code == "cache-unusable"]


def _proven(report: Report) -> bool:
    """Proven as a fresh run proves it, and nothing but the cache's warning reported."""
    others = [p.format() for p in report.problems if p.code != "cache-unusable"]
    states = {r.state for r in report.results.values()}
    return report.ok and others == [] and states == {"options proven"}


def _cached(report: Report) -> list[bool]:
    return [r.from_cache for _, r in sorted(report.results.items())]


def _set_aside(folder: Path) -> list[Path]:
    return sorted(folder.parent.glob(f"{folder.name}.damaged-*"))


# --- Defect 5: a damaged cache ------------------------------------------------------------


def test_values_that_are_not_utf8_are_misses(tmp_path: Path) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    _validate(path, folder)
    with sqlite3.connect(folder / "results.sqlite") as db:
        db.execute("UPDATE results SET value = CAST(x'fffe80' AS TEXT)")
        db.execute("UPDATE blobs SET value = CAST(x'fffe80' AS TEXT)")
    again = _validate(path, folder)
    assert _proven(again) and _warnings(again) == []
    assert _cached(again) == [False, False]
    assert _cached(_validate(path, folder)) == [True, True]  # replaced by the rerun


def _damage_pages(database: Path) -> None:
    """Overwrite every page but the first and the last (the schema survives, the tables not)."""
    size = database.stat().st_size
    assert size >= 3 * 4096, size
    with database.open("r+b") as file:
        file.seek(4096)
        file.write(b"\xa5" * (size - 2 * 4096))


def test_damaged_pages_are_set_aside_with_one_warning(tmp_path: Path) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    _validate(path, folder)
    _damage_pages(folder / "results.sqlite")
    report = _validate(path, folder)
    assert _proven(report)
    [warning] = _warnings(report)
    assert "cannot read the cache (database disk image is malformed)" in warning
    [aside] = _set_aside(folder)
    assert f"moved it aside to {aside.name}; this run goes on without it" in warning
    rebuilt = _validate(path, folder)
    assert _proven(rebuilt) and _warnings(rebuilt) == [] and _cached(rebuilt) == [False, False]
    assert _cached(_validate(path, folder)) == [True, True]


def test_an_entry_damaged_into_other_valid_json_is_a_miss_not_a_lie(tmp_path: Path) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    _validate(path, folder)
    database = folder / "results.sqlite"
    data = database.read_bytes()
    said = b'"stdout": "42\\n"'
    assert data.count(said) == 1
    database.write_bytes(data.replace(said, b'"stdout": "43\\n"'))  # still JSON, now wrong
    with contextlib.closing(sqlite3.connect(database)) as db, db:  # not the bank's proof memo
        db.execute("DELETE FROM blobs WHERE key LIKE 'proof:%'")
    report = _validate(path, folder)
    assert _proven(report) and _warnings(report) == []  # run again, not served as 43
    assert _cached(report) == [False, True]


def test_a_file_where_the_cache_folder_belongs_is_set_aside(tmp_path: Path) -> None:
    path, folder = _bank(tmp_path), tmp_path / ".qbank_cache"
    folder.write_text("not a folder")
    report = _validate(path, folder)
    assert _proven(report)
    [warning] = _warnings(report)
    assert "cannot open the cache (it is not a folder): moved it aside to" in warning
    [aside] = _set_aside(folder)
    assert aside.read_text() == "not a folder"
    assert _warnings(_validate(path, folder)) == [] and folder.is_dir()
    assert _cached(_validate(path, folder)) == [True, True]


def test_the_cli_warns_once_and_exits_zero(tmp_path: Path) -> None:
    _bank(tmp_path)
    (tmp_path / ".qbank_cache").write_text("not a folder")
    done = subprocess.run(
        [sys.executable, "-m", "qbank", "validate", "bank.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [aside] = _set_aside(tmp_path / ".qbank_cache")
    assert done.stdout.splitlines() == [
        f".qbank_cache:1: warning: cannot open the cache (it is not a folder): moved it aside "
        f"to {aside.name}; this run goes on without it and the next one rebuilds it "
        "[cache-unusable]"
    ]


def test_a_cache_locked_by_another_process_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    _validate(path, folder)
    hold = "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    hold += "db.execute('BEGIN EXCLUSIVE')\nprint('held', flush=True)\nsys.stdin.read()\n"
    locker = subprocess.Popen(
        [sys.executable, "-c", hold, str(folder / "results.sqlite")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "held\n"
        monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.05, raising=False)
        report = _validate(path, folder)
    finally:
        locker.communicate("")
    assert _proven(report) and _cached(report) == [False, False]
    [warning] = _warnings(report)
    assert "(database is locked): this run goes on without it [cache-unusable]" in warning
    assert _set_aside(folder) == []
    after = _validate(path, folder)
    assert _warnings(after) == [] and _cached(after) == [True, True]  # kept as it was


class _Failing(sqlite3.Connection):
    """A connection whose `method` raises `error` (for statements starting with `sql`)."""

    method = ""
    sql = ""
    error: BaseException = sqlite3.OperationalError("database or disk is full")
    calls = 0

    def _fail(self, name: str, statement: str = "") -> None:
        if name == self.method and statement.startswith(self.sql):
            type(self).calls += 1
            raise self.error

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        self._fail("execute", sql)
        return super().execute(sql, *args)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        self._fail("executemany", sql)
        return super().executemany(sql, rows)  # type: ignore[arg-type]

    def commit(self) -> None:
        self._fail("commit")
        super().commit()

    def close(self) -> None:
        try:
            self._fail("close")
        finally:
            super().close()


@pytest.fixture(name="failing")
def _failing(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Failing]]:
    connect = sqlite3.connect

    def patched(*args: object, **kwargs: object) -> sqlite3.Connection:
        return connect(*args, factory=_Failing, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(sqlite3, "connect", patched)  # the cache's too: the same module
    for name, value in [("method", ""), ("sql", ""), ("calls", 0)]:
        monkeypatch.setattr(_Failing, name, value)  # each test sets its own, undone after it
    monkeypatch.setattr(_Failing, "error", sqlite3.OperationalError("database or disk is full"))
    yield _Failing


@pytest.mark.parametrize(
    ("method", "sql", "error", "doing"),
    [
        ("executemany", "", "database or disk is full", "write"),
        ("commit", "", "database or disk is full", "write"),
        ("execute", "CREATE", "attempt to write a readonly database", "open"),
        ("executemany", "", "attempt to write a readonly database", "write"),
        ("execute", "SELECT", "disk I/O error", "read"),
        ("close", "", "disk I/O error", "close"),
    ],
)
def test_an_unavailable_cache_is_one_warning_and_left_alone(
    tmp_path: Path, failing: type[_Failing], method: str, sql: str, error: str, doing: str
) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    failing.method, failing.sql = method, sql
    failing.error = sqlite3.OperationalError(error)
    report = _validate(path, folder)
    assert failing.calls == 1  # the first error ends the cache's use: no second attempt
    assert _proven(report)
    assert _warnings(report) == [
        f"{folder}:1: warning: cannot {doing} the cache ({error}): this run goes on without it "
        "[cache-unusable]"
    ]
    assert _set_aside(folder) == []
    failing.method = ""  # the disk has room again: the next runs fill the cache
    assert _warnings(_validate(path, folder)) == []


def test_a_full_disk_loses_no_entry_already_written(
    tmp_path: Path, failing: type[_Failing]
) -> None:
    path, folder = _bank(tmp_path), tmp_path / "cache"
    _validate(path, folder)
    failing.method = "executemany"
    path.write_text(BANK.replace("6 * 7", "7 * 6"))  # a run to store
    report = _validate(path, folder)
    assert _proven(report) and len(_warnings(report)) == 1
    failing.method = ""
    path.write_text(BANK)
    after = _validate(path, folder)
    assert _cached(after) == [True, True] and _warnings(after) == []


def test_ctrl_c_during_a_write_leaves_the_cache_consistent(
    tmp_path: Path, failing: type[_Failing]
) -> None:
    result = RunResult("ok", 0, None, False, "1\n", "", (), (), 0.1, True)
    cache = Cache(tmp_path / "cache")
    cache.put_many({"before": [result]})
    failing.method, failing.error = "commit", KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):  # not swallowed: qbank stops
        cache.put_many({"during": [result]})
    cache.close()
    assert cache.problem is None and _set_aside(tmp_path / "cache") == []
    failing.method = ""
    again = Cache(tmp_path / "cache")
    assert sorted(again.get_many(["before", "during"])) == ["before"]
    again.close()


def _as_unprivileged(argv: list[str]) -> list[str] | None:
    """`argv` as `nobody` (who may read any file, to reach this interpreter, but write only
    what it owns), or None where that cannot be done here."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    caps = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *caps, *argv]
    probe = subprocess.run([*command[: -len(argv)], sys.executable, "-c", ""], check=False)
    return command if probe.returncode == 0 else None


def _read_only_runs() -> Iterator[tuple[str, list[str], list[str]]]:
    """Ways to validate with a read-only cache folder, each as (name, the command that
    fills the cache, the command that finds it read-only): as `nobody` once the folder's
    write permission is removed, and as root on a read-only bind mount of it."""
    argv = [sys.executable, "-m", "qbank", "validate", "-v", "bank.yaml"]
    command = _as_unprivileged(argv)
    if command is not None:
        yield "unprivileged", command, command
    if os.geteuid() == 0 and shutil.which("unshare"):
        mount = 'mount --bind -o ro .qbank_cache .qbank_cache && exec "$@"'
        if subprocess.run(["unshare", "-m", "true"], check=False).returncode == 0:
            yield "read-only mount", argv, ["unshare", "-m", "sh", "-c", mount, "sh", *argv]


def _project_of(tmp_path: Path, name: str) -> Path:
    """A project that `nobody` owns, with the bank."""
    project = tmp_path / name
    project.mkdir()
    _bank(project)
    for entry in (project, *project.iterdir()):
        os.chown(entry, 65534, 65534)
    return project


def test_a_read_only_cache_folder_is_read_and_not_written(tmp_path: Path) -> None:
    ways = list(_read_only_runs())
    if not ways:
        pytest.skip("neither another user nor a mount namespace is available here")
    warning = (
        ".qbank_cache:1: warning: cannot write the cache (attempt to write a readonly "
        "database): this run goes on without it [cache-unusable]"
    )
    for name, fill, read_only in ways:
        project = _project_of(tmp_path, name)
        subprocess.run(fill, cwd=project, check=True, capture_output=True)
        (project / ".qbank_cache").chmod(0o555)
        same = subprocess.run(read_only, cwd=project, capture_output=True, text=True)
        assert same.returncode == 0 and "warning" not in same.stdout, (name, same.stdout)
        assert same.stdout.count("options proven (cached)") == 2, (name, same.stdout)
        (project / "bank.yaml").write_text(BANK.replace("6 * 7", "7 * 6"))  # a run to store
        changed = subprocess.run(read_only, cwd=project, capture_output=True, text=True)
        assert changed.returncode == 0 and "Traceback" not in changed.stderr, changed.stderr
        assert warning in changed.stdout.splitlines(), (name, changed.stdout)
        assert changed.stdout.count("options proven") == 2, (name, changed.stdout)
        assert _set_aside(project / ".qbank_cache") == []


# --- Defect 6: stale verdicts -------------------------------------------------------------

ENVIRONMENT_BANK = """\
questions:
  - id: environment
    type: output
    prompt: What does it print?
    code: |
      import os, sys
      names = sorted(k for k in os.environ if k.startswith("PYTHON"))
      try:
          import qbank_shadow
          shadowed = "shadowed"
      except ImportError:
          shadowed = "clean"
      print(names, sys.flags.optimize, sys.warnoptions, sys.flags.no_user_site, shadowed)
    answer: "['PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED'] 0 [] 1 clean\\n"
  - id: asserts
    type: true_false
    prompt: Is 1 equal to 2?
    answer: false
    check: assert (1 == 2) == answer
"""


def test_the_hosts_python_variables_do_not_reach_the_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bank(tmp_path, ENVIRONMENT_BANK)
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "qbank_shadow.py").write_text("")
    cached = _validate(path, tmp_path / "cache")
    assert _proven(cached), [p.format() for p in cached.problems]
    monkeypatch.setenv("PYTHONPATH", str(shadow))
    monkeypatch.setenv("PYTHONWARNINGS", "error")
    monkeypatch.setenv("PYTHONOPTIMIZE", "1")  # would strip every `check`'s assert
    monkeypatch.setenv("PYTHONQBANKANYTHING", "1")
    fresh = _validate(path, tmp_path / "cache", cache=False)
    assert _proven(fresh), [p.format() for p in fresh.problems]
    served = _validate(path, tmp_path / "cache")
    assert _proven(served) and _cached(served) == [True, True]  # what a fresh run proves


def _venv(tmp_path: Path) -> tuple[Path, Path]:
    """A venv without pip: its interpreter and site-packages."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    done = subprocess.run([python, "-c", where], capture_output=True, text=True, check=True)
    return python, Path(done.stdout.strip())


def _install(tmp_path: Path, site: Path, how: str) -> Path:
    """Install a distribution `mylib` 1.0 (`VALUE = 1`) the way `how` says, as pip would
    record it (PEP 610); returns the file of its code."""
    info = site / "mylib-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mylib\nVersion: 1.0\n")
    project = tmp_path / "project"
    url = {"url": project.as_uri(), "dir_info": {"editable": True}}
    if how == "editable":  # a .pth adds the project's src folder, as hatchling or flit do
        code = project / "src" / "mylib" / "__init__.py"
        (site / "_mylib.pth").write_text(f"{code.parent.parent}\n")
        record = ["_mylib.pth,,"]
    else:  # `pip install ./project`: copied into site-packages
        code, url["dir_info"] = site / "mylib.py", {}
        record = ["mylib.py,,"]
    (info / "direct_url.json").write_text(json.dumps(url))
    (info / "RECORD").write_text("\n".join([*record, "mylib-1.0.dist-info/METADATA,,", ""]))
    code.parent.mkdir(parents=True, exist_ok=True)
    code.write_text("VALUE = 1\n")
    return code


LIBRARY_BANK = """\
requires: [mylib]
questions:
  - id: value
    type: output
    prompt: What does it print?
    code: |
      import mylib
      print(mylib.VALUE)
    answer: "1\\n"
"""


@pytest.mark.parametrize("how", ["editable", "local"])
def test_changed_code_of_an_editable_or_local_install_is_run_again(
    tmp_path: Path, how: str
) -> None:
    python, site = _venv(tmp_path)
    code = _install(tmp_path, site, how)
    path, folder = _bank(tmp_path, LIBRARY_BANK), tmp_path / "cache"
    first = _validate(path, folder, python=str(python))
    assert first.ok, [p.format() for p in first.problems]
    assert _cached(_validate(path, folder, python=str(python))) == [True]
    code.write_text("VALUE = 22\n")  # the same version 1.0
    changed = _validate(path, folder, python=str(python))
    assert _cached(changed) == [False]
    assert [p.code for p in changed.problems] == ["answer-mismatch"]


def test_the_environment_is_probed_once_per_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    class Counting(Probe):
        def __init__(self, python: str | None = None) -> None:
            calls.append(python)
            super().__init__(python)

    monkeypatch.setattr("qbank.prove.environment.Probe", Counting)
    monkeypatch.setattr("qbank.prove.coordinate.Probe", Counting)
    path = _bank(tmp_path)
    (tmp_path / "other.yaml").write_text(BANK)
    validate([str(path), str(tmp_path / "other.yaml")], Options(cache_dir=str(tmp_path / "c")))
    assert len(calls) == 1
