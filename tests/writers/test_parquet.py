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
