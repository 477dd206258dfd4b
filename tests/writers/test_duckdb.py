"""DuckDB (`-o data.duckdb`): the rows the engine makes, read back by designer and by duckdb's own
SQL; keys, UNIQUE, NOT NULL and foreign keys declared and enforced by DuckDB; any worker count
the same; a failed or stopped run leaves nothing and never touches an existing database; appends
continue the sequences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from designer import api, pipeline, presets
from designer.errors import Cancelled, ExportError
from designer.writers import resolve_target

from ..presets.test_chinook import BROKEN, PRESET, _counts
from .helpers import ECOMMERCE, SMALL, export, generated, invoke, read_back, snapshot
from .test_append_continues import ROWS
from .test_append_continues import SHOP as APPEND_SHOP
from .test_composite_ddl import REPEATS
from .test_composite_ddl import SHOP as COMPOSITE


def _connect(path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def _rows(path, table: str, columns: list[str]) -> list[tuple]:
    """The rows in load order, through duckdb alone (no designer code in between)."""
    with _connect(path) as db:
        listed = ", ".join(f'"{c}"' for c in columns)
        return db.execute(f'SELECT {listed} FROM "{table}" ORDER BY rowid').fetchall()


def _constraints(path) -> set[tuple[str, str]]:
    with _connect(path) as db:
        return set(
            db.execute(
                "SELECT table_name, constraint_text FROM duckdb_constraints() WHERE constraint_type <> 'NOT NULL'"
            ).fetchall()
        )


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    design = presets.load(ECOMMERCE)
    path = tmp_path_factory.mktemp("duck") / "shop.duckdb"
    target = export(design, None, str(path), rows=SMALL)
    return design, target, generated(design, rows=SMALL)


def test_the_extension_names_the_format():
    assert resolve_target("x/data.duckdb", None, "shop", 4).format == "duckdb"
    assert resolve_target("x/data.ddb", "duckdb", "shop", 4).format == "duckdb"
    with pytest.raises(ExportError, match="the extension says duckdb but --format says sqlite"):
        resolve_target("x/data.duckdb", "sqlite", "shop", 4)


def test_read_back_is_what_the_engine_made(shop):
    design, target, expected = shop
    back = read_back(design, target, rows=SMALL)
    assert set(back) == set(expected)
    for name, frame in expected.items():
        assert back[name].equals(frame), name


def test_duckdb_reads_the_same_rows_and_types(shop):
    _, target, expected = shop
    types = {pl.Int64: "BIGINT", pl.Float64: "DOUBLE", pl.String: "VARCHAR", pl.Boolean: "BOOLEAN", pl.Date: "DATE"}
    with _connect(target.path) as db:
        for name, frame in expected.items():
            declared = db.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [name],
            ).fetchall()
            assert declared == [(c, types.get(t, "TIMESTAMP")) for c, t in frame.schema.items()], name
    for name, frame in expected.items():
        assert _rows(target.path, name, frame.columns) == frame.rows(), name


def test_keys_unique_and_foreign_keys_are_declared(shop):
    _, target, _ = shop
    assert _constraints(target.path) == {
        ("users", "PRIMARY KEY(id)"),
        ("users", "UNIQUE(email)"),
        ("products", "PRIMARY KEY(id)"),
        ("orders", "PRIMARY KEY(id)"),
        ("orders", "FOREIGN KEY (user_id) REFERENCES users(id)"),
        ("order_items", "FOREIGN KEY (order_id) REFERENCES orders(id)"),
        ("order_items", "FOREIGN KEY (product_id) REFERENCES products(id)"),
    }
    with _connect(target.path) as db:
        nullable = db.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE is_nullable = 'YES' ORDER BY ALL"
        ).fetchall()
    assert set(nullable) == {
        ("users", "phone"),
        ("users", "suspended_at"),
        ("orders", "subtotal"),
        ("orders", "tax"),
        ("orders", "total"),
        ("order_items", "line_total"),
    }


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO users SELECT * FROM users LIMIT 1",  # a duplicate key
        "INSERT INTO users SELECT * REPLACE (id + 1000000 AS id) FROM users LIMIT 1",  # a duplicate email
        "INSERT INTO orders SELECT * REPLACE (id + 1000000 AS id, 424242 AS user_id) FROM orders LIMIT 1",  # no such user
        "INSERT INTO products SELECT * REPLACE (NULL AS name) FROM products LIMIT 1",  # NULL in NOT NULL
    ],
)
def test_duckdb_refuses_a_row_that_breaks_a_constraint(shop, tmp_path, statement):
    _, target, _ = shop
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(target.path.read_bytes())
    with duckdb.connect(str(copy)) as db, pytest.raises(duckdb.ConstraintException):
        db.execute(statement)


def test_the_sanity_of_the_refusal_test(shop, tmp_path):
    """The statements above are refused for the constraint, not for being wrong: with the ids moved
    past the table's they go in."""
    _, target, _ = shop
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(target.path.read_bytes())
    with duckdb.connect(str(copy)) as db:
        db.execute("INSERT INTO orders SELECT * REPLACE (id + 1000000 AS id) FROM orders LIMIT 1")
        db.execute("INSERT INTO users SELECT * REPLACE (id + 1000000 AS id, 'new' || email AS email) FROM users LIMIT 1")


