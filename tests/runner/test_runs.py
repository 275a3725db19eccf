"""What a run reports for ordinary programs: output, endings, failures, checks, files."""

from __future__ import annotations

import os
import sys

import pytest
from runner_helpers import SMALL

from qbank.runner import INCONCLUSIVE, Limits, Pool, RunSpec
from qbank.runner.worker import RUN_UID_BASE


def test_normal_run_captures_stdout_and_stderr(pool: Pool) -> None:
    (result,) = pool.run_many([RunSpec("import sys\nprint('out')\nprint('err', file=sys.stderr)")])
    assert (result.status, result.exit_code) == ("normal", 0)
    assert (result.stdout, result.stderr) == ("out\n", "err\n")
    assert result.failure is None and result.checks == () and not result.inconclusive


def test_capture_is_at_file_descriptor_level_in_terminal_order(pool: Pool) -> None:
    program = "import os\nprint('a')\nos.system('echo hi; echo oops >&2')\nos.write(1, b'c\\n')"
    (result,) = pool.run_many([RunSpec(program)])
    assert result.stdout == "a\nhi\nc\n"
    assert result.stderr == "oops\n"


def test_setup_output_is_not_captured_but_setup_state_is_shared(pool: Pool) -> None:
    spec = RunSpec("print(x)", setup="import os\nprint('hidden')\nos.system('echo hidden')\nx = 5")
    (result,) = pool.run_many([spec])
    assert (result.status, result.stdout) == ("normal", "5\n")


def test_program_runs_as_main_and_run_shares_its_namespace(pool: Pool) -> None:
    spec = RunSpec("if __name__ == '__main__':\n    value = 41", run="print(value + 1)")
    (result,) = pool.run_many([spec])
    assert result.stdout == "42\n"


@pytest.mark.parametrize(
    ("program", "status", "code"),
    [
        ("import sys; sys.exit(0)", "normal", 0),
        ("raise SystemExit", "normal", 0),
        ("import sys; sys.exit(3)", "exit", 3),
        ("import sys; sys.exit('bye')", "exit", 1),
    ],
)
def test_system_exit(pool: Pool, program: str, status: str, code: int) -> None:
    (result,) = pool.run_many([RunSpec(program, check="assert True")])
    assert (result.status, result.exit_code) == (status, code)
    assert len(result.checks) == (1 if status == "normal" else 0)


def test_exception_names_snippet_and_line(pool: Pool) -> None:
    spec = RunSpec("x = 1\nhelper()\n", setup="def helper():\n    return None.foo\n")
    (result,) = pool.run_many([spec])
    assert (result.status, result.exit_code) == ("exception", 1)
    assert result.failure is not None
    assert result.failure.type == "AttributeError"
    assert "'NoneType' object has no attribute 'foo'" in result.failure.message
    assert (result.failure.snippet, result.failure.line) == ("setup", 2)
    assert '<qbank:program>", line 2' in result.failure.traceback
    assert "sandbox" not in result.failure.traceback and "child.py" not in result.failure.traceback


def test_setup_error_is_an_exception_of_setup(pool: Pool) -> None:
    (result,) = pool.run_many([RunSpec("print('never')", setup="\n1 / 0")])
    assert result.status == "exception" and result.stdout == ""
    assert result.failure is not None
    assert (result.failure.type, result.failure.snippet, result.failure.line) == (
        "ZeroDivisionError", "setup", 2)  # fmt: skip


def test_syntax_error_names_snippet_and_line(pool: Pool) -> None:
    (result,) = pool.run_many([RunSpec("print(1)", run="x = 1\ndef f(:\n")])
    assert result.status == "syntax-error" and result.stdout == ""
    assert result.failure is not None
    assert (result.failure.type, result.failure.snippet, result.failure.line) == (
        "SyntaxError", "run", 2)  # fmt: skip


