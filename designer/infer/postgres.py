"""A PostgreSQL schema (the URL's current schema): pg_catalog's tables, columns, keys, UNIQUE
and CHECK constraints (their text from pg_get_constraintdef, parsed by sqlglot), and the rows:
a sample per table, the row counts and the children each parent row has. Needs the optional
driver (`designer[postgres]`); a refused connection is one line."""

from __future__ import annotations

from typing import Any, cast

import polars as pl
import sqlglot
from sqlglot import exp

from ..writers.existing import POSTGRES_TAKES
from ..writers.pgurl import connect, said, shown
from ..writers.sqltypes import quote
from .source import Column, ForeignKey, Schema, SourceError, Table
from .sqltypes import WRITES, apply_check, describe_type, parse_type

TABLES = """SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.oid"""
COLUMNS = """SELECT a.attname, format_type(a.atttypid, a.atttypmod), format_type(a.atttypid, NULL), a.attnotnull,
                    pg_get_expr(d.adbin, d.adrelid), a.attidentity <> ''
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum"""
CONSTRAINTS = """SELECT con.contype,
                        ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
                        (SELECT relname FROM pg_class WHERE oid = con.confrelid),
                        ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
                        pg_get_constraintdef(con.oid)
                 FROM pg_constraint con WHERE con.conrelid = %s ORDER BY con.contype, con.conname"""


def read_postgres(url: str, *, sample: int) -> Schema:
    try:
        import psycopg
    except ImportError:
        raise SourceError(
            f"{shown(url)}: reading PostgreSQL needs the psycopg driver: pip install 'designer[postgres]'"
        ) from None
    try:
        connection = connect(url)
    except Exception as error:  # ExportError from connect: the same one line, as an infer source
        raise SourceError(str(error)) from None
    schema = Schema(source=shown(url), dialect="postgres")
    try:
        with connection:
            connection.read_only = True
            with connection.cursor() as cursor:
                tables = cursor.execute(TABLES).fetchall()
                for oid, name in tables:
                    schema.tables[name] = _table(cursor, oid, name)
                for table in schema.tables.values():
                    _rows(cursor, schema, table, sample)
    except psycopg.Error as error:
        raise SourceError(f"{shown(url)}: {said(error, url)}") from None
    if not schema.tables:
        raise SourceError(f"{shown(url)}: the schema holds no table")
    return schema


def _table(cursor: Any, oid: int, name: str) -> Table:
    table = Table(name=name)
    for column_name, declared, base, not_null, default, identity in cursor.execute(COLUMNS, (oid,)).fetchall():
        column = Column(name=column_name, declared=declared, not_null=not_null, default=default)
        datatype = parse_type(declared, "postgres")
        if datatype is not None:
            describe_type(column, datatype, "postgres")
        else:
            column.family = "other"
        column.autoincrement = identity or bool(default and default.startswith("nextval("))
        writes = WRITES.get(column.family)
        column.writable = writes is not None and base in POSTGRES_TAKES[writes]
        table.columns[column_name] = column
    for contype, columns, ref_table, ref_columns, definition in cursor.execute(CONSTRAINTS, (oid,)).fetchall():
        columns = tuple(columns)
        if contype == "p":
            table.primary_key = columns
        elif contype == "u":
            if len(columns) == 1:
                table.columns[columns[0]].unique = True
            else:
                table.unique.append(columns)
        elif contype == "f":
            table.foreign_keys.append(ForeignKey(columns=columns, table=ref_table, ref_columns=tuple(ref_columns)))
        elif contype == "c" and definition.upper().startswith("CHECK"):
            try:
                check = sqlglot.parse_one(definition[len("CHECK") :].replace(" NOT VALID", ""), read="postgres")
            except sqlglot.errors.SqlglotError:
                continue
            apply_check(table, cast(exp.Expression, check), "postgres")
    return table


def _rows(cursor: Any, schema: Schema, table: Table, sample: int) -> None:
    name = quote(table.name)
    table.rows = cursor.execute(f"SELECT count(*) FROM {name}").fetchone()[0] or None
    if not table.rows:
        return
    cursor.execute(f"SELECT * FROM {name} LIMIT %s", (sample,))
    columns = [d.name for d in cursor.description]
    records = cursor.fetchall()
    table.sample = pl.DataFrame(
        {c: [r[i] for r in records] for i, c in enumerate(columns)}, strict=False, infer_schema_length=None
    )
    for fk in table.foreign_keys:
        if len(fk.columns) != 1 or fk.table not in schema.tables:
            continue
        ref, column = quote(fk.ref_columns[0]), quote(fk.columns[0])
        histogram = cursor.execute(
            f"SELECT n, count(*) FROM (SELECT p.{ref}, count(c.{column}) AS n FROM {quote(fk.table)} p "
            f"LEFT JOIN {name} c ON c.{column} = p.{ref} GROUP BY p.{ref}) counts GROUP BY n"
        ).fetchall()
        table.child_counts[fk.columns[0]] = {int(n): int(k) for n, k in histogram}
