"""SQLite gets a real schema: keys, foreign keys, UNIQUE and NOT NULL are declared and hold, and
a row that breaks one is refused; loads are all or nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing

import polars as pl
import pytest

from designer import pipeline, presets
from designer.errors import ExportError
from designer.writers.base import ColumnSpec, TableSpec, Target
from designer.writers.sqlite import SqliteWriter

from .helpers import ECOMMERCE, SMALL, export, preset_text

# the ecommerce preset's nullable columns: a null_rate, a field that exists only in a variant, and what
# is not provably non-null: an aggregate (an order may have no items) and expressions (a CASE may give NULL)
NULLABLE = {
    ("users", "phone"),
    ("users", "suspended_at"),
    ("orders", "subtotal"),
    ("orders", "tax"),
    ("orders", "total"),
    ("order_items", "line_total"),
}
KEYS = {"users": "id", "products": "id", "orders": "id"}
FOREIGN = {
    ("orders", "user_id", "users", "id"),
    ("order_items", "order_id", "orders", "id"),
    ("order_items", "product_id", "products", "id"),
}


@pytest.fixture
def db(shop):
    with closing(sqlite3.connect(shop.targets["sqlite"].path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        yield connection
        connection.rollback()  # the violation tests change nothing


def test_columns_declare_keys_and_not_null(db, shop):
    for entity, frame in shop.expected.items():
        info = {row[1]: row for row in db.execute(f'PRAGMA table_info("{entity}")')}  # cid, name, type, notnull, default, pk
        assert list(info) == frame.columns
        assert {n for n, row in info.items() if row[5]} == ({KEYS[entity]} if entity in KEYS else set())
        assert {n for n, row in info.items() if not row[3]} == {c for e, c in NULLABLE if e == entity}, entity
        assert {n for n, row in info.items() if row[2] == "INTEGER"} == {
            c for c, t in frame.schema.items() if t.is_integer() or t == pl.Boolean
        }


def test_foreign_keys_and_unique_are_declared(db):
    declared = {
        (entity, row[3], row[2], row[4])
        for entity in ("orders", "order_items")
        for row in db.execute(f'PRAGMA foreign_key_list("{entity}")')
    }  # id, seq, table, from, to
    assert declared == FOREIGN
    # seq, name, unique, origin: "c" an index built after the load, "pk" the key's own
    unique = [row for row in db.execute('PRAGMA index_list("users")') if row[2] and row[3] != "pk"]
    assert [(row[1], row[3]) for row in unique] == [("users_email_key", "c")]
    assert [[c[2] for c in db.execute(f'PRAGMA index_info("{row[1]}")')] for row in unique] == [["email"]]


def test_constraints_hold_on_the_data(db, shop):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for entity, frame in shop.expected.items():
        assert db.execute(f'SELECT count(*) FROM "{entity}"').fetchone() == (frame.height,)
    assert db.execute("SELECT count(*) - count(DISTINCT email) FROM users").fetchone() == (0,)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO orders (id, user_id, status, created_at, subtotal, tax, total) VALUES (999999, 424242, 'x', '2025-01-01 00:00:00', 1, 1, 1)",
        "UPDATE order_items SET product_id = 'no-such-product' WHERE rowid = 1",
        "DELETE FROM users WHERE id = (SELECT user_id FROM orders LIMIT 1)",
        "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) SELECT 999999, 'a', 'b', email, 30, 'user', 1, '2025-01-01 00:00:00' FROM users LIMIT 1",
        "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) VALUES (1, 'a', 'b', 'new@example.com', 30, 'user', 1, '2025-01-01 00:00:00')",
        "INSERT INTO users (id, first_name, last_name, email, age, role, is_active, created_at) VALUES (999999, NULL, 'b', 'new@example.com', 30, 'user', 1, '2025-01-01 00:00:00')",
        "INSERT INTO products (id, name, slug, price, stock, category) VALUES (NULL, 'n', 's', 1.0, 1, 'Books')",
        "UPDATE orders SET status = NULL WHERE id = 1",
    ],
    ids=["fk-insert", "fk-update", "fk-delete-parent", "unique", "primary-key", "not-null", "null-text-key", "not-null-update"],
)
def test_a_row_that_breaks_a_constraint_is_refused(db, statement):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(statement)


def test_append_that_breaks_a_key_changes_nothing(tmp_path):
    """--if-exists append runs in one transaction: a clash in a later table undoes the earlier ones."""
    design = presets.load(ECOMMERCE)
    where = str(tmp_path / "shop.sqlite")
    export(design, "sqlite", where, rows=SMALL)
    # an append continues the ids; products' uuids are new (seed 5), and so are the emails but one,
    # given to a user already there
    email = pipeline.preview(design, "users", rows=1, seed=5)["users"]["email"][0]
    with closing(sqlite3.connect(where)) as db, db:
        db.execute("UPDATE users SET email = ? WHERE id = 1", (email,))
    before = (tmp_path / "shop.sqlite").read_bytes()
    with pytest.raises(ExportError, match=r"shop\.sqlite: users: UNIQUE constraint failed: users\.email"):
        export(design, "sqlite", where, rows=SMALL, seed=5, if_exists="append")
    assert (tmp_path / "shop.sqlite").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.sqlite"]


def test_append_adds_rows_when_keys_do_not_clash(tmp_path):
    design = presets.load(ECOMMERCE)
    where = str(tmp_path / "shop.sqlite")
    export(design, "sqlite", where, rows=SMALL, entities=["products"])
    export(design, "sqlite", where, rows=SMALL, entities=["products"], seed=5, if_exists="append")
    with closing(sqlite3.connect(where)) as db:
        assert db.execute("SELECT count(*), count(DISTINCT id) FROM products").fetchone() == (100, 100)


CACHE_PROBE = """
import os, sys
import numpy as np, polars as pl
import designer.writers.sqlite as sqlite_writer
from designer.writers.base import ColumnSpec, TableSpec, Target

