"""MySQL and MariaDB: real schemas, multi-row INSERTs in large statements, all or nothing. Needs
PyMySQL: `pip install 'designer[mysql]'`.

MySQL commits by itself at every CREATE, ALTER and DROP, so a transaction cannot hold the schema:
new tables are built under temporary names (`_designer_<run>_<n>`) and one RENAME TABLE, which
the server runs atomically, gives them their names at the end (moving a replaced table aside in
the same statement). A failed or stopped run drops its temporary tables; the tables of a run that
was killed outright are dropped by the next run into the database, which finds the run's lock
(held by its connection) free.
"""

from __future__ import annotations

import secrets
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

import polars as pl

from ..errors import ExportError
from .base import DATE, SQL_DATETIME, TableSpec, Target, Written
from .pgurl import CONNECT_TIMEOUT, said, shown
from .sqltypes import TYPES as SQL_TYPES
from .sqltypes import family, unique_later

if TYPE_CHECKING:
    import pymysql  # optional (designer[mysql]): imported when a connection is made

SCHEMES = ("mysql://", "mariadb://")
TYPES = SQL_TYPES["mysql"]
# A key, UNIQUE or foreign key column cannot be LONGTEXT (InnoDB indexes 3072 bytes at most, and a
# foreign key needs an index): such text columns are VARCHAR(255), 1020 bytes in utf8mb4
INDEXED_TEXT = "VARCHAR(255)"
# Strict, so a value the column cannot hold fails the load instead of being cut or zeroed
SQL_MODE = "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
STATEMENT_BYTES = 8 << 20  # one INSERT's size, within the server's max_allowed_packet (16 MiB by default)
PREFIX = "_designer_"
LOCK = "designer_run_"


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def parse(url: str) -> dict[str, Any]:
    """PyMySQL's connection arguments from a mysql:// (or mariadb://) URL."""
    try:
        parts = urlsplit(url)
        port = parts.port or 3306
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError as error:
        raise ExportError(f"{shown(url)}: not a MySQL URL: {said(error, url)}") from None
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise ExportError(f"{shown(url)}: name the database: mysql://user:password@host:port/database")
    args: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": port,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": database,
    }
    for key, value in query:
        if key == "connect_timeout" and value.isdigit():
            args["connect_timeout"] = int(value)
        elif key == "password":
            args["password"] = value
        else:
            raise ExportError(f"{shown(url)}: unknown URL parameter {key!r}; MySQL URLs take connect_timeout and password")
    return args


def said_by(error: Exception, url: str) -> str:
    """The server's message without PyMySQL's (code, "text") wrapping, on one line and without passwords."""
    args: tuple = getattr(error, "args", ())
    return said(args[1] if len(args) == 2 and isinstance(args[1], str) else error, url)


def connect(url: str, connect_timeout: int | None = None) -> pymysql.connections.Connection:
    """A connection in strict mode with UTC as its clock, or one line saying why not."""
    try:
        import pymysql
    except ImportError:
        raise ExportError(f"{shown(url)}: MySQL needs the PyMySQL driver: pip install 'designer[mysql]'") from None
    args = parse(url)
    if connect_timeout is not None:
        args["connect_timeout"] = connect_timeout
    args.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        conn = pymysql.connect(
            **args,
            charset="utf8mb4",
            autocommit=False,
            init_command=f"SET SESSION sql_mode = '{SQL_MODE}', time_zone = '+00:00'",
        )
    except pymysql.Error as error:
        raise ExportError(f"{shown(url)}: cannot connect: {said_by(error, url)}") from None
    return conn


def collation(cur) -> str:
    """Binary and without padding, so UNIQUE means what the engine means by it: `a@x.com` and
    `A@x.com`, or `a` and `a ` (which the server's default collations call equal), are different."""
    cur.execute("SELECT VERSION()")
    return "utf8mb4_nopad_bin" if "mariadb" in cur.fetchone()[0].lower() else "utf8mb4_0900_bin"


def indexed(tables: list[TableSpec]) -> set[tuple[str, str]]:
    """(table, column) of the columns an index covers: keys, UNIQUE, both ends of a foreign key."""
    found = set()
    for spec in tables:
        found |= {(spec.name, c) for c in spec.key_columns}
        found |= {(spec.name, c) for names in spec.unique_together for c in names}
        for column in spec.columns:
            if column.unique:
                found.add((spec.name, column.name))
            if column.references:
                found |= {(spec.name, column.name), column.references}
    return found


