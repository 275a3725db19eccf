"""Variants: a template (``variants: N`` and ``params``) becomes N plain questions.

Expansion sits between loading and the static checks (DESIGN section 12): each template's
`params` is run once, in the sandbox, drawing every variant's values
(:mod:`~qbank.variants.params`, :mod:`~qbank.variants.running`); each variant is filled in and
validated as a question of its type, with the id ``id#k``
(:mod:`~qbank.variants.render`); the variants take their template's place in the bank, so
every later stage (static checks, proof, report, exports) sees plain questions, and their
problems point at the template's lines. Variants must differ as learners see them
(:mod:`~qbank.variants.checks`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qbank.errors import Problem
from qbank.loading.yamlio import LineMap, Reindexed, reindexed
from qbank.model import Collection, LoadedBank, QuestionBase
from qbank.model.base import REQUIREMENT_PATTERN
from qbank.model.requirements import parse_requirement
from qbank.model.variants import Template, variant_id
from qbank.report import Variant, VariantSet
from qbank.runner import RunResult
from qbank.variants.checks import duplicates, key_position, key_positions
from qbank.variants.params import Drawn, describe_error, read_drawn
from qbank.variants.render import build

if TYPE_CHECKING:
    from qbank.cache import Cache
    from qbank.options import Options
    from qbank.prove.environment import Probed


REQUIREMENT = re.compile(REQUIREMENT_PATTERN)


@dataclass
class Expansion:
    """A collection with its templates expanded, the problems found, what was generated."""

    collection: Collection
    problems: list[Problem] = field(default_factory=list)
    sets: list[VariantSet] = field(default_factory=list)
    suffixes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(path, variant id) -> its values, `(n=5, k=2)`, for the messages of its problems."""

    def annotate(self, problems: list[Problem]) -> list[Problem]:
        """`problems` with each variant's values at the end of its messages."""
        return [
            dataclasses.replace(p, message=with_values(p.message, suffix))
            if (suffix := self.suffixes.get((p.path, p.question or ""))) is not None
            and suffix not in p.message
            else p
            for p in problems
        ]


def with_values(message: str, suffix: str) -> str:
    """`message` with a variant's values at the end of its first line (where a reader of
    a multi-line message, with a diff under it, looks)."""
    first, newline, rest = message.partition("\n")
    return f"{first} {suffix}{newline}{rest}"


def expand(
    collection: Collection, options: Options, cache: Cache | None, started: Probed | None = None
) -> Expansion:
    """Every template of `collection` expanded into its variants (its `params` run in the
    sandbox; with execution off, nothing is run: one warning per template). `started`: the
    probe of the target interpreter, read (else it is probed here)."""
    expansion = Expansion(Collection())
    draws = [(loaded, t) for loaded in collection for t in loaded.bank.templates]
    if draws and options.execute:
        from qbank.variants.running import run_params

        results = run_params(draws, options, cache, started)
    else:
        results = [None] * len(draws)
    outcome = {(id(loaded), t.position): r for (loaded, t), r in zip(draws, results, strict=True)}
    for loaded in collection:
        if not loaded.bank.templates:
            expansion.collection.banks.append(loaded)
            continue
        found = {t.position: outcome[(id(loaded), t.position)] for t in loaded.bank.templates}
        expansion.collection.banks.append(_expand_bank(loaded, found, expansion))
    return expansion


def requirement_modules(collection: Collection) -> list[str]:
    """Every module the collection's banks, questions and templates require (not `python`):
    what to ask the probe about before the variants exist (a template's `requires` with a
    placeholder is left out; proving then asks again)."""
    texts: set[str] = set()
    for loaded in collection:
        bank = loaded.bank
        texts |= {r for q in bank.questions for r in (*bank.requires, *q.requires)}
        texts |= set(bank.requires)
        for template in bank.templates:
            given = template.fields.get("requires")
            if isinstance(given, list):
                texts |= {t for t in given if isinstance(t, str) and "{{" not in t}
    found = [parse_requirement(t) for t in sorted(texts) if REQUIREMENT.match(t)]
    return sorted({r.module for r in found if not r.is_python})


def _base(loaded: LoadedBank) -> LineMap:
    """The bank's line map of the file as written (a bank built without one: every line 1)."""
    lines = loaded.lines
    if isinstance(lines, Reindexed):
        return lines.base
    return lines if isinstance(lines, LineMap) else LineMap(None)


