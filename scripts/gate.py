"""The one gate CI and `make test` run: format check, lint, strict types, tests with coverage.

Every step runs even if an earlier one fails, so one run shows everything to fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

STEPS = [
    (
        "format",
        [
            str(BIN / "ruff"),
            "format",
            "--check",
            "src",
            "tests",
            "benchmarks",
            "exporters",
            "scripts",
        ],
    ),
    ("lint", [str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "exporters", "scripts"]),
    ("types", [str(BIN / "mypy"), "--strict", "src", "benchmarks"]),
    (
        "tests",
        [
            sys.executable,
            "-m",
            "pytest",
            "--cov=qbank",
            "--cov-report=term:skip-covered",
            *sys.argv[1:],
        ],
    ),
]


def main() -> int:
    failed = []
    for name, command in STEPS:
        print(
            f"== {name}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}",
            flush=True,
        )
        # QBANK_GATE: tests of tools the setup installs (the GIFT parser) fail, not skip.
        env = {**os.environ, "QBANK_GATE": "1"}
        if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
            failed.append(name)
    if failed:
        print(f"gate FAILED: {', '.join(failed)}")
        return 1
    print("gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
