"""What a run is asked to do and what it did: frozen, JSON-serialisable data, no I/O.

The JSON forms (``to_json`` / ``from_json``) are the worker protocol, and stable enough to cache.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from dataclasses import dataclass, field
from typing import Any

INCONCLUSIVE = frozenset({"timeout", "memory", "output-limit", "file-limit", "worker-died"})
"""Statuses of a run that hit a limit or lost its worker: never proof either way.
``worker-died`` is also every run that did not report (its record is missing or damaged, its
files could not be prepared, the runner failed): ``failure.message`` then says why."""

STATUSES = frozenset({"normal", "exception", "exit", "crash", "syntax-error"}) | INCONCLUSIVE


@dataclass(frozen=True)
class Limits:
    """What one run may use."""

    timeout: float = 10.0
    """Wall-clock seconds for the whole run, checks included."""
    memory: int = 1 << 30
    """Bytes of address space (``RLIMIT_AS``)."""
    output_limit: int = 1 << 20
    """Bytes each of stdout and stderr may hold; more ends the run as ``output-limit``."""
    file_limit: int = 64 << 20
    """Largest file the run may write, in bytes (``RLIMIT_FSIZE``); where runs have a mount
    namespace, also the most bytes of all files together: its folder, ``/tmp``, ``/var/tmp``
    and ``/dev/shm`` are one tmpfs of this size, fixture files included."""


@dataclass(frozen=True)
class RunSpec:
    """One run: hidden ``setup``, the learner-visible ``program``, hidden ``run`` and ``check``."""

    program: str
    """The code the learner sees (may be empty)."""
    setup: str = ""
    """Hidden code run first in the same namespace; its output is not captured."""
    run: str = ""
    """Hidden driver run after ``program`` in the same namespace."""
    check: str = ""
    """Hidden assertions, run once per answer after a normal end, with ``answer``,
    ``stdout`` and ``stderr`` bound. With several answers each check runs in its own fork
    of the finished program, so checks cannot see each other's changes to memory (files in
    the working folder are shared and checked in order)."""
    answers: tuple[object, ...] = (None,)
    """JSON values bound to ``answer``; one check result per answer."""
    files: tuple[tuple[str, str], ...] = ()
    """Fixture files (relative name, text) written in the fresh working folder. A name is a
    relative path inside the folder, `/`-separated, with no empty, `.` or `..` part; the
    worker refuses a run with any other name as ``worker-died`` (never an exception here),
    and the static checks report such names first (``bad-file-name``)."""
    collect_files: tuple[str, ...] = ()
    """Files whose text after the run is reported back (None when missing); named as
    ``files`` are."""
    collect_bytes: tuple[tuple[str, int], ...] = ()
    """Files whose bytes after the run are reported back (the image a `figure` names):
    (name, most bytes read); named as ``files`` are."""
    expect_raises: str | None = None
    """Exception class name; a raised exception whose MRO has it lets ``check`` still run."""
    limits: Limits = field(default_factory=Limits)
    """Resource limits of the run."""

    def __post_init__(self) -> None:
        if not self.answers:
            raise ValueError("answers must hold at least one value (use (None,))")

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["answers"] = list(self.answers)
        return data


@dataclass(frozen=True)
class Failure:
    """An exception raised by a snippet."""

    type: str
    """Class name, e.g. ``AttributeError``."""
    message: str
    """``str(exc)``; for a bare ``assert`` in ``check``, its source and compared values."""
    snippet: str | None
    """Snippet of the innermost frame in our snippets: setup, program, run or check."""
    line: int | None
    """1-based line inside that snippet."""
    traceback: str
    """Formatted traceback from the first snippet frame, clipped."""

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Failure | None:
        return None if data is None else cls(**data)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of ``check`` for one answer."""

    passed: bool
    failure: Failure | None
    """What ``check`` raised, when it failed."""


@dataclass(frozen=True)
class RunResult:
    """What one run did."""

    status: str
    """One of STATUSES."""
    exit_code: int | None
    """0 normal end, SystemExit code, 1 uncaught exception, -signal for a crash."""
    failure: Failure | None
    """The uncaught exception of setup, program or run (a SyntaxError too)."""
    raised_expected: bool
    """The program raised what ``expect_raises`` names (status stays ``exception``)."""
    stdout: str
    """Output of program and run, captured at the file-descriptor level."""
    stderr: str
    files: tuple[tuple[str, str | None], ...]
    """``collect_files`` with their text after the run, None when missing."""
    checks: tuple[CheckResult, ...]
    """One per answer; empty when check is empty or did not run (abnormal end)."""
    duration: float
    """Wall seconds of the run."""
    network_isolated: bool
    """Whether the run had no network."""
    binary_files: tuple[tuple[str, str | None], ...] = ()
    """``collect_bytes`` with their bytes after the run, base64-encoded (JSON carries no
    bytes), None when missing."""

    def file_bytes(self, name: str) -> bytes | None:
        """The bytes of the collected file `name` (None: missing, or not collected)."""
        text = dict(self.binary_files).get(name)
        if text is None:
            return None
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None

    @property
    def inconclusive(self) -> bool:
        """The run hit a limit or lost its worker: proof neither way."""
        return self.status in INCONCLUSIVE

    @property
    def ended_normally(self) -> bool:
        """Normal end, or it raised what ``expect_raises`` names (check then ran)."""
        expected = self.status in ("exception", "exit") and self.raised_expected
        return self.status == "normal" or expected

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        checks = tuple(
            CheckResult(c["passed"], Failure.from_json(c["failure"])) for c in data["checks"]
        )
        return cls(
            status=data["status"],
            exit_code=data["exit_code"],
            failure=Failure.from_json(data["failure"]),
            raised_expected=bool(data["raised_expected"]),
            stdout=data["stdout"],
            stderr=data["stderr"],
            files=tuple((name, text) for name, text in data["files"]),
            checks=checks,
            duration=float(data["duration"]),
            network_isolated=bool(data["network_isolated"]),
            binary_files=tuple((name, text) for name, text in data.get("binary_files", ())),
        )

    @classmethod
    def worker_died(cls, message: str = "the worker process died") -> RunResult:
        failure = Failure("WorkerDied", message, None, None, "")
        return cls("worker-died", None, failure, False, "", "", (), (), 0.0, False)
