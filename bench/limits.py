"""The write-only limits: how fast each target takes an already generated frame of the users table,
so that every export figure can be read as a ratio to what its writer allows on this machine.

    python bench/limits.py [--rows 1000000] [--preset bench/users.toml] [--only sqlite3 adbc ...]

The frame is generated once, then written in designer's blocks by:
  sqlite3      sqlite3 executemany, designer's DDL and PRAGMAs (the writer before ADBC)
  adbc         ADBC bulk ingest (adbc-driver-sqlite), the same DDL and PRAGMAs
  adbc-nokeys  ADBC bulk ingest into the same columns with no keys, UNIQUE or indexes
  csv          polars write_csv
  parquet      pyarrow's ParquetWriter with designer's settings (zstd, dictionary where few distinct)
Run on a machine otherwise idle: the figures are elapsed time.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.common import USERS_PRESET  # noqa: E402
from designer import pipeline, presets  # noqa: E402
from designer.engine import BLOCK_ROWS  # noqa: E402
from designer.writers.base import TableSpec  # noqa: E402
from designer.writers.parquet import _few_distinct, arrow_schema  # noqa: E402
from designer.writers.sqlite import CACHE_KIB, PAGE_BYTES, SORT_CACHE_KIB, _rows, arrow_ready, sqlite_ready  # noqa: E402
from designer.writers.sqltypes import create_table, quote, unique_indexes, unique_later  # noqa: E402

PRAGMAS = ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF", f"cache_size = -{CACHE_KIB}")


def blocks_of(frame: pl.DataFrame) -> list[pl.DataFrame]:
    return [frame.slice(start, BLOCK_ROWS) for start in range(0, frame.height, BLOCK_ROWS)]


def with_sqlite3(path: Path, spec: TableSpec, blocks: list[pl.DataFrame]) -> None:
    later = unique_later([spec])
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute(f"PRAGMA page_size = {PAGE_BYTES}")
        for pragma in PRAGMAS:
            db.execute(f"PRAGMA {pragma}")
        db.execute("BEGIN")
        db.execute(create_table(spec, "sqlite", later=later[spec.name]))
        columns = ", ".join(quote(c.name) for c in spec.columns)
        marks = ", ".join("?" for _ in spec.columns)
        for block in blocks:
            db.executemany(f"INSERT INTO {quote(spec.name)} ({columns}) VALUES ({marks})", _rows(sqlite_ready(block)))
        db.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        for statement in unique_indexes(later):
            db.execute(statement)
        db.execute("COMMIT")


def with_adbc(path: Path, spec: TableSpec, blocks: list[pl.DataFrame], keys: bool = True) -> None:
    import adbc_driver_sqlite.dbapi as adbc

    later = unique_later([spec]) if keys else {spec.name: frozenset()}
    with closing(adbc.connect(str(path), autocommit=True)) as db, closing(db.cursor()) as cursor:
        for pragma in (f"page_size = {PAGE_BYTES}", *PRAGMAS):
            cursor.execute(f"PRAGMA {pragma}")
            cursor.fetchall()
        cursor.execute(create_table(spec, "sqlite", keys=keys, later=later[spec.name]))
        for block in blocks:
            cursor.adbc_ingest(spec.name, arrow_ready(block), mode="append")
        cursor.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        cursor.fetchall()
        for statement in unique_indexes(later):
            cursor.execute(statement)


def with_csv(path: Path, spec: TableSpec, blocks: list[pl.DataFrame]) -> None:
    with open(path, "wb") as handle:
        for i, block in enumerate(blocks):
            block.write_csv(handle, include_header=i == 0)


def with_parquet(path: Path, spec: TableSpec, blocks: list[pl.DataFrame]) -> None:
    schema = arrow_schema(spec)
    with pq.ParquetWriter(path, schema, compression="zstd", use_dictionary=_few_distinct(blocks[0])) as writer:
        for block in blocks:
            writer.write_table(block.to_arrow().cast(schema))


LIMITS: dict[str, tuple[str, Callable[[Path, TableSpec, list[pl.DataFrame]], None]]] = {
    "sqlite3": ("sqlite3 executemany, designer's DDL", with_sqlite3),
    "adbc": ("ADBC bulk ingest, designer's DDL", with_adbc),
    "adbc-nokeys": ("ADBC bulk ingest, no keys", lambda p, s, b: with_adbc(p, s, b, keys=False)),
    "csv": ("polars write_csv", with_csv),
    "parquet": ("pyarrow Parquet, designer's settings", with_parquet),
}


def measure(rows: int, preset: Path, only: list[str]) -> dict[str, float]:
    """rows/s of each limit, from one generated frame of the preset's root table."""
    design = presets.load(preset)
    root = next(n for n, e in design.entities.items() if e.parent is None)
    frame = pipeline.generate(design, root, rows={root: rows})
    (spec,) = [t for t in pipeline.tables(design, rows={root: rows}, entities=[root]) if t.name == design.table_of(root)]
    blocks = blocks_of(frame.rename(dict(zip(frame.columns, [c.name for c in spec.columns], strict=True))))
    rates = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in only:
            path = Path(scratch) / f"{name}.out"
            started = time.perf_counter()
            LIMITS[name][1](path, spec, blocks)
            rates[name] = frame.height / (time.perf_counter() - started)
            path.unlink()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--preset", type=Path, default=USERS_PRESET)
    parser.add_argument("--only", nargs="+", choices=list(LIMITS), default=list(LIMITS))
    args = parser.parse_args()
    rates = measure(args.rows, args.preset, args.only)
    print(f"write-only limits, {args.rows:,} rows of {args.preset.name}")
    for name, rate in rates.items():
        print(f"  {name:<12} {LIMITS[name][0]:<40} {rate:>12,.0f} rows/s")


if __name__ == "__main__":
    main()
