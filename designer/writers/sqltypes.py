"""CREATE TABLE statements from table specs, per SQL dialect."""

from __future__ import annotations

import polars as pl

from .base import TableSpec

TYPES = {
    "sqlite": {"int": "INTEGER", "float": "REAL", "str": "TEXT", "bool": "INTEGER", "date": "TEXT", "datetime": "TEXT"},
    "postgres": {"int": "BIGINT", "float": "DOUBLE PRECISION", "str": "TEXT", "bool": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP"},
}


def family(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "bool"
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "float"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    return "str"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table(spec: TableSpec, dialect: str, if_not_exists: bool = False) -> str:
    lines = []
    for column in spec.columns:
        parts = [quote(column.name), TYPES[dialect][family(column.dtype)]]
        if not column.nullable or column.name == spec.primary_key:
            parts.append("NOT NULL")  # SQLite lets a PRIMARY KEY other than INTEGER hold NULL unless told
        if column.name == spec.primary_key:
            parts.append("PRIMARY KEY")
        if column.unique:
            parts.append("UNIQUE")
        lines.append(" ".join(parts))
    for column in spec.columns:
        if column.references:
            table, key = column.references
            lines.append(f"FOREIGN KEY ({quote(column.name)}) REFERENCES {quote(table)} ({quote(key)})")
    exists = "IF NOT EXISTS " if if_not_exists else ""
    return f"CREATE TABLE {exists}{quote(spec.name)} (\n  " + ",\n  ".join(lines) + "\n)"
