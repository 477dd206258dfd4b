"""The preset format as a JSON Schema, generated from the pydantic models: editors that read JSON
Schemas for TOML (taplo, Even Better TOML) complete keys and show each option's help from it.

The schema describes the shape of a preset (keys, kinds, types, bounds); the loader checks more
(names that resolve, distributions that fit their bounds). The package ships the text as
`designer/preset.schema.json`; tests/toolbox/test_schema.py fails when it differs from
`schema_text()`, so the shipped file follows the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import FORMAT_VERSION, Design

SHIPPED = Path(__file__).with_name("preset.schema.json")

# pydantic writes a constraint on an optional Annotated number under its own name; JSON Schema's are these
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def preset_schema() -> dict[str, Any]:
    schema = _fixed(Design.model_json_schema())
    schema["properties"]["format"]["maximum"] = FORMAT_VERSION
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "designer preset",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def schema_text() -> str:
    """The schema as the package ships it: stable key order, one trailing newline."""
    return json.dumps(preset_schema(), indent=2, ensure_ascii=False) + "\n"


def _fixed(node: Any) -> Any:
    if isinstance(node, list):
        return [_fixed(item) for item in node]
    if not isinstance(node, dict):
        return node
    bounds = {key: value for key, value in node.items() if key in _BOUNDS and isinstance(value, (int, float))}
    out = {key: _fixed(value) for key, value in node.items() if key not in bounds}
    if bounds:
        numeric = [m for m in out.get("anyOf", []) if m.get("type") in ("integer", "number")]
        for member in numeric or [out]:  # `int | float` is an anyOf: each number member takes the bound
            member.update({_BOUNDS[key]: value for key, value in bounds.items()})
    if "patternProperties" in out:
        # names of entities, fields, variants: a key that is not a name is refused, as the loader does
        out.setdefault("additionalProperties", False)
    return out
