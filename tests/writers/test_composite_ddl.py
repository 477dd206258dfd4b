"""Composite primary keys and unique tuples in SQLite and PostgreSQL: declared, enforced, loaded.

The oracles are the databases: sqlite3 and psycopg read the schema and the rows back; the load
itself proves uniqueness (the constraints are there and enforced: a duplicate row is refused), and
`GROUP BY a, b HAVING count(*) > 1` finds nothing.
"""

from __future__ import annotations

import sqlite3

import polars as pl
import psycopg
import pytest

from designer import pipeline, presets
from designer.writers.base import ColumnSpec, TableSpec
from designer.writers.sqltypes import add_keys, create_table

from .helpers import export

SHOP = """
format = 1
[design]
name = "chinook"
seed = 3
[entities.playlists]
rows = 300
[entities.playlists.fields]
id = { kind = "sequence" }
[entities.tracks]
rows = 40
[entities.tracks.fields]
id = { kind = "sequence" }
[entities.playlist_track]
parent = { entity = "playlists", count = { kind = "uniform", min = 0, max = 25, dtype = "int" } }
primary_key = ["playlist_id", "track_id"]
unique = [["playlist_id", "position"]]
[entities.playlist_track.fields]
playlist_id = { kind = "parent", field = "id" }
track_id = { kind = "reference", entity = "tracks", distribution = "zipf", distinct = "per_parent" }
position = { kind = "series", start = 1, per_parent = true }
"""

REPEATS = "SELECT {a}, {b}, count(*) FROM playlist_track GROUP BY {a}, {b} HAVING count(*) > 1"


def test_the_ddl_declares_the_tuples():
    spec = TableSpec(
        "t",
        (ColumnSpec("a", pl.Int64, True), ColumnSpec("b", pl.Int64, True)),
        composite_key=("a", "b"),
        unique_together=(("b", "a"),),
    )
    sql = create_table(spec, "sqlite")
    assert '"a" INTEGER NOT NULL' in sql and '"b" INTEGER NOT NULL' in sql  # key columns are never null
    assert 'PRIMARY KEY ("a", "b")' in sql and 'UNIQUE ("b", "a")' in sql
    assert add_keys([spec]) == ['ALTER TABLE "t" ADD PRIMARY KEY ("a", "b")', 'ALTER TABLE "t" ADD UNIQUE ("b", "a")']
    assert pipeline.tables(presets.loads(SHOP))[-1].composite_key == ("playlist_id", "track_id")


def test_sqlite_enforces_the_composite_key_and_the_tuple(tmp_path):
    design = presets.loads(SHOP)
    target = export(design, "sqlite", str(tmp_path / "c.sqlite"))
    with sqlite3.connect(target.location) as db:
        schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'playlist_track'").fetchone()[0]
        assert 'PRIMARY KEY ("playlist_id", "track_id")' in schema and 'UNIQUE ("playlist_id", "position")' in schema
        info = {row[1]: row for row in db.execute("PRAGMA table_info(playlist_track)")}
        assert info["playlist_id"][3] == 1 and info["track_id"][3] == 1  # NOT NULL
        assert info["playlist_id"][5] == 1 and info["track_id"][5] == 2  # the key's columns, in order
        assert db.execute(REPEATS.format(a="playlist_id", b="track_id")).fetchall() == []
        assert db.execute(REPEATS.format(a="playlist_id", b="position")).fetchall() == []
        count = db.execute("SELECT count(*) FROM playlist_track").fetchone()[0]
        assert count == pipeline.generate(design, "playlist_track").height > 2000
        assert db.execute(
            "SELECT count(*) FROM playlist_track t LEFT JOIN tracks k ON k.id = t.track_id WHERE k.id IS NULL"
        ).fetchone() == (0,)
        a, b = db.execute("SELECT playlist_id, track_id FROM playlist_track LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO playlist_track VALUES (?, ?, 999)", (a, b))


def test_postgres_loads_and_enforces_the_composite_key_and_the_tuple(pg_url):
    design = presets.loads(SHOP)
    export(design, "postgres", pg_url)
    with psycopg.connect(pg_url) as conn:
        constraints = dict(
            conn.execute(
                "SELECT pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
                "WHERE c.conrelid = 'playlist_track'::regclass AND c.contype IN ('p', 'u')"
            ).fetchall()
        )
        assert {k.replace('"', ""): v for k, v in constraints.items()} == {
            "PRIMARY KEY (playlist_id, track_id)": "p",
            "UNIQUE (playlist_id, position)": "u",
        }
        assert conn.execute(REPEATS.format(a="playlist_id", b="track_id")).fetchall() == []
        assert conn.execute(REPEATS.format(a="playlist_id", b="position")).fetchall() == []
        assert (
            conn.execute("SELECT count(*) FROM playlist_track").fetchone()[0]
            == pipeline.generate(design, "playlist_track").height
        )
        a, b = conn.execute("SELECT playlist_id, track_id FROM playlist_track LIMIT 1").fetchone()
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO playlist_track VALUES (%s, %s, 999)", (a, b))


def test_postgres_append_creates_the_tuples_with_the_table(pg_url):
    design = presets.loads(SHOP)
    export(design, "postgres", pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        kinds = sorted(
            r[0] for r in conn.execute("SELECT contype FROM pg_constraint WHERE conrelid = 'playlist_track'::regclass")
        )
        assert kinds == ["f", "f", "p", "u"]  # the parent and the reference, the key, the tuple
