"""The JSON Schema of a bank file, as `qbank schema` prints it and `schema/` stores it."""

from __future__ import annotations

import json
from typing import Any

from qbank.model import Bank

SCHEMA_ID = "https://qbank.dev/schema/bank.schema.json"


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a bank."""
    schema = Bank.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(bank_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
