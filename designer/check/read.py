"""DATA for `designer check`: a SQLite file, a postgresql:// URL, or CSV/TSV/Parquet/NDJSON/JSON files,
read into one polars frame per table under the names the export writes, cast to the types the
design gives its columns. Nothing here knows the rules; a table that is not there is simply absent
(the rules say so), while DATA that cannot be read at all is bad input (one line, exit 2)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import polars as pl

from ..errors import DesignerError
from ..writers.base import DATE, SQL_DATETIME, TableSpec

FILE_FORMATS = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json"}
SQLITE_SUFFIXES = (".sqlite", ".db", ".sqlite3")


class BadData(DesignerError):
    """DATA cannot be read: no such file, not a database, a file of an unknown format."""


def shown_location(location: str) -> str:
    """DATA as messages show it: a URL without its password."""
    if location.startswith(("postgresql://", "postgres://")):
        from ..writers.pgurl import shown

        return shown(location)
    return location


def read_tables(location: str, specs: list[TableSpec]) -> dict[str, pl.DataFrame]:
    """Table name -> frame, for every table of `specs` that DATA holds (matched without case, as
    SQLite and the file systems of macOS and Windows match names)."""
    if location.startswith(("postgresql://", "postgres://")):
        raw = _postgres(location, specs)
    else:
        path = Path(location)
        if not path.exists():
            raise BadData(f"{location}: no such file or directory")
        if path.is_dir():
            raw = _directory(path, specs)
        elif path.suffix.lower() in FILE_FORMATS:
            raw = _one_file(path, specs)
        else:
            raw = _sqlite(path, specs)
    return {spec.name: _typed(raw[spec.name], spec) for spec in specs if spec.name in raw}


def _by_lower(names, specs: list[TableSpec]) -> dict[str, str]:
    """Spec table name -> the name DATA gives it (the same but for case)."""
    have = {n.lower(): n for n in names}
    return {s.name: have[s.name.lower()] for s in specs if s.name.lower() in have}


def _sqlite(path: Path, specs: list[TableSpec]) -> dict[str, pl.DataFrame]:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            out = {}
            for table, there in _by_lower(names, specs).items():
                quoted = there.replace('"', '""')
                cursor = db.execute(f'SELECT * FROM "{quoted}" ORDER BY rowid')
                columns = [d[0] for d in cursor.description]
                rows = [list(r) for r in cursor.fetchall()]
                out[table] = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
            return out
    except sqlite3.DatabaseError as error:
        raise BadData(
            f"{path}: not a SQLite database, nor a directory or a .csv, .tsv, .parquet, .ndjson or .json file ({error})"
        ) from None


def _postgres(url: str, specs: list[TableSpec]) -> dict[str, pl.DataFrame]:
    from ..writers.pgurl import connect, said, shown

    try:
        import psycopg
    except ImportError:
        raise BadData(f"{shown(url)}: PostgreSQL needs the psycopg driver: pip install 'designer[postgres]'") from None
    try:
        with connect(url) as conn:
            names = [
                r[0]
                for r in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
            ]
            out = {}
            for table, there in _by_lower(names, specs).items():
                quoted = there.replace('"', '""')
                result = conn.execute(f'SELECT * FROM "{quoted}" ORDER BY ctid')
                assert result.description is not None  # a SELECT has columns
                columns = [d.name for d in result.description]
                rows = [list(r) for r in result.fetchall()]
                out[table] = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
            return out
    except psycopg.Error as error:
        raise BadData(f"{shown(url)}: cannot read: {said(error, url)}") from None
    except DesignerError as error:  # cannot connect: the driver's reason, the password hidden
        raise BadData(error.message) from None


def _directory(path: Path, specs: list[TableSpec]) -> dict[str, pl.DataFrame]:
    files = {f.stem: f for f in sorted(path.iterdir()) if f.is_file() and f.suffix.lower() in FILE_FORMATS}
    return {table: _read_file(files[there]) for table, there in _by_lower(files, specs).items()}


def _one_file(path: Path, specs: list[TableSpec]) -> dict[str, pl.DataFrame]:
    """One file holds one table: the one its name says, or the design's only table."""
    found = _by_lower([path.stem], specs)
    if not found and len(specs) == 1:
        found = {specs[0].name: path.stem}
    return {table: _read_file(path) for table in found}


def _read_file(path: Path) -> pl.DataFrame:
    fmt = FILE_FORMATS[path.suffix.lower()]
    try:
        if fmt == "parquet":
            return pl.read_parquet(path)
        if fmt in ("csv", "tsv"):
            # every column as text first: the spec's types are applied after, so "007" stays "007"
            return pl.read_csv(path, separator="\t" if fmt == "tsv" else ",", infer_schema=False)
        text = path.read_text(encoding="utf-8")
        if fmt == "json":
            rows = json.loads(text)
            if not isinstance(rows, list):
                raise ValueError("not an array of objects")
        else:
            rows = [json.loads(line) for line in text.split("\n") if line.strip()]  # "\n" only: U+2028 may sit in a string
        if (odd := next((n for n, row in enumerate(rows, 1) if not isinstance(row, dict)), None)) is not None:
            raise ValueError(f"record {odd} is not a JSON object")
        return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
    except (OSError, ValueError, TypeError, pl.exceptions.PolarsError) as error:
        reason = " ".join(str(error).split())
        raise BadData(f"{path}: cannot read as {fmt}: {reason}") from None


def _typed(frame: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Each column of the spec cast to its type; a column that does not cast keeps what was read
    (its type rule then fails), and a column that is missing stays missing."""
    columns = []
    for column in spec.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        try:
            columns.append(_cast(values, column.dtype))
        except (pl.exceptions.PolarsError, ValueError):
            columns.append(values)
    extra = [frame[c] for c in frame.columns if c not in {s.name for s in spec.columns}]
    return pl.DataFrame(columns + extra)


def _cast(values: pl.Series, dtype: pl.DataType) -> pl.Series:
    if values.dtype == dtype:
        return values
    if values.dtype == pl.String:
        if dtype == pl.Date:
            return values.str.slice(0, 10).str.to_date(DATE)
        if isinstance(dtype, pl.Datetime):
            return values.str.replace("T", " ").str.to_datetime(SQL_DATETIME, time_unit="us")
        if dtype == pl.Boolean:
            truth = {"true": True, "t": True, "1": True, "false": False, "f": False, "0": False}
            return values.str.to_lowercase().replace_strict(truth, return_dtype=pl.Boolean)
        if dtype == pl.String:
            return values
    if isinstance(dtype, pl.Datetime) and isinstance(values.dtype, pl.Datetime):
        return values.dt.replace_time_zone(None).dt.cast_time_unit("us")
    if dtype == pl.Date and isinstance(values.dtype, pl.Datetime):
        return values.dt.date()
    if dtype == pl.String and not values.dtype.is_nested():
        return values.cast(pl.String)
    if dtype == pl.String:
        return values  # a nested Parquet column (a Faker profile): kept as read
    return values.cast(dtype, strict=True)
