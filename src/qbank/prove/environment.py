"""Facts about the interpreter that runs the snippets: its version and installed distributions.

They are part of every cache key (behaviour comes from transitive dependencies too) and of
the report (the versions each proof held for). The probe is a stdlib-only script run with the
target interpreter, so it works for a `--python` venv that does not have qbank installed.

A version does not say everything: the code of an editable or local distribution (PEP 610
`direct_url.json`: `pip install -e .`, `pip install ./folder`) can change without a new
version, so the probe hashes the files its top-level modules resolve to (from `top_level.txt`,
its recorded files and the folders its `.pth` files add, found as the runs would import them),
and the hash is part of the fingerprint. The host's `PYTHON*` variables (`PYTHONPATH`,
`PYTHONWARNINGS`, `PYTHONOPTIMIZE`, ...) are not part of it: they never reach the probe (`-I`)
or the runs, whose workers start without them and without the user's site-packages
(`runner/isolation.py`), so the fingerprint describes what the runs see.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from qbank.errors import RunnerError
from qbank.model.requirements import Requirement

_PROBE = r"""
import hashlib, json, os, sys
import importlib.util
from importlib import metadata


def importable(names):
    found = []
    for name in names:
        try:
            if importlib.util.find_spec(name) is not None:
                found.append(name)
        except Exception:
            pass
    return found


def is_local(dist):
    # PEP 610: installed from a folder or a file here (`pip install -e .`, `pip install ./x`).
    try:
        url = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        return False
    if not isinstance(url, dict):
        return False
    editable = isinstance(url.get("dir_info"), dict) and url["dir_info"].get("editable")
    return bool(editable) or str(url.get("url", "")).startswith("file:")


def package_like(folder, name):
    # A module or package a folder on sys.path offers (namespace packages: one level deep).
    path = os.path.join(folder, name)
    if name.endswith(".py"):
        return os.path.isfile(path)
    if not name.isidentifier() or not os.path.isdir(path):
        return False
    inner = [os.path.join(path, entry) for entry in os.listdir(path)]
    return any(e.endswith(".py") or os.path.isfile(os.path.join(e, "__init__.py")) for e in inner)


def top_level(dist):
    # The names it installs: top_level.txt, its recorded files, the folders its .pth files add.
    names = set((dist.read_text("top_level.txt") or "").split())
    for file in dist.files or ():
        first = file.parts[0] if file.parts else ".."
        if first == ".." or first.endswith((".dist-info", ".egg-info", ".data")):
            continue
        if len(file.parts) > 1 or first.endswith(".py"):
            names.add(first[:-3] if first.endswith(".py") else first)
        if first.endswith(".pth"):
            with open(str(dist.locate_file(file)), encoding="utf-8", errors="replace") as pth:
                folders = [line.strip() for line in pth]
            for folder in folders:
                if folder and not folder.startswith(("#", "import")) and os.path.isdir(folder):
                    entries = [e for e in os.listdir(folder) if package_like(folder, e)]
                    names.update(e[:-3] if e.endswith(".py") else e for e in entries)
    return sorted(n for n in names if n.isidentifier() and not n.startswith("__editable__"))


def files_of(names):
    # Every file the names resolve to, as the runs would import them.
    roots = set()
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except Exception:
            continue
        if spec is not None and spec.submodule_search_locations:
            roots.update(spec.submodule_search_locations)
        elif spec is not None and spec.origin and os.path.isfile(spec.origin):
            roots.add(spec.origin)
    for root in sorted(roots):
        if os.path.isfile(root):
            yield root
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__" and d[:1] != ".")
            for file in sorted(files):
                if not file.endswith(".pyc"):
                    yield os.path.join(folder, file)


def code_hash(dist):
    # What cannot be read or found here gets a new value each time: never served from cache.
    digest = hashlib.sha256()
    try:
        for path in files_of(top_level(dist)):
            digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read())
    except Exception:
        digest.update(os.urandom(16))
    return digest.hexdigest()


dists, code = {}, {}
try:
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            dists[name] = dist.version
            if is_local(dist):
                code[name] = code_hash(dist)
except Exception:
    dists, code = {}, {}
