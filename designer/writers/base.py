"""What every writer is given and what it promises.

The pipeline describes the tables once (`TableSpec`, in load order: a table comes
after every table it references), then streams blocks of rows into the writer,
interleaved across tables but always parents before their children, and ends with
`commit()` or `abort()`. Writers never import the engine: they see frames and specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, get_args

import polars as pl

IfExists = Literal["fail", "replace", "replace-cascade", "append"]
IF_EXISTS: tuple[IfExists, ...] = get_args(IfExists)

# How dates and times are spelled as text. `%.f` writes fractional seconds only where there are
# some (".5", ".123457"), so whole-second times stay short and sub-second ones survive.
DATE = "%Y-%m-%d"
DATETIME = "%Y-%m-%dT%H:%M:%S%.f"
SQL_DATETIME = "%Y-%m-%d %H:%M:%S%.f"  # what SQLite's date functions and PostgreSQL's COPY read


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    dtype: pl.DataType  # one of Int64, Float64, String, Boolean, Date, Datetime("us")
    nullable: bool  # False -> NOT NULL
    unique: bool = False  # True -> UNIQUE
    references: tuple[str, str] | None = None  # (table, column) -> FOREIGN KEY
    # JSON text whose shape is fixed (model/shapes.py): formats with nested types (Parquet) write
    # it as this struct or list; the others keep the text
    shape: pl.DataType | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    primary_key: str | None = None  # a key of one column
    composite_key: tuple[str, ...] = ()  # a key of several columns (then primary_key is None)
    unique_together: tuple[tuple[str, ...], ...] = ()  # UNIQUE (a, b) of each tuple

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The primary key's columns: one, several or none."""
        return self.composite_key or ((self.primary_key,) if self.primary_key else ())


@dataclass(frozen=True)
class Written:
    """One finished output, for the summary: a file (with its size) or a database table."""

    table: str
    rows: int
    location: str  # a file path, or "<db target>#table"
    bytes: int | None = None
    note: str | None = None  # a line said after the summary (what a replace dropped or repaired)


@dataclass
class Target:
    """Where an export goes, as parsed from `-o` and `--format`."""

    format: str  # a key of the writer registry: sqlite, csv, tsv, parquet, ndjson, json, postgres
    location: str  # path, directory, "-" for stdout, or a postgresql:// or mysql:// URL
    if_exists: IfExists = "fail"
    options: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def shown(self) -> str:
        """The location for people: a URL without its password."""
        from .pgurl import shown

        return shown(self.location) if self.format in ("postgres", "mysql") else self.location


class Writer(Protocol):
    def write(self, table: str, frame: pl.DataFrame) -> None:
        """Append one block of rows (columns exactly as in the table's spec)."""

    def commit(self) -> list[Written]:
        """Make everything visible at once (rename temp files, COMMIT) and report it."""

    def abort(self) -> None:
        """Remove every trace of this run; an existing target stays as it was."""
