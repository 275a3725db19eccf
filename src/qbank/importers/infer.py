"""`qbank import --infer`: legacy multiple-choice items that validation can check.

A ``multiple_choice`` item becomes ``output`` when its prompt asks what the code prints
("What does this print?", "What is the output of ...", "Predict the output", "Which value
is printed"; "returns" and "evaluates to" only when the code prints; never a question about
what is *not* printed or impossible), it has exactly one code block (its `code`, or one
fence in the prompt, lifted into `code`) in Python, and every option looks like output: short,
not a prose sentence (no "It raises an error."), e.g. ``[1, 2]``, ``True``, ``TypeError``.
The key becomes `answer`, the other options the distractors (their feedback kept); the
key's feedback becomes the explanation, or a comment (reported) when there is one already.

It becomes ``code_choice`` when its code has exactly one blank line (``____``) and every
option is one line of code (inline code, or a `code` option): there is then one way to put
an option in place. Anything less clear is left as it is.

Each change is an ``import-inferred`` issue and a comment above the question; the next
``qbank validate`` proves the legacy key or refutes it (``answer-mismatch``), and finds the
distractors that are really right (``distractor-holds``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from qbank.importers.base import ImportedQuestion, ImportIssue, ImportResult
from qbank.importers.ids import is_valid

_VERB = r"(?:print|output|display|show|write|produce|emit)"
# The print verb must be said of the code: "what does this print", "what is printed",
# "the code prints what", "(predict / what is) the output (of)"; "which line shows the
# bug" or "which variable is written to" are about something else.
_PRINTS = re.compile(
    r"\b(?:what|which)\b[^.?!]*?\b(?:does|do|did|will|would|should|might|could)\b[^.?!]*?"
    rf"\b{_VERB}\b"
    r"|\b(?:what|which)\s+(?:(?:value|values|text|line|lines|number|numbers|result)\s+)?"
    r"(?:is|are|gets?|was|were|will\s+be|would\s+be)\s+"
    r"(?:printed|output|outputted|displayed|shown|written|produced)\b"
    r"|\b(?:prints?|outputs?|displays?)\s+what\b"
    r"|\b(?:what\s+is|what's|what\s+will\s+be|predict|give|write\s+down|determine|state|find)"
    r"\s+(?:the|its)\s+(?:[\w-]+(?:'s)?\s+)?output\b"
    r"|\bwhat\s+output\b|\bwhat\s+will\s+the\s+output\s+be\b|^\W*(?:the\s+)?output\b",
    re.I,
)
# A question about what is *not* printed, or what is impossible, asks for the opposite of
# the output: its key is no program's output.
_NEGATED = re.compile(
    r"\b(?:not|never|impossible|cannot|can't|couldn't|isn't|aren't|won't|doesn't|wouldn't|"
    r"incorrect|invalid|wrong|except)\b|n't\b",
    re.I,
)
_RETURNS = re.compile(
    r"\b(?:what|which)\b.*?\b(?:returns?|returned|evaluates?\s+to|result)\b", re.I | re.S
)
_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n(.*?)\n?^\1[ \t]*$", re.S | re.M)
_INLINE_CODE = re.compile(r"\A(`+)[ ]?(.+?)[ ]?\1\Z", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORD = re.compile(r"[A-Za-z]{2,}")
_CODE_MARK = re.compile(r"[\[\]{}()=<>'\"0-9+*/%:,]")
_BLANK_LINE = re.compile(r"^([ \t]*)_{3,}[ \t]*$", re.M)
PYTHON = ("", "python", "py", "python3")


def infer(result: ImportResult) -> ImportResult:
    """`result` with its recognisable items made `output` / `code_choice` (in place), and
    one ``import-inferred`` issue for each."""
    for bank in result.banks:
        for question in bank.questions:
            given = question.data.get("id")
            qid = given if is_valid(given) else None
            key_feedback = _key_feedback(question.data)
            made = _infer_question(question)
            if made is None:
                continue
            message = f"became {made} question: validate to check its key"
            result.issues.append(ImportIssue(bank.source, question.line, message, "inferred", qid))
            if _displaced(question, key_feedback):
                message = (
                    "the key's feedback has no place in an output question that has an "
                    "explanation: kept as a comment (merge it into the explanation)"
                )
                result.issues.append(ImportIssue(bank.source, question.line, message, "lost", qid))
    return result


def _key_feedback(data: Mapping[str, Any]) -> Any:
    """The feedback of the one correct option of a multiple-choice item (None: none)."""
    choices = data.get("choices")
    options = _options(choices) if isinstance(choices, list | tuple) else None
    return next((o[2] for o in options if o[1]), None) if options else None


def _displaced(question: ImportedQuestion, key_feedback: Any) -> bool:
    """Whether an `output` question lost its key's feedback (the explanation took its
    place, which an output question has only one of): then it is kept as a comment."""
    data = question.data
    if not key_feedback or data.get("type") != "output" or data.get("explanation") == key_feedback:
        return False
    question.comments.append(f"feedback of the key (the answer): {key_feedback}")
    return True


def _infer_question(question: ImportedQuestion) -> str | None:
    """Turn the question into an `output` or `code_choice` one when that is clear; the kind
    it became ("an output", "a code_choice"), or None."""
    data = question.data
    if data.get("type") != "multiple_choice" or str(data.get("language", "")) not in PYTHON:
        return None
    lifted = _one_code_block(data)
    if lifted is None:
        return None
    prompt, code = lifted
    choices = data.get("choices")
    if not isinstance(choices, list | tuple):
        return None
    new = _as_code_choice(data, code, choices) or _as_output(data, prompt, code, choices)
    if new is None:
        return None
    new["prompt"] = prompt or "What does this program print?"
    if data.get("shuffle") is False:
        question.comments.append("the source did not shuffle the options (`shuffle: false`)")
    data.clear()
    data.update(new)
    kind = "an output" if new["type"] == "output" else "a code_choice"
    question.comments.append(
        f"--infer: was multiple_choice, now {new['type']}: validate checks its key"
    )
    return kind


def _one_code_block(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(prompt, code) when the question has exactly one code block: its `code`, or one
    fence in the prompt (taken out of it)."""
    prompt = str(data.get("prompt", ""))
    fences = list(_FENCE.finditer(prompt))
    code = data.get("code")
    if isinstance(code, str) and code.strip():
        return (prompt.strip(), code) if not fences else None
    if len(fences) != 1 or fences[0].group(2).lower() not in PYTHON:
        return None
    fence = fences[0]
    rest = (prompt[: fence.start()] + prompt[fence.end() :]).strip()
    return re.sub(r"\n{3,}", "\n\n", rest), fence.group(3).rstrip("\n") + "\n"


