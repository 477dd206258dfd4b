"""`postgresql://.../db?schema=NAME` writes into that schema, created if missing (in the load's
transaction: a failed run leaves no schema behind); replace and append work there and never touch
the tables of the same names in other schemas. Read with psycopg, by schema-qualified names."""

from __future__ import annotations

import uuid
from urllib.parse import quote as url_quote

import psycopg
import pytest
from psycopg import sql

from designer import pipeline, presets
from designer.errors import Cancelled, ExportError
from designer.writers import resolve_target

from .helpers import ECOMMERCE, SMALL, export, generated, invoke, read_back
from .test_append_continues import ROWS
from .test_append_continues import SHOP as APPEND_SHOP


@pytest.fixture
def schemas(pg_server):
    """A factory of fresh schema names (duckdb_..., not created), each dropped after the test."""
    made: list[str] = []

    def make(suffix: str = "") -> str:
        made.append(f"duckdb_{uuid.uuid4().hex[:10]}{suffix}")
        return made[-1]

    yield make
    with psycopg.connect(pg_server, autocommit=True) as conn:
        for name in made:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def _url(server: str, schema: str) -> str:
    return f"{server}{'&' if '?' in server else '?'}schema={url_quote(schema, safe='')}"


def _tables(server: str, schema: str) -> list[str]:
    with psycopg.connect(server) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY table_name", (schema,)
        ).fetchall()
    return [r[0] for r in rows]


def _exists(server: str, schema: str) -> bool:
    with psycopg.connect(server) as conn:
        return conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() == (1,)


def _rows(server: str, schema: str, table: str, columns: list[str]) -> list[tuple]:
    query = sql.SQL("SELECT {} FROM {} ORDER BY ctid").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(schema, table)
    )
    with psycopg.connect(server) as conn:
        return conn.execute(query).fetchall()


def test_an_export_creates_the_schema_and_fills_it(pg_server, schemas):
    schema = schemas(" Mixed Case")  # quoted as given: a space and capitals
    design = presets.load(ECOMMERCE)
    target = export(design, None, _url(pg_server, schema), rows=SMALL)
    assert _exists(pg_server, schema)
    assert _tables(pg_server, schema) == sorted(design.entities)
    expected = generated(design, rows=SMALL)
    for name, frame in expected.items():
        assert _rows(pg_server, schema, name, frame.columns) == frame.rows(), name
    back = read_back(design, target, rows=SMALL)  # designer's readback finds them through the URL too
    assert all(back[name].equals(frame) for name, frame in expected.items())
    with psycopg.connect(pg_server) as conn:  # the keys are declared in that schema
        keys = conn.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = %s AND c.contype IN ('p', 'f', 'u')",
            (schema,),
        ).fetchone()
    assert keys == (3 + 3 + 1,)  # users, products, orders keys; three foreign keys; users.email


def test_replace_in_one_schema_leaves_the_same_tables_in_another_alone(pg_server, schemas):
    first, second = schemas(), schemas()
    design = presets.load(ECOMMERCE)
    export(design, None, _url(pg_server, first), rows={"users": 5, "products": 3})
    export(design, None, _url(pg_server, second), rows={"users": 9, "products": 3})
    export(design, None, _url(pg_server, second), rows={"users": 12, "products": 3}, if_exists="replace")
    assert len(_rows(pg_server, first, "users", ["id"])) == 5
    assert len(_rows(pg_server, second, "users", ["id"])) == 12
    result = invoke("export", str(ECOMMERCE), "-o", _url(pg_server, first), "--rows", "users=4", "--quiet")
    assert result.returncode == 2
    assert "table products exists; pass --if-exists replace (or append)" in result.stderr


def test_appending_twice_into_a_schema_continues_the_sequences(pg_server, schemas):
    schema = schemas()
    design = presets.loads(APPEND_SHOP)
    url = _url(pg_server, schema)
    export(design, None, url, if_exists="append")  # the first append creates the schema and the tables
    export(design, None, url, if_exists="append")
    ids = [r[0] for r in _rows(pg_server, schema, "Customer", ["CustomerId"])]
    assert sorted(ids) == list(range(1, 2 * ROWS + 1))
    with psycopg.connect(url.split("?")[0]) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        assert conn.execute(
            'SELECT count(*) FROM notes n LEFT JOIN orders o ON o."OrderNo" = n."order" WHERE o."OrderNo" IS NULL'
        ).fetchone() == (0,)
        assert conn.execute('SELECT count(*) - count(DISTINCT "OrderNo") FROM orders').fetchone() == (0,)


def test_a_cancelled_run_leaves_no_schema(pg_server, schemas):
    schema = schemas()
    design = presets.load(ECOMMERCE)
    calls = iter(range(1_000_000))
    with pytest.raises(Cancelled):
        pipeline.export(
            design,
            resolve_target(_url(pg_server, schema), None, "shop", len(design.entities)),
            rows=SMALL,
            cancelled=lambda: next(calls) > 2,
        )
    assert not _exists(pg_server, schema)


def test_a_schema_the_server_refuses_is_one_line_and_creates_nothing(pg_server):
    result = invoke("export", str(ECOMMERCE), "-o", _url(pg_server, "pg_duckdb_reserved"), "--rows", "users=4")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "pg_duckdb_reserved" in result.stderr and "Traceback" not in result.stderr
    assert not _exists(pg_server, "pg_duckdb_reserved")


@pytest.mark.parametrize("query", ["schema=", "schema=a&schema=b"])
def test_a_schema_parameter_without_one_name_is_refused(pg_server, query):
    url = f"{pg_server}{'&' if '?' in pg_server else '?'}{query}"
    with pytest.raises(ExportError, match=r"\?schema= takes one schema name"):
        export(presets.load(ECOMMERCE), None, url, rows={"users": 3})
