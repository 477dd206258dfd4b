"""Real table and column names: entities and fields keep their case (`Artist`, `ArtistId`), and an
entity's `table` and a field's `column` write an existing schema's names. Read back with sqlite3,
psycopg, the csv module and pyarrow (not designer's own reader), with the exact case; the foreign
keys are declared under the written names and hold."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing

import psycopg
import pyarrow.parquet as pq
import pytest
from psycopg import sql

from designer import pipeline, presets
from designer.errors import PresetError
from designer.writers.sqltypes import quote

from .helpers import export, invoke, snapshot

# CamelCase names as they are (Artist, ArtistId) and names mapped onto a schema's (albums -> Album)
CHINOOK = """
format = 1
[design]
name = "chinook"

[entities.Artist]
rows = 6
[entities.Artist.fields]
ArtistId = { kind = "sequence" }
Name     = { kind = "faker", provider = "name" }
NAlbums  = { kind = "aggregate", entity = "albums", expr = "count(*)" }

[entities.albums]
table  = "Album"
parent = { entity = "Artist", count = { kind = "uniform", min = 1, max = 3, dtype = "int" } }
[entities.albums.fields]
id     = { kind = "sequence", column = "AlbumId" }
artist = { kind = "parent", field = "ArtistId", column = "ArtistId" }
title  = { kind = "faker", provider = "catch_phrase", column = "Title" }
helper = { kind = "uniform", min = 1, max = 9, dtype = "int", export = false, column = "Hidden" }
Loud   = { kind = "expression", expr = "upper(title)" }

[entities.tracks]
table = "Track"
rows  = 20
[entities.tracks.fields]
TrackId = { kind = "sequence", start = 100 }
album   = { kind = "reference", entity = "albums", column = "AlbumId" }
ArtistName = { kind = "lookup", via = "album", field = "artist" }
"""

TABLES = ["Artist", "Album", "Track"]
COLUMNS = {
    "Artist": ["ArtistId", "Name", "NAlbums"],
    "Album": ["AlbumId", "ArtistId", "Title", "Loud"],
    "Track": ["TrackId", "AlbumId", "ArtistName"],
}
FOREIGN = {("Album", "ArtistId", "Artist", "ArtistId"), ("Track", "AlbumId", "Album", "AlbumId")}
PRIMARY = {"Artist": "ArtistId", "Album": "AlbumId", "Track": "TrackId"}


@pytest.fixture(scope="module")
def chinook():
    return presets.loads(CHINOOK)


def expected(design) -> dict[str, list[tuple]]:
    """The rows each table must hold, from the engine under the design's names."""
    frames = {e: pipeline.generate(design, e) for e in design.entities}
    return {design.table_of(e): [tuple(r) for r in f.rows()] for e, f in frames.items()}


def test_sqlite_has_the_names_with_their_case_and_the_foreign_keys_hold(tmp_path, chinook):
    where = str(tmp_path / "c.sqlite")
    export(chinook, "sqlite", where)
    want = expected(chinook)
    with closing(sqlite3.connect(where)) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        assert sorted(names) == sorted(TABLES)
        foreign = set()
        for table in TABLES:
            info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
            assert [r[1] for r in info] == COLUMNS[table]
            assert [r[1] for r in info if r[5]] == [PRIMARY[table]]
            foreign |= {(table, r[3], r[2], r[4]) for r in db.execute(f'PRAGMA foreign_key_list("{table}")')}
            assert db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() == want[table]
        assert foreign == FOREIGN
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # every reference resolves, row by row
        assert db.execute(
            'SELECT count(*) FROM "Track" t LEFT JOIN "Album" a ON a."AlbumId" = t."AlbumId" WHERE a."AlbumId" IS NULL'
        ).fetchone() == (0,)
        assert db.execute(
            'SELECT count(*) FROM "Track" t JOIN "Album" a USING ("AlbumId") WHERE t."ArtistName" != a."ArtistId"'
        ).fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute('INSERT INTO "Track" ("TrackId", "AlbumId", "ArtistName") VALUES (999, 12345, 1)')