sqlite_writer.CACHE_KIB = int(sys.argv[2])
spec = TableSpec("t", (ColumnSpec("id", pl.String, False), ColumnSpec("pad", pl.String, False)), primary_key="id")
writer = sqlite_writer.SqliteWriter(Target("sqlite", sys.argv[1], "replace"), [spec], "sqlite", {})
rng = np.random.default_rng(1)
blocks = [pl.Series(rng.integers(0, 2**62, 20_000)).cast(pl.String) for _ in range(15)]
writer.write("t", pl.DataFrame({"id": blocks[0], "pad": pl.Series(["x" * 200] * 20_000)}))
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before = rss()  # everything imported and warm
for ids in blocks[1:]:  # 60 MB of rows in random key order, 15 times the cache
    writer.write("t", pl.DataFrame({"id": ids, "pad": pl.Series(["x" * 200] * len(ids))}))
print(rss() - before)  # the cache is freed when the load's connection closes, at commit
writer.commit()
"""


@pytest.mark.parametrize("cache_kib, bounded", [(4096, True), (256 * 1024, False)])
def test_the_page_cache_stays_within_its_bound_with_large_pages(tmp_path, cache_kib, bounded):
    """The cache is set in KiB after the page size: set before it, SQLite counted 4 KiB pages and
    64 KiB pages then made the bound 16 times larger (the whole database in memory). The rows go
    in through ADBC's own SQLite library, so the oracle is the process's RSS once the rows are in: it grows by
    about the cache with a 4 MiB bound, and by the whole 60 MB database with an ample one."""
    out = subprocess.run(
        [sys.executable, "-c", CACHE_PROBE, str(tmp_path / "t.sqlite"), str(cache_kib)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    growth = int(out.split()[-1])
    assert (growth < 32 << 20) if bounded else (growth > 48 << 20), growth


def _export_text(tmp_path, text: str, *targets: str):
    from designer import pipeline
    from designer.writers import resolve_target

    design = presets.loads(text)
    for target in targets:
        pipeline.export(design, resolve_target(target, None, "x", len(design.entities), "replace"))
    return design


REFERENCED_UNIQUE = preset_text(
    {
        "users": (
            300,
            {
                "username": '{ kind = "template", template = "user{id}", unique = true }',
                "email": '{ kind = "template", template = "u{id}@example.com", unique = true }',
            },
        ),
        "posts": (900, {"author": '{ kind = "reference", entity = "users", field = "username" }'}),
    }
)


def test_a_unique_column_a_foreign_key_references_is_indexed_while_loading(tmp_path):
    """SQLite checks a reference against the referenced column's unique index as each row goes
    in: that one stays in CREATE TABLE; the others are built after the load."""
    _export_text(tmp_path, REFERENCED_UNIQUE, str(tmp_path / "x.sqlite"))
    with closing(sqlite3.connect(tmp_path / "x.sqlite")) as db:
        indexes = {row[1]: row[3] for row in db.execute('PRAGMA index_list("users")') if row[2]}
        columns = {name: [c[2] for c in db.execute(f'PRAGMA index_info("{name}")')][0] for name in indexes}
        assert sorted((columns[n], origin) for n, origin in indexes.items() if origin != "pk") == [
            ("email", "c"),
            ("username", "u"),
        ]
        assert [row[2:5] for row in db.execute('PRAGMA foreign_key_list("posts")')] == [("users", "author", "username")]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_unique_index_names_that_would_clash_are_numbered(tmp_path):
    """a_b.c and a.b_c are both "a_b_c_key" by PostgreSQL's rule; the second is a_b_c_key1, as there."""
    text = preset_text(
        {
            "a_b": (20, {"c": '{ kind = "template", template = "c{id}", unique = true }'}),
            "a": (20, {"b_c": '{ kind = "template", template = "bc{id}", unique = true }'}),
        }
    )
    _export_text(tmp_path, text, str(tmp_path / "x.sqlite"))
    with closing(sqlite3.connect(tmp_path / "x.sqlite")) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert names == {"a_b_c_key", "a_b_c_key1"}


