"""The main journeys through the TUI, driven with Pilot against the real engine."""

from __future__ import annotations

import polars as pl
from textual.widgets import Input, Select

from designer import pipeline, presets
from designer.ui.screens.export import ExportDialog
from designer.ui.widgets.entity_tree import Selection
from designer.ui.widgets.preview import PreviewTable
from designer.ui.widgets.stats_panel import StatsPanel

from .helpers import ecommerce_copy, open_app, select, settle

SIZE = (160, 48)


def preview_cell(app, row: int, column: str):
    table = app.query_one(PreviewTable)
    return table.get_cell_at((row, list(table.columns).index(column)))


async def test_open_ecommerce_shows_the_rows_an_export_writes(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "email")
        expected = pipeline.preview(presets.load(path), "users", 5)["users"]
        table = app.query_one(PreviewTable)
        assert table.row_count == 50
        for row in range(5):
            assert str(preview_cell(app, row, "email")) == expected["email"][row]
        assert "Statistics · email" in app.query_one(StatsPanel).border_title


async def test_changing_a_mean_moves_the_statistics(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "age")
        before = app.design.entities["users"].fields["age"]
        mean_before = app.query_one(StatsPanel).current.numbers["mean"]
        assert 33 < mean_before < 40
        mean_input = app.query_one("#opt-mean", Input)
        mean_input.value = "70"
        await settle(pilot)
        assert app.design.entities["users"].fields["age"].mean == 70 and before.mean == 35
        mean_after = app.query_one(StatsPanel).current.numbers["mean"]
        assert mean_after > 60  # the histogram moved with the new mean
        ages = [int(str(preview_cell(app, r, "age"))) for r in range(50)]
        assert sum(ages) / len(ages) > 60  # the preview follows the new mean
        assert "●" in app.title  # unsaved mark


async def test_invalid_edit_is_shown_next_to_its_input_and_not_applied(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "age")
        design = app.design
        app.query_one("#opt-min", Input).value = "95"
        await settle(pilot)
        error = app.query_one("#error-min")
        assert "min (95) > max (90)" in str(error.render())
        assert app.design is design  # nothing applied, nothing to save
        app.query_one("#opt-min", Input).value = "18"
        await settle(pilot)
        assert str(error.render()) == ""


async def test_a_faker_fields_args_are_applied_or_refused_next_to_their_input(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "products", "name")
        app.query_one("#opt-provider", Input).value = "bothify"
        await settle(pilot)
        args = app.query_one("#opt-args", Input)
        args.value = '{ text = "PRD-??-####", letters = "ABC" }'
        await settle(pilot)
        assert app.design.entities["products"].fields["name"].args == {"text": "PRD-??-####", "letters": "ABC"}
        names = [str(preview_cell(app, r, "name")) for r in range(50)]
        assert all(len(n) == 11 and n.startswith("PRD-") and set(n[4:6]) <= set("ABC") for n in names), names[:3]
        design = app.design
        args.value = '{ txt = "PRD-##" }'
        await settle(pilot)
        error = app.query_one("#error-args")
        assert 'bothify takes no argument "txt"; did you mean "text"?' in str(error.render())
        assert app.design is design  # refused: the preview and the file keep the last good design
        args.value = '{ text = "##" }'
        await settle(pilot)
        assert str(error.render()) == "" and app.design.entities["products"].fields["name"].args == {"text": "##"}


