"""CREATE TABLE statements from table specs, per SQL dialect."""

from __future__ import annotations

import polars as pl

from .base import TableSpec

TYPES = {
    "sqlite": {"int": "INTEGER", "float": "REAL", "str": "TEXT", "bool": "INTEGER", "date": "TEXT", "datetime": "TEXT"},
    "postgres": {
        "int": "BIGINT",
        "float": "DOUBLE PRECISION",
        "str": "TEXT",
        "bool": "BOOLEAN",
        "date": "DATE",
        "datetime": "TIMESTAMP",
    },
    "duckdb": {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR", "bool": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP"},
    # MySQL and MariaDB (writers/mysql.py, which writes key and UNIQUE text as VARCHAR(255))
    "mysql": {
        "int": "BIGINT",
        "float": "DOUBLE",
        "str": "LONGTEXT",
        "bool": "BOOLEAN",
        "date": "DATE",
        "datetime": "DATETIME(6)",
    },
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


def create_table(
    spec: TableSpec, dialect: str, if_not_exists: bool = False, keys: bool = True, later: frozenset[str] = frozenset()
) -> str:
    """The table with its columns, types and NOT NULL; with its keys, UNIQUE and foreign keys too
    unless `keys` is False (they are added after the load: `add_keys`); UNIQUE is left out for
    the columns in `later` (`unique_indexes`)."""
    lines = []
    for column in spec.columns:
        parts = [quote(column.name), TYPES[dialect][family(column.dtype)]]
        if not column.nullable or column.name in spec.key_columns:
            parts.append("NOT NULL")  # SQLite lets a PRIMARY KEY other than INTEGER hold NULL unless told
        if keys and column.name == spec.primary_key:
            parts.append("PRIMARY KEY")
        if keys and column.unique and column.name not in later:
            parts.append("UNIQUE")
        lines.append(" ".join(parts))
    if keys:
        lines += _tuple_constraints(spec)
        lines += [_foreign_key(column, spec.name, dialect) for column in spec.columns if column.references]
    exists = "IF NOT EXISTS " if if_not_exists else ""
    return f"CREATE TABLE {exists}{quote(spec.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def _columns(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote(n) for n in names) + ")"


def _tuple_constraints(spec: TableSpec) -> list[str]:
    """PRIMARY KEY (a, b) of a composite key and UNIQUE (a, b) of each unique tuple, as table constraints."""
    lines = [f"PRIMARY KEY {_columns(spec.composite_key)}"] if spec.composite_key else []
    return lines + [f"UNIQUE {_columns(names)}" for names in spec.unique_together]


def _foreign_key(column, owner: str, dialect: str) -> str:
    table, key = column.references
    declared = f"FOREIGN KEY ({quote(column.name)}) REFERENCES {quote(table)} ({quote(key)})"
    # A row may point at a later row of its own table, loaded by a later COPY: PostgreSQL checks
    # such a key at COMMIT. (SQLite loads with foreign keys off and checks them once at the end.)
    return declared + " DEFERRABLE INITIALLY DEFERRED" if dialect == "postgres" and table == owner else declared


def unique_later(specs: list[TableSpec]) -> dict[str, frozenset[str]]:
    """Per table, the UNIQUE columns SQLite can index after the load: not a primary key (its own
    index), nor a column a foreign key references (SQLite checks a reference against the
    referenced column's unique index as each row goes in, so that index must be there)."""
    referenced = {c.references for spec in specs for c in spec.columns if c.references}
    return {
        spec.name: frozenset(
            c.name for c in spec.columns if c.unique and c.name != spec.primary_key and (spec.name, c.name) not in referenced
        )
        for spec in specs
    }


def unique_indexes(later: dict[str, frozenset[str]]) -> list[str]:
    """SQLite cannot add a constraint to a table, but a unique index is one: built after the load
    from sorted values, where inserting random emails one by one into an index was a third of
    the time. Named as PostgreSQL names its UNIQUE constraints (users_email_key), with a number
    after a name already taken (a_b.c and a.b_c), as PostgreSQL does too."""
    taken = {name.lower() for name in later}
    statements = []
    for table, columns in later.items():
        for column in sorted(columns):
            base = name = f"{table}_{column}_key"
            number = 0
            while name.lower() in taken:
                number += 1
                name = f"{base}{number}"
            taken.add(name.lower())
            statements.append(f"CREATE UNIQUE INDEX {quote(name)} ON {quote(table)} ({quote(column)})")
    return statements


def add_keys(specs: list[TableSpec]) -> list[str]:
    """ALTER TABLE statements that give loaded tables the keys `create_table(keys=False)` left out,
    as pg_dump restores do: an index built once from sorted rows instead of one insert at a time,
    and each foreign key checked in one pass. Primary keys and UNIQUE of every table first: a
    foreign key needs the key it references. PostgreSQL names them as it names declared ones."""
    statements = []
    for spec in specs:
        if spec.primary_key:
            statements.append(f"ALTER TABLE {quote(spec.name)} ADD PRIMARY KEY ({quote(spec.primary_key)})")
        statements += [f"ALTER TABLE {quote(spec.name)} ADD {constraint}" for constraint in _tuple_constraints(spec)]
        statements += [
            f"ALTER TABLE {quote(spec.name)} ADD UNIQUE ({quote(c.name)})"
            for c in spec.columns
            if c.unique and c.name != spec.primary_key
        ]
    for spec in specs:
        statements += [
            f"ALTER TABLE {quote(spec.name)} ADD {_foreign_key(c, spec.name, 'postgres')}" for c in spec.columns if c.references
        ]
    return statements
