"""Running an interactive session like the shell, and reading what its transcripts say.

A session's run executes a **driver** program, generated here at plan time, in place of the
session's text: it compiles each statement in `single` mode, under the file name
`<qbank:code>` (`<qbank:fix>` for a bug's fix) and at its own line of the session, and runs it
in the run's one `__main__` namespace, so bare expressions echo their `repr` through
`sys.displayhook` and `_` works. An uncaught exception prints its last line
(`ZeroDivisionError: division by zero`) and the session goes on; `SystemExit` ends it.

What a statement with a transcript prints is captured (at the file-descriptor level) and
compared with the transcript after the last statement; what the other statements print is
the run's stdout (an `output` question's answer). If a transcript does not hold, the driver
raises `TranscriptMismatch`, from the first such statement's line, naming each statement
whose transcript does not hold (:mod:`qbank.prove.transcripts` reads it).

The driver is plain Python (>= 3.9, stdlib only): it runs in the target interpreter.
"""

from __future__ import annotations

from qbank.model.session import parse_session

#: The first line of every driver program: how a run is recognised as a session's.
MARK = "# qbank: an interactive session, run statement by statement (qbank.prove.session)"
MISMATCH = "TranscriptMismatch"

_DRIVER = r'''
import __future__, linecache, os, sys, tempfile, traceback

FEATURES = [getattr(__future__, f).compiler_flag for f in __future__.all_feature_names]


class TranscriptMismatch(AssertionError):
    """A statement of the session printed something else than its transcript says."""


def flush():
    for stream in (sys.stdout, sys.__stdout__):
        try:
            stream.flush()
        except Exception:
            pass


def normal(text):
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def short(text, limit=120):
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def last_line(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    return next((line for line in lines if not line[:1].isspace()), lines[-1])


def report(exc):
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, exc.__traceback__
    try:
        sys.stdout.write(last_line(exc))
    except Exception:
        pass


class Session:
    def __init__(self, main, text, snippet):
        self.main, self.flags = main, 0
        self.name = "<qbank:" + snippet + ">"
        linecache.cache[self.name] = (len(text), None, text.splitlines(True), self.name)

    def execute(self, source, line):
        """Run one statement like the shell; returns the SystemExit that ends the session."""
        try:
            code = compile("\n" * (line - 1) + source, self.name, "single", self.flags, True)
            self.flags |= sum(f for f in FEATURES if code.co_flags & f)
            exec(code, self.main)
        except SystemExit as exc:
            flush()
            return exc
        except MemoryError:
            raise
        except OSError as exc:
            if exc.errno == 27:  # EFBIG: a file limit, not the statement's outcome
                raise
            report(exc)
        except BaseException as exc:
            report(exc)
        flush()
        return None

    def captured(self, source, line):
        """Run one statement; what it printed (at the descriptor level), and its SystemExit."""
        flush()
        saved, sink = os.dup(1), tempfile.TemporaryFile()
        os.dup2(sink.fileno(), 1)
        try:
            stop = self.execute(source, line)
        finally:
            flush()
            os.dup2(saved, 1)
            os.close(saved)
            sink.seek(0)
            got = sink.read(1 << 20).decode("utf-8", "replace")
            sink.close()
        return got, stop

    def raise_at(self, line, exc):
        exec(compile("\n" * (line - 1) + "raise exc", self.name, "exec"), {"exc": exc})


def run(main, statements, text, snippet):
    session, wrong, stop = Session(main, text, snippet), [], None
    for source, line, expected in statements:
        head = "`>>> " + source.split("\n")[0].strip() + "`"
        if stop is not None:
            if expected is not None:
                wrong.append((line, head + " did not run: the session ended before it"))
        elif expected is None:
            stop = session.execute(source, line)
        else:
            got, stop = session.captured(source, line)
            if normal(got) != expected:
                said = " printed " + short(normal(got)) + ", the transcript says "
                wrong.append((line, head + said + short(expected)))
    if wrong:
        said = "\n".join("line %d: %s" % entry for entry in wrong)
        session.raise_at(wrong[0][0], TranscriptMismatch(said))
    if stop is not None:
        raise stop


run(*ARGS)
'''


def driver(code: str, snippet: str = "code") -> str:
    """The program a run of session `code` executes (`snippet`: `code`, or `fix`)."""
    statements = [(s.source, s.line, s.expected) for s in parse_session(code) if not s.blank]
    args = f"(globals(), {statements!r}, {code!r}, {snippet!r})"
    names = f"{{'__builtins__': __builtins__, '__name__': '__qbank_session__', 'ARGS': {args}}}"
    compiled = f"compile({_DRIVER!r}, '<qbank session driver>', 'exec', dont_inherit=True)"
    return f"{MARK}\nexec(\n    {compiled},\n    {names},\n)\n"


__all__ = ["MARK", "MISMATCH", "driver"]
