"""An entity's dirt: duplicates and near duplicates (checked against the rows they copy, read back
by sqlite3 and polars' CSV reader), orphans (a LEFT JOIN finds no parent), shuffled rows (the same
rows, another order), and the databases' refusals of dirt that breaks a declared constraint."""

from __future__ import annotations

import sqlite3
import uuid

import polars as pl
import psycopg
import pytest
from scipy.stats import binom

from ..writers.conftest import pg_server, with_schema  # noqa: F401  # pg_server is a fixture
from ..writers.helpers import invoke

USERS = 20_000

PRESET = """
[design]
name = "d"
seed = 3
[entities.users]
rows = {users}
fields.id = {{ kind = "sequence" }}
fields.name = {{ kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe", "Maria Keller"] }}
[entities.orders]
parent = {{ entity = "users", count = {{ kind = "const", value = 1 }} }}
fields.user_id = {{ kind = "parent", field = "id" }}
fields.note = {{ kind = "const", value = "hello world" }}
{dirt}
"""


def _csv(write_preset, tmp_path, dirt: str, name: str, *args: str):
    preset = write_preset(PRESET.format(users=USERS, dirt=dirt), f"{name}.toml")
    out, report = tmp_path / name, tmp_path / f"{name}.report.csv"
    result = invoke("export", str(preset), "-o", f"{out}/", "--format", "csv", "--dirt-report", str(report), "--quiet", *args)
    assert result.returncode == 0, result.stderr
    return pl.read_csv(out / "orders.csv"), pl.read_csv(report)


def test_duplicates_copy_rows_at_their_rate(write_preset, tmp_path):
    clean, _ = _csv(write_preset, tmp_path, "", "clean")
    orders, report = _csv(write_preset, tmp_path, "[entities.orders.dirty]\nduplicates = 0.05\nnear_duplicates = 0.03", "dup")
    copies = report.filter(pl.col("kind") == "duplicate")
    near = report.filter(pl.col("kind") == "near_duplicate")
    assert binom.ppf(0.0005, USERS, 0.05) <= copies.height <= binom.ppf(0.9995, USERS, 0.05)
    assert binom.ppf(0.0005, USERS, 0.03) <= near.height <= binom.ppf(0.9995, USERS, 0.03)
    assert orders.height == USERS + copies.height + near.height
    # each copy follows the row it copies: the others are the clean rows, in their order
    originals = sorted(set(range(orders.height)) - set(copies["row"]) - set(near["row"]))
    assert orders[originals].equals(clean)
    for row, source in copies.select("row", "copy_of").iter_rows():
        assert orders.row(row) == orders.row(source)
    for row, source, column, was, now in near.select("row", "copy_of", "column", "clean", "dirty").iter_rows():
        assert column == "note" and was == orders[column][source] and now == orders[column][row] != was
        assert orders.drop(column).row(row) == orders.drop(column).row(source)


def test_shuffled_rows_are_the_same_rows_in_another_order(write_preset, tmp_path):
    clean, _ = _csv(write_preset, tmp_path, "", "clean")
    shuffled, report = _csv(write_preset, tmp_path, "[entities.orders.dirty]\nshuffle = true", "shuffled")
    assert not shuffled.equals(clean)
    assert shuffled.sort(pl.all()).equals(clean.sort(pl.all()))
    assert report.height == 0


def test_shuffle_moves_the_labels_with_their_rows(write_preset, tmp_path):
    dirt = "[entities.orders.dirty]\nshuffle = true\nduplicates = 0.02\norphans = { user_id = 0.05 }"
    orders, report = _csv(write_preset, tmp_path, dirt, "moved")
    orphans = report.filter(pl.col("kind") == "orphan")
    assert orphans.height > 0
    for row, value in orphans.select("row", "dirty").iter_rows():
        assert orders["user_id"][row] == int(value)
    for row, source in report.filter(pl.col("kind") == "duplicate").select("row", "copy_of").iter_rows():
        assert orders.row(row) == orders.row(source)


def _sqlite(write_preset, tmp_path, dirt: str, *args: str):
    preset = write_preset(PRESET.format(users=300, dirt=dirt))
    db = tmp_path / "x.sqlite"
    return preset, db, invoke("export", str(preset), "-o", str(db), "--quiet", *args)


def test_orphans_point_at_no_row(write_preset, tmp_path):
    _, db, result = _sqlite(
        write_preset,
        tmp_path,
        "[entities.orders.dirty]\norphans = { user_id = 0.1 }",
        "--no-constraints",
        "--dirt-report",
        str(tmp_path / "r.csv"),
    )
    assert result.returncode == 0, result.stderr
    report = pl.read_csv(tmp_path / "r.csv")
    conn = sqlite3.connect(db)
    lost = conn.execute("SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL").fetchone()[0]
    assert lost == report.filter(pl.col("kind") == "orphan").height > 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%REFERENCES%'").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("dirt", "said"),
    [
        (
            "[entities.orders.dirty]\norphans = { user_id = 0.1 }",
            "entities.orders.dirty.orphans.user_id: orphans break the foreign key to users.id, which sqlite enforces;"
            " pass --no-constraints to load it without them",
        ),
        (
            "[entities.users.dirty]\nduplicates = 0.1",
            "entities.users.dirty.duplicates: copied rows repeat the key or unique columns of users, which sqlite enforces",
        ),
        (
            '[entities.users.fields.id]\nkind = "sequence"\ndirty = { sign = 0.1 }',
            "entities.users.fields.id.dirty: dirty values break the primary key, which sqlite enforces",
        ),
    ],
)
def test_sqlite_refuses_dirt_that_breaks_a_constraint(dirt, said, write_preset, tmp_path):
    text = PRESET.format(users=300, dirt=dirt)
    if "fields.id]" in dirt:
        text = text.replace('fields.id = { kind = "sequence" }\n', "")
    preset = write_preset(text)
    db = tmp_path / "x.sqlite"
    result = invoke("export", str(preset), "-o", str(db), "--quiet")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{preset}: {said}"), result.stderr
    assert not db.exists()
    again = invoke("export", str(preset), "-o", str(db), "--quiet", "--no-constraints")
    assert again.returncode == 0, again.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM users").fetchone()[0] >= 300


