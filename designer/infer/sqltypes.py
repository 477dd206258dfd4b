"""Column types and CHECK constraints, parsed with sqlglot whatever the source: a DDL file's
statements, SQLite's stored `CREATE TABLE`, PostgreSQL's `format_type()` and
`pg_get_constraintdef()` all become a family, bounds and value lists the same way."""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

from ..writers.existing import POSTGRES_TAKES, SQLITE_TAKES, sqlite_affinity
from .source import Column, Table

T = exp.DataType.Type
_FAMILY = {
    "int": {
        T.TINYINT,
        T.SMALLINT,
        T.MEDIUMINT,
        T.INT,
        T.BIGINT,
        T.UTINYINT,
        T.USMALLINT,
        T.UMEDIUMINT,
        T.UINT,
        T.UBIGINT,
        T.SERIAL,
        T.SMALLSERIAL,
        T.BIGSERIAL,
        T.YEAR,
    },
    "decimal": {T.DECIMAL, T.MONEY, T.SMALLMONEY, T.UDECIMAL},
    "float": {T.FLOAT, T.DOUBLE},
    "bool": {T.BOOLEAN, T.BIT},
    "date": {T.DATE, T.DATE32},
    "datetime": {T.DATETIME, T.TIMESTAMP, T.TIMESTAMPNTZ, T.DATETIME64, T.TIMESTAMP_S, T.TIMESTAMP_MS, T.TIMESTAMP_NS},
    "datetimetz": {T.TIMESTAMPTZ, T.TIMESTAMPLTZ},
    "time": {T.TIME, T.TIMETZ},
    "text": {
        T.CHAR,
        T.NCHAR,
        T.VARCHAR,
        T.NVARCHAR,
        T.TEXT,
        T.MEDIUMTEXT,
        T.LONGTEXT,
        T.TINYTEXT,
        T.NAME,
        T.BPCHAR,
        T.ENUM,
        T.SET,
    },
    "uuid": {T.UUID},
    "json": {T.JSON, T.JSONB},
    "bytes": {T.BINARY, T.VARBINARY, T.BLOB, T.MEDIUMBLOB, T.LONGBLOB, T.TINYBLOB, T.VARBINARY},
}
_BY_TYPE = {t: family for family, types in _FAMILY.items() for t in types}
_SERIAL = {T.SERIAL, T.SMALLSERIAL, T.BIGSERIAL}
_CITEXT = {"citext"}

# PostgreSQL's information_schema names of the families, as POSTGRES_TAKES spells them
_PG_NAME = {
    "int": "integer",
    "decimal": "numeric",
    "float": "double precision",
    "bool": "boolean",
    "date": "date",
    "datetime": "timestamp without time zone",
    "datetimetz": "timestamp with time zone",
    "time": "time without time zone",
    "text": "character varying",
    "uuid": "uuid",
    "json": "json",
    "bytes": "bytea",
    "other": "other",
}
# what designer writes for each family (the `family()` of the column it generates)
WRITES = {
    "int": "int",
    "decimal": "float",
    "float": "float",
    "bool": "bool",
    "date": "date",
    "datetime": "datetime",
    "text": "str",
}


def describe_type(column: Column, datatype: exp.DataType, dialect: str) -> None:
    """Fill a column's family, length, precision, scale and ENUM values from its parsed type."""
    kind = datatype.this
    column.family = _BY_TYPE.get(kind, "other")
    if kind in (T.USERDEFINED,) and datatype.sql(dialect).lower() in _CITEXT:
        column.family = "text"
    if kind in _SERIAL:
        column.autoincrement = True
    params = [p.this if isinstance(p, exp.DataTypeParam) else p for p in datatype.expressions]
    if kind in (T.ENUM, T.SET):
        column.values = [p.this for p in params if isinstance(p, exp.Literal)]
    else:
        numbers = [int(p.this) for p in params if isinstance(p, exp.Literal) and p.is_int]
        if column.family == "text" and numbers:
            column.length = numbers[0]
        if column.family == "decimal":
            column.precision = numbers[0] if numbers else None
            column.scale = numbers[1] if len(numbers) > 1 else (0 if numbers else None)
    if dialect == "mysql" and kind == T.TINYINT and [int(p.this) for p in params if isinstance(p, exp.Literal)] == [1]:
        column.family = "bool"  # MySQL's BOOLEAN is TINYINT(1)
    column.declared = column.declared or datatype.sql(dialect)


