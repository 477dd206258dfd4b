"""Parquet encodes each column the way that pays: dictionaries for few distinct values, plain pages
for nearly distinct ones, decided by a table's first block."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from designer import presets

from ..conftest import PRESETS
from .helpers import export


def _encodings(path: Path) -> dict[str, set[str]]:
    meta = pq.ParquetFile(path).metadata
    out: dict[str, set[str]] = {}
    for group in range(meta.num_row_groups):
        for column in range(meta.num_columns):
            chunk = meta.row_group(group).column(column)
            out.setdefault(chunk.path_in_schema, set()).update(chunk.encodings)
    return out


def test_dictionaries_only_where_values_repeat(tmp_path):
    design = presets.load(PRESETS / "ecommerce.toml")
    export(design, "parquet", f"{tmp_path}/", rows={"users": 2000, "products": 50}, entities=["users", "products"])
    users = _encodings(tmp_path / "users.parquet")
    assert "RLE_DICTIONARY" not in users["email"]  # unique: a dictionary would hold every value once
    assert "RLE_DICTIONARY" not in users["created_at"]
    assert "RLE_DICTIONARY" in users["role"]  # three values


NESTED = """
[design]
name = "nested"
[entities.t]
rows = 300
fields.p = { kind = "faker", provider = "profile" }
fields.s = { kind = "faker", provider = "simple_profile" }
fields.w = { kind = "faker", provider = "words", null_rate = 0.1 }
fields.l = { kind = "faker", provider = "pylist", args = { value_types = ["int"] } }
fields.some = { kind = "faker", provider = "profile", args = { fields = ["birthdate", "job"] } }
fields.ll = { kind = "faker", provider = "latlng" }
fields.d = { kind = "faker", provider = "pydict" }
fields.mixed = { kind = "faker", provider = "pylist" }
fields.o = { kind = "faker", provider = "simple_profile" }
[entities.t.variants.other]
weight = 0.5
fields.o = { kind = "faker", provider = "words" }
"""


def _from_json(text: str | None):
    """A JSON cell as Python values: numbers as floats, ISO dates as dates, as Parquet holds them."""
    import datetime as dt
    import json

    def dates(value):
        if isinstance(value, dict):
            return {k: dates(v) for k, v in value.items()}
        if isinstance(value, list):
            return [dates(v) for v in value]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return dt.date.fromisoformat(value)
        return value

    return None if text is None else dates(json.loads(text, parse_float=float))


def test_fixed_shape_json_is_a_struct_or_list_in_parquet_and_text_elsewhere(tmp_path):
    """profile, simple_profile, words, a one-type pylist and latlng have one shape whatever the row:
    Parquet holds them as Arrow structs and lists (pyarrow reads `birthdate` as a date); shapes that
    vary by row (pydict, a mixed pylist, a field a variant gives another provider) stay JSON text.
    Each cell holds the values the SQLite export holds as text."""
    import datetime as dt
    import sqlite3

    import pyarrow as pa

    design = presets.loads(NESTED)
    export(design, "parquet", f"{tmp_path}/pq/")
    export(design, "sqlite", str(tmp_path / "n.sqlite"))
    table = pq.read_table(tmp_path / "pq" / "t.parquet")
    types = {f.name: f.type for f in table.schema}
    assert pa.types.is_struct(types["p"]) and types["p"].field("birthdate").type == pa.date32()
    assert [types["p"].field(i).name for i in range(types["p"].num_fields)][:3] == ["job", "company", "ssn"]
    assert pa.types.is_list(types["p"].field("website").type) or pa.types.is_large_list(types["p"].field("website").type)
    assert [types["some"].field(i).name for i in range(types["some"].num_fields)] == ["job", "birthdate"]
    assert types["l"].value_type == pa.int64() and types["ll"].value_type == pa.float64()
    assert types["w"].value_type in (pa.string(), pa.large_string())
    for text_column in ("d", "mixed", "o"):
        assert types[text_column] in (pa.string(), pa.large_string()), text_column
    with sqlite3.connect(tmp_path / "n.sqlite") as db:
        texts = db.execute("SELECT p, s, w, l, some, ll FROM t ORDER BY rowid").fetchall()
    rows = table.select(["p", "s", "w", "l", "some", "ll"]).to_pylist()
    assert len(rows) == len(texts) == 300
    assert any(r["w"] is None for r in rows)
    for row, text in zip(rows, texts, strict=True):
        assert list(row.values()) == [_from_json(t) for t in text]
    assert isinstance(rows[0]["s"]["birthdate"], dt.date)


def test_nested_parquet_is_the_same_bytes_twice(tmp_path):
    design = presets.loads(NESTED)
    export(design, "parquet", f"{tmp_path}/a/")
    export(design, "parquet", f"{tmp_path}/b/")
    assert (tmp_path / "a" / "t.parquet").read_bytes() == (tmp_path / "b" / "t.parquet").read_bytes()
