"""What an append finds in its target: the tables it writes must take the design's columns and
types, and a sequence continues past the values they hold.

Read before the writer opens (in a connection of its own): a target that does not fit is refused
in one line, naming the first difference, and nothing is written. Only databases take appends
(file targets refuse `--if-exists append` themselves).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from ..errors import ExportError
from . import FORMATS
from .base import TableSpec, Target
from .pgurl import said, shown
from .sqltypes import TYPES, family, quote

Extents = dict[tuple[str, str], tuple[Any, Any]]
"""(table, column) -> (lowest, highest) value the target holds, for the columns asked about."""

# The SQLite type affinities (https://sqlite.org/datatype3.html, 3.1) that store each family's
# values as written: NUMERIC keeps integers and reals, and text it cannot read as a number
SQLITE_TAKES = {
    "int": {"INTEGER", "NUMERIC"},
    "bool": {"INTEGER", "NUMERIC"},
    "float": {"REAL", "NUMERIC"},
    "str": {"TEXT"},
    "date": {"TEXT", "NUMERIC"},
    "datetime": {"TEXT", "NUMERIC"},
}
POSTGRES_TAKES = {
    "int": {"bigint", "integer", "smallint", "numeric"},
    "bool": {"boolean"},
    "float": {"double precision", "real", "numeric"},
    "str": {"text", "character varying", "character"},
    "date": {"date"},
    "datetime": {"timestamp without time zone"},
}
# DuckDB's names for its types (information_schema.columns.data_type) that hold each family's values
DUCKDB_TAKES = {
    "int": {"BIGINT", "HUGEINT", "INTEGER", "SMALLINT", "TINYINT"},
    "bool": {"BOOLEAN"},
    "float": {"DOUBLE", "FLOAT"},
    "str": {"VARCHAR"},
    "date": {"DATE"},
    "datetime": {"TIMESTAMP"},
}

# information_schema's DATA_TYPE (BOOLEAN is tinyint there; FLOAT rounds, as PostgreSQL's real does)
MYSQL_TAKES = {
    "int": {"bigint", "int", "mediumint", "smallint", "decimal"},  # a value too large fails the load (strict mode)
    "bool": {"tinyint"},
    "float": {"double", "float", "decimal"},
    "str": {"varchar", "char", "text", "tinytext", "mediumtext", "longtext"},
    "date": {"date"},
    "datetime": {"datetime", "timestamp"},
}
TAKES = {"postgres": POSTGRES_TAKES, "duckdb": DUCKDB_TAKES, "mysql": MYSQL_TAKES}


def existing_extents(target: Target, specs: list[TableSpec], wanted: dict[str, list[str]]) -> Extents:
    """Check the tables of `specs` that exist at the target against them; the lowest and highest
    value of the `wanted` columns (table -> columns) of the tables that exist and hold rows."""
    fmt = FORMATS[target.format].name
    if fmt == "sqlite":
        return _sqlite(target, specs, wanted)
    if fmt == "postgres":
        return _postgres(target, specs, wanted)
    if fmt == "duckdb":
        return _duckdb(target, specs, wanted)
    if fmt == "mysql":
        return _mysql(target, specs, wanted)
    return {}


def sqlite_affinity(declared: str) -> str:
    """SQLite's rules for the affinity of a declared column type, in their order."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(s in upper for s in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper:
        return "BLOB"
    if any(s in upper for s in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _refused(label: str, message: str) -> ExportError:
    return ExportError(f"{label}: append: {message}")


def _check_table(label: str, spec: TableSpec, found: list[tuple[str, str, bool]], dialect: str) -> None:
    """Refuse a table whose columns (name, declared type, NOT NULL without a default) do not take
    the design's: the first column missing or of another type, or one the design leaves empty
    that must be filled. SQLite, DuckDB and MySQL compare column names without case, PostgreSQL (quoted) with it."""
    fold = str.lower if dialect in ("sqlite", "duckdb", "mysql") else str
    have = {fold(name): (name, declared) for name, declared, _ in found}
    for column in spec.columns:
        if (row := have.get(fold(column.name))) is None:
            raise _refused(label, f"table {spec.name} has no column {column.name}")
        kind, declared = family(column.dtype), row[1]
        fits = sqlite_affinity(declared) in SQLITE_TAKES[kind] if dialect == "sqlite" else declared in TAKES[dialect][kind]
        if not fits:
            # as each database names its types: PostgreSQL and MySQL in lower case, SQLite and DuckDB in upper
            writes = TYPES[dialect][kind].lower() if dialect in ("postgres", "mysql") else TYPES[dialect][kind]
            raise _refused(
                label, f"table {spec.name}: column {column.name} is {declared or 'untyped'}, the design writes {writes}"
            )
    written = {fold(c.name) for c in spec.columns}
    for name, _, needed in found:
        if needed and fold(name) not in written:
            raise _refused(
                label, f"table {spec.name}: column {name} is NOT NULL without a default, and the design does not write it"
            )


def _numbers(label: str, table: str, column: str, lo, hi) -> tuple[Any, Any]:
    for value in (lo, hi):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _refused(label, f"table {table}: column {column} holds {value!r}, which a sequence cannot continue from")
    return lo, hi


def _sqlite(target: Target, specs: list[TableSpec], wanted: dict[str, list[str]]) -> Extents:
    path = target.path
    if not path.is_file():
        return {}
    label = target.location
    extents: Extents = {}
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            for spec in specs:
                # (cid, name, type, notnull, default, pk); no rows: no such table (names without case).
                # An INTEGER PRIMARY KEY is the rowid: SQLite numbers it when it is not given.
                info = db.execute(f"PRAGMA table_info({quote(spec.name)})").fetchall()
                if not info:
                    continue
                found = [(r[1], r[2], bool(r[3]) and r[4] is None and not (r[5] and r[2].upper() == "INTEGER")) for r in info]
                _check_table(label, spec, found, "sqlite")
                for name in wanted.get(spec.name, []):
                    lo, hi = db.execute(f"SELECT min({quote(name)}), max({quote(name)}) FROM {quote(spec.name)}").fetchone()
                    if hi is not None:
                        extents[(spec.name, name)] = _numbers(label, spec.name, name, lo, hi)
    except sqlite3.Error as error:
        raise ExportError(f"{label}: {error}") from None
    return extents


def _duckdb(target: Target, specs: list[TableSpec], wanted: dict[str, list[str]]) -> Extents:
    from .duckdb import connect_read_only, load_duckdb

    path = target.path
    if not path.is_file():
        return {}
    label = target.location
    error_type = load_duckdb(label).Error
    extents: Extents = {}
    try:
        with connect_read_only(path, label) as db:
            for spec in specs:
                found = [
                    (name, declared, nullable == "NO" and default is None)
                    for name, declared, nullable, default in db.execute(DUCKDB_COLUMNS, [spec.name]).fetchall()
                ]
                if not found:
                    continue
                _check_table(label, spec, found, "duckdb")
                for name in wanted.get(spec.name, []):
                    lo, hi = db.execute(f"SELECT min({quote(name)}), max({quote(name)}) FROM {quote(spec.name)}").fetchone()
                    if hi is not None:
                        extents[(spec.name, name)] = _numbers(label, spec.name, name, lo, hi)
    except error_type as error:
        raise ExportError(f"{label}: {' '.join(str(error).split())}") from None
    return extents


# the main schema's tables only: the writer creates and inserts into unqualified names, which are main's
DUCKDB_COLUMNS = """SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
                    WHERE table_catalog = current_database() AND table_schema = 'main' AND lower(table_name) = lower(?)
                    ORDER BY ordinal_position"""

COLUMNS = """SELECT column_name, data_type,
                    is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' AND is_generated = 'NEVER'
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position"""


def _postgres(target: Target, specs: list[TableSpec], wanted: dict[str, list[str]]) -> Extents:
    import psycopg

    from .pgurl import connect

    label = shown(target.location)
    extents: Extents = {}
    conn = connect(target.location, target.options.get("connect_timeout"))
    try:
        with conn:
            for spec in specs:
                found = [tuple(r) for r in conn.execute(COLUMNS, (spec.name,)).fetchall()]
                if not found:
                    continue
                _check_table(label, spec, found, "postgres")
                for name in wanted.get(spec.name, []):
                    result = conn.execute(f"SELECT min({quote(name)}), max({quote(name)}) FROM {quote(spec.name)}").fetchone()
                    assert result is not None  # an aggregate gives one row
                    if result[1] is not None:
                        extents[(spec.name, name)] = _numbers(label, spec.name, name, _plain(result[0]), _plain(result[1]))
    except psycopg.Error as error:
        raise ExportError(f"{label}: {said(error, target.location)}") from None
    finally:
        conn.close()
    return extents


MYSQL_COLUMNS = """SELECT column_name, data_type,
                          is_nullable = 'NO' AND column_default IS NULL AND extra NOT LIKE '%%auto_increment%%'
                          AND extra NOT LIKE '%%generated%%'
                   FROM information_schema.columns
                   WHERE table_schema = DATABASE() AND table_name = %s ORDER BY ordinal_position"""


def _mysql(target: Target, specs: list[TableSpec], wanted: dict[str, list[str]]) -> Extents:
    import pymysql

    from .mysql import connect, quote, said_by

    label = shown(target.location)
    extents: Extents = {}
    conn = connect(target.location, target.options.get("connect_timeout"))
    try:
        with conn.cursor() as cur:
            for spec in specs:
                cur.execute(MYSQL_COLUMNS, (spec.name,))
                found = [(name, declared.lower(), bool(needed)) for name, declared, needed in cur.fetchall()]
                if not found:
                    continue
                _check_table(label, spec, found, "mysql")
                for name in wanted.get(spec.name, []):
                    cur.execute(f"SELECT min({quote(name)}), max({quote(name)}) FROM {quote(spec.name)}")
                    lo, hi = cur.fetchone()
                    if hi is not None:
                        extents[(spec.name, name)] = _numbers(label, spec.name, name, _plain(lo), _plain(hi))
    except pymysql.Error as error:
        raise ExportError(f"{label}: {said_by(error, target.location)}") from None
    finally:
        conn.close()
    return extents


def _plain(value):
    """A numeric column's Decimal as the int or float a sequence continues from."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