# The modules to look for come last, on stdin: the caller loads its banks meanwhile.
modules = json.loads(sys.stdin.readline() or "[]")
print(json.dumps({"version": sys.version.split()[0], "executable": sys.executable,
                  "implementation": sys.implementation.name, "distributions": dists,
                  "code": code, "importable": importable(modules)}))
"""


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Environment:
    """The target interpreter, as probed."""

    python: str
    version: str
    implementation: str
    distributions: dict[str, str] = field(default_factory=dict)
    importable: frozenset[str] = frozenset()
    """Which of the modules asked about the interpreter can find."""
    code: dict[str, str] = field(default_factory=dict)
    """Editable or local distribution -> a hash of its code, as the runs would import it."""

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the interpreter version, every installed distribution with its version,
        and the code of the editable and local ones."""
        data = json.dumps(
            [
                self.implementation,
                self.version,
                sorted(self.distributions.items()),
                sorted(self.code.items()),
            ]
        )
        return hashlib.sha256(data.encode()).hexdigest()

    def version_of(self, distribution: str) -> str | None:
        """The installed version of a distribution (None if not installed)."""
        wanted = canonical(distribution)
        for name, version in self.distributions.items():
            if canonical(name) == wanted:
                return version
        return None


class Probe:
    """The probe, started: the interpreter reads its distributions and hashes local code
    while the caller loads and checks its banks; :meth:`finish` sends the modules to look
    for and reads the answer. A probe that is never finished is ended by :meth:`close`."""

    def __init__(self, python: str | None = None) -> None:
        self.python = python or sys.executable
        try:
            self._process: subprocess.Popen[str] | None = subprocess.Popen(
                [self.python, "-I", "-c", _PROBE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as exc:
            raise RunnerError(f"cannot start the interpreter {self.python}: {exc}") from exc

    def finish(self, modules: Sequence[str] = ()) -> Environment:
        """The environment, with which of `modules` the interpreter can import."""
        process, self._process = self._process, None
        if process is None:
            raise RunnerError("the probe of the interpreter was already read or closed")
        try:
            out, err = process.communicate(json.dumps(sorted(set(modules))) + "\n", timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            process.kill()
            process.communicate()
            raise RunnerError(f"cannot run the interpreter {self.python}: {exc}") from exc
        if process.returncode != 0:
            raise RunnerError(f"the interpreter {self.python} failed: {err.strip()[-300:]}")
        data = json.loads(out)
        return Environment(
            self.python,
            data["version"],
            data["implementation"],
            data["distributions"],
            frozenset(data["importable"]),
            data["code"],
        )

    def close(self) -> None:
        """End the probe if it was never finished (an error came first)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.communicate()


class Probed:
    """A probe read early, for the modules a collection may need: the params runs of
    questions with variants need the interpreter's fingerprint before proving, and proving
    then reuses the answer instead of probing again (a fifth of a second). Asked about a
    module it was not asked about, it probes again."""

    def __init__(self, started: Probe, modules: Sequence[str]) -> None:
        self.python, self.asked = started.python, frozenset(modules)
        self.environment = started.finish(sorted(self.asked))

    def finish(self, modules: Sequence[str] = ()) -> Environment:
        """The environment, with which of `modules` the interpreter can import."""
        if self.asked.issuperset(modules):
            return self.environment
        return Probe(self.python).finish(modules)

    def close(self) -> None:
        """Nothing to end: the probe was read."""


def probe(python: str | None = None, modules: Sequence[str] = ()) -> Environment:
    """Ask the interpreter at `python` (default: this one) for its version, distributions and
    which of `modules` it can import."""
    return Probe(python).finish(modules)


def version_problem(requirement: Requirement, environment: Environment) -> str | None:
    """Why the environment does not satisfy a specifier (None if it does or there is none)."""
    if not requirement.specifier:
        return None
    installed = environment.version_of(requirement.name)
    if installed is None:
        return f"needs `{requirement.text}`, but no distribution `{requirement.name}` is installed for {environment.python}"
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        ok = SpecifierSet(requirement.specifier).contains(installed, prereleases=True)
    except InvalidSpecifier:
        return f"`{requirement.text}` is not a valid requirement specifier"
    if not ok:
        return f"needs `{requirement.text}`, but {environment.python} has {requirement.name} {installed}"
    return None
