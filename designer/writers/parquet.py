"""Parquet: one file per table, one row group per block, so memory does not grow with the rows."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import Staging, abort_fully, layout, write_error
from .base import TableSpec, Target, Written


def arrow_schema(spec: TableSpec) -> pa.Schema:
    empty = pl.DataFrame(schema={c.name: (pl.String if c.dtype == pl.Null else c.dtype) for c in spec.columns})
    return empty.to_arrow().schema


class ParquetWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.target = target
        self.tables = {t.name: t for t in tables}
        self.staging = Staging(target, *layout(target, list(self.tables), options["extension"]))
        self.schemas = {name: arrow_schema(spec) for name, spec in self.tables.items()}
        self.rows = dict.fromkeys(self.tables, 0)
        self.writers: dict[str, pq.ParquetWriter] = {}
        try:
            for name, temp in self.staging.temps.items():
                self.writers[name] = pq.ParquetWriter(temp, self.schemas[name], compression="zstd")
        except BaseException as error:  # Ctrl-C included: no temporary file may stay behind
            abort_fully(self)
            if isinstance(error, OSError):
                raise write_error(target.location, error) from None
            raise

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        data = frame.to_arrow().cast(self.schemas[table])
        try:
            self.writers[table].write_table(data)
        except OSError as error:  # pyarrow's I/O errors: a full disk, a file size limit
            raise write_error(self.target.location, error) from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        try:
            for writer in self.writers.values():
                writer.close()  # writes the footer: the file is readable only from here on
            self.staging.commit()
        except OSError as error:
            raise write_error(self.target.location, error) from None
        finals = self.staging.finals
        return [Written(t, self.rows[t], str(finals[t]), finals[t].stat().st_size) for t in self.tables]

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # a half-written file is removed next; its own errors do not matter
                pass
        self.staging.abort()
