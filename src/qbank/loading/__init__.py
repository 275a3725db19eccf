"""Loading: bank files → a :class:`~qbank.model.Collection`, every problem at its line.

- :mod:`~qbank.loading.files`: which files are banks, the project root, default bank ids;
- :mod:`~qbank.loading.yamlio`: YAML composed with exact lines, refusing what YAML hides
  (duplicate keys, tabs, aliases that explode);
- :mod:`~qbank.loading.locate`: Pydantic's errors mapped back to YAML lines, "did you mean";
- :mod:`~qbank.loading.loader`: one file or many, cached by content.
"""

from __future__ import annotations

from qbank.loading.files import BANK_SUFFIXES, default_bank_id, find_bank_files, project_root
from qbank.loading.loader import ObjectStore, content_key, load_file, load_paths

__all__ = [
    "BANK_SUFFIXES",
    "ObjectStore",
    "content_key",
    "default_bank_id",
    "find_bank_files",
    "load_file",
    "load_paths",
    "project_root",
]
