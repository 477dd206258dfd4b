"""CSV, TSV, Parquet or NDJSON files (a file, or a directory of them: one entity each), read
with polars and profiled. Files declare no keys, so the rows tell them: an `id` column of
distinct values is a key, and a `<name>_id` column whose values are all keys of the file
`<name>` (or `<name>s`) is a foreign key to it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .source import Column, ForeignKey, Schema, SourceError, Table

SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".ndjson": "ndjson", ".jsonl": "ndjson"}


def _family(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "float"
    if isinstance(dtype, pl.Decimal):
        return "decimal"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetimetz" if dtype.time_zone else "datetime"
    if dtype == pl.Time:
        return "time"
    if dtype == pl.String:
        return "text"
    return "other"


def _scan(path: Path) -> pl.LazyFrame:
    fmt = SUFFIXES[path.suffix.lower()]
    if fmt in ("csv", "tsv"):
        return pl.scan_csv(path, separator="\t" if fmt == "tsv" else ",", try_parse_dates=True, infer_schema_length=10_000)
    if fmt == "parquet":
        return pl.scan_parquet(path)
    return pl.scan_ndjson(path, infer_schema_length=10_000)


def read_files(path: Path, *, sample: int) -> Schema:
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES) if path.is_dir() else [path]
    if not files:
        raise SourceError(f"{path}: no .csv, .tsv, .parquet, .ndjson or .jsonl file in this directory")
    schema = Schema(source=str(path), dialect="")
    full: dict[str, pl.LazyFrame] = {}
    for file in files:
        name = file.stem
        try:
            lazy = _scan(file)
            rows = int(lazy.select(pl.len()).collect().item())
            head = lazy.head(sample).collect()
        except (pl.exceptions.PolarsError, OSError) as error:
            reason = " ".join(str(error).split())[:200]
            raise SourceError(f"{file}: cannot read: {reason}") from None
        if not head.width:
            raise SourceError(f"{file}: no columns")
        table = Table(name=name, rows=rows or None, sample=head if rows else None)
        for column_name, dtype in head.schema.items():
            values = head[column_name]
            table.columns[column_name] = Column(
                name=column_name, family=_family(dtype), declared=str(dtype), not_null=bool(rows) and values.null_count() == 0
            )
        schema.tables[name] = table
        full[name] = lazy
    for table in schema.tables.values():
        _key(table, full[table.name])
    for table in schema.tables.values():
        _links(schema, table, full)
    return schema


def _key(table: Table, lazy: pl.LazyFrame) -> None:
    """`id`, `<name>_id` or `<name>id`, whole numbers or text all distinct and never null: the key."""
    stem = table.name.lower().rstrip("s")
    for column in table.columns.values():
        if column.family not in ("int", "text") or column.name.lower() not in (
            "id",
            f"{stem}_id",
            f"{stem}id",
            f"{table.name.lower()}_id",
        ):
            continue
        counts = lazy.select(
            pl.col(column.name).n_unique().alias("u"), pl.col(column.name).null_count().alias("n"), pl.len()
        ).collect()
        if counts["n"][0] == 0 and counts["u"][0] == counts["len"][0] and counts["len"][0] > 0:
            table.primary_key = (column.name,)
            column.not_null = True
            return


def _links(schema: Schema, table: Table, full: dict[str, pl.LazyFrame]) -> None:
    for column in table.columns.values():
        lowered = column.name.lower()
        if column.family not in ("int", "text") or (column.name,) == table.primary_key or not lowered.endswith("_id"):
            continue
        stem = lowered[: -len("_id")]
        target = next(
            (t for t in schema.tables.values() if t.name.lower() in (stem, stem + "s", stem + "es") and t.primary_key), None
        )
        if target is None:
            continue
        key = target.primary_key[0]
        keys = full[target.name].select(pl.col(key).alias("k"))
        refs = full[table.name].select(pl.col(column.name).alias("k")).drop_nulls()
        missing = refs.join(keys, on="k", how="anti").select(pl.len()).collect().item()
        if missing:
            continue  # values that point nowhere: not a foreign key
        table.foreign_keys.append(ForeignKey(columns=(column.name,), table=target.name, ref_columns=(key,)))
        per_parent = keys.join(refs.group_by("k").len(), on="k", how="left").select(pl.col("len").fill_null(0)).collect()
        histogram = per_parent["len"].value_counts()
        table.child_counts[column.name] = {int(n): int(c) for n, c in histogram.iter_rows()}
