"""Writers: a registry of small frozen specs, one module per target. Never imports the engine.

An alias (`tsv`, `jsonl`) is an entry with other defaults, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError
from .base import IF_EXISTS, IfExists, TableSpec, Target, Writer, Written
from .pgurl import shown


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # which writer
    extensions: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    text: bool = False  # can stream to stdout


FORMATS: dict[str, Format] = {
    "sqlite": Format("sqlite", "sqlite", (".sqlite", ".db", ".sqlite3")),
    "csv": Format("csv", "files", (".csv",), {"separator": ",", "extension": ".csv"}, text=True),
    "tsv": Format("tsv", "files", (".tsv",), {"separator": "\t", "extension": ".tsv"}, text=True),
    "parquet": Format("parquet", "parquet", (".parquet",), {"extension": ".parquet"}),
    "ndjson": Format("ndjson", "files", (".ndjson",), {"extension": ".ndjson"}, text=True),
    "jsonl": Format("ndjson", "files", (".jsonl",), {"extension": ".jsonl"}, text=True),
    "json": Format("json", "files", (".json",), {"extension": ".json"}, text=True),
    "postgres": Format("postgres", "postgres"),
    "duckdb": Format("duckdb", "duckdb", (".duckdb", ".ddb")),
    "mysql": Format("mysql", "mysql"),
}
DATABASE_FILES = ("sqlite", "duckdb")  # one file holds every table


def _by_extension(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    return next((name for name, f in FORMATS.items() if suffix in f.extensions), None)


def default_file(name: str) -> str:
    """`<name>.sqlite` in the working directory, whatever the name holds: the loader takes only
    identifiers, but a design built in code may still carry a slash, `..` or a NUL."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "untitled"
    return f"{safe}.sqlite"


def resolve_target(
    output: str | None, fmt: str | None, default_name: str, entity_count: int, if_exists: IfExists = "fail"
) -> Target:
    """Where and how to write, from `-o` and `--format`; one clear error when they do not fit."""
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f'unknown format "{fmt}"; use one of {", ".join(FORMATS)}')
    if if_exists not in IF_EXISTS:  # the API passes it unchecked: an unknown value was taken as replace
        raise ExportError(f'unknown if_exists "{if_exists}"; use one of {", ".join(IF_EXISTS)}')
    if output is None:
        if fmt not in (None, "sqlite"):
            raise ExportError(f"--format {fmt} needs -o: a directory (out/) or a file")
        return Target("sqlite", default_file(default_name), if_exists)
    if output.startswith(("postgresql://", "postgres://")):
        if fmt not in (None, "postgres"):
            raise ExportError(f"{shown(output)}: a PostgreSQL URL cannot take --format {fmt}")
        return Target("postgres", output, if_exists)
    if output.startswith(("mysql://", "mariadb://")):
        if fmt not in (None, "mysql"):
            raise ExportError(f"{shown(output)}: a MySQL URL cannot take --format {fmt}")
        if if_exists == "replace-cascade":
            raise ExportError(f"{shown(output)}: --if-exists replace-cascade is for PostgreSQL targets; use replace")
        return Target("mysql", output, if_exists)
    if if_exists == "replace-cascade":
        raise ExportError(f"{output}: --if-exists replace-cascade is for PostgreSQL targets; use replace")
    if fmt == "postgres":
        raise ExportError(f"{output}: --format postgres needs a postgresql:// URL")
    if fmt == "mysql":
        raise ExportError(f"{output}: --format mysql needs a mysql:// (or mariadb://) URL")
    if output == "-":
        if fmt is None or not FORMATS[fmt].text:
            raise ExportError("-o - (stdout) needs a text --format: csv, tsv, ndjson or json")
        if entity_count != 1:
            raise ExportError("-o - (stdout) takes one entity: add --entity NAME")
        return Target(fmt, "-", if_exists)
    by_ext = _by_extension(output)
    is_dir = output.endswith(("/", "\\")) or Path(output).is_dir()
    if by_ext and not is_dir:
        if fmt is not None and FORMATS[fmt].name != FORMATS[by_ext].name:
            raise ExportError(f"{output}: the extension says {by_ext} but --format says {fmt}")
        if by_ext in DATABASE_FILES:
            return Target(by_ext, output, if_exists)
        if entity_count != 1:
            raise ExportError(f"{output}: one file holds one entity; give a directory (out/) or --entity NAME")
        return Target(by_ext, output, if_exists, {"single_file": True})
    if fmt is None:
        raise ExportError(f"{output}: cannot tell the format; add --format (csv, tsv, parquet, ndjson, json) or an extension")
    if fmt in DATABASE_FILES:
        return Target(fmt, output, if_exists)
    return Target(fmt, output.rstrip("/\\") or ".", if_exists)


# Options of one kind of target, as the command line spells them
TARGET_OPTIONS = {
    "csv_safe": ("--csv-safe", ("csv", "tsv")),
    "connect_timeout": ("--connect-timeout", ("postgres", "mysql")),
    "statement_timeout": ("--statement-timeout", ("postgres",)),
}


def with_options(target: Target, **given) -> Target:
    """The target with the options given (None: not given); one line for an option that does not
    apply to it."""
    for key, value in given.items():
        if value is None or value is False:
            continue
        flag, formats = TARGET_OPTIONS[key]
        if FORMATS[target.format].name not in formats:
            raise ExportError(f"{target.shown}: {flag} applies to {' and '.join(formats)} targets only")
        target.options[key] = value
    return target


def open_writer(target: Target, tables: list[TableSpec]) -> Writer:
    spec = FORMATS[target.format]
    cls: Callable[[Target, list[TableSpec], str, dict], Writer]
    if spec.module == "sqlite":
        from .sqlite import SqliteWriter as cls
    elif spec.module == "parquet":
        from .parquet import ParquetWriter as cls
    elif spec.module == "postgres":
        from .postgres import PostgresWriter as cls
    elif spec.module == "duckdb":
        from .duckdb import DuckdbWriter as cls
    elif spec.module == "mysql":
        from .mysql import MysqlWriter as cls
    else:
        from .files import TextWriter as cls
    return cls(target, tables, spec.name, spec.options)


__all__ = ["FORMATS", "TableSpec", "Target", "Writer", "Written", "open_writer", "resolve_target"]
