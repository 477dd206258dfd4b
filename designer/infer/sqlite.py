"""A SQLite file: its catalog (PRAGMA table_info, foreign_key_list, index_list), CHECKs from the
stored CREATE TABLE parsed by sqlglot, and its rows: a sample per table, the row counts and
the children each parent row has."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import polars as pl
import sqlglot
from sqlglot import exp

from ..writers.sqltypes import quote
from .source import Column, ForeignKey, Schema, SourceError, Table
from .sqltypes import apply_check, describe_type, mark_writable, parse_type


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror}") from None


def read_sqlite(path: Path, *, sample: int) -> Schema:
    schema = Schema(source=str(path), dialect="sqlite")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            names = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
                )
            ]
            for name in names:
                schema.tables[name] = _table(db, name)
            for table in schema.tables.values():
                _rows(db, schema, table, sample)
    except sqlite3.Error as error:
        raise SourceError(f"{path}: {error}") from None
    if not schema.tables:
        raise SourceError(f"{path}: the database holds no table")
    return schema


def _table(db: sqlite3.Connection, name: str) -> Table:
    table = Table(name=name)
    key: list[tuple[int, str]] = []
    for _, column_name, declared, notnull, default, pk in db.execute(f"PRAGMA table_info({quote(name)})"):
        column = Column(name=column_name, declared=declared or "", not_null=bool(notnull) or bool(pk), default=default)
        datatype = parse_type(declared, "sqlite") if declared else None
        if datatype is not None:
            describe_type(column, datatype, "sqlite")
        else:
            column.family = "other"
        mark_writable(column, "sqlite")
        table.columns[column_name] = column
        if pk:
            key.append((pk, column_name))
    table.primary_key = tuple(c for _, c in sorted(key))
    if len(table.primary_key) == 1 and table.columns[table.primary_key[0]].declared.upper() == "INTEGER":
        table.columns[table.primary_key[0]].autoincrement = True  # the rowid: SQLite numbers it
    grouped: dict[int, list[tuple]] = {}
    for row in db.execute(f"PRAGMA foreign_key_list({quote(name)})"):
        grouped.setdefault(row[0], []).append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: r[1])
        table.foreign_keys.append(
            ForeignKey(columns=tuple(r[3] for r in rows), table=rows[0][2], ref_columns=tuple(r[4] for r in rows if r[4]))
        )
    for _, index, unique, origin, _partial in db.execute(f"PRAGMA index_list({quote(name)})"):
        if not unique or origin == "pk":
            continue
        columns = tuple(r[2] for r in db.execute(f"PRAGMA index_info({quote(index)})"))
        if len(columns) == 1:
            table.columns[columns[0]].unique = True
        elif columns and columns not in table.unique:
            table.unique.append(columns)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()[0]
    _checks(table, sql or "")
    return table


def _checks(table: Table, sql: str) -> None:
    try:
        statement = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return  # the catalog already gave everything else; CHECKs it cannot parse stay unreproduced
    for check in statement.find_all(exp.CheckColumnConstraint):  # a column's and the table's alike
        apply_check(table, check.this, "sqlite")


def _rows(db: sqlite3.Connection, schema: Schema, table: Table, sample: int) -> None:
    name = quote(table.name)
    table.rows = db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    cursor = db.execute(f"SELECT * FROM {name} LIMIT ?", (sample,))
    columns = [d[0] for d in cursor.description]
    records = cursor.fetchall()
    data = {c: [r[i] for r in records] for i, c in enumerate(columns)}
    table.sample = pl.DataFrame(data, strict=False, infer_schema_length=None) if records else None
    if not table.rows:
        table.sample = None
        table.rows = None  # an empty table says nothing about its rows: the preset's default
        return
    for fk in table.foreign_keys:
        if len(fk.columns) != 1 or fk.table not in schema.tables:
            continue
        ref = fk.ref_columns[0] if fk.ref_columns else schema.tables[fk.table].primary_key[0]
        histogram = db.execute(
            f"SELECT n, count(*) FROM (SELECT p.{quote(ref)}, count(c.{quote(fk.columns[0])}) AS n "
            f"FROM {quote(fk.table)} p LEFT JOIN {name} c ON c.{quote(fk.columns[0])} = p.{quote(ref)} "
            f"GROUP BY p.{quote(ref)}) GROUP BY n"
        ).fetchall()
        table.child_counts[fk.columns[0]] = {int(n): int(k) for n, k in histogram}
