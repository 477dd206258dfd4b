"""The preset JSON Schema: shipped up to date, accepting every shipped preset and refusing bad ones,
judged by the `jsonschema` library (not our code); and the `#:schema` line that points editors at it."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import jsonschema
import pytest

from designer import presets
from designer.errors import PresetError
from designer.presetschema import SHIPPED, schema_text

from ..conftest import PRESETS
from ..writers.helpers import invoke

SHIPPED_PRESETS = sorted(PRESETS.glob("*.toml"))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SHIPPED.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(value):
    """TOML's values as an editor's TOML-to-JSON bridge gives them: dates and times as ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return value


def test_the_shipped_schema_is_what_the_models_generate():
    assert SHIPPED.read_text() == schema_text(), "run: designer schema > designer/preset.schema.json"


def test_designer_schema_prints_the_shipped_schema():
    result = invoke("schema")
    assert result.returncode == 0 and result.stdout == SHIPPED.read_text()
    assert json.loads(result.stdout)["$schema"].endswith("2020-12/schema")


def test_options_carry_their_help_text():
    schema = json.loads(SHIPPED.read_text())
    faker = schema["$defs"]["Faker"]["properties"]
    assert faker["null_rate"]["description"] and faker["provider"]["description"]


@pytest.mark.parametrize("path", SHIPPED_PRESETS, ids=lambda p: p.name)
def test_every_shipped_preset_is_valid_under_the_schema(path):
    errors = [e.message for e in validator().iter_errors(as_json(tomllib.loads(path.read_text())))]
    assert errors == []


def _preset(fields: dict, **entity) -> dict:
    return {"format": 1, "entities": {"users": {"rows": 3, **entity, "fields": {"id": {"kind": "sequence"}, **fields}}}}


BAD = {
    "unknown kind": _preset({"x": {"kind": "nope"}}),
    "unknown key of an entity": {"entities": {"users": {"rows": 3, "fieldz": {}}}},
    "negative rows": _preset({}, rows=-1),
    "a faker field without provider": _preset({"x": {"kind": "faker"}}),
    "an entity name that is not a name": {"entities": {"1users": {"rows": 3, "fields": {"id": {"kind": "sequence"}}}}},
    "a seed as text": {"design": {"seed": "x"}, **_preset({})},
    "a null rate above 1": _preset({"x": {"kind": "uuid", "null_rate": 1.5}}),
    "a gamma shape of 0": _preset({"x": {"kind": "gamma", "shape": 0}}),
    "a newer format": {**_preset({}), "format": 99},
    "a boolean as rows": _preset({}, rows=True),
}


@pytest.mark.parametrize("name", list(BAD))
def test_the_schema_refuses_what_the_loader_refuses(name):
    raw = BAD[name]
    assert list(validator().iter_errors(raw)), f"the schema accepts {name}"
    with pytest.raises(PresetError):  # and the loader agrees: the schema claims nothing the loader does not
        presets.from_dict(raw)


@pytest.mark.parametrize("path", SHIPPED_PRESETS, ids=lambda p: p.name)
def test_shipped_presets_point_editors_at_the_schema(path):
    first = path.read_text().splitlines()[0]
    assert first.startswith("#:schema ")
    assert (path.parent / first.removeprefix("#:schema ")).resolve() == SHIPPED
    presets.load(path)  # a comment to the loader
