"""What `designer infer` knows of a source, whatever it was read from: tables, their columns and
constraints, and (where the source has rows) a sample and the measured row and child counts.

The readers (DDL, SQLite, PostgreSQL, files) fill these; `build` turns them into a preset. Types
are kept as a few families that decide a field's kind, plus what the source declared, which
decides what the export may write into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..errors import DesignerError

# The families of column types infer tells apart; a reader maps its source's types onto them.
FAMILIES = ("int", "decimal", "float", "bool", "date", "datetime", "datetimetz", "time", "text", "uuid", "json", "bytes", "other")


@dataclass
class Column:
    name: str
    family: str = "text"
    declared: str = ""  # the type as the source spells it (`VARCHAR(120)`, `numeric(10,2)`)
    not_null: bool = False
    default: str | None = None  # the default's SQL text
    autoincrement: bool = False  # AUTO_INCREMENT, SERIAL, IDENTITY, a nextval() default
    length: int | None = None  # VARCHAR(n), CHAR(n)
    precision: int | None = None  # NUMERIC(p, s)
    scale: int | None = None
    unique: bool = False
    low: float | None = None  # from CHECKs: the lowest and highest value allowed
    high: float | None = None
    values: list[Any] | None = None  # from a CHECK (x IN (...)) or an ENUM type
    checks: list[str] = field(default_factory=list)  # the CHECK texts these came from
    ignored_checks: list[str] = field(default_factory=list)  # CHECKs infer cannot reproduce
    writable: bool = True  # whether designer writes a column of this declared type (appends check it)


@dataclass
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass
class Table:
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    unique: list[tuple[str, ...]] = field(default_factory=list)  # UNIQUE of two or more columns
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    rows: int | None = None  # rows the source holds, where it has rows
    sample: pl.DataFrame | None = None  # up to --sample of them
    # children per parent row, for each single-column foreign key: {count: parent rows with it}
    child_counts: dict[str, dict[int, int]] = field(default_factory=dict)

    def fk_of(self, column: str) -> ForeignKey | None:
        """The single-column foreign key on `column`, if any."""
        return next((fk for fk in self.foreign_keys if fk.columns == (column,)), None)


@dataclass
class Schema:
    source: str  # what the user named, shown in comments (passwords hidden)
    tables: dict[str, Table] = field(default_factory=dict)
    dialect: str = ""  # sqlite, postgres, mysql, or "" for files


class SourceError(DesignerError):
    """A source infer cannot read (exit status 2): one line that names it and, for DDL, the line."""
