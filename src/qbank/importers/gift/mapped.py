"""What mapping one question gives: its bank data, comments and losses."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qbank.importers.gift.parser import split_format
from qbank.importers.gift.text import convert


@dataclass(frozen=True)
class Loss:
    """What the source holds that the question cannot: an issue of `kind`."""

    kind: str
    message: str


@dataclass
class Mapped:
    """One question's bank data, its comments and its losses."""

    data: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    losses: list[Loss] = field(default_factory=list)

    def issue(self, message: str, *kept: str, kind: str) -> None:
        """A loss of `kind` (`import-<kind>`), and the text kept as comments."""
        self.losses.append(Loss(kind, message))
        self.comments.extend(kept)

    def markdown(self, hidden: str, default: str) -> str:
        """A hidden text part as Markdown (its own format tag, else `default`)."""
        part = split_format(hidden, default)
        converted = convert(part)
        self.html_lost(converted.lost, part.text)
        return converted.markdown

    def html_lost(self, lost: list[str], html: str) -> None:
        if lost:
            self.issue(
                f"Markdown cannot hold {', '.join(lost)}: the HTML is kept as a comment",
                f"HTML: {html}",
                kind="html",
            )


def as_number(value: Decimal) -> int | float:
    """An int when the value is whole and written so, else a float."""
    if value == value.to_integral_value() and "." not in str(value) and "E" not in str(value):
        return int(value)
    return float(value)


__all__ = ["Loss", "Mapped", "as_number"]