def create_table(
    spec: TableSpec,
    name: str,
    names: dict[str, str],
    keyed: set[tuple[str, str]],
    collate: str,
    later: frozenset[str] | None = None,
) -> str:
    """The table `spec` as `name`, with its keys, UNIQUE and foreign keys (to `names[table]`, the
    name the referenced table has while this run loads). With `later` (sqltypes.unique_later),
    the UNIQUE of those columns and of the tuples is left to `add_unique`, once the rows are in."""
    lines = []
    for column in spec.columns:
        values = family(column.dtype)
        declared = INDEXED_TEXT if values == "str" and (spec.name, column.name) in keyed else TYPES[values]
        parts = [quote(column.name), declared]
        if not column.nullable or column.name in spec.key_columns:
            parts.append("NOT NULL")
        lines.append(" ".join(parts))
    if spec.key_columns:
        lines.append(f"PRIMARY KEY {_columns(spec.key_columns)}")
    lines += _unique(spec, later)
    for column in spec.columns:
        if column.references:
            table, key = column.references
            lines.append(f"FOREIGN KEY ({quote(column.name)}) REFERENCES {quote(names.get(table, table))} ({quote(key)})")
    return (
        f"CREATE TABLE {quote(name)} (\n  " + ",\n  ".join(lines) + f"\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collate}"
    )


def _unique(spec: TableSpec, later: frozenset[str] | None) -> list[str]:
    """The UNIQUE constraints of a table, but those `later` leaves out (the tuples with them)."""
    singles = [c.name for c in spec.columns if c.unique and c.name != spec.primary_key and c.name not in (later or ())]
    tuples = list(spec.unique_together) if later is None else []
    return [f"UNIQUE {_columns(names)}" for names in [(c,) for c in singles] + tuples]


def add_unique(spec: TableSpec, name: str, later: frozenset[str]) -> str | None:
    """The UNIQUE constraints `create_table(later=...)` left out, in one ALTER TABLE: InnoDB builds
    each index once from sorted rows, where inserting random emails one by one into it was a
    quarter of the load's time (200k users)."""
    added = [f"ADD UNIQUE {_columns((c,))}" for c in sorted(later)] + [f"ADD UNIQUE {_columns(t)}" for t in spec.unique_together]
    return f"ALTER TABLE {quote(name)} " + ", ".join(added) if added else None


def _columns(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote(n) for n in names) + ")"


def literals(frame: pl.DataFrame) -> list[str]:
    """Each row as the SQL of a VALUES tuple, built by polars a column at a time (escaping value by
    value in the driver was most of the load's time). Text is escaped as the server reads it
    without NO_BACKSLASH_ESCAPES: a backslash and a quote get a backslash; NUL is written \\0."""
    columns = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Boolean:
            text = pl.when(col).then(pl.lit("1")).otherwise(pl.lit("0"))
        elif dtype.is_numeric():
            text = col.cast(pl.String)
        else:
            if dtype == pl.Date:
                col = col.dt.strftime(DATE)
            elif isinstance(dtype, pl.Datetime):
                col = col.dt.strftime(SQL_DATETIME)
            escaped = col.cast(pl.String).str.replace_all("\\", "\\\\", literal=True).str.replace_all("'", "\\'", literal=True)
            text = pl.lit("'") + escaped.str.replace_all("\x00", "\\0", literal=True) + pl.lit("'")
        columns.append(pl.when(pl.col(name).is_null()).then(pl.lit("NULL")).otherwise(text))
    row = pl.lit("(") + pl.concat_str(columns, separator=",") + pl.lit(")")
    return frame.select(row.alias("row"))["row"].to_list()