def test_a_composite_key_and_a_unique_tuple_are_declared_and_enforced(tmp_path):
    design = presets.loads(COMPOSITE)
    target = export(design, None, str(tmp_path / "c.duckdb"))
    assert ("playlist_track", "PRIMARY KEY(playlist_id, track_id)") in _constraints(target.path)
    assert ("playlist_track", 'UNIQUE(playlist_id, "position")') in _constraints(target.path)
    with _connect(target.path) as db:
        assert db.execute(REPEATS.format(a="playlist_id", b="track_id")).fetchall() == []
        assert db.execute(REPEATS.format(a="playlist_id", b="position")).fetchall() == []
        assert db.execute("SELECT count(*) FROM playlist_track").fetchone()[0] > 0
    with duckdb.connect(str(target.path)) as db, pytest.raises(duckdb.ConstraintException):
        db.execute("INSERT INTO playlist_track SELECT playlist_id, track_id, position + 1000 FROM playlist_track LIMIT 1")


def test_chinook_reads_back_and_keeps_its_rules(tmp_path):
    """Every rule the Chinook preset keeps, asked of DuckDB; its tables' keys and foreign keys declared,
    but for Employee.ReportsTo onto its own table, which DuckDB could not load (it checks each row)."""
    path = tmp_path / "chinook.duckdb"
    data = api.load(PRESET)
    result = data.export(str(path))
    design = presets.load(PRESET)
    back = read_back(design, resolve_target(str(path), None, "chinook", len(design.entities)))
    for name, frame in generated(design).items():
        table = design.table_of(name)
        assert back[table].equals(frame.rename(dict(zip(frame.columns, back[table].columns, strict=True)))), name
    with _connect(path) as db:
        assert _counts(lambda q: db.execute(q).fetchone()[0]) == result.rows
        for rule, query in BROKEN.items():
            assert db.execute(query).fetchall() == [], rule
        dangling = db.execute(
            'SELECT count(*) FROM "Employee" e LEFT JOIN "Employee" b ON b."EmployeeId" = e."ReportsTo" '
            'WHERE e."ReportsTo" IS NOT NULL AND b."EmployeeId" IS NULL'
        ).fetchone()
        assert dangling == (0,)
    declared = _constraints(path)
    keys = {t for t, c in declared if c.startswith("PRIMARY KEY")}
    foreign = {(t, c) for t, c in declared if c.startswith("FOREIGN KEY")}
    assert len(keys) == 11 and len(foreign) == 10  # Chinook's own DDL has 11 of each: ReportsTo is the one left out
    assert ("Customer", "FOREIGN KEY (SupportRepId) REFERENCES Employee(EmployeeId)") in foreign
    assert not any("ReportsTo" in c for _, c in foreign)


def test_two_workers_write_what_one_does(shop, tmp_path):
    design, target, _ = shop
    two = export(design, None, str(tmp_path / "two.duckdb"), rows=SMALL, workers=2)
    for name, frame in generated(design, rows=SMALL).items():
        assert _rows(two.path, name, frame.columns) == _rows(target.path, name, frame.columns), name


def test_a_cancelled_run_leaves_nothing_and_an_existing_database_as_it_was(shop, tmp_path):
    design, target, _ = shop
    old = tmp_path / "old.duckdb"
    old.write_bytes(target.path.read_bytes())
    for where, if_exists in ((tmp_path / "new.duckdb", "fail"), (old, "replace"), (old, "append")):
        before = snapshot(tmp_path)
        calls = iter(range(1_000_000))
        with pytest.raises(Cancelled):  # a few blocks in
            pipeline.export(
                design,
                resolve_target(str(where), None, "shop", len(design.entities), if_exists),
                rows={"users": 3000, "products": 50},
                seed=9,  # other keys than the database holds: the append would go in
                cancelled=lambda calls=calls: next(calls) > 3,
            )
        assert snapshot(tmp_path) == before, if_exists


