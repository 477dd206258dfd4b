"""PostgreSQL (a real server, see conftest.py) gets a real schema: keys, foreign keys, UNIQUE and
NOT NULL are declared in information_schema, hold, and refuse a breaking row; loads are all or nothing."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid

import psycopg
import pytest

from designer import pipeline, presets
from designer.errors import ExportError

from .helpers import ECOMMERCE, SMALL, designer_command, export
from .test_sqlite import FOREIGN, KEYS, NULLABLE

TYPES = {
    "Int64": "bigint",
    "Float64": "double precision",
    "String": "text",
    "Boolean": "boolean",
    "Date": "date",
    "Datetime": "timestamp without time zone",
}


@pytest.fixture
def conn(shop):
    with psycopg.connect(shop.targets["postgres"].location) as connection:
        yield connection
        connection.rollback()  # the violation tests change nothing


def constraints(conn, kind: str) -> set[tuple[str, str]]:
    return set(
        conn.execute(
            """SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
           WHERE c.constraint_type = %s AND c.table_schema = current_schema()""",
            (kind,),
        ).fetchall()
    )


def test_columns_have_types_and_not_null(conn, shop):
    for entity, frame in shop.expected.items():
        columns = conn.execute(
            """SELECT column_name, data_type, is_nullable FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
            (entity,),
        ).fetchall()
        assert [c[0] for c in columns] == frame.columns
        assert [c[1] for c in columns] == [TYPES[type(t).__name__] for t in frame.schema.values()]
        assert {c[0] for c in columns if c[2] == "YES"} == {c for e, c in NULLABLE if e == entity}, entity


def test_keys_foreign_keys_and_unique_are_declared(conn):
    assert constraints(conn, "PRIMARY KEY") == set(KEYS.items())
    assert constraints(conn, "UNIQUE") == {("users", "email")}
    declared = set(
        conn.execute(
            """SELECT k.table_name, k.column_name, u.table_name, u.column_name
           FROM information_schema.referential_constraints r
           JOIN information_schema.key_column_usage k ON k.constraint_name = r.constraint_name AND k.constraint_schema = r.constraint_schema
           JOIN information_schema.constraint_column_usage u ON u.constraint_name = r.constraint_name AND u.constraint_schema = r.constraint_schema
           WHERE r.constraint_schema = current_schema()"""
        ).fetchall()
    )
    assert declared == FOREIGN


def test_keys_added_after_the_load_have_the_names_declared_ones_get(conn):
    """The keys are added once the rows are in (pg_dump's way, twice as fast); the catalog is the
    one a CREATE TABLE with them would give."""
    names = {
        row[0]
        for row in conn.execute(
            "SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND contype IN ('p', 'u', 'f')"
        ).fetchall()
    }
    assert names == (
        {f"{table}_pkey" for table in KEYS} | {"users_email_key"} | {f"{table}_{column}_fkey" for table, column, _, _ in FOREIGN}
    )


def test_constraints_hold_on_the_data(conn, shop):
    for entity, frame in shop.expected.items():
        assert conn.execute(f'SELECT count(*) FROM "{entity}"').fetchone() == (frame.height,)
    orphans = conn.execute("""SELECT (SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL),
                                     (SELECT count(*) FROM order_items i LEFT JOIN products p ON p.id = i.product_id WHERE p.id IS NULL)""")
    assert orphans.fetchone() == (0, 0)


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        (
            "INSERT INTO orders (id, user_id, status, created_at, subtotal, tax, total) VALUES (999999, 424242, 'x', '2025-01-01', 1, 1, 1)",
            psycopg.errors.ForeignKeyViolation,
        ),
        ("DELETE FROM products WHERE id = (SELECT product_id FROM order_items LIMIT 1)", psycopg.errors.ForeignKeyViolation),
        (
            "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) "
            "SELECT 999999, 'a', 'b', email, 30, 'user', true, '2025-01-01' FROM users LIMIT 1",
            psycopg.errors.UniqueViolation,
        ),
        (
            "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) "
            "VALUES (1, 'a', 'b', 'new@example.com', 30, 'user', true, '2025-01-01')",
            psycopg.errors.UniqueViolation,
        ),
        ("UPDATE orders SET status = NULL WHERE id = 1", psycopg.errors.NotNullViolation),
        (
            "INSERT INTO products (id, name, slug, price, stock, category) VALUES (NULL, 'n', 's', 1, 1, 'Books')",
            psycopg.errors.NotNullViolation,
        ),
    ],
    ids=["fk-insert", "fk-delete-parent", "unique", "primary-key", "not-null", "null-key"],
)
def test_a_row_that_breaks_a_constraint_is_refused(conn, statement, error):
    with pytest.raises(error):
        conn.execute(statement)


