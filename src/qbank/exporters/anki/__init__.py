"""Anki: an ``.apkg`` deck (:mod:`~qbank.exporters.anki.apkg`, through genanki) and a text
export (:mod:`~qbank.exporters.anki.text`), sharing one note type
(:mod:`~qbank.exporters.anki.notetype`) and one rendering of a question's fields
(:mod:`~qbank.exporters.anki.fields`, :mod:`~qbank.exporters.anki.html`).

Nothing is imported here, so the text export never loads genanki.
"""