class MysqlWriter:
    def __init__(self, target: Target, tables: list[TableSpec], fmt: str, options: dict):
        self.target = target
        self.label = shown(target.location)
        self.tables = {t.name: t for t in tables}
        self.rows = dict.fromkeys(self.tables, 0)
        self.run = secrets.token_hex(4)
        self.temps: dict[str, str] = {}  # table -> the temporary name it is loaded under
        self.aside: dict[str, str] = {}  # a replaced table -> the name it is moved to at commit
        self.renamed = False
        self.later: dict[str, frozenset[str]] | None = None
        self._interrupted = False
        self.conn = connect(target.location, target.options.get("connect_timeout"))  # says so if PyMySQL is missing
        self.thread_id = self.conn.thread_id()
        import pymysql

        try:
            with self.conn.cursor() as cur:
                cur.execute("SELECT GET_LOCK(%s, 0)", (LOCK + self.run,))
                self._drop_leftovers(cur)
                cur.execute("SELECT @@max_allowed_packet")
                self.statement_bytes = min(STATEMENT_BYTES, int(cur.fetchone()[0]) - 65536)
                cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
                existing = {r[0] for r in cur.fetchall()}
                clash = [t for t in self.tables if t in existing]
                if clash and target.if_exists == "fail":
                    raise ExportError(f"{self.label}: table {clash[0]} exists; pass --if-exists replace (or append)")
                fresh = [t for t in self.tables if t not in existing or target.if_exists == "replace"]
                self.temps = {t: f"{PREFIX}{self.run}_{i}" for i, t in enumerate(fresh)}
                if target.if_exists == "replace":
                    replaced = [t for t in self.tables if t in existing]
                    self._refuse_dependents(cur, replaced)
                    self.aside = {t: f"{PREFIX}{self.run}_old_{i}" for i, t in enumerate(replaced)}
                # The server checks no foreign key while the rows go in (a row may point at a later
                # row of its own table); commit() checks each once, over the whole table
                cur.execute("SET SESSION foreign_key_checks = 0")
                collate = collation(cur)
                keyed = indexed(tables)
                # UNIQUE after the load takes an ALTER TABLE, which commits: only when every table is
                # new (a temporary one), never while appended rows wait in the transaction
                self.later = unique_later(tables) if len(self.temps) == len(self.tables) else None
                for spec in tables:
                    if spec.name in self.temps:
                        later = None if self.later is None else self.later[spec.name]
                        cur.execute(create_table(spec, self.temps[spec.name], self.temps, keyed, collate, later))
            self.conn.begin()
        except ExportError:
            self.abort()
            raise
        except pymysql.Error as error:
            self.abort()
            raise self._failure(error) from None

    def _drop_leftovers(self, cur) -> None:
        """The temporary tables of runs that were killed: their lock is free (a live run holds its own)."""
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE %s",
            (PREFIX.replace("_", "\\_") + "%",),
        )
        stale = []
        for (name,) in cur.fetchall():
            run = name[len(PREFIX) :].split("_", 1)[0]
            cur.execute("SELECT IS_FREE_LOCK(%s)", (LOCK + run,))
            if cur.fetchone()[0] == 1:
                stale.append(name)
        if stale:
            cur.execute("SET SESSION foreign_key_checks = 0")
            cur.execute("DROP TABLE IF EXISTS " + ", ".join(quote(n) for n in stale))

    def _refuse_dependents(self, cur, replaced: list[str]) -> None:
        """A replace moves the old tables aside and drops them: another table's foreign key onto
        one would follow it and be dropped with it, which a replace must not do silently."""
        if not replaced:
            return
        marks = ", ".join(["%s"] * len(replaced))
        cur.execute(
            f"""SELECT DISTINCT table_name, constraint_name FROM information_schema.referential_constraints
                WHERE constraint_schema = DATABASE() AND referenced_table_name IN ({marks})
                AND table_name NOT IN ({marks}) ORDER BY 1, 2""",
            (*replaced, *replaced),
        )
        found = [f"{table}.{name}" for table, name in cur.fetchall()]
        if found:
            raise ExportError(
                f"{self.label}: other tables' foreign keys reference the tables to replace ({', '.join(found)}); drop them first"
            )

    def _failure(self, error, table: str | None = None) -> ExportError:
        where = f"{self.label}: {table}: " if table else f"{self.label}: "
        if self._interrupted:
            return ExportError(f"{where}interrupted")
        return ExportError(where + said_by(error, self.target.location))

    def write(self, table: str, frame: pl.DataFrame) -> None:
        import pymysql

        if frame.height == 0:
            return
        head = f"INSERT INTO {quote(self.temps.get(table, table))} {_columns(tuple(frame.columns))} VALUES "
        try:
            with self.conn.cursor() as cur:
                batch: list[str] = []
                size = len(head)
                for row in literals(frame):
                    length = len(row.encode()) + 1
                    if batch and size + length > self.statement_bytes:
                        self._go_on()
                        cur.execute(head + ",".join(batch))
                        batch, size = [], len(head)
                    batch.append(row)
                    size += length
                self._go_on()
                cur.execute(head + ",".join(batch))
        except pymysql.Error as error:
            raise self._failure(error, table) from None
        self.rows[table] += frame.height

    def commit(self) -> list[Written]:
        import pymysql

        try:
            with self.conn.cursor() as cur:
                if self.later is not None:
                    self.conn.commit()  # the rows are in tables nobody sees yet
                    for spec in self.tables.values():
                        statement = add_unique(spec, self.temps[spec.name], self.later[spec.name])
                        if statement is not None:
                            self._go_on()
                            cur.execute(statement)
                self._check_references(cur)
                self._go_on()  # the last moment a stop can undo the load
                self.conn.commit()
                moves = [(t, a) for t, a in self.aside.items()] + [(tmp, t) for t, tmp in self.temps.items()]
                if moves:
                    # one statement, run atomically: nobody sees the old tables gone and the new not there
                    cur.execute("RENAME TABLE " + ", ".join(f"{quote(a)} TO {quote(b)}" for a, b in moves))
                self.renamed = True
                if self.aside:
                    cur.execute("DROP TABLE IF EXISTS " + ", ".join(quote(a) for a in self.aside.values()))
            self.conn.close()
        except pymysql.Error as error:
            raise self._failure(error) from None
        return [Written(t, self.rows[t], f"{self.label}#{t}") for t in self.tables]

    def _check_references(self, cur) -> None:
        """Each foreign key once, over the whole table (the server checked none while loading)."""
        for spec in self.tables.values():
            for column in spec.columns:
                if not column.references:
                    continue
                self._go_on()
                table, key = column.references
                child, parent = quote(self.temps.get(spec.name, spec.name)), quote(self.temps.get(table, table))
                name, key_ = quote(column.name), quote(key)
                cur.execute(
                    f"SELECT c.{name} FROM {child} c LEFT JOIN {parent} p ON p.{key_} = c.{name} "
                    f"WHERE c.{name} IS NOT NULL AND p.{key_} IS NULL LIMIT 1"
                )
                missing = cur.fetchone()
                if missing is not None:
                    raise ExportError(
                        f"{self.label}: {spec.name}: FOREIGN KEY constraint failed ({column.name} = {missing[0]!r} "
                        f"is not in {table}.{key})"
                    )

    def interrupt(self) -> None:
        """Stop the statement running in the writing thread: PyMySQL cannot cancel, so another
        connection asks the server to (KILL QUERY). Remembered, since a kill that finds no
        statement running does nothing."""
        self._interrupted = True
        try:
            killer = connect(self.target.location, 2)
            try:
                with killer.cursor() as cur:
                    cur.execute(f"KILL QUERY {int(self.thread_id)}")
            finally:
                killer.close()
        except Exception:  # the server is gone, or the statement ended: nothing runs
            pass

    def sever(self) -> None:
        """Shut the connection's socket, from any thread: a wait on a server that does not answer ends."""
        try:
            sock = self.conn._sock
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass

    def _go_on(self) -> None:
        if self._interrupted:
            raise ExportError(f"{self.label}: interrupted")

    def abort(self) -> None:
        """Roll the rows back and drop the temporary tables, on a new connection if this one is
        broken (killed, severed). After the rename, there is nothing to undo."""
        if self.renamed:
            return
        try:
            self.conn.rollback()
            self._drop_temps(self.conn)
            self.conn.close()
            return
        except Exception:
            pass
        try:
            conn = connect(self.target.location, self.target.options.get("connect_timeout"))
            try:
                self._drop_temps(conn)
            finally:
                conn.close()
        except Exception:  # unreachable: the next run drops the temporary tables (their lock is free)
            pass

    def _drop_temps(self, conn) -> None:
        if self.temps:
            with conn.cursor() as cur:
                cur.execute("SET SESSION foreign_key_checks = 0")
                cur.execute("DROP TABLE IF EXISTS " + ", ".join(quote(n) for n in self.temps.values()))
