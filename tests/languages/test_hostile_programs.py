"""Hostile C programs and bash scripts: each ends only its own run, the questions around it are
still proven, and nothing is left behind (no process, no file in /tmp).

Every assertion holds however fast the machine is: a hostile question may end in any of the
outcomes a race between its limits can produce (listed per question), and each has limits
that make its intended outcome the likely one (a short `timeout` where time is the limit, a
long one where memory or the disk is). The questions around it have a long `timeout`.

Runs use one worker (``jobs=1``), so that each hostile run is followed, in the same worker and
so in the same PID namespace, by the normal question after it, whose `check` looks for any
process the hostile run left (every hostile program tags its processes with a marker, in
its command line or its name). Beside another worker, a fork bomb may only slow the other
worker's runs down (``test_a_fork_bomb_does_not_fail_the_runs_of_other_workers``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import qbank
from qbank.options import Options
from qbank.report import Report
from qbank.runner.worker import RUN_UID_BASE

pytestmark = pytest.mark.skipif(
    shutil.which("cc") is None or shutil.which("bash") is None, reason="needs cc and bash"
)

PATIENT = 60
"""The `timeout` of questions that must end by themselves or by another limit than time: no
machine is slow enough for their wall time to come first."""

# The hidden `setup` of hostile C programs: a constructor names the process `qb<marker>`
# (its `comm`, which fork keeps), so that a process it leaves can be found.
C_TAG = """\
#include <sys/prctl.h>
__attribute__((constructor)) static void qbank_tag(void) { prctl(PR_SET_NAME, "qb@M@"); }
"""
# The same for bash: the script starts itself again as `qb<marker>` (argv[0]; the subshells
# it forks keep their command line). A run may not rename itself: /proc/self/comm is refused.
BASH_TAG = (
    '[ -n "$QBANK_TAGGED" ] || QBANK_TAGGED=1 exec -a qb@M@ "$BASH" --noprofile --norc "$0"\n'
)


@dataclass(frozen=True)
class Hostile:
    """A hostile question: its id, its YAML body (``@TAG@`` is the tagging setup, ``@M@`` the
    marker), and the problem codes it may end with (none: it must be proven, since what it
    leaves running is cleaned up and is no business of its run)."""

    id: str
    body: str
    codes: frozenset[str] = frozenset()


C_HOSTILE = [
    Hostile(
        "c-fork-bomb",
        """\
        timeout: 3
        setup: |
          @TAG@
          #include <unistd.h>
        code: |
          int main(void) {
              for (;;) fork();
          }
        answer: never printed
        """,
        # the process count limit stops the forks, the wall time (or CPU time) the run
        frozenset({"run-timeout", "run-memory"}),
    ),
    Hostile(
        "c-infinite-loop",
        """\
        timeout: 2
        setup: |
          @TAG@
        code: |
          int main(void) {
              for (;;) { }
          }
        answer: never printed
        """,
        frozenset({"run-timeout"}),  # wall time or CPU time: both are `run-timeout`
    ),
    Hostile(
        "c-touch-2gb",
        """\
        timeout: @PATIENT@
        memory: 512MiB
        setup: |
          @TAG@
          #include <stdlib.h>
          #include <string.h>
        code: |
          int main(void) {
              for (int i = 0; i < 32; i++) {
                  char *chunk = malloc(64 << 20);
                  memset(chunk, 1, 64 << 20);
              }
              return 0;
          }
        answer: never printed
        """,
        # malloc gives NULL past the limit and memset crashes on it (a crash refutes)
        frozenset({"run-memory", "run-fails"}),
    ),
    Hostile(
        "c-detach",
        """\
        timeout: @PATIENT@
        setup: |
          @TAG@
          #include <stdio.h>
          #include <unistd.h>
        code: |
          int main(void) {
              if (fork() == 0) {
                  setsid();
                  if (fork() == 0)
                      execlp("sleep", "sleep", "1000.@M@", (char *)0);
                  _exit(0);
              }
              printf("parent\\n");
              return 0;
          }
        answer: parent
        """,
    ),
]

BASH_HOSTILE = [
    Hostile(
        "sh-fork-bomb",
        """\
        timeout: 3
        setup: |
          @TAG@
        code: |
          :(){ :|:& };:
        answer: never printed
        """,
        # The script ends at once (the bomb goes on in the background until the run is
        # cleaned up); the bomb's "fork: retry" messages may fill stderr first.
        frozenset({"answer-mismatch", "run-output-limit", "run-timeout", "run-fails"}),
    ),
    Hostile(
        "sh-fork-bomb-lingering",
        """\
        timeout: 3
        setup: |
          @TAG@
        code: |
          :(){ :|:& };:
          while (( SECONDS < 2 )); do :; done
        answer: never printed
        """,
        # the script lets the bomb grow for 2 s (a loop of builtins: it cannot fork), then
        # ends; or its timeout (the bomb starves it of CPU), or the bomb's "fork: retry"
        # messages on stderr, end the run first
        frozenset({"answer-mismatch", "run-output-limit", "run-timeout", "run-fails"}),
    ),
    Hostile(
        "sh-busy-loop",
        """\
        timeout: 2
        setup: |
          @TAG@
        code: |
          while :; do :; done
        answer: never printed
        """,
        frozenset({"run-timeout"}),
    ),
    Hostile(
        "sh-background-sleep",
        """\
        timeout: @PATIENT@
        setup: |
          @TAG@
        code: |
          sleep 1000.@M@ &
          : > /tmp/qbank-hostile-@M@
          echo started
          exit 0
        answer: started
        """,
    ),
    Hostile(
        "sh-fill-the-disk",
        """\
        timeout: @PATIENT@
        file_limit: 8MiB
        setup: |
          @TAG@
        code: |
          yes qb@M@ > big
        answer: never printed
        """,
        # `yes` dies of SIGXFSZ or fails with ENOSPC: the script's status is not 0
        frozenset({"run-fails", "run-file-limit"}),
    ),
    Hostile(
        "sh-kill-the-parent",
        """\
        timeout: @PATIENT@
        setup: |
          @TAG@
        code: |
          kill -9 $PPID
          sleep 1000.@M@
        answer: never printed
        """,
        # the parent is the run process: the run crashes (SIGKILL), the sleep is cleaned up
        frozenset({"run-fails"}),
    ),
]

# A normal question after each hostile one: proven, and its `check` (in the same worker, so
# in the same PID namespace) finds no process of the hostile run before it.
NORMAL = {
    "c": """\
        timeout: @PATIENT@
        setup: "#include <stdio.h>"
        code: |
          int main(void) { printf("%d\\n", 6 * @N@); return 0; }
        answer: "@ANSWER@"
        choices: ["@WRONG@"]
        check: |
          @CHECK@
        """,
    "bash": """\
        timeout: @PATIENT@
        code: |
          echo $((6 * @N@))
        answer: "@ANSWER@"
        choices: ["@WRONG@"]
        check: |
          @CHECK@
        """,
}

NOTHING_LEFT = """\
import os
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            seen = f.read()
        with open(f"/proc/{pid}/stat", "rb") as f:
            seen += f.read()
    except OSError:
        continue
    if b"@M@" in seen and b") Z " not in seen:
        left.append(seen)
