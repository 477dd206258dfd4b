"""Parquet: one file per table, one row group per block, so memory does not grow with the rows.

Dictionary encoding pays for columns of few distinct values (a role, a state) and costs time and
bytes for nearly distinct ones (ids, emails, timestamps): Parquet tries it and falls back page by
page. Each table's first block decides per column, so the same preset still gives the same bytes.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from .atomic import staging_for, write_error, written_files
from .base import TableSpec, Target, Written


def arrow_schema(spec: TableSpec) -> pa.Schema:
    empty = pl.DataFrame(schema={c.name: c.shape or (pl.String if c.dtype == pl.Null else c.dtype) for c in spec.columns})
    return empty.to_arrow().schema


def nested(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """JSON text of a fixed shape as the struct or list it spells (model/shapes.py)."""
    shaped = [pl.col(c.name).str.json_decode(c.shape) for c in spec.columns if c.shape is not None]
    return frame.with_columns(shaped) if shaped else frame


class ParquetWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.target = target
        self.tables = {t.name: t for t in tables}
        self.staging = staging_for(target, list(self.tables), options["extension"])
        self.schemas = {name: arrow_schema(spec) for name, spec in self.tables.items()}
        self.rows = dict.fromkeys(self.tables, 0)
        self.writers: dict[str, pq.ParquetWriter] = {}  # opened at a table's first block (or commit)

    def _writer(self, table: str, first: pl.DataFrame | None) -> pq.ParquetWriter:
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(
                self.staging.temps[table],
                self.schemas[table],
                compression="zstd",
                use_dictionary=_few_distinct(first) if first is not None else True,
            )
        return self.writers[table]

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        data = nested(self.tables[table], frame).to_arrow().cast(self.schemas[table])
        try:
            self._writer(table, frame).write_table(data)
        except OSError as error:  # pyarrow's I/O errors: a full disk, a file size limit
            raise write_error(self.target.location, error) from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        try:
            for table in self.tables:
                self._writer(table, None).close()  # writes the footer: the file is readable only from here on
            self.staging.commit()
        except OSError as error:
            raise write_error(self.target.location, error) from None
        return written_files(self.staging, self.rows)

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except Exception:  # a half-written file is removed next; its own errors do not matter
                pass
        self.staging.abort()


DICTIONARY_AT_MOST = 0.3  # distinct values per row in the first block, above which a column is left plain


def _few_distinct(frame: pl.DataFrame) -> list[str]:
    """The columns worth dictionary-encoding, judged by the first block's rows."""
    counts = frame.select(pl.all().n_unique()).row(0)
    return [name for name, distinct in zip(frame.columns, counts, strict=True) if distinct <= DICTIONARY_AT_MOST * frame.height]