async def test_add_entity_fields_and_a_reference_then_save_and_reload(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one(Input).value = "reviews"
        await pilot.press("enter")
        await settle(pilot)
        assert "reviews" in app.design.entities and app.selection == Selection("reviews")
        for name, kind in (("rating", "uniform"), ("product_id", "reference"), ("posted_at", "datetime")):
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one(Input).value = name
            await pilot.press("enter")
            await settle(pilot)
            assert app.selection == Selection("reviews", name)
            app.query_one("#opt-kind", Select).value = kind
            await settle(pilot)
            assert app.design.entities["reviews"].fields[name].kind == kind
        await select(pilot, "reviews", "product_id")
        app.query_one("#opt-entity", Select).value = "products"
        await settle(pilot)
        assert app.design.entities["reviews"].fields["product_id"].entity == "products"
        frame = app.query_one(PreviewTable)
        assert "product_id" in [str(c.label).split()[0] for c in frame.columns.values()]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "●" not in app.title
    reloaded = presets.load(path)
    assert reloaded == app.design
    assert "# orders per user" in path.read_text()  # the hand-written comments survive


async def test_variants_weights_and_overrides_are_edited_and_saved(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", None, "suspended")
        weight = app.query_one("#opt-weight", Input)
        assert weight.value == "0.05"
        weight.value = "0.4"
        await settle(pilot)
        assert app.design.entities["users"].variants["suspended"].weight == 0.4
        suspended = pipeline.sample(app.design, "users").frame["suspended_at"].is_not_null().mean()
        assert 0.33 < suspended < 0.47  # the preview's rows follow the new share

        await select(pilot, "users", "is_active", "suspended")  # an override is edited in place
        assert "in variant suspended" in str(app.query_one("#inspector-title").render())

        await pilot.press("v")  # a new variant of users, then an override of an existing field
        await pilot.pause()
        app.screen.query_one(Input).value = "vip"
        await pilot.press("enter")
        await settle(pilot)
        assert app.selection == Selection("users", None, "vip")
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "role"
        await pilot.press("enter")
        await settle(pilot)
        assert app.selection == Selection("users", "role", "vip")
        vip = app.design.entities["users"].variants["vip"]
        assert vip.weight == 0.1 and vip.fields["role"] == app.design.entities["users"].fields["role"]
        app.query_one("#opt-kind", Select).value = "const"
        await settle(pilot)
        app.query_one("#opt-value", Input).value = '"vip"'
        await settle(pilot)
        assert app.design.entities["users"].variants["vip"].fields["role"].value == "vip"
        roles = pipeline.sample(app.design, "users").frame["role"]
        assert 0.05 < (roles == "vip").mean() < 0.15 and app.design.entities["users"].fields["role"].kind == "choice"

        await pilot.press("ctrl+s")
        await settle(pilot)
    reloaded = presets.load(path)
    assert reloaded == app.design
    assert "# a trait: 5% of users take these overrides" in path.read_text()


async def test_cancel_an_export_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-target", Input).value = str(tmp_path / "big.sqlite")
        dialog.query_one("#export-rows", Input).value = "400000"
        await pilot.click("#export-start")
        await pilot.pause(0.5)
        await pilot.click("#export-cancel")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
    assert not (tmp_path / "big.sqlite").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["ecommerce.toml"]


async def test_cancel_while_the_keys_are_built_leaves_nothing(tmp_path, monkeypatch):
    """Once every row is handed over the dialog says it is finishing (a unique index of 1.5M codes
    takes about 1.5 s to build); Cancel then interrupts the build instead of waiting for it."""
    import time

    from ..writers.test_nothing_lost import BIG_UNIQUE

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "codes.toml"
    path.write_text(BIG_UNIQUE)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-target", Input).value = str(tmp_path / "codes.sqlite")
        await pilot.click("#export-start")
        deadline = time.monotonic() + 60
        while not dialog.query("#export-finishing"):
            assert time.monotonic() < deadline and dialog.running, "no finishing phase"
            await pilot.pause(0.02)
        await pilot.press("escape")  # Cancel's key: a click waits for the screen to settle, which may be after the end
        asked = time.monotonic()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert time.monotonic() - asked < 3.0
        assert not isinstance(app.screen, ExportDialog)
    assert [p.name for p in tmp_path.iterdir()] == ["codes.toml"]


async def test_export_from_the_tui_writes_what_the_cli_writes(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    target = tmp_path / "shop.sqlite"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-target", Input).value = str(target)
        app.screen.query_one("#export-rows", Input).value = "50"
        await pilot.click("#export-start")
        await app.workers.wait_for_complete()
        await pilot.pause()
    import sqlite3

    with sqlite3.connect(target) as db:
        users = pl.read_database("SELECT * FROM users", db)
    assert users.height == 50
