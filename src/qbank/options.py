"""How to validate: the options `qbank validate` and `qbank export` share, as one value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Options:
    """How to validate (the `qbank validate` flags)."""

    execute: bool = True
    """Run the code (False: static checks only)."""
    jobs: int | None = None
    """Worker processes (default: one per core)."""
    python: str | None = None
    """Interpreter that runs the snippets (default: the current one)."""
    isolation: str = "fork"
    """`fork` (warm workers) or `subprocess` (a fresh interpreter per run)."""
    cache: bool = True
    """Reuse results of unchanged runs from `.qbank_cache/`."""
    cache_dir: str | None = None
    """Where the cache lives (default: `.qbank_cache` under the project root)."""
    limits: dict[str, float] = field(default_factory=dict)
    """Default limits (`timeout`, `memory`, `output_limit`, `file_limit`) for runs whose
    question and bank set none."""
    progress: Callable[[int, int], None] | None = None
    """Called with (runs done, runs to do) as runs finish (for progress bars)."""
