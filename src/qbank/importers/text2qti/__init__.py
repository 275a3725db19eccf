"""text2qti's Markdown (``Quiz title:``, ``1.`` questions, ``*a)`` choices) as one bank.

==========================  ===============================================================
text2qti                    bank
==========================  ===============================================================
``Quiz title:``             the bank's ``title``; ``Quiz description:`` its ``description``
``Title:`` / ``Points:``    the next question's ``title`` / ``points``
``1.`` text                 ``prompt``; its one fenced code block lifted into ``code``
``*a)`` / ``b)``            ``multiple_choice`` (``true_false`` for two options True/False)
``[*]`` / ``[ ]``           ``multiple_answers``
``*`` answer                ``short_answer``: ``answers``
``= 5``, ``= 3 +- 0.1``,    ``numerical``: ``answer`` and ``tolerance`` (a range: its
``= [1, 2]``, ``+- 5%``     midpoint and half width)
``____``                    ``essay``
``^^^^``                    ``essay`` (``import-unknown-type``: no file upload)
``...`` after a choice      the choice's ``feedback``
``...`` / ``+`` after the   the ``explanation`` (general, then correct feedback)
question
``-`` (incorrect feedback)  a comment (``import-lost``); so are ``!`` solutions,
                            ``Text:`` regions, ``GROUP`` draws and quiz options
``$...$`` LaTeX             kept as text (``import-math``)
==========================  ===============================================================
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, Importer, ImportIssue, ImportResult
from qbank.importers.text2qti.build import Builder
from qbank.importers.text2qti.parser import entries

_SIGNS = (
    re.compile(rb"^[Qq]uiz [Tt]itle:[ \t]+\S", re.M),
    re.compile(
        rb"^\d+\.[ \t]+\S.*\n(?:[ \t].*\n|\n)*(?:\*?[a-zA-Z]\)|\[[ *]?\]|\*|=)[ \t]+\S", re.M
    ),
)


class Text2qtiImporter(Importer):
    """text2qti's plain-text quiz format."""

    name = "text2qti"
    description = "text2qti Markdown quizzes (Quiz title:, 1. questions, *a) choices)"
    suffixes: ClassVar[tuple[str, ...]] = (".md", ".txt")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in cls.suffixes:
            return False
        return any(sign.search(head) for sign in _SIGNS)

    def read(self, path: Path) -> ImportResult:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as failed:
            raise QbankError(f"{path}: cannot be read: {failed.strerror or failed}") from None
        except UnicodeDecodeError as failed:
            raise QbankError(f"{path}: not a text2qti file: not UTF-8 ({failed.reason})") from None
        builder = Builder(str(path), path.parent)
        for entry in entries(text):
            builder.add(entry)
        builder.finish()
        bank = ImportedBank(str(path), (), builder.title, builder.questions, builder.media)
        if builder.description:
            bank.data["description"] = builder.description
        result = ImportResult([bank] if bank.questions else [], builder.issues)
        if not bank.questions:
            result.issues.append(ImportIssue(str(path), 1, "the file holds no question", "empty"))
        return result


__all__ = ["Text2qtiImporter"]
