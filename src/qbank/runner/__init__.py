"""The execution layer: run snippets in isolated, limited processes and report what happened.

It knows nothing of questions or banks: callers describe each run as a ``RunSpec`` and get a
``RunResult`` back from a ``Pool``.
"""

from qbank.errors import RunnerError

from .pool import Pool
from .spec import INCONCLUSIVE, STATUSES, CheckResult, Failure, Limits, RunResult, RunSpec

__all__ = [
    "INCONCLUSIVE",
    "STATUSES",
    "CheckResult",
    "Failure",
    "Limits",
    "Pool",
    "RunResult",
    "RunSpec",
    "RunnerError",
]
