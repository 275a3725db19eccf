"""The Python program a run executes for a program in another language (compiled languages
compile first). It runs inside the run, so the run's isolation applies to the toolchain.

* The program is written to ``.qbank-program.<ext>`` in the run's working folder; a compiled
  one to ``.qbank-program``; both are removed when it ends (a `files` check sees only what
  the program wrote).
* A compiler that refuses the program raises ``CompileError`` with its first diagnostics
  (file names are the snippet fields: ``code:3:5: error: …``).
* The program's stdout and stderr are the run's (the file descriptors are inherited).
* Exit status 0 ends the run normally, with ``exit_code`` and ``files`` (:data:`FILES`)
  bound for `check`; another status
  is ``SystemExit(status)``; death by a signal is re-raised on the run itself (a crash).

The first line names the language and the toolchain's version: it is part of the run's
spec, so of its cache key (a new compiler proves again).
"""

from __future__ import annotations

FILES = r"""
def _qbank_files(limit=1 << 20, total=16 << 20):
    import os
    found = {}
    for folder, dirs, names in os.walk("."):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)[2:]
            if name.startswith(".qbank-") or not os.path.isfile(path) or total <= 0:
                continue
            with open(path, "rb") as handle:
                data = handle.read(min(limit, total))
            total -= len(data)
            try:
                found[path] = data.decode("utf-8")
            except UnicodeDecodeError:
                found[path] = data
    return found


files = _qbank_files()
"""
"""Binds `files` for `check`: each file of the working folder after the program ran (its
relative path -> text, or bytes when it is not UTF-8; at most 1 MiB each, 16 MiB in all)."""


_TEMPLATE = (
    r'''
import os, signal, subprocess, sys


class CompileError(Exception):
    """The program does not compile (the compiler's first diagnostics)."""


def _qbank_run(source, name, compile_argv, run_argv):
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(source)
    made = [name]
    try:
        if compile_argv:
            done = subprocess.run(compile_argv, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, errors="replace")
            if done.returncode != 0:
                lines = [l for l in done.stderr.splitlines() if l.strip()]
                errors = [l for l in lines if ": error:" in l or ": fatal error:" in l]
                raise CompileError("\n".join((errors or lines or ["the compiler failed"])[:3]))
            made.append(run_argv[0])
        sys.stdout.flush()
        sys.stderr.flush()
        status = subprocess.run(run_argv, stdin=subprocess.DEVNULL).returncode
    finally:
        for path in made:
            try:
                os.remove(path)
            except OSError:
                pass
    if status < 0:
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(-status, signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    return status


exit_code = _qbank_run(SOURCE, NAME, COMPILE, RUN)
'''
    + FILES
    + r"""
if exit_code:
    raise SystemExit(exit_code)
"""
)


def driver(
    language: str,
    version: str,
    source: str,
    file_name: str,
    run_argv: list[str],
    compile_argv: list[str] | None = None,
) -> str:
    """The driver of one program (see the module docstring)."""
    head = f"# qbank: {language} program, {version.strip()} (qbank.languages.driver)\n"
    values = (
        f"SOURCE = {source!r}\nNAME = {file_name!r}\n"
        f"COMPILE = {compile_argv!r}\nRUN = {run_argv!r}\n"
    )
    return head + values + _TEMPLATE


__all__ = ["driver"]