def parse_type(text: str, dialect: str) -> exp.DataType | None:
    try:
        return exp.DataType.build(text, dialect=dialect or None, udt=True)
    except (sqlglot.errors.ParseError, ValueError, TypeError):
        return None


def mark_writable(column: Column, dialect: str) -> None:
    """Whether an append into this column takes what designer writes for its family (the
    writers' own table of what each database type takes decides)."""
    writes = WRITES.get(column.family)
    if writes is None:
        column.writable = False
    elif dialect == "sqlite":
        column.writable = sqlite_affinity(column.declared) in SQLITE_TAKES[writes]
    elif dialect == "postgres":
        column.writable = _PG_NAME[column.family] in POSTGRES_TAKES[writes]
    else:
        column.writable = True


def _number(node: exp.Expression) -> float | None:
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    if isinstance(node, exp.Neg):
        inner = _number(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return float(node.this)
        except ValueError:
            return None
    return None


def _literal(node: exp.Expression) -> Any:
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        number = float(node.this)
        return int(number) if number.is_integer() and "." not in node.this else number
    if isinstance(node, exp.Neg):
        inner = _literal(node.this)
        return -inner if isinstance(inner, (int, float)) else None
    return None


def _column_name(node: exp.Expression) -> str | None:
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    return node.name if isinstance(node, exp.Column) else None


_FLIP = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}


def apply_check(table: Table, check: exp.Expression, dialect: str) -> None:
    """Bounds (`x > 0`, `x BETWEEN 1 AND 5`) and value lists (`x IN ('a', 'b')`) of a CHECK,
    joined by AND; anything else is kept as a CHECK infer does not reproduce."""
    while isinstance(check, exp.Paren):
        check = check.this
    text = check.sql(dialect)
    if isinstance(check, exp.And):
        apply_check(table, check.this, dialect)
        apply_check(table, check.expression, dialect)
        return
    target, done = _understood(table, check)
    if target is not None and done:
        target.checks.append(text)
        return
    names = [c.name for c in check.find_all(exp.Column)]
    where = next((table.columns[n] for n in names if n in table.columns), None)
    if where is not None:
        where.ignored_checks.append(text)


def _understood(table: Table, check: exp.Expression) -> tuple[Column | None, bool]:
    kind: Any = type(check)
    if kind in _FLIP:
        left, right = check.this, check.expression
        if _column_name(left) is None:
            left, right, kind = right, left, _FLIP[kind]
        name, value = _column_name(left), _number(right)
        column = table.columns.get(name or "")
        if column is None or value is None:
            return None, False
        strict = kind in (exp.GT, exp.LT)
        if column.family == "int" and strict:
            value += 1 if kind is exp.GT else -1
            strict = False
        elif strict:  # a real just past the bound: the smallest step the column's decimals allow
            step = 10.0 ** -(column.scale if column.scale is not None else 6)
            value += step if kind is exp.GT else -step
        if kind in (exp.GT, exp.GTE):
            column.low = value if column.low is None else max(column.low, value)
        else:
            column.high = value if column.high is None else min(column.high, value)
        return column, True
    if isinstance(check, exp.Between):
        column = table.columns.get(_column_name(check.this) or "")
        low, high = _number(check.args["low"]), _number(check.args["high"])
        if column is None or low is None or high is None:
            return None, False
        column.low = low if column.low is None else max(column.low, low)
        column.high = high if column.high is None else min(column.high, high)
        return column, True
    if isinstance(check, exp.In) and not check.args.get("query"):
        column = table.columns.get(_column_name(check.this) or "")
        values = [_literal(v) for v in check.expressions]
        if column is None or not values or any(v is None for v in values):
            return None, False
        column.values = values
        return column, True
    if isinstance(check, exp.EQ) and isinstance(check.expression, exp.Any):  # PostgreSQL's x = ANY (ARRAY[...])
        array = check.expression.this
        while isinstance(array, (exp.Paren, exp.Cast)):
            array = array.this
        column = table.columns.get(_column_name(check.this) or "")
        items = [_literal(v) for v in array.expressions] if isinstance(array, exp.Array) else []
        if column is None or not items or any(v is None for v in items):
            return None, False
        column.values = items
        return column, True
    if isinstance(check, exp.Not) and isinstance(check.this, exp.Is):
        return table.columns.get(_column_name(check.this.this) or ""), True  # x IS NOT NULL
    return None, False
