"""Hypothesis strategies for the importers' round trips: questions of every type a rich
format (Moodle XML, Anki's qbank note type) carries, with the characters that trouble
Markdown, HTML and XML in their text."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

# (No `_` among the characters: nested emphasis such as `*_a_*` comes back as `**a*`, a
# markdownify limit that text written by people does not meet; identifiers are words.)
_WORD = st.text(
    st.sampled_from("abcxyzABC019.,?!'\"()%{}~=#:/[]<>&*`$@"), min_size=1, max_size=8
) | st.sampled_from(["snake_case", "__init__", "a_b_c"])


def _plain_code_spans(text: str) -> bool:
    """No code span with edge or doubled spaces: HTML shows them collapsed (learners never
    saw them), and the HTML -> Markdown converter collapses them too."""
    return all(span == " ".join(span.split()) and span for span in re.findall(r"`([^`]*)`", text))


TEXT = (
    st.lists(_WORD, min_size=1, max_size=5)
    .map(lambda words: "Q " + " ".join(words))
    .filter(_plain_code_spans)
)
_CODE_LINE = st.text(st.sampled_from("ab =:{}~#\\/<>&\"'0n]"), max_size=12)
_CODE = st.lists(st.tuples(st.integers(0, 8), _CODE_LINE), min_size=1, max_size=5).map(
    lambda lines: "\n".join(" " * n + text for n, text in lines).strip("\n") + "\n"
)
_ANSWER = st.text(st.sampled_from("abcXYZ019 .,*?'\"<>&"), min_size=1, max_size=10).filter(
    lambda t: t == t.strip() and t.strip("*")
)


@st.composite
def generated_questions(draw: st.DrawFn) -> list[dict[str, Any]]:
    common: dict[str, Any] = {"prompt": draw(TEXT), "explanation": draw(st.none() | TEXT)}
    common["hint"] = draw(st.lists(TEXT, max_size=2))
    common["points"] = draw(st.sampled_from([1, 2, 0.5]))
    if draw(st.booleans()):
        common["code"] = draw(_CODE.filter(str.strip))
    if draw(st.booleans()):  # a name is plain text (`<` is tested in test_moodle.py)
        common["title"] = draw(TEXT.filter(lambda text: "<" not in text))
    texts = draw(st.lists(TEXT, min_size=3, max_size=4, unique=True))
    feedback = draw(st.lists(st.none() | TEXT, min_size=len(texts), max_size=len(texts)))
    choices = [{"text": t, "feedback": f} for t, f in zip(texts, feedback, strict=True)]
    shuffle = draw(st.booleans())
    return [
        {**common, "id": "mc", "type": "multiple_choice", "shuffle": shuffle,
         "choices": [{**choices[0], "correct": True}, *choices[1:]]},
        {**common, "id": "ma", "type": "multiple_answers", "shuffle": shuffle,
         "choices": [{**choices[0], "correct": True}, {**choices[1], "correct": True},
                     *choices[2:]]},
        {**common, "id": "tf", "type": "true_false", "answer": draw(st.booleans())},
        {**common, "id": "short", "type": "short_answer",
         "answers": draw(st.lists(_ANSWER, min_size=1, max_size=3, unique=True)),
         "case_sensitive": draw(st.booleans())},
        {**common, "id": "num", "type": "numerical", "answer": draw(st.integers(-99, 99)),
         "tolerance": draw(st.sampled_from([0, 1, 0.5]))},
        {**common, "id": "match", "type": "matching",
         "pairs": [{"left": t, "right": f"r{i}"} for i, t in enumerate(texts[:2])],
         "distractors": draw(st.lists(st.sampled_from(["d1", "d2"]), max_size=2, unique=True))},
        {**common, "id": "essay", "type": "essay"},
    ]  # fmt: skip


__all__ = ["TEXT", "generated_questions"]
