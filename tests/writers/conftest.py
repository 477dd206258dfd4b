"""A real PostgreSQL server for the writer tests: DESIGNER_TEST_PG_URL, or the one scripts/pg-start
starts. Never skipped: without a server these tests fail and say why. Each test gets its own schema."""

from __future__ import annotations

import os
import subprocess
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import polars as pl
import psycopg
import pytest

from designer import presets
from designer.model import Design
from designer.writers.base import Target

from ..conftest import ROOT
from .helpers import ECOMMERCE, FORMATS, SMALL, export, generated, location


def _start_server() -> str:
    script = ROOT / "scripts" / "pg-start"
    try:
        proc = subprocess.run([str(script)], capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"scripts/pg-start could not run: {error}", pytrace=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        pytest.fail(f"scripts/pg-start failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}", pytrace=False)
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The URL of a database on a running server."""
    url = os.environ.get("DESIGNER_TEST_PG_URL") or _start_server()
    try:
        with psycopg.connect(url, connect_timeout=20) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        pytest.fail(f"PostgreSQL at {url} is not reachable: {error}", pytrace=False)
    return url


def with_schema(url: str, schema: str) -> str:
    """The URL with `search_path` set, so unqualified CREATE TABLE and SELECT land in `schema`."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def new_pg_url(pg_server):
    """A factory of URLs, each onto a fresh empty schema; all dropped at the end of the session."""
    made: list[str] = []

    def make() -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        made.append(schema)
        return with_schema(pg_server, schema)

    yield make
    with psycopg.connect(pg_server, autocommit=True) as conn:
        for schema in made:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_url(new_pg_url) -> str:
    return new_pg_url()


@dataclass(frozen=True)
class Exported:
    design: Design
    targets: dict[str, Target]  # format -> where it went
    expected: dict[str, pl.DataFrame]  # entity -> pipeline.generate()


@pytest.fixture(scope="session")
def shop(tmp_path_factory, new_pg_url) -> Exported:
    """The ecommerce preset (300 users, 50 products) exported once to every format."""
    design = presets.load(ECOMMERCE)
    directory = tmp_path_factory.mktemp("shop")
    targets = {
        fmt: export(design, fmt, location(fmt, directory, new_pg_url() if fmt == "postgres" else None), rows=SMALL)
        for fmt in FORMATS
    }
    return Exported(design, targets, generated(design, rows=SMALL))
