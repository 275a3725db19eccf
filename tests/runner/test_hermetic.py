"""Runs are hermetic: nothing one run does is seen by another run, or left on the host."""

from __future__ import annotations

import os
import socket
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from runner_helpers import SMALL

from qbank.runner import Limits, Pool, RunSpec

PATIENT = Limits(timeout=120.0, memory=SMALL.memory, output_limit=SMALL.output_limit,
                 file_limit=1 << 20)  # fmt: skip
PROJECT = Path(__file__).resolve().parents[2]
SPOTS = ("/tmp", "/var/tmp", "/dev/shm", "~")


def _writer(marker: str) -> RunSpec:
    paths = [os.path.join(spot, marker) for spot in SPOTS] + [marker]
    program = f"import os\nfor p in {paths!r}:\n    open(os.path.expanduser(p), 'w').write('x')"
    return RunSpec(program + "\nprint('wrote')", limits=SMALL)


def _reader(marker: str) -> RunSpec:
    paths = [os.path.join(spot, marker) for spot in SPOTS] + [marker]
    program = f"import os\nprint([p for p in {paths!r} if os.path.exists(os.path.expanduser(p))])"
    return RunSpec(program, limits=SMALL)


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_a_run_writes_are_seen_by_no_other_run_and_not_left(jobs: int, marker: str) -> None:
    with Pool(jobs=jobs) as pool:
        results = pool.run_many([_reader(marker), _writer(marker), _reader(marker),
                                 _reader(marker)])  # fmt: skip
    assert [r.stdout for r in results] == ["[]\n", "wrote\n", "[]\n", "[]\n"]
    for spot in ("/tmp", "/var/tmp", "/dev/shm"):
        assert not os.path.exists(os.path.join(spot, marker))


def test_all_files_of_a_run_count_against_one_total(pool: Pool) -> None:
    program = "for i in range(30):\n    open(f'/tmp/f{i}', 'wb').write(b'x' * (512 << 10))"
    (result,) = pool.run_many([RunSpec(program, limits=PATIENT)])
    assert (result.status, result.inconclusive) == ("file-limit", True)


TIME_WAIT = """
import socket
server = socket.socket()
server.bind(("127.0.0.1", 47123))
server.listen()
client = socket.create_connection(("127.0.0.1", 47123))
conn, _ = server.accept()
conn.close()  # the server side closes first: its end of the connection stays in TIME_WAIT
client.recv(1)
client.close()
server.close()
print("bound")
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_port_in_time_wait_does_not_reach_the_next_run(jobs: int) -> None:
    with Pool(jobs=jobs) as pool:
        results = pool.run_many([RunSpec(TIME_WAIT, limits=SMALL)] * 3)
    assert [(r.status, r.stdout) for r in results] == [("normal", "bound\n")] * 3


def test_a_run_sees_neither_host_tmp_nor_other_run_folders(pool: Pool, marker: str) -> None:
    with tempfile.NamedTemporaryFile(prefix=f"qbank-{marker}-") as host_file:
        program = "import os\nprint(sorted(os.listdir('/tmp')), os.getcwd())"
        (result,) = pool.run_many([RunSpec(program, limits=SMALL)])
        assert os.path.basename(host_file.name) not in result.stdout
    assert "qbank-runs-" not in result.stdout and "pytest" not in result.stdout


@pytest.fixture
def host_socket() -> Iterator[str]:
    """A Unix socket anyone may connect to, bound outside /tmp before the pool starts."""
    folder = tempfile.mkdtemp(prefix=".sockets-", dir=Path(__file__).parent)
    path = os.path.join(folder, "s")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        os.chmod(folder, 0o755)
        os.chmod(path, 0o777)
        yield path
    os.unlink(path)
    os.rmdir(folder)


def test_host_unix_sockets_are_out_of_reach(host_socket: str, marker: str) -> None:
    with socket.socket(socket.AF_UNIX) as abstract:
        abstract.bind("\0qbank-" + marker)
        abstract.listen()
        program = "import socket\nfor address in {!r}:\n    s = socket.socket(socket.AF_UNIX)\n"
        program += "    try:\n        s.connect(address)\n        print('reached', address)\n"
        program += "    except OSError as exc:\n        print(type(exc).__name__)"
        addresses = [host_socket, "\0qbank-" + marker]
        with Pool(jobs=1) as pool:
            (result,) = pool.run_many([RunSpec(program.format(addresses), limits=SMALL)])
    assert result.status == "normal" and "reached" not in result.stdout, result.stdout


def test_a_run_cannot_write_the_project_the_bank_or_the_venv(pool: Pool, marker: str) -> None:
    folders = [sysconfig.get_paths()["purelib"], str(PROJECT), str(PROJECT / "tests" / "cases")]
    targets = [os.path.join(f, f"qbank-{marker}.pth") for f in folders]
    program = f"for path in {targets!r}:\n    try:\n        open(path, 'w').write('import os')\n"
    program += "        print('wrote', path)\n    except OSError as exc:\n        print(exc.errno)"
    try:
        (result,) = pool.run_many([RunSpec(program, limits=SMALL)])
        assert "wrote" not in result.stdout and result.status == "normal", result.stdout
    finally:
        written = [t for t in targets if os.path.exists(t)]
        for path in written:
            os.unlink(path)
    assert written == []


def test_verdicts_do_not_depend_on_jobs_or_order(marker: str) -> None:
    shm = "import os\nprint(sorted(os.listdir('/dev/shm')))\nopen('/dev/shm/seg', 'w')"
    specs = [_writer(marker), _reader(marker), RunSpec(TIME_WAIT, limits=SMALL),
             RunSpec(shm, limits=SMALL), RunSpec(TIME_WAIT, limits=SMALL),
             RunSpec(shm, limits=SMALL)]  # fmt: skip
    seen = []
    for jobs in (1, 2):
        for order in (list(range(len(specs))), list(reversed(range(len(specs))))):
            with Pool(jobs=jobs) as pool:
                results = pool.run_many([specs[i] for i in order])
            by_spec = dict(zip(order, results, strict=True))
            seen.append([(by_spec[i].status, by_spec[i].stdout) for i in range(len(specs))])
    assert all(verdicts == seen[0] for verdicts in seen), seen
    assert seen[0][1] == ("normal", "[]\n") and seen[0][3] == ("normal", "[]\n")
