"""Importers: existing banks (GIFT, Moodle XML, QTI, text2qti, Anki, JSON) → qbank YAML.

The room for DESIGN section 11: one module per format here, registered under the
entry-point group ``qbank.importers`` like the exporters, each turning a source file into
:class:`~qbank.model.Bank` values plus ``import-*`` problems for what has no place in the
model. Built: ``gift`` (:mod:`.gift`), ``moodle`` (Moodle XML, :mod:`.moodle`) and ``json``
(qbank's own, :mod:`.json`); QTI, text2qti and Anki are still to come. :mod:`.registry`
finds them and guesses a file's format, :mod:`.writing` writes house-style YAML,
:mod:`.infer` turns "what does this print?" items into `output` questions (``--infer``), and
:mod:`.pipeline` joins them for ``qbank import`` and :func:`qbank.import_banks`.
"""
