"""An interpreter (a venv, a checkout) that lives under /tmp still works inside the runs,
although each run gets a /tmp of its own: CI machines often clone projects there."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from runner_helpers import SMALL

from qbank.runner import Pool, RunSpec


def test_a_venv_under_tmp_imports_its_modules_in_runs() -> None:
    """A module installed in a venv under /tmp imports lazily in a run (it was not preloaded),
    the venv stays read-only there, and the rest of the host's /tmp stays out of sight."""
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="qbank-venv-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
        )
        python = venv / "bin" / "python"
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        Path(purelib, "tmp_marker_module.py").write_text("VALUE = 'from the venv'\n")
        beside = Path(folder).parent / f"{Path(folder).name}-beside"
        beside.write_text("host file")
        try:
            program = (
                "import os, tmp_marker_module\n"
                "print(tmp_marker_module.VALUE)\n"
                f"print(os.path.exists({str(beside)!r}))\n"
                "try:\n"
                f"    open({purelib + '/planted.pth'!r}, 'w')\n"
                "    print('wrote')\n"
                "except OSError:\n"
                "    print('read-only')\n"
            )
            with Pool(python=str(python), jobs=1) as pool:
                (result,) = pool.run_many([RunSpec(program=program, limits=SMALL)])
        finally:
            beside.unlink()
        assert result.status == "normal", result
        if pool.folder is None:  # runs have a mount namespace: the hermetic view holds
            assert result.stdout == "from the venv\nFalse\nread-only\n"
        else:
            assert result.stdout.startswith("from the venv\n")
        if pool.folder is None:
            assert not Path(purelib, "planted.pth").exists()
