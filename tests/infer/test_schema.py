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


def test_a_pg_dump_schema_with_its_alter_table_constraints(tmp_path):
    """pg_dump writes keys as ALTER TABLE ... ADD CONSTRAINT, and much that shapes no table
    (SET, OWNER TO, sequences, views, comments): the keys are read, the rest skipped."""
    dump = tmp_path / "dump.sql"
    dump.write_text(
        """SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TYPE public.mood AS ENUM ('sad', 'ok');
CREATE TABLE public.authors (id integer NOT NULL, name character varying(60) NOT NULL, mood public.mood);
ALTER TABLE public.authors OWNER TO postgres;
CREATE SEQUENCE public.authors_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE public.authors_id_seq OWNED BY public.authors.id;
CREATE TABLE public.books (id bigint NOT NULL, author_id integer NOT NULL, isbn character(13), meta jsonb);
ALTER TABLE ONLY public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.books ADD CONSTRAINT books_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.books ADD CONSTRAINT books_isbn_key UNIQUE (isbn);
ALTER TABLE ONLY public.books ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors(id);
COMMENT ON TABLE public.books IS 'the books';
CREATE VIEW public.cheap AS SELECT id FROM public.books;
"""
    )
    result = run("infer", str(dump))
    assert result.exit_code == 0 and "Command" not in result.output, result.output
    entities = tomllib.loads(result.output)["entities"]
    assert list(entities) == ["authors", "books"]
    assert entities["books"]["fields"]["author_id"] == {"kind": "reference", "entity": "authors"}
    assert entities["books"]["fields"]["isbn"]["unique"] is True
    assert "meta" not in entities["books"]["fields"]  # jsonb: left to the database (it may be null)
    assert "# meta (JSONB) is left to the database" in result.output


def test_a_sqlite_dialect_ddl(tmp_path):
    ddl = tmp_path / "notes.sql"
    ddl.write_text(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL,"
        " parent INTEGER REFERENCES notes (id), stars INTEGER CHECK (stars >= 0 AND stars <= 5));\n"
        "CREATE UNIQUE INDEX notes_body ON notes (body, parent);\n"
    )
    assert infer.read(str(ddl)).dialect == "sqlite"
    text = infer.infer(str(ddl))
    fields = tomllib.loads(text)["entities"]["notes"]
    assert fields["unique"] == [["body", "parent"]]
    assert fields["fields"]["stars"] == {"kind": "uniform", "min": 0, "max": 5, "dtype": "int"}
    db_path = tmp_path / "notes.sqlite"
    with sqlite3.connect(db_path) as db:
        db.executescript(ddl.read_text())
    (tmp_path / "n.toml").write_text(text)
    result = run("export", str(tmp_path / "n.toml"), "-o", str(db_path), "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*), min(stars) >= 0, max(stars) <= 5 FROM notes").fetchone() == (100, 1, 1)


def test_the_same_source_gives_the_same_bytes_and_options_apply(tmp_path):
    first = run("infer", str(SAKILA_SQL), "--rows", "7", "--name", "rentals").output
    assert first == run("infer", str(SAKILA_SQL), "--rows", "7", "--name", "rentals").output
    raw = tomllib.loads(first)
    assert raw["design"]["name"] == "rentals"
    assert {e.get("rows") for e in raw["entities"].values()} == {7, None}  # roots 7, children follow
    assert run("infer", str(SAKILA_SQL), "--name", "not a name").exit_code == 2


def test_extension_tables_text_keys_and_pairs_of_one_table_round_trip(tmp_path):
    """A table keyed by its foreign key (one profile per user), a text key and a foreign key to
    it, a pair of references to one table as the key: appended into the schema, keys checked."""
    ddl = tmp_path / "social.sql"
    ddl.write_text(
        """CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(60) NOT NULL UNIQUE);
CREATE TABLE profiles (user_id INTEGER PRIMARY KEY REFERENCES users (id), bio TEXT);
CREATE TABLE badges (id INTEGER PRIMARY KEY, profile_id INTEGER NOT NULL REFERENCES profiles (user_id), code VARCHAR(10) UNIQUE);
CREATE TABLE follows (follower INTEGER NOT NULL REFERENCES users (id), followee INTEGER NOT NULL REFERENCES users (id),
                      since DATE, PRIMARY KEY (follower, followee));
CREATE TABLE tags (name VARCHAR(30) PRIMARY KEY, uses INTEGER CHECK (uses >= 0));
CREATE TABLE post_tags (tag VARCHAR(30) NOT NULL REFERENCES tags (name), post INTEGER NOT NULL, PRIMARY KEY (tag, post));
"""
    )
    preset = tmp_path / "social.toml"
    assert run("infer", str(ddl), "-o", str(preset)).exit_code == 0
    entities = tomllib.loads(preset.read_text())["entities"]
    assert entities["profiles"]["parent"]["count"] == {"kind": "const", "value": 1}
    assert entities["profiles"]["primary_key"] == "user_id"
    db_path = tmp_path / "social.sqlite"
    with sqlite3.connect(db_path) as db:
        db.executescript(ddl.read_text())
    for seed in ("1", "2"):  # unique values (emails, text keys) are the seed's: another seed, other values
        result = run("export", str(preset), "-o", str(db_path), "--if-exists", "append", "--quiet", "--seed", seed)
        assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT count(*) FROM profiles").fetchone() == (200,)
        assert db.execute("SELECT count(*) FROM follows").fetchone()[0] > 0
        assert db.execute("SELECT count(*) FROM badges b JOIN profiles p ON p.user_id = b.profile_id").fetchone() == (200,)


def test_a_check_infer_cannot_reproduce_is_named_in_the_comment(tmp_path):
    ddl = tmp_path / "c.sql"
    ddl.write_text("CREATE TABLE codes (id INTEGER PRIMARY KEY, code VARCHAR(9) CHECK (length(code) = 9), n INT CHECK (n > 2));")
    text = infer.infer(str(ddl))
    line = next(x for x in text.splitlines() if x.startswith("code = "))
    assert line.endswith("; not reproduced: CHECK (LENGTH(code) = 9)")
    assert tomllib.loads(text)["entities"]["codes"]["fields"]["n"]["min"] == 3
