"""The TUI sets a composite primary key and unique tuples by ticking fields, and a reference's distinct (a choice)."""

from __future__ import annotations

from textual.widgets import Button, Select, SelectionList, Static

from designer import presets

from .helpers import ecommerce_copy, open_app, select, settle


def _tick(app, list_id: str, *names: str) -> None:
    picker = app.query_one(f"#{list_id}", SelectionList)
    for name in names:
        picker.toggle(name)


async def test_a_line_item_table_gets_a_composite_key_in_the_forms(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=(160, 50)) as pilot:
        await select(pilot, "order_items", None)
        _tick(app, "keys-primary", "order_id")
        await settle(pilot)
        assert app.design.entities["order_items"].primary_key == "order_id"
        _tick(app, "keys-primary", "product_id")  # refused: product_id may repeat within an order
        await settle(pilot)
        assert app.design.entities["order_items"].composite_key is None
        assert 'add distinct = "per_parent" to product_id' in str(app.query_one("#error-keys").render())

        await select(pilot, "order_items", "product_id")
        distinct = app.query_one("#opt-distinct", Select)
        distinct.value = "per_parent"
        await settle(pilot)
        assert app.design.entities["order_items"].fields["product_id"].distinct == "per_parent"

        await select(pilot, "order_items", None)
        assert list(app.query_one("#keys-primary", SelectionList).selected) == ["order_id"]  # as in force
        _tick(app, "keys-primary", "product_id")  # after order_id: the key's column order
        await settle(pilot)
        entity = app.design.entities["order_items"]
        assert entity.primary_key == ["order_id", "product_id"] and entity.composite_key == ("order_id", "product_id")

        app.query_one("#keys-add-unique", Button).press()
        await settle(pilot)
        _tick(app, "keys-unique-0", "product_id")
        await settle(pilot)
        assert app.design.entities["order_items"].unique == []  # one field is no tuple yet: it waits
        assert "tick a second field" in str(app.query_one("#error-keys").render())
        _tick(app, "keys-unique-0", "order_id")
        await settle(pilot)
        assert app.design.entities["order_items"].unique == [["product_id", "order_id"]]
        assert not app.query_one("#error-keys", Static).has_class("shown")

        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = presets.load(path).entities["order_items"]
        assert saved.primary_key == ["order_id", "product_id"] and saved.unique == [["product_id", "order_id"]]

        _tick(app, "keys-unique-0", "product_id", "order_id")  # untick all: the tuple goes
        await settle(pilot)
        assert app.design.entities["order_items"].unique == []
        _tick(app, "keys-primary", "order_id", "product_id")  # none ticked: the implied key again
        await settle(pilot)
        assert app.design.entities["order_items"].primary_key is None


async def test_a_saved_key_order_is_kept_when_a_field_is_added_to_it(tmp_path):
    path = ecommerce_copy(tmp_path)
    text = path.read_text().replace(
        "[entities.order_items]\n", '[entities.order_items]\nprimary_key = ["product_id", "order_id"]\n'
    )
    text = text.replace(
        'distribution = "zipf", exponent = 1.2 }\nunit_price',
        'distribution = "zipf", exponent = 1.2, distinct = "per_parent" }\nunit_price',
    )
    path.write_text(text)
    app = open_app(path)
    async with app.run_test(size=(160, 50)) as pilot:
        await select(pilot, "order_items", None)
        picker = app.query_one("#keys-primary", SelectionList)
        assert sorted(picker.selected) == ["order_id", "product_id"]
        _tick(app, "keys-primary", "quantity")
        await settle(pilot)
        assert app.design.entities["order_items"].primary_key == ["product_id", "order_id", "quantity"]


async def test_the_key_list_scrolls_into_sight_when_focused_on_a_short_screen(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:  # short: the keys are below the fold
        await select(pilot, "order_items", None)
        app.query_one("#keys-primary", SelectionList).focus()
        await settle(pilot)
        assert app.query_one("Inspector").region.contains_region(app.focused.region)
        await pilot.press("space")  # ticks the field under the cursor: the first, order_id
        await settle(pilot)
        assert app.design.entities["order_items"].primary_key == "order_id"
