"""The JSON Schema of a bank file, as `qbank schema` prints it and `schema/` stores it.

Questions with variants (DESIGN section 12) are written in the same form as plain ones, so
the schema has them as the same types, with two more keys (`variants`, `params`) on every
type, and a placeholder (`"{{ name }}"`) accepted wherever a value is not text (a
`numerical` `answer`, a choice's `correct`, ...): ``params`` computes it. The schema cannot
tell a question with variants from one without, so it accepts a placeholder in both; qbank
itself refuses one outside a question with `variants` (the value has the wrong type).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from qbank.model import QUESTION_TYPES, Bank
from qbank.model.variants import MAX_VARIANTS

SCHEMA_ID = "https://qbank.dev/schema/bank.schema.json"

PLACEHOLDER_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$",
    "description": "A value `params` computes, in a question with `variants`.",
}
_VARIANT_KEYS: dict[str, Any] = {
    "variants": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_VARIANTS,
        "title": "Variants",
        "description": "How many variants to generate from this question (with `params`); "
        "variant k has the id `id#k`, and each is proven like a plain question.",
    },
    "params": {
        "type": "string",
        "title": "Params",
        "description": "Hidden Python run once per variant, with `rng` a `random.Random` "
        "seeded from bank id, question id and variant number; the names it defines fill "
        "`{{ name }}` in every text and snippet field (`\\{{` is a literal `{{`).",
    },
}


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a bank."""
    schema = Bank.model_json_schema()
    kinds = {kind.__name__ for kind in QUESTION_TYPES.values()}
    for name, definition in schema.get("$defs", {}).items():
        properties = definition.get("properties", {})
        for key, spec in list(properties.items()):
            if key not in ("type", "id") and not _takes_text(spec):
                properties[key] = _or_placeholder(spec)
        if name in kinds:
            properties.update(copy.deepcopy(_VARIANT_KEYS))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def _takes_text(spec: dict[str, Any]) -> bool:
    """Whether a property's schema accepts any string already (no placeholder needed)."""
    if spec.get("type") == "string" and not spec.get("pattern") and "enum" not in spec:
        return True
    return any(_takes_text(option) for option in spec.get("anyOf", []))


def _or_placeholder(spec: dict[str, Any]) -> dict[str, Any]:
    inner = {k: v for k, v in spec.items() if k not in ("description", "title", "default")}
    outer = {k: v for k, v in spec.items() if k in ("description", "title", "default")}
    return {**outer, "anyOf": [inner, PLACEHOLDER_SCHEMA]}


def schema_text() -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(bank_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
