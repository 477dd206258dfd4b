"""SQLite: real schemas, foreign keys on, one transaction; a new database is built under a temporary
name and renamed over the target only when complete.

A new database is loaded from Arrow by ADBC's bulk ingest (adbc-driver-sqlite): it binds each
column in C, where sqlite3's executemany needs a Python tuple per row and a Python object per
value (that was most of the time: 77k rows/s for 1M users, against 4x that through ADBC with the
same schema). Appending keeps one sqlite3 transaction, which a failure rolls back."""

from __future__ import annotations

import re
import sqlite3
import threading
from contextlib import closing
from dataclasses import replace

import polars as pl

from ..errors import ExportError
from .atomic import Staging, abort_fully, write_error
from .base import DATE, SQL_DATETIME, TableSpec, Target, Written
from .sqltypes import create_table, family, quote, unique_indexes, unique_later


def sqlite_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Values SQLite stores as they are: booleans as 0/1, dates and times as ISO text."""
    return frame.with_columns(
        [pl.col(n).cast(pl.Int64) for n, t in frame.schema.items() if t == pl.Boolean]
        + [pl.col(n).dt.strftime(DATE) for n, t in frame.schema.items() if t == pl.Date]
        + [pl.col(n).dt.strftime(SQL_DATETIME) for n, t in frame.schema.items() if isinstance(t, pl.Datetime)]
    )


def arrow_ready(frame: pl.DataFrame):
    """The block as Arrow for ADBC, with SQLite's values: a column of nulls only gets a type it binds."""
    frame = sqlite_ready(frame)
    return frame.with_columns([pl.col(n).cast(pl.String) for n, t in frame.schema.items() if t == pl.Null]).to_arrow()


def sqlite_message(error: BaseException) -> str:
    """SQLite's own words from an ADBC error ("INTERNAL: failed to execute: UNIQUE constraint failed:
    users.email\nquery was: ..."), as sqlite3 says them."""
    first = str(error).split("\nquery was:")[0]
    return re.sub(r"^[A-Z_]+: (\[SQLite\] )?(failed to execute: )?", "", first)


def _rows(frame: pl.DataFrame):
    """Row tuples, built column by column (a quarter faster than `iter_rows`)."""
    return zip(*(column.to_list() for column in frame.get_columns()), strict=True)


CACHE_KIB = 512 * 1024  # SQLite's page cache while loading, in KiB
SORT_CACHE_KIB = 64 * 1024  # and while the unique indexes are built
PAGE_BYTES = 65536


class SqliteWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.target = target
        self.final = target.path
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        self.append = target.if_exists == "append" and self.final.is_file()
        # appending writes into the database itself, in a transaction; anything else builds a new file
        self.staging = None if self.append else Staging(target, {"db": self.final}, self.final.parent, can_append=True)
        self.path = self.final if self.staging is None else self.staging.temps["db"]
        self.db: sqlite3.Connection | None = None
        self.bulk = None  # a new database's ADBC connection, while rows are loaded
        self._closing = threading.Lock()  # interrupt() from the caller's thread, close() in the writer's
        self._interrupted = False
        self.later: dict[str, frozenset[str]] = {}
        self.keys_later: dict[str, str | None] = {}  # tables whose text primary key is indexed after the load
        try:
            # written from the export's writing thread, committed or rolled back from the caller's
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            # Foreign keys are declared, and checked once after the load (`_check_references`): checked
            # row by row, a row that points at a later row of its own table (a self-reference) fails,
            # and deferring them makes SQLite scan the table for every row inserted while one waits
            self.db.execute("PRAGMA foreign_keys = OFF")
            if not self.append:  # a private temporary file: no journal needed, the rename is the commit
                # 64 KiB pages (SQLite's largest) make random index inserts cheaper: 23% at 1M users
                self.db.execute(f"PRAGMA page_size = {PAGE_BYTES}")
                self.db.execute("PRAGMA journal_mode = OFF")
                self.db.execute("PRAGMA synchronous = OFF")
            # Keys and UNIQUE columns of random values (UUIDs, emails) are inserted at random places
            # in their indexes: with SQLite's 2 MB default cache that is a disk read per row once
            # the indexes outgrow it (51k rows/s at 1M users, 36k at 10M). A larger cache is only an
            # upper bound: pages are taken as the indexes grow. Set after the page size: SQLite
            # turns KiB into pages of the size in force, and 64 KiB pages would make it 16 times
            # the bound (the whole database in memory, 3 GiB at 10M users).
            self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.db.execute("BEGIN")
            # a new database gets its unique indexes after the load; one appended to has its own
            self.later = {t.name: frozenset() for t in tables} if self.append else unique_later(tables)
            self.keys_later = {} if self.append else {t.name: t.primary_key for t in tables if _key_later(t, self.later[t.name])}
            for spec in tables:
                loaded = _without_key(spec) if spec.name in self.keys_later else spec
                self.db.execute(create_table(loaded, "sqlite", if_not_exists=self.append, later=self.later[spec.name]))
            if not self.append:
                self.db.execute("COMMIT")  # the schema; the rows come through ADBC's own connection
                self.bulk = _bulk_connection(self.path)
        except BaseException as error:  # Ctrl-C included: no temporary file may stay behind
            abort_fully(self)
            if isinstance(error, sqlite3.Error):
                raise ExportError(f"{target.location}: {error}") from None
            if _is_adbc_error(error):
                raise ExportError(f"{target.location}: {sqlite_message(error)}") from None
            raise

    @property
    def connection(self) -> sqlite3.Connection:
        """The database, for the methods that run once __init__ is done (it raises when it cannot connect)."""
        assert self.db is not None
        return self.db

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        if self.bulk is not None:
            self._go_on()
            try:
                with closing(self.bulk.cursor()) as cursor:
                    cursor.adbc_ingest(table, arrow_ready(frame), mode="append")
            except Exception as error:
                if not _is_adbc_error(error):
                    raise
                raise ExportError(f"{self.target.location}: {table}: {sqlite_message(error)}") from None
            self.rows[table] += frame.height
            return
        columns = ", ".join(quote(c) for c in frame.columns)
        marks = ", ".join("?" for _ in frame.columns)
        try:
            self.connection.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", _rows(sqlite_ready(frame)))
        except sqlite3.Error as error:
            raise ExportError(f"{self.target.location}: {table}: {error}") from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        try:
            if not self.append:
                self._close_bulk()
                self._add_keys()
                self.connection.execute("BEGIN")
                # CREATE INDEX sorts in memory up to the cache size before it spills to a temporary
                # file: with the loading cache that was 400 MiB more at 10M rows
                self.connection.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
                for statement in unique_indexes(self.later):
                    self._go_on()
                    self.connection.execute(statement)
            self._check_references()
            self._go_on()
            self.connection.execute("COMMIT")
            with self._closing:
                self.connection.close()
            if self.staging is not None:
                self._go_on()  # the rename is the commit of a new database: the last moment to stop
                self.staging.commit()
        except sqlite3.Error as error:
            raise ExportError(f"{self.target.location}: {error}") from None
        except OSError as error:
            raise write_error(self.target.location, error) from None
        size = self.final.stat().st_size
        # one file holds every table: its size is reported once, with the first table
        return [Written(t, self.rows[t], f"{self.final}#{t}", size if i == 0 else None) for i, t in enumerate(self.tables)]

    def _add_keys(self) -> None:
        """Each primary key left out of a loaded table, as SQLite would hold it had it been declared
        all along: a unique index built from the sorted keys (a duplicate fails it, in SQLite's
        words), then named the key's own index and the table's SQL given its PRIMARY KEY. SQLite
        checks nothing else when a schema is edited so; the connection is opened again, which
        reads the new schema (a malformed one fails here, not in the user's hands)."""
        if not self.keys_later:
            return
        db = self.connection
        db.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")  # a sort, as for the unique indexes (commit)
        db.execute("BEGIN")
        for table, key in self.keys_later.items():
            assert key is not None
            self._go_on()
            building = f"designer_loading_{table}_key"
            try:
                db.execute(f"CREATE UNIQUE INDEX {quote(building)} ON {quote(table)} ({quote(key)})")
            except sqlite3.IntegrityError as error:
                raise ExportError(f"{self.target.location}: {table}: {error}") from None
            declared = create_table(self.tables[table], "sqlite", later=self.later[table])
            db.execute("PRAGMA writable_schema = ON")
            db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (declared, table))
            db.execute(
                "UPDATE sqlite_master SET name = ?, sql = NULL WHERE type = 'index' AND name = ?",
                (f"sqlite_autoindex_{table}_1", building),
            )
            db.execute("PRAGMA writable_schema = OFF")
        version = db.execute("PRAGMA schema_version").fetchone()[0]
        db.execute(f"PRAGMA schema_version = {version + 1}")  # any connection reads the schema again
        db.execute("COMMIT")
        with self._closing:
            db.close()
            self.db = None
        self.db = _reopened(self.path)

    def _check_references(self) -> None:
        """Every foreign key of the tables written, in one pass each (a lookup in the referenced key's
        index per row); a row whose reference is missing fails the export, as it would have while loading."""
        for table in self.tables:
            self._go_on()
            missing = self.connection.execute(f"PRAGMA foreign_key_check({quote(table)})").fetchone()
            if missing is not None:
                raise ExportError(
                    f"{self.target.location}: {table}: FOREIGN KEY constraint failed (row {missing[1]} -> {missing[2]})"
                )

    def interrupt(self) -> None:
        """Stop the statement running in the writing thread (safe to call from another one, but
        not while that thread closes the connection: sqlite3 would then touch freed memory)."""
        with self._closing:
            self._interrupted = True  # SQLite forgets an interrupt that finds no statement running
            if self.db is not None:
                try:
                    self.db.interrupt()
                except sqlite3.ProgrammingError:  # closed already: nothing runs
                    pass
            # a block being ingested is not cut short (ADBC's SQLite driver cannot cancel): the
            # next one is not started (`_go_on`), and a block takes a fraction of a second

    def _go_on(self) -> None:
        if self._interrupted:
            raise sqlite3.OperationalError("interrupted")

    def _close_bulk(self) -> None:
        with self._closing:
            bulk, self.bulk = self.bulk, None
        if bulk is not None:
            bulk.close()

    def abort(self) -> None:
        try:
            self._close_bulk()
        except Exception:  # the file is removed next: its connection's errors do not matter
            pass
        if self.db is not None:
            try:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                self.db.close()
            except sqlite3.Error:
                pass
        if self.staging is not None:
            self.staging.abort()


