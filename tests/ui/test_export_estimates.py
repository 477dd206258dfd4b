"""The export dialog's estimates (designer/estimate.py): the rows it says are the rows a real export
writes (counted by sqlite3), and the size it measured is the size of the file written (within 20%)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from textual.widgets import Input, Label, Select

from designer import presets

from .helpers import ecommerce_copy, open_app, settle

pytestmark = pytest.mark.tui
SIZE = (160, 48)
_UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def _shown(app, id: str) -> str:
    return str(app.screen.query_one(id, Label).render())


async def test_the_export_dialog_shows_the_rows_size_and_time_the_export_will_have(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-rows", Input).value = "300"
        await settle(pilot)
        rows_line = _shown(app, "#export-rows-expected")
        measured = _shown(app, "#export-measured")
        app.screen.query_one("#export-target", Input).value = str(tmp_path / "out.sqlite")
        await pilot.press("enter")
        await settle(pilot)
    said = {name: int(n.replace(",", "")) for name, n in re.findall(r"(\w+) ([\d,]+)", rows_line.removeprefix("rows: "))}
    db = sqlite3.connect(tmp_path / "out.sqlite")
    design = presets.load(path)
    counted = {e: db.execute(f'SELECT count(*) FROM "{design.table_of(e)}"').fetchone()[0] for e in design.entities}
    assert said == counted and said["users"] == 300
    match = re.fullmatch(r"sqlite: about ([\d.]+) (\w+) and [\d.]+ s on this machine", measured)
    assert match, measured
    size = float(match[1]) * _UNITS[match[2]]
    actual = (tmp_path / "out.sqlite").stat().st_size
    assert abs(size - actual) <= 0.2 * actual, (size, actual)


async def test_the_measured_size_follows_the_format(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-format", Select).value = "postgres"
        await settle(pilot)
        assert _shown(app, "#export-measured") == "postgres: size and time are not measured for a database server"
        app.screen.query_one("#export-format", Select).value = "csv"
        await settle(pilot)
        assert _shown(app, "#export-measured").startswith("csv: about ")
        app.screen.query_one("#export-rows", Input).value = "x"
        await settle(pilot)
        assert _shown(app, "#export-rows-expected") == "rows: give a whole number, not 'x'"


async def test_the_dialog_exports_to_duckdb(tmp_path):
    import duckdb

    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-format", Select).value = "duckdb"
        await settle(pilot)
        app.screen.query_one("#export-rows", Input).value = "50"
        app.screen.query_one("#export-target", Input).value = str(tmp_path / "out.duckdb")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    with duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM users").fetchall() == [(50,)]