assert not left, left
"""


def _fill(template: str, **values: object) -> str:
    """`template` (dedented) with each ``@NAME@`` replaced by its value; a multi-line value
    on a line of its own keeps that line's indentation on each of its lines."""
    lines = []
    for line in textwrap.dedent(template).splitlines():
        name = line.strip()
        if name.startswith("@") and name.endswith("@") and name[1:-1] in values:
            indent = line[: len(line) - len(line.lstrip())]
            lines += [indent + part for part in str(values[name[1:-1]]).splitlines()]
        else:
            for key, value in values.items():
                line = line.replace(f"@{key}@", str(value))
            lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.fixture
def marker() -> str:
    return f"{uuid.uuid4().int % 10**9:09d}"


@pytest.fixture
def host_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private temporary folder for qbank itself (TMPDIR, inherited by its workers, and this
    process's `tempfile`): whatever it leaves there is seen, not mixed with others' files."""
    folder = tmp_path / "host-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def _bank(language: str, hostile: list[Hostile], marker: str) -> str:
    """A bank of the hostile questions, each followed by a normal one."""
    tag = (C_TAG if language == "c" else BASH_TAG).replace("@M@", marker)
    check = NOTHING_LEFT.replace("@M@", marker)
    parts = [f"language: {language}\nquestions:\n"]
    for n, question in enumerate(hostile, start=2):
        body = _fill(question.body, TAG=tag, M=marker, PATIENT=PATIENT)
        parts.append(_question(question.id, body))
        values = {"N": n, "ANSWER": 6 * n, "WRONG": 6 * n + 1, "CHECK": check}
        normal = _fill(NORMAL[language], PATIENT=PATIENT, **values)
        parts.append(_question(f"{question.id}-normal", normal))
    return "".join(parts)


def _question(question_id: str, body: str) -> str:
    head = f"id: {question_id}\ntype: output\nprompt: What does this print?\n"
    return "  - " + textwrap.indent(head + body, "    ")[4:]


def _validate(tmp_path: Path, banks: dict[str, str], jobs: int = 1) -> Report:
    project = tmp_path / "project"
    project.mkdir()
    (project / "qbank.toml").write_text("", encoding="utf-8")
    for name, text in banks.items():
        (project / f"{name}.yaml").write_text(text, encoding="utf-8")
    options = Options(jobs=jobs, cache_dir=str(tmp_path / "cache"))
    return qbank.validate([project], options)


def _processes() -> dict[int, tuple[int, bytes]]:
    """Live (not zombie) processes: pid -> (uid, command line and stat line)."""
    found = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                seen = f.read()
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        if stat.rsplit(b")", 1)[1].split()[0] != b"Z":
            found[int(entry)] = (uid, seen + stat)
    return found


def _is_run_user(uid: int) -> bool:
    """Whether `uid` is one runs are done as when qbank is root (each worker's own user, or
    the `nobody` of older versions); without root, runs keep our user, and nothing is."""
    return os.geteuid() == 0 and (uid >= RUN_UID_BASE or uid == _nobody())


def _nobody() -> int:
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 65534


def _left_behind(before: dict[int, tuple[int, bytes]], marker: str) -> list[bytes]:
    """Processes that carry the marker, or that the run user started since `before` in this
    PID namespace (a run's own processes live in the worker's namespace and die with it)."""
    here = os.readlink("/proc/self/ns/pid")
    deadline = time.monotonic() + 10  # a process killed a moment ago may not be a zombie yet
    while (left := _left(before, marker, here)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _left(before: dict[int, tuple[int, bytes]], marker: str, here: str) -> list[bytes]:
    left = []
    for pid, (uid, seen) in _processes().items():
        if marker.encode() in seen:
            left.append(seen)
        elif _is_run_user(uid) and pid not in before:
            try:
                if os.readlink(f"/proc/{pid}/ns/pid") == here:
                    left.append(seen)
            except OSError:
                continue
    return left


def _check(report: Report, hostile: list[Hostile]) -> None:
    states = {q: r.state for (_, q), r in report.results.items()}
    codes: dict[str | None, set[str]] = {}
    for problem in report.problems:
        if problem.severity == "error":
            codes.setdefault(problem.question, set()).add(problem.code)
    assert set(codes) <= {h.id for h in hostile}, codes  # no other question has an error
    for question in hostile:
        assert states[f"{question.id}-normal"] == "options proven", question.id
        found = codes.get(question.id, set())
        if question.codes:
            assert states[question.id] in ("failed", "inconclusive"), question.id
            assert found and found <= question.codes, (question.id, found)
        else:
            assert states[question.id] == "options proven", (question.id, found)


@pytest.mark.parametrize(
    ("language", "hostile"), [("c", C_HOSTILE), ("bash", BASH_HOSTILE)], ids=["c", "bash"]
)
def test_hostile_programs_end_only_their_own_run(
    tmp_path: Path, host_tmp: Path, marker: str, language: str, hostile: list[Hostile]
) -> None:
    before = _processes()
    report = _validate(tmp_path, {language: _bank(language, hostile, marker)})
    _check(report, hostile)
    assert _left_behind(before, marker) == []
    assert list(host_tmp.iterdir()) == []  # static checks' and runs' folders are gone
    assert [p for p in os.listdir("/tmp") if marker in p] == []  # the run's /tmp was its own


def test_a_fork_bomb_does_not_fail_the_runs_of_other_workers(tmp_path: Path, marker: str) -> None:
    """Beside a fork bomb, the runs of the other worker can still start processes (a compiler
    forks several): each worker's runs have a process limit of their own."""
    bomb = _fill(C_HOSTILE[0].body, TAG="", M=marker, PATIENT=PATIENT)
    questions = [_question("c-fork-bomb", bomb)]
    for n in range(1, 9):
        values = {"N": n, "ANSWER": 6 * n, "WRONG": 6 * n + 1, "CHECK": "pass"}
        questions.append(_question(f"normal-{n}", _fill(NORMAL["c"], PATIENT=PATIENT, **values)))
    bank = "language: c\nquestions:\n" + "".join(questions)
    report = _validate(tmp_path, {"c": bank}, jobs=2)
    states = {q: r.state for (_, q), r in report.results.items()}
    problems = [p.format() for p in report.problems if p.question != "c-fork-bomb"]
    assert [states[f"normal-{n}"] for n in range(1, 9)] == ["options proven"] * 8, problems