def _bulk_connection(path):
    """ADBC's connection to the new database, set for loading as the sqlite3 one is: each ingest
    commits (a temporary file: no journal, no sync; the rename is the commit), foreign keys are
    checked once at the end, and the cache is bounded in KiB of the file's page size."""
    import adbc_driver_sqlite.dbapi as adbc  # on demand: its library is loaded only to write SQLite

    bulk = adbc.connect(str(path.resolve()), autocommit=True)
    try:
        with closing(bulk.cursor()) as cursor:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF", f"cache_size = -{CACHE_KIB}"):
                cursor.execute(f"PRAGMA {pragma}")
                cursor.fetchall()
    except BaseException:
        bulk.close()
        raise
    return bulk


def _is_adbc_error(error: BaseException) -> bool:
    return type(error).__module__.startswith("adbc_driver_manager")


def _key_later(spec: TableSpec, later: frozenset[str]) -> bool:
    """A primary key SQLite keeps in an index of its own (not an INTEGER one, which is the rowid),
    in a table with no other UNIQUE in its CREATE TABLE: its index is then sqlite_autoindex_<table>_1."""
    key = next((c for c in spec.columns if c.name == spec.primary_key), None)
    if key is None or family(key.dtype) in ("int", "bool"):
        return False
    inline_unique = any(c.unique and c.name != key.name and c.name not in later for c in spec.columns)
    return not (inline_unique or spec.composite_key or spec.unique_together)


def _without_key(spec: TableSpec) -> TableSpec:
    """The table as loaded: its primary key column NOT NULL, but not yet a key."""
    columns = tuple(replace(c, nullable=False) if c.name == spec.primary_key else c for c in spec.columns)
    return replace(spec, columns=columns, primary_key=None)


def _reopened(path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("foreign_keys = OFF", "journal_mode = OFF", "synchronous = OFF"):
        db.execute(f"PRAGMA {pragma}")
    return db
