"""Importers: existing banks (GIFT, Moodle XML, QTI, text2qti, Anki, JSON) → qbank YAML.

The room for DESIGN section 11: one module per format here, registered under the
entry-point group ``qbank.importers`` like the exporters, each turning a source file into
:class:`~qbank.model.Bank` values plus ``import-*`` problems for what has no place in the
model. None is built yet.
"""
