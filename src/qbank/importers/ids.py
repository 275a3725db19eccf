"""Ids and file names for imported banks: valid, unique, and the same for the same input.

A question's id comes from the id the source data gives, else its idnumber (the part after
its last `/`: qbank's own exports write `bank-id/question-id`), else its title,
else its position (`q3`), slugged to the model's id pattern (lower case ASCII letters,
digits, `-`, `_`, `.`; at most 120 characters) and made unique in its bank with `-2`, `-3`
(ids the source gives first, so a position never takes a later question's own id).
A bank's file is its category path, each part slugged (`Python / Loops` ->
`python/loops.yaml`), or the source file's name; two banks that would get one file get
`-2`, `-3` in the order they were read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from qbank.importers.base import ImportedBank, ImportedQuestion
from qbank.model.base import ID_PATTERN

MAX_ID = 120
MAX_TITLE = 200
"""The model's longest title (Moodle and GIFT names may hold 255 characters)."""
_ID_RE = re.compile(ID_PATTERN)
_NOT_ID = re.compile(r"[^a-z0-9_.]+")


def slug(text: str, max_length: int = MAX_ID) -> str:
    """`text` as an id: ASCII, lower case, runs of other characters as one `-` ("" if none)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cut = _NOT_ID.sub("-", ascii_text.lower()).strip("-_.")
    return cut[:max_length].rstrip("-_.")


def title_of(name: str) -> tuple[str, str | None]:
    """A source's name of a question as its title (one line, at most :data:`MAX_TITLE`
    characters), and what was cut off (None: nothing), which the importer keeps as a
    comment with an ``import-lost`` issue."""
    title = " ".join(name.split())
    if len(title) <= MAX_TITLE:
        return title, None
    return title[:MAX_TITLE].rstrip(), title[MAX_TITLE:].lstrip()


def id_path(name: str | None) -> tuple[str, str] | None:
    """(bank id, question id) of a name written as ``bank-id/question-id`` (how qbank's own
    exporters name a question), else None."""
    if not name or "/" not in name:
        return None
    bank_id, _, question_id = name.strip().rpartition("/")
    if is_valid(question_id) and all(is_valid(part) for part in bank_id.split("/")):
        return bank_id, question_id
    return None


def is_valid(question_id: object) -> bool:
    return (
        isinstance(question_id, str)
        and len(question_id) <= MAX_ID
        and _ID_RE.match(question_id) is not None
    )


def _unique(base: str, taken: set[str]) -> str:
    if base.casefold() not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_ID - len(suffix)].rstrip("-_.") + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


def _wanted(question: ImportedQuestion, position: int) -> tuple[str, str | None, bool]:
    """The id a question asks for, why it differs from the source's (if it does), and
    whether it is only its position (`q3`: nothing of the source names it)."""
    given = question.data.get("id")
    if is_valid(given):
        return str(given), None, False
    idnumber = question.idnumber.rsplit("/", 1)[-1] if question.idnumber else None
    for origin in (given, idnumber, question.title):
        if isinstance(origin, str) and slug(origin):
            made = slug(origin)
            changed = f"the id {origin!r} is not valid: it is `{made}`"
            return made, changed if origin is given else None, False
    why = f"the id {given!r} is not valid" if given is not None else None
    return f"q{position}", why, True


def question_ids(questions: Iterable[ImportedQuestion]) -> list[tuple[str, str | None]]:
    """Each question's id in its bank, with the reason it was changed (None: not changed).
    The ids the source gives (an id, idnumber or title) are settled first, in order, then
    the positional ones: an untitled third question's `q3` never takes the `q3` a later
    question is given (that one would become `q3-2`)."""
    wanted = [_wanted(question, n) for n, question in enumerate(questions, start=1)]
    taken: set[str] = set()
    result: list[tuple[str, str | None]] = [(made, why) for made, why, _ in wanted]
    for late in (False, True):
        for index, (made, why, positional) in enumerate(wanted):
            if positional != late:
                continue
            final = _unique(made, taken)
            if final != made:
                why = f"the id `{made}` is taken in this bank: it is `{final}`"
            taken.add(final.casefold())
            result[index] = (final, why)
    return result


def bank_parts(bank: ImportedBank) -> list[str]:
    """The slugged path of a bank's file under the output folder, without suffix."""
    parts = [slug(part, 80) for part in bank.category]
    parts = [part for part in parts if part]
    return parts or [slug(Path(bank.source).stem, 80) or "bank"]


def bank_paths(banks: Iterable[ImportedBank], out: Path) -> list[Path]:
    """Each bank's file under `out`, unique (case ignored), in the order given."""
    taken: set[str] = set()
    paths = []
    for bank in banks:
        parts = bank_parts(bank)
        last, number = parts[-1], 1
        while "/".join(parts).casefold() in taken:
            number += 1
            parts[-1] = f"{last}-{number}"
        taken.add("/".join(parts).casefold())
        paths.append(out.joinpath(*parts[:-1], parts[-1] + ".yaml"))
    return paths


__all__ = [
    "MAX_ID",
    "MAX_TITLE",
    "bank_parts",
    "bank_paths",
    "id_path",
    "is_valid",
    "question_ids",
    "slug",
    "title_of",
]
