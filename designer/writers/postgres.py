"""PostgreSQL: real schemas and COPY, in one transaction (all or nothing). Needs psycopg 3:
`pip install 'designer[postgres]'`."""

from __future__ import annotations

import io
import os
import socket
import threading
from contextlib import contextmanager

import polars as pl

from ..errors import ExportError
from .base import DATE, SQL_DATETIME, TableSpec, Target, Written
from .pgurl import STATEMENT_TIMEOUT, connect, said, schema_of, shown
from .sqltypes import add_keys, create_table, quote

NULL = "\\N"
ANSWER_GRACE = 5  # seconds past the statement timeout before a silent server is given up on
CANCEL_WAIT = 0.5  # seconds for a cancel request: a frozen server never acts on it anyway

# Objects outside the replaced tables that a DROP TABLE would need CASCADE for: views (through
# their rewrite rule), other tables' foreign keys, and anything else with a normal dependency.
DEPENDENTS = """
SELECT DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass
                     THEN 'view ' || (SELECT r.ev_class::regclass::text FROM pg_rewrite r WHERE r.oid = d.objid)
                     ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END
FROM pg_depend d
WHERE d.deptype = 'n'
  AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY(%(tables)s))
       OR (d.refclassid = 'pg_type'::regclass AND d.refobjid IN (SELECT reltype FROM pg_class WHERE oid = ANY(%(tables)s))))
  AND NOT (d.classid = 'pg_class'::regclass AND d.objid = ANY(%(tables)s))
  AND NOT (d.classid = 'pg_constraint'::regclass
           AND (SELECT c.conrelid FROM pg_constraint c WHERE c.oid = d.objid) = ANY(%(tables)s))
  AND NOT (d.classid = 'pg_rewrite'::regclass
           AND (SELECT r.ev_class FROM pg_rewrite r WHERE r.oid = d.objid) = ANY(%(tables)s))
ORDER BY 1
"""
TABLE_OIDS = """SELECT c.oid FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
                AND c.relname = ANY(%s) AND c.relkind IN ('r', 'p')"""


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
        self._silent = False  # the watchdog gave up on a server that stopped answering
        self.note: str | None = None  # what --if-exists replace-cascade dropped
        timeout = target.options.get("statement_timeout")
        self.statement_timeout = STATEMENT_TIMEOUT if timeout is None else timeout
        self.conn = connect(target.location, target.options.get("connect_timeout"))
        try:
            with self._answered(), self.conn.cursor() as cur:
                # the server cancels a statement that runs too long; the watchdog covers one that is silent
                cur.execute(f"SET statement_timeout = {int(self.statement_timeout * 1000)}")
                self._ensure_schema(cur)
                existing = {
                    r[0]
                    for r in cur.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                    ).fetchall()
                }
                clash = [t for t in self.tables if t in existing]
                if clash and target.if_exists == "fail":
                    raise ExportError(f"{self.label}: table {clash[0]} exists; pass --if-exists replace (or append)")
                if target.if_exists in ("replace", "replace-cascade"):
                    self._drop(cur, [t for t in reversed(list(self.tables)) if t in existing], target.if_exists)
                for spec in tables:
                    cur.execute(create_table(spec, "postgres", if_not_exists=not self.keys_after, keys=not self.keys_after))
        except ExportError:
            self.abort()
            raise
        except psycopg.Error as error:
            self.abort()
            raise self._failure(error) from None

    def _ensure_schema(self, cur) -> None:
        """The schema `?schema=NAME` names, created in the load's transaction when missing (a failed
        run leaves none behind); looked up first, since CREATE SCHEMA IF NOT EXISTS needs the right
        to create schemas even where the schema is there."""
        schema = schema_of(self.target.location)
        if schema is not None and cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is None:
            cur.execute(f"CREATE SCHEMA {quote(schema)}")

    def _drop(self, cur, names: list[str], if_exists: str) -> None:
        """The tables to replace, and nothing else unless asked: CASCADE would also drop other
        tables' foreign keys and the views on them, which a replace must not do silently."""
        oids = [r[0] for r in cur.execute(TABLE_OIDS, (names,)).fetchall()]
        dependents = [r[0] for r in cur.execute(DEPENDENTS, {"tables": oids}).fetchall()] if oids else []
        if dependents and if_exists != "replace-cascade":
            raise ExportError(
                f"{self.label}: other objects depend on the tables to replace ({', '.join(dependents)}); "
                "drop them first, or pass --if-exists replace-cascade to drop them too"
            )
        for name in names:
            cur.execute(f"DROP TABLE IF EXISTS {quote(name)} CASCADE")
        if dependents:
            self.note = f"{self.label}: --if-exists replace-cascade dropped {', '.join(dependents)}"

    @contextmanager
    def _answered(self):
        """Statements in here must be answered within the statement timeout and a grace: a server
        that stops answering (frozen, a dead link) has its socket shut, and the wait ends."""
        limit = self.statement_timeout
        timer = threading.Timer(limit + ANSWER_GRACE, self._give_up) if limit else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            yield
        finally:
            if timer is not None:
                timer.cancel()

    def _give_up(self) -> None:
        self._silent = True
        self.sever()

    def sever(self) -> None:
        """Shut the connection's socket, from any thread: a wait on a server that does not answer
        ends at once (a cancel request needs the server to act on it)."""
        try:
            fd = self.conn.pgconn.socket
            with socket.socket(fileno=os.dup(fd)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # closed already: nothing waits
            pass

    def _failure(self, error, table: str | None = None) -> ExportError:
        where = f"{self.label}: {table}: " if table else f"{self.label}: "
        if self._silent:
            return ExportError(
                f"{where}the server did not answer within {self.statement_timeout + ANSWER_GRACE} s "
                "(--statement-timeout); nothing was written"
            )
        return ExportError(where + said(error, self.target.location))

    def write(self, table: str, frame: pl.DataFrame) -> None:
        import psycopg

        if frame.height == 0:
            return
        buffer = io.BytesIO()
        frame.write_csv(
            buffer,
            include_header=False,
            null_value=NULL,
            datetime_format=SQL_DATETIME,
            date_format=DATE,
            quote_style="non_numeric",
        )
        columns = ", ".join(quote(c) for c in frame.columns)
        try:
            with (
                self._answered(),
                self.conn.cursor() as cur,
                cur.copy(f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT csv, NULL '{NULL}')") as copy,
            ):
                copy.write(buffer.getvalue())
        except psycopg.Error as error:
            raise self._failure(error, table) from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        import psycopg

        try:
            if self.keys_after:
                with self.conn.cursor() as cur:
                    for statement in add_keys(list(self.tables.values())):
                        self._go_on()
                        with self._answered():
                            cur.execute(statement)
            self._go_on()  # the last moment a stop can undo the load
            with self._answered():
                self.conn.commit()
            self.conn.close()
        except psycopg.Error as error:
            raise self._failure(error) from None
        return [
            Written(t, self.rows[t], f"{self.label}#{t}", note=self.note if i == 0 else None) for i, t in enumerate(self.tables)
        ]

    def interrupt(self) -> None:
        """Cancel the COPY running in the writing thread (a lock wait, a slow server): the server
        stops it, and the write fails at once. Remembered, since a cancel that finds no statement
        running (between two ALTER TABLEs) does nothing."""
        self._interrupted = True
        try:
            self.conn.cancel_safe(timeout=CANCEL_WAIT)
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
