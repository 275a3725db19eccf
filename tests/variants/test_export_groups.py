"""How exporters tell a question's variants apart from plain questions."""

from __future__ import annotations

from qbank.exporters.variants import chosen, groups, variant_of
from qbank.model import Bank, LoadedBank


def _bank(*ids: str) -> LoadedBank:
    questions = [{"id": "x", "type": "essay", "prompt": "P"} for _ in ids]
    bank = Bank.model_validate({"id": "b", "questions": questions})
    varied = tuple(q.model_copy(update={"id": i}) for q, i in zip(bank.questions, ids, strict=True))
    return LoadedBank(id="b", path="b.yaml", bank=bank.model_copy(update={"questions": varied}))


def test_variants_are_grouped_in_order_and_plain_questions_stand_alone() -> None:
    loaded = _bank("a", "t#1", "t#2", "t#3", "b", "u#1", "u#2")
    found = [(g.id, [q.id for q in g.questions], g.varied) for g in groups(loaded.bank.questions)]
    assert found == [
        ("a", ["a"], False),
        ("t", ["t#1", "t#2", "t#3"], True),
        ("b", ["b"], False),
        ("u", ["u#1", "u#2"], True),
    ]
    assert [q.id for q in chosen(loaded, "first")] == ["a", "t#1", "b", "u#1"]
    assert [q.id for q in chosen(loaded, "all")] == [q.id for q in loaded.bank.questions]


def test_variant_of_reads_only_a_final_number() -> None:
    loaded = _bank("t#12", "plain", "odd#x")
    assert [variant_of(q) for q in loaded.bank.questions] == [("t", 12), None, None]
