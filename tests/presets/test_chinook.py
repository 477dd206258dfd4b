"""A real schema filled as it is: presets/chinook.toml into Chinook's own DDL (tests/fixtures/chinook.sql),
in SQLite and PostgreSQL with every constraint on, appended twice. Checked with the databases'
own SQL, not designer's reader."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from designer import api

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "presets" / "chinook.toml"
DDL = (ROOT / "tests" / "fixtures" / "chinook.sql").read_text()
TABLES = (
    "Artist",
    "Album",
    "Genre",
    "MediaType",
    "Track",
    "Employee",
    "Customer",
    "Invoice",
    "InvoiceLine",
    "Playlist",
    "PlaylistTrack",
)

# Each rule the schema and the preset state, as a query that returns the rows breaking it.
BROKEN = {
    "duplicate PlaylistTrack keys": 'SELECT "PlaylistId", "TrackId" FROM "PlaylistTrack" GROUP BY 1, 2 HAVING count(*) > 1',
    "an invoice lists a track twice": 'SELECT "InvoiceId", "TrackId" FROM "InvoiceLine" GROUP BY 1, 2 HAVING count(*) > 1',
    "a line's price is not its track's": (
        'SELECT l."InvoiceLineId" FROM "InvoiceLine" l JOIN "Track" t ON t."TrackId" = l."TrackId" WHERE l."UnitPrice" <> t."UnitPrice"'
    ),
    "an invoice's total is not its lines'": (
        'SELECT i."InvoiceId" FROM "Invoice" i WHERE abs(i."Total" - (SELECT sum(l."UnitPrice" * l."Quantity") '
        'FROM "InvoiceLine" l WHERE l."InvoiceId" = i."InvoiceId")) > 0.005'
    ),
    "billing is not the customer's address": (
        'SELECT i."InvoiceId" FROM "Invoice" i JOIN "Customer" c ON c."CustomerId" = i."CustomerId" '
        'WHERE i."BillingCity" <> c."City" OR i."BillingAddress" <> c."Address"'
    ),
    "a manager hired into the future of the org chart": 'SELECT "EmployeeId" FROM "Employee" WHERE "ReportsTo" >= "EmployeeId"',
}


def _counts(rows_of) -> dict[str, int]:
    return {t: rows_of(f'SELECT count(*) FROM "{t}"') for t in TABLES}


def test_chinook_fills_its_own_sqlite_schema_twice(tmp_path):
    target = tmp_path / "chinook.sqlite"
    with sqlite3.connect(target) as conn:
        conn.executescript(DDL)
    data = api.load(PRESET)
    first = data.export(target, if_exists="append")
    data.export(target, if_exists="append")
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        counts = _counts(lambda q: conn.execute(q).fetchone()[0])
        assert counts == {t: 2 * first.rows[t] for t in TABLES}
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for rule, query in BROKEN.items():
            assert conn.execute(query).fetchall() == [], rule
        # keys continue: the second run's ids come after the first's, no gap, no repeat
        assert conn.execute('SELECT min("TrackId"), max("TrackId"), count(*) FROM "Track"').fetchone() == (
            1,
            counts["Track"],
            counts["Track"],
        )
        with pytest.raises(sqlite3.IntegrityError):  # the composite key is the schema's, and enforced
            conn.execute('INSERT INTO "PlaylistTrack" SELECT "PlaylistId", "TrackId" FROM "PlaylistTrack" LIMIT 1')
    finally:
        conn.close()