def _option(choice: object) -> tuple[str, bool, Any, bool] | None:
    """(text as shown, correct, feedback, written as code) of an option; None: not text."""
    if isinstance(choice, str):
        text, correct, feedback, is_code = choice, False, None, False
    elif isinstance(choice, Mapping) and not {"value", "expr"} & set(choice):
        is_code = "code" in choice
        shown = choice.get("code") if is_code else choice.get("text")
        correct, feedback = bool(choice.get("correct")), choice.get("feedback")
        if not isinstance(shown, str):
            return None
        text = shown
    else:
        return None
    inline = _INLINE_CODE.match(text.strip())
    if inline:
        return inline.group(2), correct, feedback, True
    plain = text if is_code else _ESCAPE.sub(r"\1", text)
    return (
        "\n".join(line.rstrip() for line in plain.strip("\n").split("\n")),
        correct,
        feedback,
        is_code,
    )


def _options(choices: list[Any] | tuple[Any, ...]) -> list[tuple[str, bool, Any, bool]] | None:
    found = [_option(choice) for choice in choices]
    if any(o is None for o in found) or sum(o[1] for o in found if o) != 1:
        return None
    return [o for o in found if o is not None]


def looks_like_output(text: str) -> bool:
    """Whether an option reads as what a program prints, not as a sentence about it."""
    lines = text.split("\n")
    if not text.strip() or len(text) > 200 or len(lines) > 10:
        return False
    for line in lines:
        words = _WORD.findall(line)
        stripped = line.rstrip()
        if stripped.endswith(".") and not stripped.endswith("...") and len(words) >= 2:
            return False
        if len(words) >= 3 and not _CODE_MARK.search(line):
            return False
    return True


def _as_output(
    data: Mapping[str, Any], prompt: str, code: str, choices: list[Any] | tuple[Any, ...]
) -> dict[str, Any] | None:
    asks = not _NEGATED.search(prompt) and (
        _PRINTS.search(prompt) or ("print(" in code and _RETURNS.search(prompt))
    )
    options = _options(choices)
    if not asks or options is None or not all(looks_like_output(o[0]) for o in options):
        return None
    key = next(o for o in options if o[1])
    new = {k: v for k, v in data.items() if k not in ("choices", "shuffle", "type", "prompt")}
    new.update(type="output", code=code, answer=key[0] + "\n")
    new["choices"] = [
        {"text": text, "feedback": feedback} if feedback else text
        for text, correct, feedback, _ in options
        if not correct
    ]
    if key[2] and "explanation" not in new:
        new["explanation"] = key[2]
    return new


def _as_code_choice(
    data: Mapping[str, Any], code: str, choices: list[Any] | tuple[Any, ...]
) -> dict[str, Any] | None:
    blanks = list(_BLANK_LINE.finditer(code))
    options = _options(choices)
    if len(blanks) != 1 or options is None:
        return None
    if not all(o[3] and o[0].strip() and "\n" not in o[0].strip() for o in options):
        return None
    new = {k: v for k, v in data.items() if k not in ("choices", "type", "prompt")}
    blank = blanks[0]
    new.update(
        type="code_choice",
        code=code[: blank.start()] + blank.group(1) + "____" + code[blank.end() :],
    )
    new["choices"] = [
        {"code": text.strip(), "correct": True, **({"feedback": fb} if fb else {})}
        if correct
        else ({"code": text.strip(), "feedback": fb} if fb else {"code": text.strip()})
        for text, correct, fb, _ in options
    ]
    return new


__all__ = ["PYTHON", "infer", "looks_like_output"]
