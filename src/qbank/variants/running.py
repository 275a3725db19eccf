"""Running the `params` of a collection's templates: one run each, cached like every run.

The runs go through the same runner as proofs (a :class:`~qbank.runner.Pool` of isolated
workers, with the bank's limits and the command line's defaults) and the same cache: the
key is the run's spec (the driver holds `params` and the seeds) and the fingerprint of the
target interpreter, so an unchanged template draws its values from the cache, and a new
Python or a changed distribution draws them again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qbank.cache import Cache, run_key
from qbank.model import LoadedBank
from qbank.model.variants import Template
from qbank.prove.environment import Probed, probe
from qbank.prove.plan import bank_limits
from qbank.runner import Pool, RunResult, RunSpec
from qbank.variants.params import params_spec

if TYPE_CHECKING:
    from qbank.options import Options

Draw = tuple[LoadedBank, Template]
"""A template to draw the values of, with its bank."""

_SALT = "params-1"
"""Part of every key of a params run (the driver's protocol version)."""


def run_params(
    draws: Sequence[Draw], options: Options, cache: Cache | None, started: Probed | None = None
) -> list[RunResult | None]:
    """The result of each template's params run (None: it was not run, the runner failed).
    `started`: the probe of the target interpreter, read (else it is probed here)."""
    if not draws:
        return []
    environment = started.environment if started is not None else probe(options.python)
    salt = f"{environment.fingerprint}:{_SALT}"
    specs = [
        params_spec(loaded.id, t, bank_limits(loaded.bank, options.limits)) for loaded, t in draws
    ]
    keys = [run_key([spec], salt) for spec in specs]
    found = cache.get_many(keys) if cache is not None else {}
    results: list[RunResult | None] = [
        found[key][0] if len(found.get(key) or ()) == 1 else None for key in keys
    ]
    pending = [i for i, result in enumerate(results) if result is None]
    fresh = _run([specs[i] for i in pending], options)
    for i, result in zip(pending, fresh, strict=True):
        results[i] = result
    if cache is not None:
        cache.put_many({keys[i]: [r] for i, r in zip(pending, fresh, strict=True)})
    return results


def _run(specs: list[RunSpec], options: Options) -> list[RunResult]:
    if not specs:
        return []
    workers = min(options.jobs or os.cpu_count() or 1, len(specs))
    pool = Pool(python=options.python or sys.executable, jobs=workers, isolation=options.isolation)
    with pool:
        return pool.run_many(specs)


__all__ = ["Draw", "run_params"]
