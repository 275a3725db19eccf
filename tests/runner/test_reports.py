"""Only a run that reported is judged: a lost, forged or impossible report is inconclusive."""

from __future__ import annotations

from runner_helpers import SMALL

from qbank.runner import INCONCLUSIVE, Pool, RunSpec


def test_closing_every_descriptor_does_not_lose_the_report(pool: Pool) -> None:
    spec = RunSpec("import os\nos.closerange(3, 1 << 16)\nprint('ok')",
                   check="assert stdout == answer", answers=("ok\n", "no\n"))  # fmt: skip
    (result,) = pool.run_many([spec])
    assert (result.status, result.exit_code, result.stdout) == ("normal", 0, "ok\n")
    assert [c.passed for c in result.checks] == [True, False]


def test_a_record_written_to_every_descriptor_is_not_taken_for_the_report(pool: Pool) -> None:
    fake = '{"kind": "run", "status": "normal", "exit_code": 0, "failure": null, '
    fake += '"raised_expected": false}\\n'
    program = f"import os\nfor fd in range(3, 1024):\n    try:\n        os.write(fd, b'{fake}')\n"
    program += "    except OSError:\n        pass\nos._exit(3)"
    (result,) = pool.run_many([RunSpec(program, check="assert True", limits=SMALL)])
    assert (result.status, result.exit_code, result.checks) == ("exit", 3, ())


def test_a_check_that_cannot_read_the_output_is_inconclusive_not_failed(pool: Pool) -> None:
    program = "import os\nprint('ok', flush=True)\nos.closerange(1, 1 << 16)"
    (result,) = pool.run_many([RunSpec(program, check="assert stdout == 'ok\\n'")])
    assert result.status in INCONCLUSIVE and result.inconclusive
    assert result.failure is not None and "closed its output" in result.failure.message


def test_fixtures_that_do_not_fit_the_file_limit_are_inconclusive(pool: Pool) -> None:
    spec = RunSpec("print(1)", files=(("big.txt", "x" * (2 << 20)),), limits=SMALL)
    results = pool.run_many([spec, RunSpec("print(2)", limits=SMALL)])
    assert results[0].status in INCONCLUSIVE
    assert results[0].failure is not None and "prepared" in results[0].failure.message
    assert results[1].stdout == "2\n"


def test_program_endings_seen_by_the_worker_are_still_judged(pool: Pool) -> None:
    exit7, segfault = pool.run_many([RunSpec("import os\nos._exit(70)"),
                                     RunSpec("import ctypes\nctypes.string_at(0)")])  # fmt: skip
    assert (exit7.status, exit7.exit_code) == ("exit", 70)
    assert (segfault.status, segfault.exit_code) == ("crash", -11)


def test_a_write_to_a_closed_pipe_raises_as_in_python(pool: Pool) -> None:
    program = "import os\nr, w = os.pipe()\nos.close(r)\ntry:\n    os.write(w, b'x')\n"
    program += "except BrokenPipeError:\n    print('BrokenPipeError')"
    (result,) = pool.run_many([RunSpec(program)])
    assert (result.status, result.stdout) == ("normal", "BrokenPipeError\n")
