"""Proof by running: which runs a question needs, how to read one, and the truth table.

- :mod:`~qbank.prove.plan`: a question → the runs that prove it (DESIGN section 2);
- :mod:`~qbank.prove.reading`: one run's result read the way the truth table reads it
  (ended normally? which `expect` failed? how a wrong option was refuted);
- :mod:`~qbank.prove.truth`: the truth table: from a question's readings, its verdict;
- :mod:`~qbank.prove.coordinate`: the coordination of a collection's runs: requirements,
  the cache, warm worker pools grouped by preload and warmup, verdicts → :class:`Proof`;
- :mod:`~qbank.prove.environment`: the probe of the target interpreter (version,
  installed distributions, importable modules).

Proving returns its outcome; :func:`qbank.validation.validate` builds the report from it.
"""

from __future__ import annotations

from qbank.prove.coordinate import Proof, prove
from qbank.prove.memo import QuestionProof

__all__ = ["Proof", "QuestionProof", "prove"]
