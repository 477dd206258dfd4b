"""Presets inferred from schemas alone (DDL files, an empty SQLite database): every table an
entity in dependency order, keys, references, junction tables as children, CHECK bounds and
lists, UNIQUE; and each one validates, exports and appends into the very schema it came from."""

from __future__ import annotations

import sqlite3
import tomllib

import polars as pl

import designer
from designer import infer, presets

from .conftest import CHINOOK_SQL, SAKILA_SQL, chinook_db, run


def _tables(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


def test_chinook_ddl_gives_every_table_keys_and_references_in_dependency_order():
    text = infer.infer(str(CHINOOK_SQL))
    assert infer.read(str(CHINOOK_SQL)).dialect == "postgres"
    raw = tomllib.loads(text)
    entities = raw["entities"]
    order = list(entities)
    with sqlite3.connect(":memory:") as db:  # sqlite3 itself reads the DDL: the oracle for what is there
        db.executescript(CHINOOK_SQL.read_text())
        assert sorted(order) == _tables(db)
        for table in order:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            assert list(entities[table]["fields"]) == columns
            for fk in db.execute(f'PRAGMA foreign_key_list("{table}")'):
                target, column = fk[2], fk[3]
                spec = entities[table]["fields"][column]
                assert spec["kind"] in ("reference", "parent")
                assert spec.get("entity", entities[table].get("parent", {}).get("entity")) == target
                if target != table:
                    assert order.index(target) < order.index(table)
    assert entities["PlaylistTrack"]["primary_key"] == ["PlaylistId", "TrackId"]
    assert entities["PlaylistTrack"]["parent"]["entity"] == "Playlist"
    assert entities["PlaylistTrack"]["fields"]["TrackId"]["distinct"] == "per_parent"
    assert entities["Employee"]["fields"]["ReportsTo"]["tree"] is True  # a nullable self-reference: a hierarchy
    assert entities["Artist"]["fields"]["ArtistId"] == {"kind": "sequence"}
    assert "# from FOREIGN KEY (AlbumId) REFERENCES Album (AlbumId)" in text
    presets.loads(text)


def test_chinook_round_trip_appends_into_its_own_sqlite_schema_twice(tmp_path):
    db_path = chinook_db(tmp_path / "chinook.sqlite")
    preset = tmp_path / "p.toml"
    result = run("infer", str(db_path), "-o", str(preset))
    assert result.exit_code == 0, result.output
    for _ in range(2):
        result = run("export", str(preset), "-o", str(db_path), "--if-exists", "append", "--quiet")
        assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as db:
        assert db.execute('SELECT count(*), count(DISTINCT "ArtistId") FROM "Artist"').fetchone() == (200, 200)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute('SELECT count(*) FROM "PlaylistTrack"').fetchone()[0] > 0
        # the table still is the one the DDL made: its constraints are on
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'PlaylistTrack'").fetchone()[0]
        assert 'CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId")' in sql


def test_mysql_ddl_keeps_checks_enums_unique_and_composite_keys(tmp_path):
    text = infer.infer(str(SAKILA_SQL))
    assert infer.read(str(SAKILA_SQL)).dialect == "mysql"
    entities = tomllib.loads(text)["entities"]
    film = entities["film"]["fields"]
    assert film["rental_duration"] == {"kind": "uniform", "min": 1, "max": 14, "dtype": "int"}
    assert film["rental_rate"]["min"] == 0.01 and film["rental_rate"]["max"] == 9.99  # > 0 on DECIMAL(4,2)
    assert film["rating"]["values"] == ["G", "PG", "PG-13", "R", "NC-17"]
    assert "# from CHECK (`rental_duration` BETWEEN 1 AND 14)" in text
    assert entities["film_actor"]["primary_key"] == ["actor_id", "film_id"]
    assert entities["category"]["fields"]["parent_id"]["tree"] is True
    assert entities["customer"]["fields"]["email"]["unique"] is True
    assert entities["rental"]["unique"] == [["rental_date", "film_id", "customer_id"]]
    out = tmp_path / "sakila.sqlite"
    (tmp_path / "s.toml").write_text(text)
    assert run("export", str(tmp_path / "s.toml"), "-o", str(out), "--quiet").exit_code == 0
    with sqlite3.connect(out) as db:
        q = lambda sql: db.execute(sql).fetchone()  # noqa: E731
        assert q("SELECT min(rental_duration) >= 1, max(rental_duration) <= 14 FROM film") == (1, 1)
        assert q("SELECT min(rental_rate) > 0, max(rental_rate) <= 9.99 FROM film") == (1, 1)
        assert q("SELECT count(*) FROM film WHERE rating NOT IN ('G','PG','PG-13','R','NC-17')") == (0,)
        assert q("SELECT count(*) - count(DISTINCT email) FROM customer") == (0,)
        assert q("SELECT count(*) FROM film_actor") == q(
            "SELECT count(*) FROM (SELECT DISTINCT actor_id, film_id FROM film_actor)"
        )
        assert q("SELECT count(*) FROM category WHERE parent_id >= category_id") == (0,)  # a tree: earlier rows only
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # no fixed constraint text: the export declares what infer asked for
        frame = pl.read_database("SELECT * FROM rental", db)
        assert frame.select("rental_date", "film_id", "customer_id").unique().height == frame.height


def test_varchar_widths_are_kept(tmp_path):
    """A VARCHAR(n) gets values of at most n characters: PostgreSQL refuses longer ones."""
    ddl = tmp_path / "w.sql"
    ddl.write_text("CREATE TABLE people (id INTEGER PRIMARY KEY, title VARCHAR(12), city VARCHAR(8), note VARCHAR(3));")
    rows = designer.loads(infer.infer(str(ddl))).generate("people", rows=500)
    for column, width in (("title", 12), ("city", 8), ("note", 3)):
        assert rows[column].str.len_chars().max() <= width, column
