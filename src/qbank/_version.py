"""qbank's version, readable without loading the library (the CLI answers `--version` with it)."""

__version__ = "0.1.0"
