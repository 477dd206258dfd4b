"""Sources for `designer infer`: Chinook's DDL created by sqlite3 itself, the same DDL filled by
the hand-written preset (rows whose shape is known), and a real PostgreSQL schema per test
(scripts/pg-start's server; schemas named infer_*, dropped at the end)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from designer.cli import main

from ..conftest import ROOT

CHINOOK_SQL = ROOT / "tests" / "fixtures" / "chinook.sql"
SAKILA_SQL = ROOT / "tests" / "fixtures" / "sakila_mysql.sql"


def run(*args: str):
    """designer on the command line (click's runner, the real command)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def chinook_db(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(CHINOOK_SQL.read_text())
    db.close()
    return path


@pytest.fixture(scope="session")
def filled_chinook(tmp_path_factory) -> Path:
    """Chinook's schema in SQLite filled by presets/chinook.toml: known laws to measure."""
    path = chinook_db(tmp_path_factory.mktemp("chinook") / "chinook.sqlite")
    result = run("export", str(ROOT / "presets" / "chinook.toml"), "-o", str(path), "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = os.environ.get("DESIGNER_TEST_PG_URL")
    if not url:
        proc = subprocess.run([str(ROOT / "scripts" / "pg-start")], capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            pytest.fail(f"scripts/pg-start failed: {proc.stderr[-2000:]}", pytrace=False)
        url = proc.stdout.strip().splitlines()[-1]
    return url


@pytest.fixture
def pg_schema(pg_server):
    """A URL onto a fresh schema of its own, dropped after the test."""
    import psycopg

    schema = f"infer_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{separator}options={quote(f'-csearch_path={schema}')}", schema
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
