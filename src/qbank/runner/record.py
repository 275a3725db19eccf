"""The run record: how a run ended, written to memory the worker shares with the run.

Stdlib only, Python >= 3.9. The worker maps an anonymous shared region once; every run
process inherits it across ``fork`` and writes JSON lines into it. It is not a file
descriptor, so a snippet can neither close it (``os.closerange``) nor write to it by
accident (writing to every descriptor it holds), and it needs no disk, so a full disk
cannot lose it. A run that did not report is never judged from a guess:

- the *phase* says where the run process was when it ended: still in the runner's own
  set-up (``SETUP``), inside the snippets (``PROGRAM``: how the process ended is then the
  program's own doing, e.g. ``os._exit(7)`` or a segfault), writing its report
  (``REPORTING``), or in the check of answer ``n`` (``CHECK + n``);
- records are appended whole: the length in the header moves only after the bytes of a
  record are in place, so a record cut short by the end of the process is not read.
"""

from __future__ import annotations

import json
import mmap
import struct
from typing import Any

SETUP, PROGRAM, REPORTING, CHECK = 0, 1, 2, 16
_HEADER = struct.Struct("<QQ")  # phase, bytes of records
_START = 64
SIZE = 8 << 20


class RecordFull(Exception):
    """The records of one run do not fit in the shared region."""


class Record:
    """The shared region; ``reset`` before each run, read after it."""

    def __init__(self, size: int = SIZE) -> None:
        self.memory = mmap.mmap(-1, size)  # anonymous and MAP_SHARED: inherited by fork

    def reset(self) -> None:
        _HEADER.pack_into(self.memory, 0, SETUP, 0)

    def phase(self, value: int) -> None:
        used = _HEADER.unpack_from(self.memory, 0)[1]
        _HEADER.pack_into(self.memory, 0, value, used)

    def append(self, record: dict[str, Any], default: Any = None) -> None:
        data = (json.dumps(record, default=default) + "\n").encode()
        phase, used = _HEADER.unpack_from(self.memory, 0)
        start = _START + used
        if start + len(data) > len(self.memory):
            raise RecordFull(f"the run's report exceeds {len(self.memory)} bytes")
        self.memory[start : start + len(data)] = data
        _HEADER.pack_into(self.memory, 0, phase, used + len(data))

    def used(self) -> int:
        return int(_HEADER.unpack_from(self.memory, 0)[1])

    def read(self) -> tuple[int, list[dict[str, Any]]]:
        """The last phase and the complete records; raises ValueError if they are damaged."""
        phase, used = _HEADER.unpack_from(self.memory, 0)
        if _START + used > len(self.memory):
            raise ValueError("the run record's header is damaged")
        text = self.memory[_START : _START + used].decode("utf-8")
        records = [json.loads(line) for line in text.splitlines() if line]
        if not all(isinstance(r, dict) and "kind" in r for r in records):
            raise ValueError("the run record holds something other than records")
        return int(phase), records
