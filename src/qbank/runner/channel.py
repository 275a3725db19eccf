"""The worker's end of the protocol pipe from the pool (stdlib only).

A buffered line reader that can also be polled while a run is in progress: end of file means
that the pool is gone (closed, or killed with ``kill -9``), and the run must end now.
"""

from __future__ import annotations

import os


class Channel:
    """Lines read from ``fd``; ``pump`` reads what is available without losing it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.eof = False
        self._buffer = b""

    def pump(self) -> bool:
        """Read what is ready (call when select says so); False at end of file."""
        data = os.read(self.fd, 1 << 20)
        if not data:
            self.eof = True
        self._buffer += data
        return not self.eof

    def readline(self) -> bytes:
        """The next line, blocking; b"" at end of file."""
        while b"\n" not in self._buffer and not self.eof:
            self.pump()
        if b"\n" not in self._buffer:
            return b""
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line + b"\n"
