"""The qbank note type for Anki: its fields, card template, CSS, and the stable ids.

**The fields and the template list are a contract.** Anki matches a note type by id and
updates it only while its *schema* (the number, names and order of fields and templates) is
unchanged; any other change makes Anki add a copy ("qbank question+") and leave every old note
on the old type, so updates stop. Only the template *text* and the CSS may change between
releases. If the field list ever has to change, change :data:`NOTE_TYPE_VERSION` too, which
gives a new name and a new id (a new note type, side by side with the old one).

Fields, in order (all HTML):

``QID``          ``<bank id>/<question id>``: the identity and the first column, never empty
                 (never on the card: an id may give the answer away)
``Type``         the question's kind (``multiple_choice``…), also a CSS class on the card
``Question``     the title (a heading, when the question has one), the prompt, then the
                 fixture files shown to learners; the **sort field**, so that the browser
                 lists titles and prompts, not ids
``Code``         the snippet, highlighted
``Choices``      the lettered options (choice kinds), or what kind of answer is expected
``Hint``         the hint, revealed on request on the front
``Answer``       the key: right letters and options, the fix of a ``bug``, the output…
``Feedback``     per-option feedback (authored, else the learner feedback validation
                 generated: what the code prints or raises, never hidden code)
``Explanation``  why the answer is right
``Source``       the bank's title and id

Ids: :func:`stable_id` hashes a name with SHA-256 into genanki's range ``1<<30 .. 1<<31``,
so the note-type id and each deck id are constants that never depend on content or time.
"""

from __future__ import annotations

import hashlib

from qbank.exporters.highlight import stylesheet

NOTE_TYPE_VERSION = 1
NOTE_TYPE_NAME = "qbank question"
"""The note type's name (not "Basic": Anki renames built-in names); add " vN" with the version."""
FIELDS = (
    "QID",
    "Type",
    "Question",
    "Code",
    "Choices",
    "Hint",
    "Answer",
    "Feedback",
    "Explanation",
    "Source",
)
DECK_ROOT = "qbank"
"""Top of every deck: bank ``fastapi/background-tasks`` -> ``qbank::fastapi::background-tasks``."""
GUID_NAMESPACE = "qbank"

FRONT = """\
<div class="qbank qtype-{{Type}}">
<div class="prompt">{{Question}}</div>
{{#Code}}<div class="code">{{Code}}</div>{{/Code}}
{{#Choices}}<div class="choices">{{Choices}}</div>{{/Choices}}
{{#Hint}}<div class="hint">{{hint:Hint}}</div>{{/Hint}}
</div>"""

BACK = """\
{{FrontSide}}
<hr id="answer">
<div class="qbank back qtype-{{Type}}">
{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}
{{#Feedback}}<div class="feedback">{{Feedback}}</div>{{/Feedback}}
{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}
</div>"""

TEMPLATE_NAME = "Question"

BASE_CSS = """\
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: #1d1d1d;
        background: #fff; line-height: 1.4; }
.card.nightMode, .night_mode .card, .card.night_mode { color: #e6e6e6; background: #1e1e1e; }
.qbank pre { text-align: left; overflow-x: auto; padding: 0.5em 0.75em; border-radius: 4px;
             font-family: "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", monospace;
             font-size: 15px; white-space: pre; tab-size: 4; }
.qbank code { font-family: "Fira Code", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.qbank pre.output { background: #f3f3f3; }
.nightMode .qbank pre.output, .night_mode .qbank pre.output { background: #2b2b2b; }
.qbank ol.options { list-style: none; padding-left: 0; }
.qbank ol.options > li { margin: 0.4em 0; }
.qbank .letter { font-weight: bold; margin-right: 0.4em; }
.qbank h3.title { margin: 0 0 0.5em; font-size: 20px; }
.qbank p.file { margin: 0.6em 0 0.2em; font-size: 15px; }
.qbank table.pairs { border-collapse: collapse; }
.qbank table.pairs td, .qbank table.pairs th { border: 1px solid #999; padding: 0.2em 0.6em; }
.qbank .source { font-size: 13px; opacity: 0.7; margin-top: 1em; }
"""


def stable_id(name: str) -> int:
    """A constant id for `name`, in genanki's range ``1<<30 .. 1<<31``."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


NOTE_TYPE_ID = stable_id(f"qbank note type v{NOTE_TYPE_VERSION}")


def deck_name(bank_id: str) -> str:
    """The deck of a bank: ``qbank::`` then the bank id's ``/`` segments joined by ``::``."""
    return "::".join((DECK_ROOT, *bank_id.split("/")))


def deck_id(name: str) -> int:
    """The constant id of a deck (Anki matches decks by name; older clients by id)."""
    return stable_id(f"qbank deck {name}")


def css() -> str:
    """The note type's stylesheet: layout plus the highlighting theme (light and night)."""
    return BASE_CSS + stylesheet()


def model_spec() -> dict[str, object]:
    """Keyword arguments for ``genanki.Model`` (fresh lists: genanki mutates them)."""
    return {
        "model_id": NOTE_TYPE_ID,
        "name": NOTE_TYPE_NAME,
        "fields": [{"name": name} for name in FIELDS],
        "templates": [{"name": TEMPLATE_NAME, "qfmt": FRONT, "afmt": BACK}],
        "css": css(),
        "sort_field_index": FIELDS.index("Question"),
    }