def test_nulls_on_purpose_make_the_column_nullable_and_load(write_preset, tmp_path):
    _, db, result = _sqlite(write_preset, tmp_path, "", "--dirt-report", str(tmp_path / "r.csv"))
    assert result.returncode == 0
    preset = write_preset(
        PRESET.format(users=300, dirt="").replace('"Maria Keller"] }', '"Maria Keller"], dirty = { nulls = 0.2 } }')
    )
    result = invoke("export", str(preset), "-o", str(tmp_path / "n.sqlite"), "--quiet")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(tmp_path / "n.sqlite")
    assert conn.execute("SELECT count(*) FROM users WHERE name IS NULL").fetchone()[0] > 0


@pytest.fixture
def dirty_pg(pg_server):  # noqa: F811
    """A schema of our own on the shared server, named dirty_*, dropped after the test."""
    schema = f"dirty_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield with_schema(pg_server, schema)
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_postgres_refuses_duplicate_keys_unless_constraints_are_off(dirty_pg, write_preset, tmp_path):
    preset = write_preset(PRESET.format(users=300, dirt="[entities.users.dirty]\nduplicates = 0.1"))
    result = invoke("export", str(preset), "-o", dirty_pg, "--quiet")
    assert result.returncode == 2
    assert "entities.users.dirty.duplicates: copied rows repeat the key or unique columns of users, which postgres enforces" in (
        result.stderr
    )
    assert result.stderr.count("\n") == 1
    with psycopg.connect(dirty_pg) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0] == 0
    result = invoke(
        "export", str(preset), "-o", dirty_pg, "--quiet", "--no-constraints", "--dirt-report", str(tmp_path / "r.csv")
    )
    assert result.returncode == 0, result.stderr
    copies = pl.read_csv(tmp_path / "r.csv").filter(pl.col("table") == "users").height
    with psycopg.connect(dirty_pg) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM users").fetchone()
        keys = conn.execute("SELECT count(*) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace").fetchone()
    assert (total, distinct) == (300 + copies, 300) and copies > 0
    assert keys == (0,)


def test_fewer_rows_give_the_first_rows_with_the_same_dirt(write_preset):
    """A row's dirt is drawn from its own numbers and a copy follows its row: `--rows 1000` writes
    the first rows `--rows 20000` writes (shuffle aside)."""
    import designer

    text = PRESET.format(
        users=USERS, dirt="[entities.orders.dirty]\nduplicates = 0.05\nnear_duplicates = 0.05\norphans = { user_id = 0.05 }"
    )
    text = text.replace('"Maria Keller"] }', '"Maria Keller"], dirty = { typo = 0.1, case = 0.05, placeholder = 0.02 } }')
    data = designer.loads(text)
    for entity in ("users", "orders"):
        big = data.generate(entity)
        small = data.generate(entity, rows={"users": 1000})
        assert small.height > 1000 if entity == "orders" else small.height == 1000
        assert big.head(small.height).equals(small), entity


def test_saving_keeps_the_dirt():
    """A design saved (the TUI's save) and read again has the same dirt, field and entity."""
    from designer import presets

    text = PRESET.format(users=10, dirt="[entities.orders.dirty]\nduplicates = 0.05\norphans = { user_id = 0.05 }")
    text = "format = 1\n" + text.replace('"Maria Keller"] }', '"Maria Keller"], dirty = { typo = 0.1 } }')
    design = presets.loads(text)
    assert presets.loads(presets.dumps(design)) == design
    assert presets.dumps(design, text) == text
    assert design.entities["orders"].dirty.orphans == {"user_id": 0.05}


@pytest.mark.parametrize("users", [1, 2, 5, 40, 200])
def test_near_duplicates_where_a_column_takes_no_edit(users):
    """A text column whose picked cells take no edit (empty text has no typo) left an empty frame
    of edits that polars could not stack (a crash once)."""
    import designer

    text = PRESET.format(users=users, dirt="[entities.users.dirty]\nnear_duplicates = 0.3")
    text = text.replace(
        'fields.id = { kind = "sequence" }\n',
        'fields.id = { kind = "sequence" }\nfields.a = { kind = "const", value = "" }\nfields.b = { kind = "const", value = "yz" }\n',
        1,
    )
    frame = designer.loads(text).generate("users")
    assert users <= frame.height <= 2 * users
