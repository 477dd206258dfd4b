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


def test_rows_in_postgres_are_measured(pg_schema):
    """Rows PostgreSQL itself draws (setseed + random()): the inferred preset gives the same
    shares (chi-square), null rate, shape (two-sample KS) and children per parent row."""
    import numpy as np
    from scipy import stats

    import designer

    url, _ = pg_schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT setseed(0.25)")
        conn.execute(
            "CREATE TABLE teams (id serial PRIMARY KEY, tier varchar(8) NOT NULL, budget numeric(10,2), founded date NOT NULL)"
        )
        conn.execute(
            "INSERT INTO teams (tier, budget, founded) SELECT"
            " CASE WHEN r < 0.6 THEN 'free' WHEN r < 0.9 THEN 'pro' ELSE 'team' END,"
            " CASE WHEN random() < 0.2 THEN NULL ELSE round((exp(7 + 0.6 * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))::numeric, 2) END,"
            " DATE '2020-01-01' + (random() * 1500)::int"
            " FROM (SELECT random() AS r FROM generate_series(1, 2000)) draws"
        )
        conn.execute("CREATE TABLE members (id serial PRIMARY KEY, team_id int NOT NULL REFERENCES teams (id), email text)")
        conn.execute(
            "INSERT INTO members (team_id, email) SELECT t.id, 'm' || t.id || '_' || k || '@example.org'"
            " FROM teams t, generate_series(1, 6) k WHERE random() < 0.5"
        )
        tiers = dict(conn.execute("SELECT tier, count(*) FROM teams GROUP BY tier").fetchall())
        budgets = np.array([float(r[0]) for r in conn.execute("SELECT budget FROM teams WHERE budget IS NOT NULL")])
        nulls = conn.execute("SELECT avg((budget IS NULL)::int) FROM teams").fetchone()[0]
        per_team = dict(
            conn.execute(
                "SELECT n, count(*) FROM (SELECT count(m.id) AS n FROM teams t LEFT JOIN members m ON m.team_id = t.id"
                " GROUP BY t.id) c GROUP BY n"
            ).fetchall()
        )
    text = infer.infer(url)
    raw = tomllib.loads(text)["entities"]
    assert raw["members"]["parent"]["entity"] == "teams"
    assert raw["members"]["fields"]["email"] == {"kind": "faker", "provider": "email"}
    assert "@example.org" not in text
    dataset = designer.loads(text)
    teams = dataset.generate("teams", rows=20_000)
    made = dict(teams["tier"].value_counts().iter_rows())
    keys = sorted(tiers)
    expected = np.array([tiers[k] for k in keys], dtype=float)
    assert stats.chisquare([made.get(k, 0) for k in keys], expected / expected.sum() * teams.height).pvalue > 1e-3
    p = float(nulls)
    assert abs(teams["budget"].null_count() / teams.height - p) < 4 * (p * (1 - p) / teams.height) ** 0.5
    assert stats.ks_2samp(teams["budget"].drop_nulls().to_numpy(), budgets).pvalue > 1e-3
    members = dataset.generate("members", rows=3_000)
    counts = members.group_by("team_id").len()["len"]
    histogram = dict(counts.value_counts().iter_rows())
    histogram[0] = 3_000 - counts.len()
    keys = sorted(per_team)
    expected = np.array([per_team[k] for k in keys], dtype=float)
    assert stats.chisquare([histogram.get(k, 0) for k in keys], expected / expected.sum() * 3_000).pvalue > 1e-3
