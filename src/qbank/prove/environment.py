"""Facts about the interpreter that runs the snippets: its version and installed distributions.

They are part of every cache key (behaviour comes from transitive dependencies too) and of
the report (the versions each proof held for). The probe is a stdlib-only script run with the
target interpreter, so it works for a `--python` venv that does not have qbank installed.
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
import json, sys
import importlib.util
importable = []
for name in json.loads(sys.argv[1]):
    try:
        if importlib.util.find_spec(name) is not None:
            importable.append(name)
    except Exception:
        pass
try:
    from importlib import metadata
    dists = {}
    for d in metadata.distributions():
        name = d.metadata["Name"]
        if name:
            dists[name] = d.version
except Exception:
    dists = {}
print(json.dumps({"version": sys.version.split()[0], "executable": sys.executable,
                  "implementation": sys.implementation.name, "distributions": dists,
                  "importable": importable}))
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

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the interpreter version and every installed distribution with its version."""
        data = json.dumps([self.implementation, self.version, sorted(self.distributions.items())])
        return hashlib.sha256(data.encode()).hexdigest()

    def version_of(self, distribution: str) -> str | None:
        """The installed version of a distribution (None if not installed)."""
        wanted = canonical(distribution)
        for name, version in self.distributions.items():
            if canonical(name) == wanted:
                return version
        return None


def probe(python: str | None = None, modules: Sequence[str] = ()) -> Environment:
    """Ask the interpreter at `python` (default: this one) for its version, distributions and
    which of `modules` it can import."""
    executable = python or sys.executable
    try:
        done = subprocess.run(
            [executable, "-I", "-c", _PROBE, json.dumps(sorted(set(modules)))],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RunnerError(f"cannot run the interpreter {executable}: {exc}") from exc
    if done.returncode != 0:
        raise RunnerError(f"the interpreter {executable} failed: {done.stderr.strip()[-300:]}")
    data = json.loads(done.stdout)
    return Environment(
        executable,
        data["version"],
        data["implementation"],
        data["distributions"],
        frozenset(data["importable"]),
    )


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