def test_a_load_duckdb_refuses_leaves_the_database_as_it_was(shop, tmp_path):
    """The ecommerce preset's keys are UUIDs of its seed: appended again, DuckDB refuses the first
    duplicate key; the database keeps its rows, and no temporary file stays."""
    design, target, expected = shop
    path = tmp_path / "shop.duckdb"
    path.write_bytes(target.path.read_bytes())
    with pytest.raises(ExportError, match=r'shop.duckdb: products: Constraint Error: Duplicate key "id: '):
        export(design, None, str(path), rows=SMALL, if_exists="append")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.duckdb"]
    for name, frame in expected.items():
        assert _rows(path, name, frame.columns) == frame.rows(), name


def test_if_exists_fail_names_the_file_and_leaves_it(shop, tmp_path):
    _, target, _ = shop
    path = tmp_path / "shop.duckdb"
    path.write_bytes(target.path.read_bytes())
    before = snapshot(tmp_path)
    result = invoke("export", str(ECOMMERCE), "-o", str(path), "--rows", "users=10", "--rows", "products=5")
    assert result.returncode == 2
    assert result.stderr == f"designer: {path}: exists; pass --if-exists replace to overwrite it\n"
    assert snapshot(tmp_path) == before


def test_replace_writes_a_new_database(shop, tmp_path):
    design, target, _ = shop
    path = tmp_path / "shop.duckdb"
    path.write_bytes(target.path.read_bytes())
    export(design, None, str(path), rows={"users": 7, "products": 3}, if_exists="replace")
    assert _rows(path, "users", ["id"]) == [(i,) for i in range(1, 8)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.duckdb"]


def test_appending_twice_continues_every_sequence(tmp_path):
    design = presets.loads(APPEND_SHOP)
    path = tmp_path / "shop.duckdb"
    first = export(design, None, str(path), if_exists="append")
    orders_once = _rows(path, "orders", ["OrderNo"])
    export(design, None, str(path), if_exists="append")
    assert first.format == "duckdb"
    with _connect(path) as db:
        one = db.execute
        assert one('SELECT count(*), count(DISTINCT "CustomerId"), max("CustomerId") FROM "Customer"').fetchone() == (
            2 * ROWS,
            2 * ROWS,
            2 * ROWS,
        )
        n = len(orders_once)
        assert one('SELECT count(*), count(DISTINCT "OrderNo"), min("OrderNo"), max("OrderNo") FROM orders').fetchone() == (
            2 * n,
            2 * n,
            1000,
            1000 + 10 * (2 * n - 1),
        )
        for query in (
            'SELECT count(*) FROM notes n LEFT JOIN orders o ON o."OrderNo" = n."order" WHERE o."OrderNo" IS NULL',
            'SELECT count(*) FROM orders o LEFT JOIN "Customer" c USING ("CustomerId") WHERE c."CustomerId" IS NULL',
            'SELECT count(*) FROM "Customer" c LEFT JOIN "Customer" b ON b."CustomerId" = c.boss '
            'WHERE c.boss IS NOT NULL AND b."CustomerId" IS NULL',
        ):
            assert one(query).fetchone() == (0,), query
        # the second run's references point at the second run's rows
        assert one(
            'SELECT count(*) FROM orders WHERE "OrderNo" >= ? AND "CustomerId" <= ?', [1000 + 10 * n, ROWS]
        ).fetchone() == (0,)


def test_an_append_to_a_table_of_other_types_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute('CREATE TABLE "Customer" ("CustomerId" VARCHAR, name VARCHAR, boss BIGINT)')
        db.execute("INSERT INTO \"Customer\" VALUES ('x', 'y', NULL)")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError) as caught:
        export(presets.loads(APPEND_SHOP), None, str(path), if_exists="append")
    assert str(caught.value) == (f"{path}: append: table Customer: column CustomerId is VARCHAR, the design writes BIGINT")
    assert snapshot(tmp_path) == before


def test_a_file_that_is_not_a_duckdb_database_is_one_line(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("my notes\n")
    result = invoke("export", str(ECOMMERCE), "-o", str(path), "--if-exists", "append", "--rows", "users=5")
    assert result.returncode == 2
    assert result.stderr.startswith(f"designer: {path}: ") and "not a valid DuckDB database file" in result.stderr
    assert result.stderr.count("\n") == 1
    assert path.read_text() == "my notes\n"


def test_without_the_duckdb_package_the_error_says_what_to_install(tmp_path):
    code = "import sys; sys.modules['duckdb'] = None; from designer.cli import main; main()"
    args = ["export", str(ECOMMERCE), "-o", str(tmp_path / "x.duckdb"), "--rows", "users=5"]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"designer: {tmp_path / 'x.duckdb'}: DuckDB needs the duckdb package: pip install 'designer[duckdb]'\n"
    )
    assert list(Path(tmp_path).iterdir()) == []
