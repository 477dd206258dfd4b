"""dirty_customers.toml: the dirt it promises is there at its rates, every dirty cell's clean value
is the clean export's (the same preset with its dirt taken out), the orders of deleted customers
point at no row (sqlite3's LEFT JOIN), and SQLite refuses it unless constraints are off."""

from __future__ import annotations

import re
import sqlite3

import polars as pl
import pytest
from scipy.stats import binom

from ..conftest import PRESETS
from .helpers import cli

TEXT = (PRESETS / "dirty_customers.toml").read_text()


def _clean_text() -> str:
    text = re.sub(r", dirty = \{[^}]*\}", "", TEXT)
    return re.sub(r"\[entities\.\w+\.dirty\]\n(?:[^\[\n][^\n]*\n)*", "", text)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    where = tmp_path_factory.mktemp("dirty")
    (where / "clean.toml").write_text(_clean_text())
    cli(
        "export",
        str(PRESETS / "dirty_customers.toml"),
        "-o",
        str(where / "d.sqlite"),
        "--no-constraints",
        "--dirt-report",
        str(where / "r.csv"),
        "--quiet",
    )
    cli("export", str(where / "clean.toml"), "-o", f"{where / 'clean'}/", "--format", "csv", "--quiet")
    return where


def test_the_clean_preset_has_no_dirt_left():
    from designer import presets

    design, dirty = presets.loads(_clean_text()), presets.loads(TEXT)
    assert all(e.dirty is None and all(f.dirty is None for f in e.fields.values()) for e in design.entities.values())
    assert list(design.entities["customers"].fields) == list(dirty.entities["customers"].fields)


def test_every_kind_it_names_is_there_at_its_rate(exported):
    report = pl.read_csv(exported / "r.csv", infer_schema=False)
    customers = 2000
    for column, kind, rate in [("name", "typo", 0.03), ("born", "mixed_formats", 0.05), ("email", "placeholder", 0.01)]:
        found = report.filter((pl.col("table") == "customers") & (pl.col("column") == column) & (pl.col("kind") == kind)).height
        assert binom.ppf(0.0005, customers, rate) <= found <= binom.ppf(0.9995, customers, rate), (column, kind, found)
    assert set(report["kind"]) >= {
        "typo",
        "case",
        "whitespace",
        "mojibake",
        "homoglyph",
        "separators",
        "tz_drift",
        "orphan",
        "duplicate",
        "near_duplicate",
    }


def test_dirty_cells_hold_the_clean_values_of_the_clean_export(exported):
    report = pl.read_csv(exported / "r.csv", infer_schema=False).with_columns(pl.col("row").cast(pl.Int64))
    db = sqlite3.connect(exported / "d.sqlite")
    for table in ("customers", "orders"):
        clean = pl.read_csv(exported / "clean" / f"{table}.csv", infer_schema=False)
        mine = report.filter(pl.col("table") == table)
        copies = set(mine.filter(pl.col("kind").is_in(["duplicate", "near_duplicate"]))["row"])
        written = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        original = [r for r in range(written) if r not in copies]  # the rows that copy none
        assert len(original) == clean.height
        at = {row: i for i, row in enumerate(original)}
        cells = mine.filter(pl.col("column").is_not_null() & ~pl.col("row").is_in(list(copies)))
        for row, column, was in cells.select("row", "column", "clean").iter_rows():
            assert clean[column][at[row]] == was, (table, row, column)


def test_orders_of_deleted_customers_point_at_no_row(exported):
    report = pl.read_csv(exported / "r.csv", infer_schema=False)
    db = sqlite3.connect(exported / "d.sqlite")
    lost = db.execute(
        "SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL"
    ).fetchone()[0]
    orphans = report.filter(pl.col("kind") == "orphan").height
    copied = report.filter((pl.col("table") == "orders") & (pl.col("kind") == "duplicate") & pl.col("column").is_null())
    # an order loaded twice is an orphan twice: its copy carries its dirt
    assert lost == orphans > 0
    assert copied.height > 0


def test_sqlite_refuses_it_unless_constraints_are_off(tmp_path):
    from ..writers.helpers import invoke

    result = invoke("export", str(PRESETS / "dirty_customers.toml"), "-o", str(tmp_path / "x.sqlite"), "--quiet")
    assert result.returncode == 2 and "entities.customers.dirty.near_duplicates" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()
