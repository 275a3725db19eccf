"""Source tags as bank tags: one rule for every importer.

A bank tag has no spaces, ``<``, ``>``, backticks or backslashes and no ``:`` at either end
(:func:`qbank.model.base.check_tags`: the platforms drop or mangle them). A source tag that
breaks the rule would make its whole question invalid (written commented out), so each
importer keeps the tag slugged instead (``week 1`` -> ``week-1``) and reports the change as
``import-lost``, naming the original, so that the author can rename it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from qbank.model.base import check_tags

_NOT_TAG = re.compile(r"[\s<>`\\]+")


@dataclass
class Tags:
    """A question's tags as the bank keeps them, and why any one was changed."""

    kept: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """One message per source tag the bank refuses (an ``import-lost`` issue each)."""


def bank_tag(tag: str) -> str:
    """`tag` as a valid bank tag: runs of refused characters as one `-`, no `:` or `-` at
    either end ("" if nothing is left)."""
    try:
        check_tags((tag,))
    except ValueError:
        return _NOT_TAG.sub("-", tag).strip(":-")
    return tag


def bank_tags(tags: Iterable[str]) -> Tags:
    """Each source tag as a bank tag, in order, once each; a message per changed one."""
    result = Tags()
    for tag in tags:
        kept = bank_tag(tag)
        if kept != tag:
            result.changed.append(
                f"the tag {tag!r} is not valid in a bank (no spaces, `<`, `>`, backticks, "
                f"backslashes, or `:` at an end): it is {kept or 'left out'!r}; rename it "
                "in the bank if you want another name"
            )
        if kept and kept not in result.kept:
            result.kept.append(kept)
    return result


__all__ = ["Tags", "bank_tag", "bank_tags"]
