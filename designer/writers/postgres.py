"""PostgreSQL: real schemas and COPY, in one transaction (all or nothing). Needs psycopg 3:
`pip install 'designer[postgres]'`."""

from __future__ import annotations

import io
import re

import polars as pl

from ..errors import ExportError
from .base import DATE, SQL_DATETIME, TableSpec, Target, Written
from .sqltypes import add_keys, create_table, quote

NULL = "\\N"


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def connect(url: str):
    try:
        import psycopg
    except ImportError:
        raise ExportError(f"{shown(url)}: PostgreSQL needs the psycopg driver: pip install 'designer[postgres]'") from None
    try:
        return psycopg.connect(url, autocommit=False)
    except psycopg.Error as error:
        raise ExportError(f"{shown(url)}: cannot connect: {' '.join(str(error).split())}") from None


class PostgresWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        import psycopg

        self.target = target
        self.label = shown(target.location)
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        # New tables get their keys after the load (twice as fast at 1M rows); tables appended to
        # may exist already, with theirs, and are loaded as they are.
        self.keys_after = target.if_exists != "append"
        self._interrupted = False
        self.conn = connect(target.location)
        try:
            with self.conn.cursor() as cur:
                existing = {r[0] for r in cur.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()}
                clash = [t for t in self.tables if t in existing]
                if clash and target.if_exists == "fail":
                    raise ExportError(f"{self.label}: table {clash[0]} exists; pass --if-exists replace (or append)")
                if target.if_exists == "replace":
                    for name in reversed(list(self.tables)):
                        cur.execute(f"DROP TABLE IF EXISTS {quote(name)} CASCADE")
                for spec in tables:
                    cur.execute(create_table(spec, "postgres", if_not_exists=not self.keys_after, keys=not self.keys_after))
        except ExportError:
            self.abort()
            raise
        except psycopg.Error as error:
            self.abort()
            raise ExportError(f"{self.label}: {' '.join(str(error).split())}") from None

    def write(self, table: str, frame: pl.DataFrame) -> None:
        import psycopg

        if frame.height == 0:
            return
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value=NULL, datetime_format=SQL_DATETIME,
                        date_format=DATE, quote_style="non_numeric")
        columns = ", ".join(quote(c) for c in frame.columns)
        try:
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT csv, NULL '{NULL}')") as copy:
                    copy.write(buffer.getvalue())
        except psycopg.Error as error:
            raise ExportError(f"{self.label}: {table}: {' '.join(str(error).split())}") from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        import psycopg

        try:
            if self.keys_after:
                with self.conn.cursor() as cur:
                    for statement in add_keys(list(self.tables.values())):
                        self._go_on()
                        cur.execute(statement)
            self._go_on()  # the last moment a stop can undo the load
            self.conn.commit()
            self.conn.close()
        except psycopg.Error as error:
            raise ExportError(f"{self.label}: {' '.join(str(error).split())}") from None
        return [Written(t, self.rows[t], f"{self.label}#{t}") for t in self.tables]

    def interrupt(self) -> None:
        """Cancel the COPY running in the writing thread (a lock wait, a slow server): the server
        stops it, and the write fails at once. Remembered, since a cancel that finds no statement
        running (between two ALTER TABLEs) does nothing."""
        self._interrupted = True
        try:
            self.conn.cancel_safe()
        except Exception:  # the connection is gone already: nothing runs
            pass

    def _go_on(self) -> None:
        if self._interrupted:
            raise ExportError(f"{self.label}: interrupted")

    def abort(self) -> None:
        try:
            self.conn.rollback()
            self.conn.close()
        except Exception:
            pass
