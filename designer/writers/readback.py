"""Read an export back into frames: for tests, and for anyone checking what was written."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import polars as pl

from . import FORMATS
from .atomic import layout
from .base import DATE, SQL_DATETIME, TableSpec, Target


def _file(target: Target, table: str) -> Path:
    return layout(target, [table], FORMATS[target.format].options["extension"])[0][table]


def read_table(target: Target, table: str, spec: TableSpec) -> pl.DataFrame:
    """The table as written, cast back to the spec's dtypes."""
    schema = {c.name: c.dtype for c in spec.columns}
    fmt = FORMATS[target.format].name
    if fmt == "parquet":
        frame = _as_json_text(pl.read_parquet(_file(target, table)), spec)
    elif fmt in ("csv", "tsv"):
        text_schema = {n: (pl.String if not (t.is_numeric() or t == pl.Boolean) else t) for n, t in schema.items()}
        frame = pl.read_csv(_file(target, table), separator="\t" if fmt == "tsv" else ",", schema=text_schema)
    elif fmt in ("ndjson", "json"):
        path = _file(target, table)
        text = path.read_text(encoding="utf-8")
        # split on "\n" only: str.splitlines() would also cut at U+2028 and friends inside strings
        rows = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.split("\n") if line]
        text_schema = {n: (pl.String if not (t.is_numeric() or t == pl.Boolean) else t) for n, t in schema.items()}
        frame = pl.DataFrame(rows, schema=text_schema, orient="row") if rows else pl.DataFrame(schema=text_schema)
    elif fmt == "sqlite":
        with closing(sqlite3.connect(target.path)) as db:
            cursor = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            names = [d[0] for d in cursor.description]
            frame = pl.DataFrame([list(r) for r in cursor.fetchall()], schema=names, orient="row", infer_schema_length=None)
    elif fmt == "duckdb":
        from .duckdb import connect_read_only

        with connect_read_only(target.path, target.location) as db:
            # rowid: the order rows went in (a table nobody changed since)
            frame = db.sql(f'SELECT * FROM "{table}" ORDER BY rowid').pl()
    elif fmt == "mysql":
        from .mysql import connect, quote

        conn = connect(target.location)
        try:
            with conn.cursor() as cur:
                # InnoDB keeps a table in its key's order (and one without a key in load order)
                order = f" ORDER BY {', '.join(quote(c) for c in spec.key_columns)}" if spec.key_columns else ""
                cur.execute(f"SELECT * FROM {quote(table)}{order}")
                names = [d[0] for d in cur.description]
                rows = [list(r) for r in cur.fetchall()]
        finally:
            conn.close()
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    else:
        from .postgres import connect

        with connect(target.location) as conn:
            result = conn.execute(f'SELECT * FROM "{table}" ORDER BY ctid')  # load order, even from a parallel scan
            assert result.description is not None  # None only for a statement that returns no rows
            names = [d.name for d in result.description]
            frame = pl.DataFrame([list(r) for r in result.fetchall()], schema=names, orient="row", infer_schema_length=None)
    return _cast(frame, schema)


def _as_json_text(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Nested columns (a fixed-shape JSON field) as JSON text again, as the other formats hold it.
    The text has the same values; numbers are spelled as floats (46.62211, where Faker wrote
    Decimal 46.622110), since Parquet holds them as doubles."""
    from ..model.jsontext import json_text

    texts = [
        pl.Series(c.name, [None if v is None else json_text(v) for v in frame[c.name].to_list()], dtype=pl.String)
        for c in spec.columns
        if c.shape is not None and c.name in frame.columns
    ]
    return frame.with_columns(texts) if texts else frame


def _cast(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    columns = []
    for name, dtype in schema.items():
        column = frame[name] if name in frame.columns else pl.Series(name, [None] * frame.height)
        if column.dtype == dtype:
            columns.append(column)
        elif dtype == pl.Date and column.dtype == pl.String:
            columns.append(column.str.to_date(DATE))
        elif isinstance(dtype, pl.Datetime) and column.dtype == pl.String:
            columns.append(column.str.replace("T", " ").str.to_datetime(SQL_DATETIME, time_unit="us"))
        else:
            columns.append(column.cast(dtype))
    return pl.DataFrame(columns)