def _expand_bank(
    loaded: LoadedBank, results: dict[int, RunResult | None], expansion: Expansion
) -> LoadedBank:
    """The bank with each template replaced by its variants (none when its params failed)."""
    bank, lines = loaded.bank, _base(loaded)
    questions: list[QuestionBase] = []
    places: list[int] = []
    drawn_text: list[str] = []
    for place, item in bank.placed():
        if isinstance(item, Template):
            variants = _variants(loaded, lines, item, results[item.position], expansion)
            drawn_text.append(repr((item.id, [(q.id, s) for q, s in variants])))
            questions += [q for q, _ in variants]
            places += [place] * len(variants)
        else:
            questions.append(item)
            places.append(place)
    digest = (
        loaded.digest
        and hashlib.sha256("\0".join([loaded.digest, *drawn_text]).encode()).hexdigest()
    )
    if len(questions) == len(bank.questions):
        return loaded  # no variant made (no execution, `params` failed): the bank as loaded
    expanded = bank.model_copy(update={"questions": tuple(questions), "templates": ()})
    update = {
        "bank": expanded,
        "authored": loaded.authored or bank,
        "lines": reindexed(lines, places),
        "digest": digest,
    }
    return loaded.model_copy(update=update)


def _variants(
    loaded: LoadedBank, lines: LineMap, template: Template, result: RunResult | None,
    expansion: Expansion,
) -> list[tuple[QuestionBase, str]]:  # fmt: skip
    """The template's variants with their values' suffix; their problems to `expansion`."""
    path, line = loaded.path, lines.line(("questions", template.position))
    params_line = lines.line(("questions", template.position, "params"))
    if result is None:
        expansion.problems.append(Problem(
            path, params_line,
            f"`params` was not run (execution is off, or the runner failed): the "
            f"{template.variants} variant(s) of {template.id} are not checked",
            "params-not-run", "warning", template.id,
        ))  # fmt: skip
        return []
    drawn, failure = read_drawn(template, result)
    if failure is not None:
        expansion.problems.append(
            Problem(
                path,
                params_line,
                f"{failure}: no variant of {template.id} is checked",
                "params-error",
                question=template.id,
            )
        )
        return []
    expansion.problems += _draw_errors(path, lines, template, drawn)
    made: list[tuple[QuestionBase, str]] = []
    refused: dict[tuple[int, str], list[Problem]] = {}
    for one in drawn:
        if one.error is not None:
            continue
        question, problems = build(path, template, one.k, one.values, lines)
        for p in problems:
            vid, message = variant_id(template.id, one.k), with_values(p.message, one.id_suffix)
            refused.setdefault((p.line, p.code), []).append(
                dataclasses.replace(p, question=vid, message=message)
            )
        if question is not None:
            made.append((question, one.id_suffix))
            expansion.suffixes[(path, question.id)] = one.id_suffix
    expansion.problems += [_first_of(group) for group in refused.values()]
    expansion.problems += duplicates(path, line, made)
    expansion.problems += key_position(path, line, template, [q for q, _ in made])
    expansion.sets.append(_summary(loaded, line, template, drawn, made))
    return made


def _first_of(group: list[Problem]) -> Problem:
    """The same mistake in several variants, reported once: the first, and how many more."""
    more = f" (and {len(group) - 1} more variant(s))" if len(group) > 1 else ""
    first = group[0]
    return dataclasses.replace(first, message=first.message + more) if more else first


def _draw_errors(
    path: str, lines: LineMap, template: Template, drawn: list[Drawn]
) -> list[Problem]:
    """`params-error` per distinct failure of `params` (its first variant named, and how
    many more fail the same way)."""
    groups: dict[tuple[str, int | None], list[Drawn]] = {}
    for one in drawn:
        if one.error is not None:
            groups.setdefault((one.error, one.line), []).append(one)
    problems = []
    for (_, where), group in groups.items():
        loc = ("questions", template.position, "params")
        line = lines.snippet_line(loc, where) if where else lines.line(loc)
        more = f" (and {len(group) - 1} more variant(s))" if len(group) > 1 else ""
        message = describe_error(template, group[0]) + more
        problems.append(
            Problem(
                path, line, message, "params-error", question=variant_id(template.id, group[0].k)
            )
        )
    return problems


def _summary(
    loaded: LoadedBank, line: int, template: Template, drawn: list[Drawn],
    made: list[tuple[QuestionBase, str]],
) -> VariantSet:  # fmt: skip
    by_id = {q.id: q for q, _ in made}
    variants = [
        Variant(
            variant_id(template.id, one.k),
            {name: repr(value) for name, value in one.values.items()},
            key_positions(by_id[variant_id(template.id, one.k)]),
        )
        for one in drawn
        if variant_id(template.id, one.k) in by_id
    ]  # fmt: skip
    shuffle = getattr(made[0][0], "shuffle", None) if made else None
    return VariantSet(
        loaded.id, template.id, loaded.path, line, template.variants, shuffle, variants
    )


__all__ = ["Expansion", "expand", "requirement_modules"]
