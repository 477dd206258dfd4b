"""Dirt that does not fit the type of a field's values is refused at load, by `designer validate`
(and the TUI, tests/dirt/test_tui_dirt.py), with one line naming the file and key path, exit 2: not
only once an export draws the values. The type a field gives is read back by pyarrow from a clean
export of the same field, so the refusal is checked against what the export really writes."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ..writers.helpers import invoke

PRESET = """
[design]
name = "d"
seed = 7
[entities.t]
rows = 50
fields.id = {{ kind = "sequence" }}
fields.v = {field}
[entities.c]
parent = {{ entity = "t", count = {{ kind = "uniform", min = 1, max = 3 }} }}
fields.t_id = {{ kind = "parent", field = "id" }}
fields.w = {{ kind = "lookup", via = "t_id", field = "v" }}
"""

# (field, dirt, what the field gives as the message says it, pyarrow's test of the clean column)
MISMATCHES = [
    ('{ kind = "uniform", min = 1, max = 9, dtype = "int" }', "typo = 0.1", "numbers", pa.types.is_integer),
    ('{ kind = "uniform", min = 1, max = 9 }', "case = 0.1", "numbers", pa.types.is_floating),
    ('{ kind = "choice", values = ["a", "b"] }', "mixed_formats = 0.1", "text", pa.types.is_large_string),
    ('{ kind = "choice", values = ["a", "b"] }', "sign = 0.1", "text", pa.types.is_large_string),
    ('{ kind = "date", start = "2020-01-01", end = "2024-12-31" }', "tz_drift = 0.1", "dates", pa.types.is_date),
    ('{ kind = "datetime", start = "2024-01-01", end = "2024-12-31" }', "unit_slip = 0.1", "date-times", pa.types.is_timestamp),
    # the model cannot know what a Faker provider returns: Faker's date_object gives dates
    ('{ kind = "faker", provider = "date_object" }', "typo = 0.1", "dates", pa.types.is_date),
    ('{ kind = "faker", provider = "pybool" }', "whitespace = 0.1", "booleans", pa.types.is_boolean),
]


def _with_dirt(field: str, dirt: str) -> str:
    return PRESET.format(field=f"{field[:-1]}, dirty = {{ {dirt} }} }}")


@pytest.mark.parametrize(("field", "dirt", "gives", "arrow_type"), MISMATCHES)
def test_validate_refuses_dirt_that_does_not_fit_in_one_line(field, dirt, gives, arrow_type, write_preset, tmp_path):
    kind = dirt.split(" ")[0]
    # the oracle: what the export writes for this field when it is clean
    clean = write_preset(PRESET.format(field=field), name="clean.toml")
    assert invoke("export", str(clean), "-o", f"{tmp_path}/out/", "--format", "parquet", "--quiet").returncode == 0
    assert arrow_type(pq.read_schema(tmp_path / "out" / "t.parquet").field("v").type)

    preset = write_preset(_with_dirt(field, dirt))
    result = invoke("validate", str(preset))
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{preset}: entities.t.fields.v.dirty.{kind}: {kind} is "), result.stderr
    assert f"this field gives {gives}: use " in result.stderr


@pytest.mark.parametrize(
    ("field", "dirt"),
    [
        ('{ kind = "uniform", min = 1, max = 9, dtype = "int" }', "sign = 0.1, placeholder = 0.1"),
        ('{ kind = "choice", values = ["a", "b"] }', "typo = 0.1, nulls = 0.1"),
        ('{ kind = "date", start = "2020-01-01", end = "2024-12-31" }', "mixed_formats = 0.1"),
        ('{ kind = "faker", provider = "date_time" }', "tz_drift = 0.1"),
        ('{ kind = "faker", provider = "name" }', "typo = 0.1"),
    ],
)
def test_validate_takes_dirt_that_fits(field, dirt, write_preset):
    result = invoke("validate", str(write_preset(_with_dirt(field, dirt))))
    assert result.returncode == 0, result.stderr


def test_a_child_entitys_dirt_is_checked_too(write_preset):
    """The field with dirt may be a child's, computed from its parent's (a lookup of a number)."""
    text = PRESET.format(field='{ kind = "uniform", min = 1, max = 9, dtype = "int" }').replace(
        'field = "v" }', 'field = "v", dirty = { homoglyph = 0.2 } }'
    )
    preset = write_preset(text)
    result = invoke("validate", str(preset))
    assert result.returncode == 2
    assert result.stderr == (
        f"{preset}: entities.c.fields.w.dirty.homoglyph: homoglyph is text dirt, and this field gives numbers: "
        "use separators, comma_decimal, sign, unit_slip, out_of_range, placeholder, nulls\n"
    )
