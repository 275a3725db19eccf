"""A note of qbank's own note type (``qbank question``) back as the question it was made from.

``QID`` (``<bank id>/<question id>``) gives the id; ``Question`` the prompt (a title heading
the exporter wrote is taken back as `title`), ``Code`` the code (highlighting dropped),
``Hint`` (several hints, written as a list of class ``hints``, come back as a list),
``Explanation``. The key is read back from ``Choices`` and ``Answer`` where the
fields hold it whole: `multiple_choice`/`multiple_answers` (the lettered options, the key's
letters, authored per-option feedback), `true_false`, `short_answer`, `numerical`. Other
kinds (`output`, `code_choice`, `bug`, `matching`) need more than the cards show: they come
back as an `essay` with an ``import-lost`` issue, the key kept as a comment.
"""

from __future__ import annotations

import re
from typing import Any

from qbank.importers.anki.notes import OWN_FIELDS, Mapped
from qbank.importers.anki.text import Fields, plain

_TITLE = re.compile(r'\A\s*<h3 class="title">(.*?)</h3>', re.S)
_ITEM = re.compile(r'<li><span class="letter">([^<]*)\.</span> (.*?)</li>', re.S)
_LIST = re.compile(r'<ol class="(options|key|feedback|accepted)">(.*?)</ol>', re.S)
_ACCEPTED = re.compile(r"<li><code>(.*?)</code></li>", re.S)
_NUMBER = re.compile(r"\A(-?[0-9.eE+-]+)(?: ± ([0-9.eE+-]+))?\Z")
_HINTS = re.compile(r'<ol class="hints">(.*)</ol>', re.S)
_HINT = re.compile(r"<li>(.*?)</li>(?=<li>|\Z)", re.S)
_CHOICE_KINDS = ("multiple_choice", "multiple_answers")


def own_fields(values: tuple[str, ...]) -> dict[str, str]:
    padded = list(values) + [""] * (len(OWN_FIELDS) - len(values))
    return dict(zip(OWN_FIELDS, padded, strict=False))


def bank_id(values: tuple[str, ...]) -> str | None:
    """The bank id the note's ``QID`` names (None: no `/` in it)."""
    qid = plain(own_fields(values)["QID"])
    return qid.rpartition("/")[0] or None


def own(values: tuple[str, ...], fields: Fields) -> Mapped:
    got = own_fields(values)
    kind = plain(got["Type"]) or "essay"
    qid = plain(got["QID"]).rpartition("/")[2]
    mapped = Mapped({"id": qid} if qid else {})
    mapped.data["type"] = kind
    question = got["Question"]
    title = _TITLE.match(question)
    if title:
        mapped.data["title"] = plain(title.group(1))
        question = question[title.end() :]
    mapped.data["prompt"] = fields.markdown(question) or "(empty)"
    code = plain_code(got["Code"])
    if code:
        mapped.data["code"] = code
    if not _key(kind, got, fields, mapped.data):
        _as_essay(kind, got, fields, mapped)
    hints = _HINTS.fullmatch(got["Hint"].strip())
    if hints:  # several hints, each an item of the exporter's list
        mapped.data["hint"] = [fields.markdown(x) for x in _HINT.findall(hints.group(1))]
    elif fields.markdown(got["Hint"]):
        mapped.data["hint"] = fields.markdown(got["Hint"])
    explanation = fields.markdown(got["Explanation"])
    if explanation:
        mapped.data["explanation"] = explanation
    return mapped


def plain_code(raw: str) -> str | None:
    """The code of the ``Code`` field (one highlighted block) as text, or None."""
    if not raw.strip():
        return None
    tagless = re.sub(r"</?(?:pre|code|span)\b[^>]*>", "", raw).replace("\n", "<br>")
    text = plain(tagless, strip=False).strip("\n")
    return text + "\n" if text.strip() else None


def _key(kind: str, got: dict[str, str], fields: Fields, data: dict[str, Any]) -> bool:
    """Fill `data` with the key of `kind` read from the fields (False: cannot)."""
    answer = got["Answer"]
    if kind in _CHOICE_KINDS:
        return _choices(got, fields, data)
    if kind == "true_false":
        said = plain(answer)
        data["answer"] = said == "True"
        return said in ("True", "False")
    if kind == "short_answer":
        accepted = [plain(a) for a in _ACCEPTED.findall(answer)]
        data["answers"] = accepted
        return bool(accepted)
    if kind == "numerical":
        return _numerical(plain(answer), data)
    return kind == "essay"


def _numerical(said: str, data: dict[str, Any]) -> bool:
    match = _NUMBER.match(said)
    if not match:
        return False
    try:
        data["answer"] = _number(match.group(1))
        if match.group(2):
            data["tolerance"] = _number(match.group(2))
    except ValueError:
        return False
    return True


def _number(text: str) -> int | float:
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


def _lists(html: str) -> dict[str, list[tuple[str, str]]]:
    return {kind: _ITEM.findall(body) for kind, body in _LIST.findall(html)}


def _choices(got: dict[str, str], fields: Fields, data: dict[str, Any]) -> bool:
    options = _lists(got["Choices"]).get("options", [])
    right = {letter for letter, _ in _lists(got["Answer"]).get("key", [])}
    feedback = dict(_lists(got["Feedback"]).get("feedback", []))
    if not options or not right:
        return False
    choices: list[Any] = []
    for letter, body in options:
        text = fields.markdown(body)
        said = feedback.get(letter, "")
        choice: dict[str, Any] = {"text": text}
        if letter in right:
            choice["correct"] = True
        if said and 'class="generated"' not in said:
            choice["feedback"] = fields.markdown(said)
        choices.append(choice if len(choice) > 1 else text)
    data["choices"] = choices
    return True


def _as_essay(kind: str, got: dict[str, str], fields: Fields, mapped: Mapped) -> None:
    mapped.data["type"] = "essay"
    shown = fields.markdown(got["Choices"] + got["Answer"])
    if shown:
        mapped.comments.append(f"the {kind} question's options and key, as the cards show them:")
        mapped.comments.append(shown)
    mapped.issue(
        f"a qbank `{kind}` note: the cards do not hold all a `{kind}` question needs, so it "
        "is an essay; its options and key are kept as a comment: restore the question by hand",
        kind="lost",
    )


__all__ = ["bank_id", "own", "own_fields", "plain_code"]
