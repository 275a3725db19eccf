"""One question as the page template receives it: its text, its form, its sealed key.

What the learner reads before answering (heading, prompt, figure, shown files, code, hints,
the form) is HTML in the page. What marks the answer and what is shown after it (the key,
each option's feedback, the right answer, the explanation, the fixed program of a `bug`) is
the question's *sealed key*: JSON, base64-encoded in its ``data-key`` attribute. It is not
a secret (anyone can decode it: this is a self-study page), but it is not shown, printed,
found by the browser's search or read by a screen reader before the learner answers.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from markupsafe import Markup

from qbank.exporters.display import heading, plain_number
from qbank.exporters.html.answers import Answer, Option, answer
from qbank.exporters.html.item import Item
from qbank.model import Bug, Essay


@dataclass(frozen=True)
class QuestionView:
    """The pieces of one question, ready for ``html/question.html.j2``."""

    number: int
    heading: str
    """Plain text: the title, else ``Question <n>`` (never the id, which may give the
    answer away; nothing in the page names it)."""
    titled: bool
    type: str
    points: float
    points_text: str
    """``1 point``, ``2.5 points``."""
    difficulty: str
    stem: Markup
    """The prompt, the figure, the shown files and the code."""
    hints: tuple[Markup, ...]
    form: Answer
    options: tuple[Option, ...]
    """The options, their bodies as Markup."""
    rows: tuple[Markup, ...]
    monospace: bool
    """Whether the answer is typed as code (an output, an essay about code)."""
    invalid: bool
    """Whether it fails validation (exported with ``allow_invalid``): its key may be wrong."""
    key: str
    """The sealed key (see the module docstring)."""
    anchor: str
    """What its element ids start with: ``q3``, or ``q3-v2`` for a question's variant 2."""
    variant: int = 0
    """Which variant of its question it is (1 to `variants`); 0 for a plain question."""
    variants: int = 0
    """How many variants its question has; 0 for a plain question."""

    @property
    def marked(self) -> bool:
        """Whether the page marks it (essays and unkeyed outputs are not)."""
        return self.form.kind not in ("essay", "none")


@dataclass(frozen=True)
class Slot:
    """One numbered question of the page: a plain question's view, or the views of all
    its variants, of which the page shows one at a time (drawn by its script)."""

    number: int
    views: tuple[QuestionView, ...]

    @property
    def varied(self) -> bool:
        """Whether these are a question's variants (the page draws one)."""
        return self.views[0].variants > 0

    @property
    def first(self) -> QuestionView:
        """The view the page shows without its script (and whose points and marking
        every variant shares: they are one question)."""
        return self.views[0]


def view(item: Item, number: int, variant: tuple[int, int] | None = None) -> QuestionView:
    """The view of `item`'s question, numbered `number` in its bank; `variant` is (k, N)
    for its question's variant k of N (numbered and headed as the question)."""
    q = item.question
    k, total = variant or (0, 0)
    form = answer(item)
    stem = item.md(q.prompt) + item.figures() + item.files_html()
    stem += item.code(q.code) if q.code is not None else ""
    options = tuple(Option(o.position, o.letter, Markup(o.body)) for o in form.options)
    return QuestionView(
        number=number,
        heading=heading(q, number),
        titled=bool(q.title),
        type=str(getattr(q, "type", "")),
        points=q.points,
        points_text=f"{plain_number(q.points)} point{'' if q.points == 1 else 's'}",
        difficulty=q.difficulty or "",
        stem=Markup(stem),
        hints=tuple(Markup(item.md(hint)) for hint in q.hint),
        form=form,
        options=options,
        rows=tuple(Markup(row) for row in form.rows),
        monospace=form.kind == "output" or (isinstance(q, Essay) and q.code is not None),
        invalid=item.fails,
        key=seal({**form.key, "explanation": _explanation(item)}),
        anchor=f"q{number}-v{k}" if k else f"q{number}",
        variant=k,
        variants=total,
    )


def _explanation(item: Item) -> str:
    """The explanation (the essay's model answer), and the fixed program of a `bug`."""
    q = item.question
    said = item.md(q.explanation)
    if isinstance(q, Bug):
        said += '<p class="fix-title">The fixed program:</p>' + item.code(q.fix)
    return said


def seal(key: dict[str, object]) -> str:
    """`key` as the page carries it: compact JSON (sorted keys), UTF-8, base64."""
    data = json.dumps(key, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(data.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> dict[str, object]:
    """The key a page carries (what its script reads): the inverse of :func:`seal`."""
    found = json.loads(base64.b64decode(sealed).decode("utf-8"))
    assert isinstance(found, dict)
    return found


__all__ = ["QuestionView", "Slot", "seal", "unseal", "view"]
