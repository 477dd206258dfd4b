"""`--if-exists append` continues: each sequence starts past the values its column holds, so a
second append adds new keys, the references follow them, and nothing clashes. A target whose
tables do not take the design's columns is refused in one line and left as it was. Read back
with sqlite3 and psycopg."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
import pytest

from designer import pipeline, presets
from designer.errors import ExportError, PresetError

from .helpers import export, invoke, snapshot

# Mapped names, a child (parent key), a reference and a self-reference into sequences, one with a
# start and a step of its own
SHOP = """
format = 1
[design]
name = "shop"

[entities.customers]
table = "Customer"
rows  = 40
[entities.customers.fields]
id    = { kind = "sequence", column = "CustomerId" }
name  = { kind = "faker", provider = "name" }
boss  = { kind = "reference", entity = "customers", null_rate = 0.3 }

[entities.orders]
parent = { entity = "customers", count = { kind = "uniform", min = 0, max = 3, dtype = "int" } }
[entities.orders.fields]
OrderNo  = { kind = "sequence", start = 1000, step = 10 }
customer = { kind = "parent", field = "id", column = "CustomerId" }
total    = { kind = "uniform", min = 1, max = 99, decimals = 2 }

[entities.notes]
rows = 15
[entities.notes.fields]
id    = { kind = "sequence" }
order = { kind = "reference", entity = "orders", field = "OrderNo" }
"""
ROWS = 40


@pytest.fixture(scope="module")
def shop():
    return presets.loads(SHOP)


def _sqlite_rows(where, table: str, order: str) -> list[tuple]:
    with closing(sqlite3.connect(where)) as db:
        return db.execute(f'SELECT * FROM "{table}" ORDER BY "{order}"').fetchall()


def _sqlite_check(where, orders_once: int) -> None:
    """Keys distinct and continuing, every foreign key resolving (SQLite's own check and a join)."""
    with closing(sqlite3.connect(where)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute('SELECT count(*), count(DISTINCT "CustomerId"), max("CustomerId") FROM "Customer"').fetchone() == (
            2 * ROWS,
            2 * ROWS,
            2 * ROWS,
        )
        count, distinct, low, high = db.execute(
            'SELECT count(*), count(DISTINCT "OrderNo"), min("OrderNo"), max("OrderNo") FROM orders'
        ).fetchone()
        assert (count, distinct, low, high) == (2 * orders_once, 2 * orders_once, 1000, 1000 + 10 * (2 * orders_once - 1))
        assert db.execute(
            'SELECT count(*) FROM notes n LEFT JOIN orders o ON o."OrderNo" = n."order" WHERE o."OrderNo" IS NULL'
        ).fetchone() == (0,)
        assert db.execute(
            'SELECT count(*) FROM orders o LEFT JOIN "Customer" c USING ("CustomerId") WHERE c."CustomerId" IS NULL'
        ).fetchone() == (0,)
        assert db.execute(
            'SELECT count(*) FROM "Customer" a LEFT JOIN "Customer" b ON b."CustomerId" = a.boss WHERE a.boss IS NOT NULL AND b."CustomerId" IS NULL'
        ).fetchone() == (0,)


def test_two_appends_into_sqlite_continue_the_keys_and_the_references_follow(tmp_path, shop):
    where = str(tmp_path / "shop.sqlite")
    export(shop, "sqlite", where, if_exists="append")  # a new file: written as designed
    first = {t: _sqlite_rows(where, t, k) for t, k in [("Customer", "CustomerId"), ("orders", "OrderNo"), ("notes", "id")]}
    orders_once = len(first["orders"])
    assert [r[0] for r in first["Customer"]] == list(range(1, ROWS + 1))
    export(shop, "sqlite", where, if_exists="append")
    _sqlite_check(where, orders_once)
    # the rows there are untouched; the new ones are the same design's rows with the keys moved on
    for table, key in [("Customer", "CustomerId"), ("orders", "OrderNo"), ("notes", "id")]:
        assert _sqlite_rows(where, table, key)[: len(first[table])] == first[table]
    customers = _sqlite_rows(where, "Customer", "CustomerId")
    assert [r[1] for r in customers[ROWS:]] == [r[1] for r in customers[:ROWS]]  # names: the same seed
    assert all(r[2] is None or r[2] > ROWS for r in customers[ROWS:])  # bosses are new customers
    orders = _sqlite_rows(where, "orders", "OrderNo")
    assert all(r[1] > ROWS for r in orders[orders_once:])  # new orders belong to new customers
    notes = _sqlite_rows(where, "notes", "id")
    assert [r[0] for r in notes] == list(range(1, 31))
    assert all(r[1] >= 1000 + 10 * orders_once for r in notes[15:])


def test_an_append_gives_the_same_database_for_any_worker_count(tmp_path, shop):
    dumps = []
    for workers in (1, 2):
        where = str(tmp_path / f"w{workers}.sqlite")
        export(shop, "sqlite", where)
        export(shop, "sqlite", where, if_exists="append", workers=workers)
        with closing(sqlite3.connect(where)) as db:
            dumps.append(list(db.iterdump()))
    assert dumps[0] == dumps[1]


def test_only_the_entities_exported_continue(tmp_path, shop):
    """An append of notes alone continues the notes' keys; their references still point at the
    orders the target holds (the orders' keys are drawn as designed)."""
    where = str(tmp_path / "shop.sqlite")
    export(shop, "sqlite", where)
    export(shop, "sqlite", where, entities=["notes"], if_exists="append")
    with closing(sqlite3.connect(where)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT count(*), max(id) FROM notes").fetchone() == (30, 30)


def test_two_appends_into_postgres_continue_the_keys_and_the_references_follow(pg_url, shop):
    export(shop, "postgres", pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        orders_once = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    export(shop, "postgres", pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute('SELECT count(*), count(DISTINCT "CustomerId"), max("CustomerId") FROM "Customer"').fetchone() == (
            2 * ROWS,
            2 * ROWS,
            2 * ROWS,
        )
        assert conn.execute('SELECT count(*), count(DISTINCT "OrderNo"), max("OrderNo") FROM orders').fetchone() == (
            2 * orders_once,
            2 * orders_once,
            1000 + 10 * (2 * orders_once - 1),
        )
        assert conn.execute(
            'SELECT count(*) FROM notes n LEFT JOIN orders o ON o."OrderNo" = n."order" WHERE o."OrderNo" IS NULL'
        ).fetchone() == (0,)
        assert conn.execute(
            'SELECT count(*) FROM orders o LEFT JOIN "Customer" c USING ("CustomerId") WHERE c."CustomerId" IS NULL'
        ).fetchone() == (0,)
        # the server holds the foreign keys: a row pointing nowhere is refused
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute('INSERT INTO notes (id, "order") VALUES (999, 7)')


# ---- a target that does not take the design's rows --------------------------------------------

CUSTOMER_OK = '"CustomerId" INTEGER PRIMARY KEY, name TEXT, boss INTEGER'


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('CREATE TABLE "Customer" ("CustomerId" INTEGER PRIMARY KEY, name TEXT)', "table Customer has no column boss"),
        (
            'CREATE TABLE "Customer" ("CustomerId" TEXT PRIMARY KEY, name TEXT, boss INTEGER)',
            "table Customer: column CustomerId is TEXT, the design writes INTEGER",
        ),
        (
            f'CREATE TABLE "Customer" ({CUSTOMER_OK}, email TEXT NOT NULL)',
            "table Customer: column email is NOT NULL without a default, and the design does not write it",
        ),
        (
            'CREATE TABLE "Customer" ("CustomerId" INT PRIMARY KEY, name TEXT, boss INTEGER); '
            "INSERT INTO \"Customer\" VALUES ('x', 'a', NULL)",
            "table Customer: column CustomerId holds 'x', which a sequence cannot continue from",
        ),
    ],
    ids=["missing-column", "other-type", "not-null-extra", "text-key"],
)
def test_a_sqlite_target_that_does_not_fit_is_refused_in_one_line_and_left_as_it_was(tmp_path, monkeypatch, table, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.toml").write_text(SHOP)
    with closing(sqlite3.connect(tmp_path / "shop.sqlite")) as db, db:
        db.executescript(table)
    before = snapshot(tmp_path)
    result = invoke("export", "shop.toml", "-o", "shop.sqlite", "--if-exists", "append")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"designer: shop.sqlite: append: {message}"]
    assert snapshot(tmp_path) == before


def test_a_sqlite_target_of_other_spellings_of_the_types_is_taken(tmp_path, shop):
    """SQLite stores by affinity: NVARCHAR(120) is text, BIGINT an integer, NUMERIC(10,2) takes reals."""
    where = tmp_path / "shop.sqlite"
    with closing(sqlite3.connect(where)) as db, db:
        db.execute('CREATE TABLE "Customer" ("CustomerId" BIGINT PRIMARY KEY, name NVARCHAR(120), boss INT, extra TEXT)')
        db.execute('CREATE TABLE orders ("OrderNo" INTEGER PRIMARY KEY, "CustomerId" INTEGER, total NUMERIC(10,2))')
        db.execute('INSERT INTO "Customer" ("CustomerId", name) VALUES (500, \'there before\')')
    export(shop, "sqlite", str(where), if_exists="append")
    with closing(sqlite3.connect(where)) as db:
        assert db.execute('SELECT min("CustomerId"), max("CustomerId"), count(*) FROM "Customer"').fetchone() == (
            500,
            500 + ROWS,
            ROWS + 1,
        )


def test_a_postgres_target_that_does_not_fit_is_refused_in_one_line_and_left_as_it_was(pg_url, shop):
    with psycopg.connect(pg_url) as conn:
        conn.execute('CREATE TABLE "Customer" ("CustomerId" bigint PRIMARY KEY, name text, boss text)')
        conn.execute("INSERT INTO \"Customer\" VALUES (1, 'kept', 'x')")
    with pytest.raises(ExportError) as raised:
        export(shop, "postgres", pg_url, if_exists="append")
    assert str(raised.value).endswith("append: table Customer: column boss is text, the design writes bigint")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute('SELECT * FROM "Customer"').fetchall() == [(1, "kept", "x")]
        tables = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()
        assert tables == [("Customer",)]


def test_postgres_names_keep_their_case_when_compared(pg_url, shop):
    """A table "customer" is not "Customer" in PostgreSQL: the append creates the design's table."""
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE customer (x int)")
    export(shop, "postgres", pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute('SELECT count(*) FROM "Customer"').fetchone() == (ROWS,)


def test_a_start_pushed_past_64_bit_integers_is_refused(tmp_path):
    design = presets.loads(SHOP)
    where = tmp_path / "shop.sqlite"
    export(design, "sqlite", str(where))
    with closing(sqlite3.connect(where)) as db, db:
        db.execute("UPDATE notes SET id = 9223372036854775800 WHERE id = 1")
    with pytest.raises(PresetError) as raised:
        export(design, "sqlite", str(where), if_exists="append")
    assert "entities.notes.fields.id" in str(raised.value) and "\n" not in str(raised.value)


def test_a_helper_sequence_is_not_looked_for_in_the_target(tmp_path):
    """A sequence with export = false has no column there: drawn as designed, not asked about."""
    design = presets.loads(
        SHOP.replace(
            'id    = { kind = "sequence" }', 'id    = { kind = "sequence" }\nn     = { kind = "sequence", export = false }'
        )
    )
    where = str(tmp_path / "shop.sqlite")
    export(design, "sqlite", where)
    export(design, "sqlite", where, if_exists="append")
    with closing(sqlite3.connect(where)) as db:
        assert db.execute("SELECT count(*), max(id) FROM notes").fetchone() == (30, 30)


def test_the_continued_design_is_not_the_callers(shop, tmp_path):
    where = str(tmp_path / "shop.sqlite")
    export(shop, "sqlite", where)
    export(shop, "sqlite", where, if_exists="append")
    assert shop.entities["orders"].fields["OrderNo"].start == 1000
    assert pipeline.preview(shop, "orders", rows=1)["orders"]["OrderNo"][0] == 1000
