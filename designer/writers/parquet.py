"""Parquet: one file per table, one row group per block, so memory does not grow with the rows."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ExportError
from .atomic import ensure_dir, remove_quietly, temp_path
from .base import TableSpec, Target, Written


def arrow_schema(spec: TableSpec) -> pa.Schema:
    empty = pl.DataFrame(schema={c.name: (pl.String if c.dtype == pl.Null else c.dtype) for c in spec.columns})
    return empty.to_arrow().schema


class ParquetWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.target = target
        self.tables = {t.name: t for t in tables}
        path = target.path
        if target.options.get("single_file"):
            self.finals = {tables[0].name: path}
            directory = path.parent if str(path.parent) else Path(".")
        else:
            self.finals = {t.name: path / f"{t.name}.parquet" for t in tables}
            directory = path
        existing = [p for p in self.finals.values() if p.exists()]
        if existing and target.if_exists == "fail":
            raise ExportError(f"{existing[0]}: exists; pass --if-exists replace to overwrite it")
        if target.if_exists == "append":
            raise ExportError(f"{target.location}: --if-exists append works for databases only; use replace or another target")
        self.created_dir = ensure_dir(directory, target.location)
        self.temps = {name: temp_path(final) for name, final in self.finals.items()}
        self.schemas = {name: arrow_schema(spec) for name, spec in self.tables.items()}
        self.rows = dict.fromkeys(self.tables, 0)
        self.writers: dict[str, pq.ParquetWriter] = {}
        try:
            for name in self.tables:
                self.writers[name] = pq.ParquetWriter(self.temps[name], self.schemas[name], compression="zstd")
        except OSError as error:
            self.abort()
            raise ExportError(f"{target.location}: cannot write: {error}") from None

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        data = frame.to_arrow().cast(self.schemas[table])
        self.writers[table].write_table(data)
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        written = []
        for name, writer in self.writers.items():
            writer.close()
            os.replace(self.temps[name], self.finals[name])
            written.append(Written(name, self.rows[name], str(self.finals[name]), self.finals[name].stat().st_size))
        return written

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:
                pass
        for temp in self.temps.values():
            remove_quietly(temp)
        if self.created_dir and not self.target.options.get("single_file"):
            try:
                self.target.path.rmdir()
            except OSError:
                pass
