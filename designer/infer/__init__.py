"""`designer infer`: a first preset from what a team already has, a schema or its rows.

A source (a DDL file, a SQLite file, a PostgreSQL URL, CSV/TSV/Parquet/NDJSON files) is read
into one description (`source.Schema`), which `build` turns into a commented preset. Headless:
the command line only names the source and writes the text.
"""

from __future__ import annotations

from pathlib import Path

from .build import DEFAULT_ROWS, build
from .source import Schema, SourceError

__all__ = ["DEFAULT_ROWS", "Schema", "SourceError", "infer", "read"]

SAMPLE = 10_000  # rows read per table to profile, by default


def read(source: str, *, sample: int = SAMPLE, dialect: str | None = None) -> Schema:
    """The schema (and, where the source has rows, their profile) of a source."""
    if source.startswith(("postgresql://", "postgres://")):
        from .postgres import read_postgres

        return read_postgres(source, sample=sample)
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file or directory")
    if path.is_dir() or path.suffix.lower() in (".csv", ".tsv", ".parquet", ".ndjson", ".jsonl"):
        from .files import read_files

        return read_files(path, sample=sample)
    if path.suffix.lower() == ".sql":
        from .ddl import read_ddl

        return read_ddl(path, dialect)
    from .sqlite import is_sqlite, read_sqlite

    if is_sqlite(path):
        return read_sqlite(path, sample=sample)
    raise SourceError(f"{source}: not a .sql DDL, a SQLite database, a CSV/TSV/Parquet/NDJSON file or a directory of them")


def infer(
    source: str,
    *,
    name: str | None = None,
    rows: int | None = None,
    sample: int = SAMPLE,
    no_values: bool = False,
    dialect: str | None = None,
) -> str:
    """The text of a preset for `source`."""
    schema = read(source, sample=sample, dialect=dialect)
    return build(schema, name=name or _default_name(source), rows=rows, no_values=no_values)


def _default_name(source: str) -> str:
    import re

    stem = source.rsplit("/", 1)[-1] if "://" in source else Path(source.rstrip("/")).stem
    stem = stem.split("?", 1)[0]
    cleaned = re.sub(r"\W", "_", stem, flags=re.ASCII).strip("_") or "inferred"
    return "_" + cleaned if cleaned[0].isdigit() else cleaned