def test_expect_raises_matches_by_isinstance_and_check_still_runs(pool: Pool) -> None:
    spec = RunSpec("print('before')\n{}['k']", check="assert stdout == 'before\\n'",
                   expect_raises="LookupError")  # fmt: skip
    (result,) = pool.run_many([spec])
    assert (result.status, result.raised_expected, result.ended_normally) == (
        "exception", True, True)  # fmt: skip
    assert result.failure is not None and result.failure.type == "KeyError"
    assert [c.passed for c in result.checks] == [True]


def test_expect_raises_that_does_not_match(pool: Pool) -> None:
    spec = RunSpec("raise ValueError", check="assert True", expect_raises="LookupError")
    (result,) = pool.run_many([spec])
    assert (result.raised_expected, result.ended_normally, result.checks) == (False, False, ())


def test_check_runs_once_per_answer_with_helpful_messages(pool: Pool) -> None:
    spec = RunSpec(
        "data = [3, 1, 2]\ndata.sort()\nprint(data)",
        check="assert stdout == answer\nassert data",
        answers=("[1, 2, 3]\n", "[3, 1, 2]\n", 7),
    )
    (result,) = pool.run_many([spec])
    assert [c.passed for c in result.checks] == [True, False, False]
    failure = result.checks[1].failure
    assert failure is not None and (failure.type, failure.snippet, failure.line) == (
        "AssertionError", "check", 1)  # fmt: skip
    assert "assert stdout == answer" in failure.message
    assert "'[1, 2, 3]\\n'" in failure.message and "'[3, 1, 2]\\n'" in failure.message


def test_bare_assert_message_is_its_source(pool: Pool) -> None:
    spec = RunSpec("x = 0", check="assert x > 1 or x < -1\nassert False, 'own message'")
    (result,) = pool.run_many([spec])
    failure = result.checks[0].failure
    assert failure is not None and failure.message == "assert x > 1 or x < -1"


def test_check_state_is_forked_per_answer(pool: Pool) -> None:
    spec = RunSpec("items = []", check="items.append(answer)\nassert items == [answer]",
                   answers=(1, 2, 3))  # fmt: skip
    (result,) = pool.run_many([spec])
    assert [c.passed for c in result.checks] == [True, True, True]


def test_fixture_files_and_collected_files(pool: Pool) -> None:
    program = "open('log.txt', 'a').write(open('data/in.txt').read().upper())"
    spec = RunSpec(program, files=(("data/in.txt", "hello\n"), ("log.txt", "start\n")),
                   collect_files=("log.txt", "missing.txt"))  # fmt: skip
    (result,) = pool.run_many([spec])
    assert result.files == (("log.txt", "start\nHELLO\n"), ("missing.txt", None))


def test_collected_symlink_out_of_the_folder_is_not_read(pool: Pool) -> None:
    spec = RunSpec("import os\nos.symlink('/etc/passwd', 'p')", collect_files=("p",))
    (result,) = pool.run_many([spec])
    assert result.files == (("p", None),)


def test_collected_bytes_are_exact_capped_and_stay_in_the_folder(pool: Pool) -> None:
    program = (
        "import os\nopen('a.bin', 'wb').write(bytes(range(256)) * 4)\n"
        "os.symlink('/etc/passwd', 'p')"
    )
    collect = (("a.bin", 2000), ("cut.bin", 10), ("p", 100), ("none.bin", 10))
    spec = RunSpec(program, files=(("cut.bin", "0123456789abc"),), collect_bytes=collect)
    (result,) = pool.run_many([spec])
    assert result.file_bytes("a.bin") == bytes(range(256)) * 4
    assert result.file_bytes("cut.bin") == b"0123456789"  # the cap: the host sees "too large"
    assert result.file_bytes("p") is None
    assert result.file_bytes("none.bin") is None


def test_working_folder_home_and_tmp_are_private(pool: Pool) -> None:
    program = (
        "import os, tempfile\nprint(os.getcwd() == os.environ['HOME'] == tempfile.gettempdir())"
    )
    (result,) = pool.run_many([RunSpec(program)])
    assert result.stdout == "True\n"


