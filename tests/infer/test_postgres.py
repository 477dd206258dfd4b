"""Chinook's DDL created in a real PostgreSQL schema: inferred from the catalog, appended into
with every constraint on, then filled, inferred from its rows and appended into again."""

from __future__ import annotations

import tomllib

import psycopg

from designer import infer

from ..conftest import ROOT
from .conftest import CHINOOK_SQL, run


def _count(url: str, sql: str):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()


def test_chinook_in_postgres_round_trips_from_the_catalog_and_from_its_rows(pg_schema, tmp_path):
    url, schema = pg_schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(CHINOOK_SQL.read_text())
    ddl_only = tomllib.loads(infer.infer(str(CHINOOK_SQL)))["entities"]
    text = infer.infer(url)
    assert f"from {url.split('?')[0]}" in text.splitlines()[0]
    # the catalog says what the DDL says
    assert tomllib.loads(text)["entities"] == ddl_only
    preset = tmp_path / "p.toml"
    assert run("infer", url, "-o", str(preset)).exit_code == 0
    result = run("export", str(preset), "-o", url, "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    assert _count(url, 'SELECT count(*) FROM "Artist"') == (100,)
    # fill with known laws, infer from the rows, append again: keys continue, constraints hold
    result = run("export", str(ROOT / "presets" / "chinook.toml"), "-o", url, "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    measured = tmp_path / "m.toml"
    assert run("infer", url, "-o", str(measured)).exit_code == 0
    raw = tomllib.loads(measured.read_text())["entities"]
    assert raw["Album"]["parent"]["entity"] == "Artist" and raw["Album"]["parent"]["count"]["kind"] == "choice"
    before = _count(url, 'SELECT count(*) FROM "Track"')[0]
    result = run("export", str(measured), "-o", url, "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    assert _count(url, 'SELECT count(*), count(DISTINCT "TrackId") FROM "Track"') == (2 * before, 2 * before)
    # every key the rows point at is there (the foreign keys were never dropped)
    fks = _count(
        url,
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = "
        f"(SELECT oid FROM pg_namespace WHERE nspname = '{schema}')",
    )
    assert fks == (11,)


def test_checks_and_in_lists_from_the_catalog(pg_schema):
    url, _ = pg_schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE plan (id serial PRIMARY KEY, tier varchar(10) NOT NULL CHECK (tier IN ('free', 'pro')),"
            " price numeric(6,2) CHECK (price > 0 AND price <= 500), seats int CHECK (seats BETWEEN 1 AND 50),"
            " created timestamptz DEFAULT now(), code varchar(8) UNIQUE)"
        )
    fields = tomllib.loads(infer.infer(url))["entities"]["plan"]["fields"]
    assert fields["tier"]["values"] == ["free", "pro"]
    assert (fields["price"]["min"], fields["price"]["max"]) == (0.01, 500)
    assert (fields["seats"]["min"], fields["seats"]["max"]) == (1, 50)
    assert "created" not in fields  # timestamptz with a default: left to the database
    assert fields["code"]["unique"] is True
