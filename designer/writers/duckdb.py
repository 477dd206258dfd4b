"""DuckDB: a real schema, each block handed over as Arrow (no rows converted in Python), in one
transaction. A new database is built under a temporary name and renamed over the target only when
complete; an append writes into the database itself, and a failure rolls it back. Needs the duckdb
package: `pip install 'designer[duckdb]'`.

DuckDB checks every constraint as a row goes in and can defer none, so a foreign key onto its
own table (a row may point at a later row, loaded by a later block) is not declared; every other
key, UNIQUE, NOT NULL and foreign key is.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import ExportError
from .atomic import Staging, abort_fully, remove_quietly, write_error
from .base import TableSpec, Target, Written
from .sqltypes import create_table, quote

BLOCK = "__designer_block"  # the name a block is registered under while it is inserted


def load_duckdb(label: str):
    """The duckdb module, or one line saying what to install."""
    try:
        import duckdb
    except ImportError:
        raise ExportError(f"{label}: DuckDB needs the duckdb package: pip install 'designer[duckdb]'") from None
    return duckdb


def declared(specs: list[TableSpec]) -> list[TableSpec]:
    """The tables as DuckDB can hold them: without foreign keys onto their own table."""
    return [
        dataclasses.replace(
            s,
            columns=tuple(
                dataclasses.replace(c, references=None) if c.references and c.references[0] == s.name else c for c in s.columns
            ),
        )
        for s in specs
    ]


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _sweep_wals(final: Path) -> None:
    """The write-ahead logs of temporary databases that are gone (a killed run's: `remove_stale`
    removed its database, which DuckDB's log sits beside)."""
    try:
        logs = list(final.parent.glob(f".{final.name}.*.part.wal"))
    except OSError:
        return
    for log in logs:
        if not log.with_name(log.name.removesuffix(".wal")).exists():
            remove_quietly(log)


class DuckdbWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        duckdb = load_duckdb(target.location)
        self.error = duckdb.Error
        self.target = target
        self.final = target.path
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        self.append = target.if_exists == "append" and self.final.is_file()
        self.staging = None if self.append else Staging(target, {"db": self.final}, self.final.parent, can_append=True)
        if self.staging is not None:
            _sweep_wals(self.final)
        self.path = self.final if self.staging is None else self.staging.temps["db"]
        self.db: Any = None  # a duckdb connection
        self._closing = threading.Lock()  # interrupt() from the caller's thread, close() in the writer's
        self._interrupted = False
        try:
            self.db = duckdb.connect(str(self.path))
            self.db.execute("BEGIN")
            for spec in declared(tables):
                self.db.execute(create_table(spec, "duckdb", if_not_exists=self.append))
        except BaseException as error:  # Ctrl-C included: no temporary file may stay behind
            abort_fully(self)
            if isinstance(error, duckdb.Error):
                raise ExportError(f"{target.location}: {_said(error)}") from None
            raise

    @property
    def connection(self) -> Any:
        assert self.db is not None
        return self.db

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        self._go_on()
        columns = ", ".join(quote(c) for c in frame.columns)
        try:
            self.connection.register(BLOCK, frame.to_arrow())
            self.connection.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {BLOCK}")
        except self.error as error:
            raise ExportError(f"{self.target.location}: {table}: {_said(error)}") from None
        finally:
            try:
                self.connection.unregister(BLOCK)
            except self.error:  # a failed transaction refuses it; the connection is rolled back anyway
                pass
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        try:
            self._go_on()  # the last moment a stop can undo the load
            self.connection.execute("COMMIT")
            if self.staging is not None:
                # the data into the database file itself and its log removed: the file renamed is all of it
                self.connection.execute("CHECKPOINT")
            with self._closing:
                self.connection.close()
            if self.staging is not None:
                self._go_on()  # the rename is the commit of a new database
                self.staging.commit()
        except self.error as error:
            raise ExportError(f"{self.target.location}: {_said(error)}") from None
        except OSError as error:
            raise write_error(self.target.location, error) from None
        size = self.final.stat().st_size
        return [Written(t, self.rows[t], f"{self.final}#{t}", size if i == 0 else None) for i, t in enumerate(self.tables)]

    def interrupt(self) -> None:
        """Stop the statement running in the writing thread (safe from another thread)."""
        with self._closing:
            self._interrupted = True  # an interrupt that finds no statement running is forgotten
            if self.db is not None:
                try:
                    self.db.interrupt()
                except Exception:  # closed already: nothing runs
                    pass

    def _go_on(self) -> None:
        if self._interrupted:
            raise ExportError(f"{self.target.location}: interrupted")

    def abort(self) -> None:
        if self.db is not None:
            try:
                self.db.execute("ROLLBACK")
            except Exception:  # no transaction open, or closed already
                pass
            try:
                self.db.close()
            except Exception:
                pass
        if self.staging is not None:
            temp = self.path
            self.staging.abort()
            remove_quietly(_wal(temp))


def _said(error: BaseException) -> str:
    return " ".join(str(error).split())


def connect_read_only(path: Path, label: str) -> Any:
    """A connection that cannot change the database (the append check, the readback)."""
    duckdb = load_duckdb(label)
    return duckdb.connect(str(path), read_only=True)
