"""The exporter registry: format name -> :class:`~qbank.exporters.base.Exporter` class.

Exporters are found in two places:

* the entry-point group ``qbank.exporters`` (qbank's own formats too), so that another
  package adds a format by declaring an entry point, without touching qbank;
* the ``exporters/`` folder at the root of a bank project (the folder holding ``qbank.toml``,
  ``pyproject.toml`` or ``.git``): every ``*.py`` module there that defines ``Exporter``
  subclasses adds them, without packaging. A project-local exporter wins over an entry point
  of the same name. ``exporters/templates/`` overrides built-in templates.

Listing entry-point names imports nothing; asking for one format imports only its module, so
a broken third-party plugin breaks only requests for its own name. Project-local modules are
imported when a project is given (they are the project's own code).
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import inspect
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import EntryPoint
from pathlib import Path

from qbank.errors import ExporterNotFound, ExportError
from qbank.exporters.base import Exporter
from qbank.plugins import entry_points_by_name, load_plugin

GROUP = "qbank.exporters"
LOCAL_FOLDER = "exporters"
TEMPLATE_FOLDER = "templates"


def _entry_points() -> dict[str, EntryPoint]:
    return entry_points_by_name(GROUP)


@dataclass
class LocalExporters:
    """What a project's ``exporters/`` folder provides."""

    classes: dict[str, type[Exporter]] = field(default_factory=dict)
    """Format name -> exporter class."""
    errors: dict[str, str] = field(default_factory=dict)
    """Module file -> why it could not be imported."""


def local_folder(project: Path | None) -> Path | None:
    """The project's ``exporters/`` folder, if it has one."""
    if project is None:
        return None
    folder = Path(project) / LOCAL_FOLDER
    return folder if folder.is_dir() else None


def template_dirs(project: Path | None) -> tuple[str, ...]:
    """The project's template override folder (``exporters/templates/``), if any."""
    folder = local_folder(project)
    templates = folder / TEMPLATE_FOLDER if folder else None
    return (str(templates),) if templates is not None and templates.is_dir() else ()


def local_exporters(project: Path | None) -> LocalExporters:
    """Import the project's ``exporters/*.py`` modules and collect their exporters."""
    folder = local_folder(project)
    result = LocalExporters()
    if folder is None:
        return result
    for module_file in sorted(folder.glob("*.py")):
        if module_file.name.startswith("_"):
            continue
        try:
            classes = _load_local(str(module_file.resolve()), module_file.stat().st_mtime_ns)
        except Exception as exc:  # a broken local module must not break the others
            result.errors[str(module_file)] = f"{type(exc).__name__}: {exc}"
            continue
        for cls in classes:
            result.classes.setdefault(cls.name, cls)
    return result


@lru_cache(maxsize=64)
def _load_local(path: str, mtime: int) -> tuple[type[Exporter], ...]:
    digest = hashlib.sha256(f"{path}:{mtime}".encode()).hexdigest()[:12]
    module_name = f"qbank_local_exporters_{digest}.{Path(path).stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return tuple(
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, Exporter)
        and obj.__module__ == module_name
        and not inspect.isabstract(obj)
        and isinstance(getattr(obj, "name", None), str)
    )


def names(project: Path | None = None) -> list[str]:
    """Every format name, sorted (entry points are listed without importing them)."""
    return sorted(set(_entry_points()) | set(local_exporters(project).classes))


_REGISTERED: ContextVar[Mapping[str, type[Exporter]] | None] = ContextVar(
    "qbank_registered", default=None
)


@contextmanager
def registered(cls: type[Exporter]) -> Iterator[None]:
    """Within the block, and only in this thread or task, :func:`get` finds `cls` under its
    name first (``qbank.testing.check_exporter`` exports with an exporter not installed)."""
    token = _REGISTERED.set({**(_REGISTERED.get() or {}), cls.name: cls})
    try:
        yield
    finally:
        _REGISTERED.reset(token)


def get(name: str, project: Path | None = None) -> type[Exporter]:
    """The exporter class called `name`, importing only its module.

    Raises :class:`ExporterNotFound` (with "did you mean") for an unknown name and
    :class:`ExportError` when the exporter exists but cannot be loaded.
    """
    override = (_REGISTERED.get() or {}).get(name)
    if override is not None:
        return override
    local = local_exporters(project)
    if name in local.classes:
        return local.classes[name]
    point = _entry_points().get(name)
    if point is None:
        raise ExporterNotFound(_not_found(name, names(project), local.errors))
    return load_plugin(point, Exporter, "exporter", ExportError)


def _not_found(name: str, known: list[str], errors: dict[str, str]) -> str:
    message = f"no exporter called `{name}`"
    close = difflib.get_close_matches(name, known, n=1)
    message += f"; did you mean `{close[0]}`?" if close else ""
    message += f" (known: {', '.join(known)})" if known else ""
    for path, error in errors.items():
        message += f"\n{path} could not be imported: {error}"
    return message


def load_all(project: Path | None = None) -> dict[str, type[Exporter] | Exception]:
    """Every exporter by name, loaded; one that cannot be loaded maps to its exception."""
    result: dict[str, type[Exporter] | Exception] = {}
    for name in names(project):
        try:
            result[name] = get(name, project)
        except ExportError as exc:
            result[name] = exc
    return result


__all__ = [
    "GROUP",
    "LocalExporters",
    "get",
    "load_all",
    "local_exporters",
    "names",
    "template_dirs",
]
