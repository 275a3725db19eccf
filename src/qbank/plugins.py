"""Entry points by name, for the two plugin groups (``qbank.exporters``, ``qbank.importers``).

Listing them imports nothing: an entry point is loaded only when its name is asked for, so a
broken third-party plugin breaks only requests for its own name.
"""

from __future__ import annotations

import inspect
from importlib.metadata import EntryPoint, entry_points
from typing import Any


def entry_points_by_name(group: str) -> dict[str, EntryPoint]:
    """The entry points of `group` by name; on a clash qbank's own distribution wins, then
    the first found in distribution-name order (the same on every machine)."""
    found: dict[str, EntryPoint] = {}
    for point in sorted(entry_points(group=group), key=_dist_name):
        found.setdefault(point.name, point)
    return found


def load_plugin(point: EntryPoint, base: type[Any], what: str, error: type[Exception]) -> type[Any]:
    """The class `point` names, which must subclass `base`; any failure to load it is an
    `error` naming the `what` (`exporter`, `importer`) and the entry point, for its name only."""
    try:
        loaded = point.load()
    except Exception as exc:  # any plugin failure is reported for its name only
        raise error(f"{what} `{point.name}` ({point.value}) could not be loaded: {exc}") from exc
    if not (inspect.isclass(loaded) and issubclass(loaded, base)):
        article = "an" if base.__name__[0] in "AEIOU" else "a"
        raise error(
            f"{what} `{point.name}` ({point.value}) is not {article} {base.__name__} subclass"
        )
    return loaded


def _dist_name(point: EntryPoint) -> tuple[int, str]:
    dist = getattr(point, "dist", None)
    name = dist.name if dist is not None else ""
    return (0 if name == "qbank" else 1, name)


__all__ = ["entry_points_by_name", "load_plugin"]
