"""presets/chinook.toml into Chinook's own DDL in a real PostgreSQL schema, appended twice, every
constraint on (the SQLite half, and the rules checked, are in tests/presets/test_chinook.py)."""

from __future__ import annotations

import psycopg
import pytest

from designer import api

from ..presets.test_chinook import BROKEN, DDL, PRESET, _counts


@pytest.mark.pg
def test_chinook_fills_its_own_postgres_schema_twice(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(DDL)
    data = api.load(PRESET)
    first = data.export(pg_url, if_exists="append")
    data.export(pg_url, if_exists="append")
    with psycopg.connect(pg_url) as conn:
        counts = _counts(lambda q: conn.execute(q).fetchone()[0])
        assert counts == {t: 2 * n for t, n in first.rows.items()}
        for rule, query in BROKEN.items():
            assert conn.execute(query).fetchall() == [], rule
        constraints = conn.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = current_schema() AND c.contype IN ('p', 'f')"
        ).fetchone()[0]
        assert constraints == 11 + 11  # every table's primary key and every foreign key, as the DDL made them
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute('INSERT INTO "PlaylistTrack" SELECT "PlaylistId", "TrackId" FROM "PlaylistTrack" LIMIT 1')
