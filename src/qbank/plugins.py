"""Entry points by name, for the two plugin groups (``qbank.exporters``, ``qbank.importers``).

Listing them imports nothing: an entry point is loaded only when its name is asked for, so a
broken third-party plugin breaks only requests for its own name.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points


def entry_points_by_name(group: str) -> dict[str, EntryPoint]:
    """The entry points of `group` by name; on a clash qbank's own distribution wins, then
    the first found in distribution-name order (the same on every machine)."""
    found: dict[str, EntryPoint] = {}
    for point in sorted(entry_points(group=group), key=_dist_name):
        found.setdefault(point.name, point)
    return found


def _dist_name(point: EntryPoint) -> tuple[int, str]:
    dist = getattr(point, "dist", None)
    name = dist.name if dist is not None else ""
    return (0 if name == "qbank" else 1, name)


__all__ = ["entry_points_by_name"]