def count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def test_if_exists_fail_names_the_table_and_changes_nothing(pg_url):
    design = presets.load(ECOMMERCE)
    export(design, "postgres", pg_url, rows=SMALL)
    with pytest.raises(ExportError, match=r"table products exists; pass --if-exists replace"):
        export(design, "postgres", pg_url, rows=SMALL, seed=9)
    assert count(pg_url, "users") == 300


def test_replace_reloads_and_append_that_clashes_changes_nothing(pg_url):
    design = presets.load(ECOMMERCE)
    export(design, "postgres", pg_url, rows=SMALL)
    export(design, "postgres", pg_url, rows={"users": 20, "products": 7}, if_exists="replace")
    assert (count(pg_url, "users"), count(pg_url, "products")) == (20, 7)
    # products (new uuids) load first, then users clash (ids continue, but one email is taken
    # already): the whole load is rolled back
    email = pipeline.preview(design, "users", rows=1, seed=5)["users"]["email"][0]
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE users SET email = %s WHERE id = 1", (email,))
    with pytest.raises(ExportError, match=r"users: duplicate key value violates unique constraint"):
        export(design, "postgres", pg_url, rows=SMALL, seed=5, if_exists="append")
    assert (count(pg_url, "users"), count(pg_url, "products")) == (20, 7)
    export(design, "postgres", pg_url, rows=SMALL, entities=["products"], seed=5, if_exists="append")
    assert count(pg_url, "products") == 57


def test_unreachable_server_is_one_line_without_the_password():
    design = presets.load(ECOMMERCE)
    with pytest.raises(ExportError) as raised:
        export(design, "postgres", "postgresql://someone:secret@127.0.0.1:9/nowhere?connect_timeout=3", rows=SMALL)
    message = str(raised.value)
    assert "\n" not in message and "secret" not in message
    assert message.startswith("postgresql://someone:***@127.0.0.1:9/nowhere") and "cannot connect" in message


def test_a_stopped_load_leaves_no_table(pg_url):
    """SIGTERM in the middle of COPY: the transaction is rolled back, the schema stays empty."""
    name = f"designer-{uuid.uuid4().hex[:8]}"  # other runs may share the server: find this one's connection
    proc = subprocess.Popen(
        designer_command(
            "export", str(ECOMMERCE), "-o", f"{pg_url}&application_name={name}", "--rows", "users=1000000", "--quiet"
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    with psycopg.connect(pg_url, autocommit=True) as conn:
        while not conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND query LIKE 'COPY %%'", (name,)
        ).fetchone():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the load never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
        assert (proc.returncode, stderr) == (128 + signal.SIGTERM, "designer: export cancelled; nothing was written\n")
        assert conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone() == (0,)


def test_a_load_waiting_on_a_lock_stops_at_ctrl_c(pg_url):
    """The writing thread's COPY waits on another session's lock: Ctrl-C cancels it on the server
    at once (not when the lock is gone), and the table keeps its rows."""
    designer = designer_command("export", str(ECOMMERCE), "-o", pg_url, "--rows", "users=50", "--quiet")
    subprocess.run(designer, check=True)
    name = f"designer-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url) as holder, psycopg.connect(pg_url, autocommit=True) as watcher:
        holder.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE")  # held until the end of this block
        proc = subprocess.Popen(
            designer_command(
                "export",
                str(ECOMMERCE),
                "-o",
                f"{pg_url}&application_name={name}",
                "--rows",
                "users=50",
                "--if-exists",
                "append",
                "--quiet",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not watcher.execute(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND wait_event_type = 'Lock'", (name,)
        ).fetchone():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the load never waited on the lock"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)  # with the lock still held
        assert (proc.returncode, stderr) == (128 + signal.SIGINT, "designer: export cancelled; nothing was written\n")
        assert not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", (name,)).fetchone()
        holder.rollback()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (50,)


def test_a_foreign_key_to_a_unique_column_is_added_after_its_key(pg_url):
    from designer import pipeline
    from designer.writers import resolve_target

    from .test_sqlite import REFERENCED_UNIQUE

    design = presets.loads(REFERENCED_UNIQUE)
    pipeline.export(design, resolve_target(pg_url, None, "x", 2, "replace"))
    with psycopg.connect(pg_url) as connection:
        assert constraints(connection, "UNIQUE") == {("users", "username"), ("users", "email")}
        assert connection.execute("""SELECT conname FROM pg_constraint WHERE contype = 'f'
                                     AND conrelid = 'posts'::regclass""").fetchall() == [("posts_author_fkey",)]
        assert connection.execute("""SELECT count(*) FROM posts p LEFT JOIN users u ON u.username = p.author
                                     WHERE u.id IS NULL""").fetchone() == (0,)