TEXT_KEYED = TableSpec("t", (ColumnSpec("id", pl.String, False), ColumnSpec("v", pl.Int64, False)), primary_key="id")


def _load_text_keyed(path, *blocks):
    writer = SqliteWriter(Target("sqlite", str(path), "replace"), [TEXT_KEYED], "sqlite", {})
    try:
        for ids in blocks:
            writer.write("t", pl.DataFrame({"id": ids, "v": list(range(len(ids)))}))
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def test_a_text_key_indexed_after_the_load_is_the_declared_primary_key(tmp_path):
    """A text key's index is built after the load and made the key's own: SQLite then sees the
    table it would have with PRIMARY KEY declared, and enforces it."""
    _load_text_keyed(tmp_path / "k.sqlite", ["b", "a"], ["c"])
    with closing(sqlite3.connect(tmp_path / "k.sqlite")) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [row[1] for row in db.execute('PRAGMA table_info("t")') if row[5]] == ["id"]
        assert [(row[1], row[3]) for row in db.execute('PRAGMA index_list("t")')] == [("sqlite_autoindex_t_1", "pk")]
        assert "PRIMARY KEY" in db.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()[0]
        assert db.execute("SELECT id FROM t ORDER BY rowid").fetchall() == [("b",), ("a",), ("c",)]
        assert db.execute("SELECT id FROM t WHERE id = 'a'").fetchall() == [("a",)]  # through the index
        with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: t\.id"):
            db.execute("INSERT INTO t VALUES ('a', 9)")
        with pytest.raises(sqlite3.IntegrityError, match=r"NOT NULL constraint failed: t\.id"):
            db.execute("INSERT INTO t VALUES (NULL, 9)")


def test_a_duplicate_text_key_fails_the_export_and_leaves_nothing(tmp_path):
    with pytest.raises(ExportError, match=r"^\S*k\.sqlite: t: UNIQUE constraint failed: t\.id$"):
        _load_text_keyed(tmp_path / "k.sqlite", ["a", "b"], ["a"])
    assert list(tmp_path.iterdir()) == []
