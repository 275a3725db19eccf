"""Exporters, and the one face for plugin authors.

A format is an :class:`Exporter` subclass (``name``, ``file_extension``, an options model,
and ``render_bank`` or ``render_collection``), registered under the entry-point group
``qbank.exporters`` or dropped in a project's ``exporters/`` folder; see ``docs/plugins.md``.
:func:`qbank.testing.check_exporter` checks one against the exporter contract.

Listing names imports no exporter module: :func:`names` reads entry points, :func:`get`
imports only the format asked for.

- :mod:`~qbank.exporters.base`: the exporter protocol and the context exporters get;
- :mod:`~qbank.exporters.registry`: entry points and project-local exporters;
- :mod:`~qbank.exporters.display`: how every exporter shows a question (option order and
  letters, shown choices, keys, generated feedback);
- :mod:`~qbank.exporters.rich`, :mod:`~qbank.exporters.highlight`,
  :mod:`~qbank.exporters.templating`: Markdown to HTML, Pygments highlighting, Jinja;
- one module or folder per format: ``gift/``, ``anki/`` (``.apkg`` and text), ``markdown``,
  ``json``.
"""

from __future__ import annotations

from qbank.exporters.base import ExportContext, Exporter, ExporterOptions
from qbank.exporters.registry import (
    GROUP,
    LocalExporters,
    get,
    load_all,
    local_exporters,
    names,
    template_dirs,
)

__all__ = [
    "GROUP",
    "ExportContext",
    "Exporter",
    "ExporterOptions",
    "LocalExporters",
    "get",
    "load_all",
    "local_exporters",
    "names",
    "template_dirs",
]
