"""Helpers of the runner tests: small limits and leak detection."""

from __future__ import annotations

import os

from qbank.runner import Limits

SMALL = Limits(timeout=2.0, memory=512 << 20, output_limit=64 << 10, file_limit=1 << 20)
"""Limits small enough that a failing limit cannot harm the machine."""


def alive_with(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
            with open(f"/proc/{entry}/stat", "rb") as stat:
                state = stat.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in command and state != b"Z":
            found.append(int(entry))
    return found