def test_postgres_has_the_names_with_their_case_and_the_constraints_hold(pg_url, chinook):
    export(chinook, "postgres", pg_url)
    want = expected(chinook)
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()
        assert sorted(r[0] for r in tables) == sorted(TABLES)
        for table in TABLES:
            columns = conn.execute(
                """SELECT column_name FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
                (table,),
            ).fetchall()
            assert [r[0] for r in columns] == COLUMNS[table]
            rows = conn.execute(sql.SQL("SELECT * FROM {} ORDER BY ctid").format(sql.Identifier(table))).fetchall()
            assert [tuple(r) for r in rows] == want[table]
        primary = conn.execute(
            """SELECT k.table_name, k.column_name FROM information_schema.table_constraints c
               JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
               WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema()"""
        ).fetchall()
        assert dict(primary) == PRIMARY
        foreign = conn.execute(
            """SELECT cl.relname, a.attname, rc.relname, ra.attname FROM pg_constraint c
               JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
               JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
               WHERE c.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace"""
        ).fetchall()
        assert set(foreign) == FOREIGN
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute('INSERT INTO "Track" ("TrackId", "AlbumId", "ArtistName") VALUES (999, 12345, 1)')


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_files_are_named_by_table_with_the_columns_as_headers(tmp_path, chinook, fmt):
    export(chinook, fmt, f"{tmp_path / 'out'}/")
    want = expected(chinook)
    files = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert files == sorted(f"{t}.{fmt}" for t in TABLES)
    for table in TABLES:
        path = tmp_path / "out" / f"{table}.{fmt}"
        if fmt == "csv":
            with open(path, newline="") as handle:
                header, *rows = list(csv.reader(handle))
            assert len(rows) == len(want[table])
        else:
            header = pq.read_table(path).column_names
            assert [tuple(r.values()) for r in pq.read_table(path).to_pylist()] == want[table]
        assert header == COLUMNS[table]


def test_the_writers_quote_names_as_psycopg_does(pg_url):
    with psycopg.connect(pg_url) as conn:
        for name in ["Artist", "ArtistId", "a", "_x9", "MiXeD_Case_42"]:
            assert quote(name) == sql.Identifier(name).as_string(conn)


def test_tables_report_the_written_names(chinook):
    specs = pipeline.tables(chinook)
    assert [s.name for s in specs] == ["Artist", "Album", "Track"]
    assert {s.name: [c.name for c in s.columns] for s in specs} == COLUMNS
    assert {(s.name, c.name, *c.references) for s in specs for c in s.columns if c.references} == FOREIGN


# ---- the loader refuses what cannot be written, naming the key path --------------------------

BASE = 'format = 1\n[entities.users]\nrows = 3\nfields.id = { kind = "sequence" }\n'


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            BASE + '[entities.users.fields.x]\nkind = "const"\nvalue = 1\ncolumn = "a-b"\n',
            "entities.users.fields.x.column",
            '"a-b" is not a name',
        ),
        (
            BASE + 'fields.y = { kind = "const", value = 1, column = "9lives" }\n',
            "entities.users.fields.y.column",
            '"9lives" is not a name',
        ),
        (BASE.replace("rows = 3", 'rows = 3\ntable = "../up"'), "entities.users.table", '"../up" is not a name'),
        (
            BASE + '[entities.Users]\nrows = 1\nfields.id = { kind = "sequence" }\n',
            "entities.Users",
            "entities users and Users would both write table Users",
        ),
        (
            BASE + '[entities.people]\nrows = 1\ntable = "USERS"\nfields.id = { kind = "sequence" }\n',
            "entities.people.table",
            "entities users and people would both write table USERS",
        ),
        (
            BASE + 'fields.ID = { kind = "const", value = 1 }\n',
            "entities.users.fields.ID",
            "fields id and ID would both write column ID",
        ),
        (
            BASE + 'fields.key = { kind = "const", value = 1, column = "Id" }\n',
            "entities.users.fields.key.column",
            "fields id and key would both write column Id",
        ),
        (
            BASE
            + 'fields.code = { kind = "const", value = 1, column = "Code" }\n'
            + '[entities.users.variants.vip]\nweight = 0.5\nfields.code = { kind = "const", value = 2, column = "Other" }\n',
            "entities.users.variants.vip.fields.code.column",
            "field code is written to column Code; a variant cannot write it elsewhere",
        ),
    ],
    ids=[
        "column-dash",
        "column-digit",
        "table-dotdot",
        "entities-case",
        "table-case",
        "fields-case",
        "column-clash",
        "variant-column",
    ],
)
def test_names_that_cannot_be_written_are_refused_with_the_key_path(text, path, message):
    with pytest.raises(PresetError) as raised:
        presets.loads(text, file="p.toml")
    assert raised.value.path == path, str(raised.value)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_a_helper_field_may_share_a_column_name_it_never_writes():
    design = presets.loads(BASE + 'fields.ID = { kind = "const", value = 1, export = false }\n')
    assert [c.name for c in pipeline.tables(design)[0].columns] == ["id"]


def test_the_cli_refuses_a_bad_table_name_in_one_line_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(BASE.replace("rows = 3", 'rows = 3\ntable = "a b"'))
    before = snapshot(tmp_path)
    result = invoke("export", "p.toml", "-o", "x.sqlite")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'p.toml: entities.users.table: "a b" is not a name: use letters, digits and _, not starting with a digit'
    ]
    assert snapshot(tmp_path) == before


def test_a_saved_design_keeps_table_and_column(chinook):
    again = presets.loads(presets.dumps(chinook))
    assert again == chinook
    assert again.entities["albums"].table == "Album" and again.entities["albums"].fields["id"].column == "AlbumId"
