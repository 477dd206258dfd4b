"""Exports for the writer tests, and readers of every format that share no code with
designer/writers/readback.py (sqlite3, the csv and json modules, pyarrow, psycopg)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import polars as pl
import psycopg
import pyarrow.parquet as pq

from designer import pipeline
from designer.model import Design
from designer.writers import resolve_target
from designer.writers.base import Target
from designer.writers.readback import read_table

from ..conftest import PRESETS

ECOMMERCE = PRESETS / "ecommerce.toml"
SMALL = {"users": 300, "products": 50}
FILE_FORMATS = ["sqlite", "csv", "tsv", "parquet", "ndjson", "json"]
FORMATS = [*FILE_FORMATS, "postgres"]
TEXT_FORMATS = ["csv", "tsv", "ndjson", "json"]


def location(fmt: str, directory: Path, pg_url: str | None = None) -> str:
    """A `-o` value for a format: a file for SQLite, a directory for the others, a URL for PostgreSQL."""
    if fmt == "postgres":
        assert pg_url
        return pg_url
    if fmt == "sqlite":
        return str(directory / "out.sqlite")
    return f"{directory / fmt}/"


def export(
    design: Design, fmt: str, where: str, *, entities: list[str] | None = None, if_exists: str = "fail", **options
) -> Target:
    target = resolve_target(where, fmt, design.info.name, len(entities or design.entities), if_exists)
    pipeline.export(design, target, entities=entities, **options)
    return target


def read_back(design: Design, target: Target, **options) -> dict[str, pl.DataFrame]:
    """Every table of an export, through designer's own read-back."""
    return {spec.name: read_table(target, spec.name, spec) for spec in pipeline.tables(design, **options)}


def generated(design: Design, **options) -> dict[str, pl.DataFrame]:
    return {entity: pipeline.generate(design, entity, **options) for entity in design.entities}


# ---- independent readers: rows as Python values, compared with DataFrame.rows() ----------------


def typed(value, dtype: pl.DataType):
    """A value as read from text or JSON, turned into what polars' rows() gives for `dtype`."""
    if value is None:
        return None
    if dtype == pl.Boolean:
        return {"true": True, "false": False, 1: True, 0: False}[value]  # True == 1 and False == 0 as keys
    if dtype == pl.Date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(dtype, pl.Datetime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if dtype.is_integer() and isinstance(value, str):
        return int(value)
    if dtype.is_float() and isinstance(value, (str, int)):
        return float(value)
    return value


def raw_rows(fmt: str, target: Target, table: str, schema: pl.Schema) -> list[tuple]:
    columns = list(schema)
    if fmt == "sqlite":
        with closing(sqlite3.connect(target.path)) as db:
            rows = db.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid').fetchall()
    elif fmt == "postgres":
        with psycopg.connect(target.location) as conn:
            return conn.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY ctid').fetchall()
    elif fmt == "parquet":
        return [tuple(r.values()) for r in pq.read_table(target.path / f"{table}.parquet").to_pylist()]
    elif fmt in ("csv", "tsv"):
        with open(target.path / f"{table}.{fmt}", newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle, delimiter="\t" if fmt == "tsv" else ","))
        assert header == columns
        # the csv module reads a null and an empty string alike: "" stands for null in non-text columns
        rows = [[None if v == "" and schema[c] != pl.String else v for v, c in zip(row, columns, strict=True)] for row in rows]
    else:
        text = (target.path / f"{table}.{fmt}").read_text(encoding="utf-8")
        records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.split("\n") if line]
        assert all(list(r) == columns for r in records)
        rows = [list(r.values()) for r in records]
    return [tuple(typed(v, schema[c]) for v, c in zip(row, columns, strict=True)) for row in rows]


def expected_rows(fmt: str, frame: pl.DataFrame) -> list[tuple]:
    if fmt in ("csv", "tsv"):  # see raw_rows: the csv module cannot tell a null text from ""
        frame = frame.with_columns(pl.col(pl.String).fill_null(""))
    return frame.rows()


# ---- the CLI in a subprocess -------------------------------------------------------------------


def designer_command(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("designer")
    return [*([str(script)] if script.exists() else [sys.executable, "-m", "designer"]), *args]


def invoke(*args: str) -> subprocess.CompletedProcess:
    """`designer ARGS` in this process (click's runner): quicker than a subprocess where signals,
    resource limits and a real stderr do not matter."""
    from click.testing import CliRunner

    from designer.cli import main

    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def run_cli(*args: str, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(designer_command(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def snapshot(directory: Path) -> dict[str, bytes | None]:
    """Every file and directory under `directory` (hidden ones too), with file contents."""
    return {str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else None) for p in sorted(directory.rglob("*"))}


def temporaries(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.part"))


def preset_text(tables: dict[str, tuple[int, dict[str, str]]]) -> str:
    """A small preset's TOML: entity -> (rows, {field: inline spec}), each entity with a sequence `id`."""
    lines = ["format = 1"]
    for name, (rows, fields) in tables.items():
        lines += [f"[entities.{name}]", f"rows = {rows}", f"[entities.{name}.fields]", 'id = { kind = "sequence" }']
        lines += [f"{field} = {spec}" for field, spec in fields.items()]
    return "\n".join(lines) + "\n"
