"""Identifiers and file names in the package, derived from bank and question ids, never random.

QTI 2.1 identifiers (of choices, responses, outcomes) are ``xs:NCName``: a letter or ``_``
first, then letters, digits, ``.``, ``-`` and ``_``. Content-package identifiers are
``xs:ID``, also NCNames, and unique in the whole manifest. Bank ids hold ``/`` and may start
with a digit, so an identifier is a readable slug of the ids plus 8 hex digits of the
SHA-256 of the exact ids: unique (two ids that slug the same still differ in the hash),
stable across exports (it depends on nothing else), and safe as a file name everywhere
(ASCII, lower case, at most 120 characters).

* an item: ``<bank slug>--q-<hash>``, its file ``<identifier>.xml``;
* a section: ``section-<bank slug>-<hash>``; the section drawing one of a question's
  variants: ``pick-<bank slug>-<hash>``; the test: ``test-<hash of every bank id>``;
* an option, a matching item or target: ``choice-<hash>`` (of the bank and question ids and
  its authored position, or its text for a target);
* manifest resources add a prefix to the identifier of what they describe (``res-``, ``media-``).

Nothing a learner's browser can see names the question or the key: a question id may give
the answer away (``append-returns-none``), and a delivery engine writes identifiers into the
page (``<input value="choice-…">``), so they are hashes, and the right option is not
``choice-1`` or ``key``.
"""

from __future__ import annotations

import hashlib
import re

from qbank.model import LoadedBank, QuestionBase

_UNSAFE = re.compile(r"[^a-z0-9]+")
_SLUG = 48
_HASH = 8


def _slug(value: str) -> str:
    return _UNSAFE.sub("-", value.lower()).strip("-")[:_SLUG].strip("-") or "x"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:_HASH]


def _ncname(value: str) -> str:
    """`value` (already ASCII letters, digits and ``-``) starting with a letter."""
    return value if value[:1].isalpha() else "q" + value


def item(loaded: LoadedBank, question: QuestionBase) -> str:
    """The identifier of a question's ``assessmentItem`` (and the stem of its file)."""
    return _ncname(f"{_slug(loaded.id)}--q-{_digest(loaded.id, question.id)}")


def item_file(identifier: str) -> str:
    """Where an item lives in the package (at its root, beside the test)."""
    return f"{identifier}.xml"


def section(loaded: LoadedBank) -> str:
    """The identifier of a bank's ``assessmentSection``."""
    return f"section-{_slug(loaded.id)}-{_digest(loaded.id)}"


def pick(loaded: LoadedBank, template_id: str) -> str:
    """The identifier of the ``assessmentSection`` that selects one of a question's
    variants (from the template's id, which no item has: the variants are ``id#k``)."""
    return f"pick-{_slug(loaded.id)}-{_digest(loaded.id, 'pick', template_id)}"


def test(bank_ids: list[str]) -> str:
    """The identifier of the ``assessmentTest`` holding `bank_ids` (in order)."""
    return f"test-{_digest('test', *bank_ids)}"


def resource(identifier: str) -> str:
    """The manifest resource describing the item or test `identifier`."""
    return f"res-{identifier}"


def media_resource(file_name: str) -> str:
    """The manifest resource of a media file (names are unique by content already)."""
    return "media-" + _UNSAFE.sub("-", file_name.lower()).strip("-")


def choice(loaded: LoadedBank, question: QuestionBase, part: str) -> str:
    """The identifier of a part of a question (``part``: an option's authored position,
    ``key`` for an ``output`` question's right output, ``left-<n>`` or ``target:<text>`` in
    matching), opaque and stable."""
    return f"choice-{_digest(loaded.id, question.id, part)}"


__all__ = [
    "choice",
    "item",
    "item_file",
    "media_resource",
    "pick",
    "resource",
    "section",
    "test",
]
