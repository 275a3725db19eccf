"""What identifies a question in Moodle: its category, name, idnumber and tags.

* The category is GIFT's (:mod:`qbank.exporters.gift.categories`): ``$course$/top/`` and
  the bank's id path with its last segment replaced by the bank's title, so a bank lands in
  the same category whichever of the two formats imported it; a question's variants go in
  ``…/<question id>`` below it.
* The name (what teachers see in the question bank) is the question's title (a variant's
  ending `` #k``), else ``bank-id/question-id`` (``…#k``) as in GIFT, written so that
  Moodle's ``strip_tags`` eats nothing of it (``a<b`` is written ``a< b``), at most 255
  characters.
* The idnumber is ``bank-id/question-id`` (a variant's ``bank-id/question-id#k``). Moodle
  stores at most 100 characters (a longer one fails the database write and stops the
  import) and silently drops one already used in the category, so a longer one keeps its first 89 characters and a ``~`` with ten hex digits of
  its SHA-256, unique within the file.
"""

from __future__ import annotations

import hashlib
import re

from qbank.exporters.gift.categories import bank_path
from qbank.exporters.variants import variant_of
from qbank.model import LoadedBank, QuestionBase

MAX_IDNUMBER = 100
MAX_NAME = 255
_HASH = 10
# PHP's strip_tags (Moodle cleans a name with PARAM_TEXT) starts a tag at a `<` followed by
# anything but whitespace and eats up to the next `>`, or to the end of the text if none.
_TAG_RE = re.compile(r"<[^\s>][^>]*>")
_OPEN_RE = re.compile(r"<(?=\S)")


def category(loaded: LoadedBank) -> str:
    """The bank's category path, ``$course$/top/…`` (``/`` inside a name written ``//``)."""
    return bank_path(loaded)


def name(loaded: LoadedBank, question: QuestionBase) -> str:
    """The question's name: its title, else ``bank-id/question-id``; a variant's title ends
    in `` #k``, so that teachers tell the variants of one question apart."""
    if not question.title:
        return _cleaned(f"{loaded.id}/{question.id}", loaded, question)
    of = variant_of(question)
    suffix = f" #{of[1]}" if of else ""
    return _cleaned(question.title.strip(), loaded, question, len(suffix)) + suffix


def _cleaned(raw: str, loaded: LoadedBank, question: QuestionBase, room: int = 0) -> str:
    """`raw` as Moodle's ``strip_tags`` keeps it whole, at most 255 - `room` characters."""
    # Tags go, as Moodle would take them; a `<` that would start one ("a<b") gets a space,
    # so that the rest of the name survives; `>` and "a < b" are kept as they are.
    cleaned = " ".join(_TAG_RE.sub("", raw).split())[: MAX_NAME - room].strip()
    # Moodle trims the name before strip_tags, so a final `<` would open a tag: those go.
    cleaned = _OPEN_RE.sub("< ", cleaned.rstrip("< "))
    return cleaned or f"{loaded.id}/{question.id}"[: MAX_NAME - room]


def idnumber(full: str, used: set[str]) -> str:
    """`full` (``bank-id/question-id``) if it fits in 100 characters, else its prefix and a
    short hash; never one in `used` (which it joins)."""
    candidate, length = full, _HASH
    while (len(candidate) > MAX_IDNUMBER or candidate in used) and length <= 64:
        digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:length]
        candidate = full[: MAX_IDNUMBER - length - 1] + "~" + digest
        length += 2
    used.add(candidate)
    return candidate


__all__ = ["MAX_IDNUMBER", "MAX_NAME", "category", "idnumber", "name"]
