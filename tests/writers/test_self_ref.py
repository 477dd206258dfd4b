"""References in real databases, read back with sqlite3 and psycopg: self-references (flat and
tree) load with their foreign keys declared, a lookup through a unique reference agrees with a SQL
join, unique references in a child entity are distinct and valid, and an expression that yields
NULL gets a nullable column and exports to every format."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import polars as pl
import psycopg
import pytest

from designer import pipeline, presets
from designer.engine import BLOCK_ROWS
from designer.errors import ExportError
from designer.writers.base import ColumnSpec, TableSpec, Target
from designer.writers.sqlite import SqliteWriter

from .helpers import FORMATS, expected_rows, export, invoke, location, raw_rows, temporaries

ROWS = BLOCK_ROWS + 2000  # a second block: rows point at rows loaded by a later INSERT or COPY

EMPLOYEES = f"""
format = 1
[design]
name = "org"
seed = 9
[entities.employee]
rows = {ROWS}
[entities.employee.fields]
employee_id = {{ kind = "sequence" }}
reports_to = {{ kind = "reference", entity = "employee" }}
manager = {{ kind = "reference", entity = "employee", tree = true, root_rate = 0.001 }}
manager_name = {{ kind = "lookup", via = "manager", field = "name" }}
name = {{ kind = "faker", provider = "first_name" }}
previous = {{ kind = "expression", expr = "CASE WHEN employee_id = 1 THEN NULL ELSE employee_id - 1 END" }}
"""

SELF_KEYS = {("reports_to", "employee", "employee_id"), ("manager", "employee", "employee_id")}


@pytest.fixture(scope="module")
def org_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("org") / "org.sqlite"
    export(presets.loads(EMPLOYEES), "sqlite", str(path))
    with closing(sqlite3.connect(path)) as db:
        yield db


def test_self_references_load_into_sqlite_with_their_foreign_keys(org_sqlite):
    db = org_sqlite
    declared = {(row[3], row[2], row[4]) for row in db.execute('PRAGMA foreign_key_list("employee")')}
    assert declared == SELF_KEYS
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM employee").fetchone() == (ROWS,)
    # the flat reference does point forward (why a row-by-row check failed) and round in circles
    assert db.execute("SELECT count(*) FROM employee WHERE reports_to > employee_id").fetchone()[0] > 0


def test_a_tree_in_sqlite_points_at_earlier_ids_only_and_has_no_cycles(org_sqlite):
    db = org_sqlite
    assert db.execute("SELECT count(*) FROM employee WHERE manager >= employee_id").fetchone() == (0,)
    assert db.execute("SELECT manager FROM employee WHERE employee_id = 1").fetchone() == (None,)
    # every row reaches a root by walking up: the recursive walk visits each row exactly once
    reached = db.execute("""
        WITH RECURSIVE up(id) AS (SELECT employee_id FROM employee WHERE manager IS NULL
            UNION ALL SELECT e.employee_id FROM employee e JOIN up ON e.manager = up.id)
        SELECT count(*), count(DISTINCT id) FROM up""").fetchone()
    assert reached == (ROWS, ROWS)
    wrong = db.execute("""SELECT count(*) FROM employee e LEFT JOIN employee m ON e.manager = m.employee_id
                          WHERE e.manager_name IS NOT m.name""").fetchone()
    assert wrong == (0,)


def test_nullable_columns_are_the_ones_that_can_hold_null(org_sqlite):
    notnull = {row[1]: row[3] for row in org_sqlite.execute('PRAGMA table_info("employee")')}
    assert notnull == {"employee_id": 1, "reports_to": 1, "manager": 0, "manager_name": 0, "name": 1, "previous": 0}


def test_self_references_load_into_postgres_with_their_foreign_keys(pg_url):
    design = presets.loads(EMPLOYEES)
    export(design, "postgres", pg_url)
    export(design, "postgres", pg_url, if_exists="replace")  # the tables exist: dropped, made again
    with psycopg.connect(pg_url) as conn:
        keys = conn.execute("""SELECT a.attname, c.confrelid::regclass::text, f.attname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conrelid = 'employee'::regclass""").fetchall()
        assert set(keys) == SELF_KEYS
        dangling = conn.execute("""SELECT count(*) FROM employee e WHERE (e.manager IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM employee m WHERE m.employee_id = e.manager)) OR NOT EXISTS
            (SELECT 1 FROM employee r WHERE r.employee_id = e.reports_to)""").fetchone()
        assert dangling == (0,)
        assert conn.execute("SELECT count(*) FROM employee WHERE manager >= employee_id").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM employee WHERE previous IS NULL").fetchone() == (1,)


def test_self_references_append_into_new_postgres_tables(pg_url):
    """Appending creates the tables with their keys: a row pointing at a row of a later COPY is
    checked at COMMIT (the self-reference is DEFERRABLE INITIALLY DEFERRED)."""
    export(presets.loads(EMPLOYEES), "postgres", pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM employee").fetchone() == (ROWS,)


def test_a_missing_reference_fails_the_sqlite_export_and_leaves_nothing(tmp_path):
    """The keys are checked once after the load: a dangling one still fails the whole export."""
    spec = TableSpec("t", (ColumnSpec("id", pl.Int64, False), ColumnSpec("up", pl.Int64, True, references=("t", "id"))), "id")
    path = tmp_path / "x.sqlite"
    writer = SqliteWriter(Target("sqlite", str(path)), [spec], "sqlite", {})
    writer.write("t", pl.DataFrame({"id": [1, 2], "up": [2, 7]}))
    with pytest.raises(ExportError, match="FOREIGN KEY constraint failed"):
        writer.commit()
    writer.abort()
    assert not path.exists() and temporaries(tmp_path) == []


SHOP = """
format = 1
[design]
name = "shop"
seed = 5
[entities.products]
rows = 700
[entities.products.fields]
id = { kind = "sequence" }
price = { kind = "uniform", min = 1, max = 500, decimals = 2 }
[entities.orders]
rows = 150
[entities.orders.fields]
id = { kind = "sequence" }
first_price = { kind = "aggregate", entity = "items", expr = "min(unit_price)" }
[entities.items]
parent = { entity = "orders", count = { kind = "uniform", min = 0, max = 4 } }
[entities.items.fields]
order_id = { kind = "parent", field = "id" }
product_id = { kind = "reference", entity = "products", unique = true }
unit_price = { kind = "lookup", via = "product_id", field = "price" }
"""


def test_unique_child_references_in_sqlite_are_distinct_valid_and_priced_by_their_row(tmp_path):
    path = tmp_path / "shop.sqlite"
    export(presets.loads(SHOP), "sqlite", str(path))  # failed: "unique ran dry ... 8 distinct values for 16 rows"
    with closing(sqlite3.connect(path)) as db:
        total, distinct = db.execute("SELECT count(*), count(DISTINCT product_id) FROM items").fetchone()
        assert total > 150 and distinct == total
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        joined = db.execute("""SELECT count(*), sum(i.unit_price = p.price) FROM items i
                               JOIN products p ON p.id = i.product_id""").fetchone()
        assert joined == (total, total)


NULLS = """
format = 1
[design]
name = "nulls"
seed = 2
[entities.employee]
rows = 300
[entities.employee.fields]
employee_id = { kind = "sequence" }
previous = { kind = "expression", expr = "CASE WHEN employee_id = 1 THEN NULL ELSE employee_id - 1 END" }
halved = { kind = "expression", expr = "CASE WHEN employee_id % 2 = 0 THEN employee_id / 2 END" }
manager = { kind = "reference", entity = "employee", tree = true, root_rate = 0.1 }
manager_prev = { kind = "lookup", via = "manager", field = "previous" }
label = { kind = "template", template = "e{manager}" }
spend = { kind = "aggregate", entity = "claims", expr = "sum(amount)" }
[entities.claims]
parent = { entity = "employee", count = { kind = "poisson", mean = 1 } }
[entities.claims.fields]
employee_id = { kind = "parent", field = "employee_id" }
amount = { kind = "uniform", min = 1, max = 9, dtype = "int" }
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_null_yielding_fields_export_to_every_format(fmt, tmp_path, new_pg_url):
    design = presets.loads(NULLS)
    target = export(design, fmt, location(fmt, tmp_path, new_pg_url() if fmt == "postgres" else None))
    frame = pipeline.generate(design, "employee")
    assert all(frame[c].null_count() for c in ("previous", "halved", "manager", "manager_prev", "label", "spend"))
    assert raw_rows(fmt, target, "employee", frame.schema) == expected_rows(fmt, frame)


def test_a_nullable_primary_key_is_refused_by_export_with_nothing_written(tmp_path):
    preset = tmp_path / "keys.toml"
    preset.write_text('format = 1\n[entities.t]\nrows = 5\n[entities.t.fields]\nid = { kind = "sequence", null_rate = 0.2 }\n')
    out = tmp_path / "out.sqlite"
    result = invoke("export", str(preset), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"{preset}: entities.t.fields.id.null_rate: a primary key cannot be null; remove null_rate"
    ]
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["keys.toml"]
