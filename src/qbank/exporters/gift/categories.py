"""Where each question lands in Moodle's question bank: the category switches of a file.

A bank's questions go in its category (``$course$/top/<id path, last segment the bank's
title>``). A question's variants go in a category of their own below it, named by the
question's id: ``…/<bank title>/<question id>``. Moodle's "Add a random question" draws one
question per attempt from a category, so a quiz slot of that category gives each learner
one variant. The id, not the title, names it: ids are unique in a bank, so two questions'
variants never share a category (a random slot would then draw from both), and Moodle finds
an existing category by name under its parent, so a re-import after the title changed still
lands in the same category. Plain questions after a question's variants switch back to the
bank's category.

Moodle's ``create_category_path`` creates every missing category of a path, splits it on
single slashes (``//`` is a slash inside a name) and trims each name; GIFT and Moodle XML
share these paths (``question/format.php``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qbank.exporters.variants import Group, groups
from qbank.model import LoadedBank, QuestionBase

_TAG_RE = re.compile(r"<[^>]*>")


def category_name(name: str) -> str:
    """One name of a category path: tags gone, ``/`` written ``//``, never starting or ending
    with a slash Moodle would read as a separator."""
    name = _TAG_RE.sub("", " ".join(name.split())).replace("\\", "").replace("/", "//")
    # Moodle splits the path on single slashes; a name that starts or ends with one gets a
    # space there, as Moodle's own exporter does.
    name = " " + name if name.startswith("/") else name
    return name + " " if name.endswith("/") else name


def bank_path(loaded: LoadedBank) -> str:
    """``$course$/top/<id path, last segment = title>``: the bank's category."""
    segments = loaded.id.split("/")
    if loaded.bank.title and loaded.bank.title.strip():
        segments[-1] = loaded.bank.title
    return "$course$/top/" + "/".join(category_name(segment) for segment in segments)


def variants_path(loaded: LoadedBank, group: Group) -> str:
    """``<the bank's category>/<question id>``: the category of one question's variants."""
    return bank_path(loaded) + "/" + category_name(group.id)


@dataclass(frozen=True)
class Placed:
    """A question to write, the group it belongs to, and the category to switch to first
    (None: it stays in the current one)."""

    question: QuestionBase
    group: Group
    switch: str | None


def placed(loaded: LoadedBank, questions: Iterable[QuestionBase]) -> list[Placed]:
    """`questions` (those of `loaded` a format writes, in order) with their category switches,
    the file having started in the bank's category."""
    current, found = bank_path(loaded), []
    for group in groups(questions):
        target = variants_path(loaded, group) if group.varied else bank_path(loaded)
        for index, question in enumerate(group.questions):
            switch = target if index == 0 and target != current else None
            found.append(Placed(question, group, switch))
        current = target
    return found


__all__ = ["Placed", "bank_path", "category_name", "placed", "variants_path"]
