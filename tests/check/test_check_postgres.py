"""`designer check` on a real PostgreSQL server (scripts/pg-start): an export passes, a planted
orphan (by psycopg, constraints dropped first) is caught. Each test in a schema of its own."""

from __future__ import annotations

import uuid

import psycopg
import pytest

import designer
from designer.check import check

from ..conftest import PRESETS
from ..writers.conftest import pg_server, with_schema  # noqa: F401  (pg_server: the fixture)


@pytest.fixture
def pg_schema(pg_server):  # noqa: F811  (the fixture imported above)
    schema = f"check_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield with_schema(pg_server, schema)
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.parametrize("name", ["ecommerce", "chinook"])
def test_an_export_to_postgres_passes_and_an_orphan_fails(pg_schema, name):
    data = designer.load(PRESETS / f"{name}.toml")
    data.export(pg_schema)
    report = check(data.design, pg_schema)
    assert report.ok, report.failures
    assert "password" not in report.data
    if name == "chinook":  # the Employee tree, read in another order than it was written
        with psycopg.connect(pg_schema, autocommit=True) as conn:
            conn.execute('UPDATE "Employee" SET "Title" = "Title" WHERE "EmployeeId" < 4')
        assert check(data.design, pg_schema).ok
        return
    with psycopg.connect(pg_schema, autocommit=True) as conn:
        # an update moves a row to the end of the heap: sequences and trees do not depend on that order
        conn.execute("UPDATE users SET age = age WHERE id < 10")
        conn.execute("UPDATE orders SET status = status WHERE id < 10")
    assert check(data.design, pg_schema).ok
    with psycopg.connect(pg_schema, autocommit=True) as conn:
        conn.execute("ALTER TABLE order_items DROP CONSTRAINT order_items_product_id_fkey")
        conn.execute("UPDATE order_items SET product_id = 'nowhere' WHERE ctid = (SELECT min(ctid) FROM order_items)")
    failed = {(r.rule, r.where) for r in check(data.design, pg_schema).failures}
    assert ("reference", "order_items.product_id") in failed