def test_no_network(pool: Pool) -> None:
    program = "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=1)"
    (result,) = pool.run_many([RunSpec(program, limits=SMALL)])
    assert result.network_isolated is True
    assert result.status == "exception"
    assert result.failure is not None and result.failure.type in ("OSError", "TimeoutError")


def test_loopback_still_works(pool: Pool) -> None:
    program = "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\n"
    program += "c = socket.create_connection(s.getsockname())\nprint('ok')"
    (result,) = pool.run_many([RunSpec(program, limits=SMALL)])
    assert (result.status, result.stdout) == ("normal", "ok\n")


def test_environment_is_fixed(pool: Pool) -> None:
    program = "import os\nprint(os.environ['PYTHONHASHSEED'], os.environ['TZ'], hash('a'))"
    first, second = pool.run_many([RunSpec(program), RunSpec(program)])
    assert first.stdout == second.stdout and first.stdout.startswith("0 UTC ")


@pytest.mark.skipif(os.geteuid() != 0, reason="not root: there are no privileges to drop")
def test_run_drops_root_but_can_still_import(pool: Pool) -> None:
    program = "import os, decimal, subprocess, sys\nprint(os.getuid())\n"
    program += "subprocess.run([sys.executable, '-c', 'import fractions'], check=True)"
    (result,) = pool.run_many([RunSpec(program)])
    assert result.status == "normal"
    # A user of the worker's own (so its process limit is its own), never root.
    assert int(result.stdout) > RUN_UID_BASE


def test_results_keep_input_order_and_report_progress(pool: Pool) -> None:
    seen: list[int] = []
    specs = [RunSpec(f"import time\ntime.sleep({0.2 if i == 0 else 0})\nprint({i})")
             for i in range(6)]  # fmt: skip
    results = pool.run_many(specs, on_result=lambda index, _: seen.append(index))
    assert [r.stdout for r in results] == [f"{i}\n" for i in range(6)]
    assert sorted(seen) == list(range(6)) and seen[-1] == 0


def test_preload_failures_are_reported_and_the_pool_still_serves() -> None:
    with Pool(jobs=1, preload=("json", "no_such_module_qbank")) as started:
        assert set(started.missing) == {"no_such_module_qbank"}
        assert "ModuleNotFoundError" in started.missing["no_such_module_qbank"]
        assert started.python_version == ".".join(map(str, sys.version_info[:3]))
        (result,) = started.run_many([RunSpec("import no_such_module_qbank")])
        assert result.failure is not None and result.failure.type == "ModuleNotFoundError"


def test_invalid_file_names_are_refused_by_the_run_not_raised(pool: Pool) -> None:
    """A name outside the run folder is not an exception (issue 9, defect 7): the run is
    refused by the worker, inconclusive, with the reason."""
    (result,) = pool.run_many([RunSpec("", files=(("../x", ""),))])
    assert result.status == "worker-died" and result.failure is not None
    assert "'../x' has a `..` part" in result.failure.message


BOMB = """\
import os, time
while True:
    try:
        os.fork()
    except OSError:
        time.sleep(0.01)
"""
SPAWNS = """\
import subprocess, sys, time
time.sleep(0.5)  # the bomb (started beside it) has filled its process limit by now, or not:
for _ in range(10):  # either way, these must start
    subprocess.run([sys.executable, "-c", "pass"], check=True)
print("spawned")
"""


def test_a_fork_bomb_does_not_starve_the_run_beside_it(pool: Pool) -> None:
    """The process limit is per user, and each worker's runs have a user of their own (as
    root), so a run that forks until refused leaves the run in the other worker its own
    processes; a refused fork is a limit (inconclusive), never an exception that refutes."""
    bomb = RunSpec(BOMB, limits=Limits(timeout=3))
    spawns = RunSpec(SPAWNS, limits=Limits(timeout=60))
    first, second = pool.run_many([bomb, spawns])
    assert first.status in INCONCLUSIVE
    if os.geteuid() == 0:
        assert (second.status, second.stdout) == ("normal", "spawned\n"), second
