"""The TUI sets a composite primary key (typed as a TOML list) and a reference's distinct (a choice)."""

from __future__ import annotations

from textual.widgets import Input, Select

from .helpers import ecommerce_copy, open_app, select, settle


async def test_a_line_item_table_gets_a_composite_key_in_the_forms(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await select(pilot, "order_items", None)
        key = app.query_one("#opt-primary_key", Input)
        key.value = '["order_id", "product_id"]'  # refused: product_id may repeat within an order
        await settle(pilot)
        assert app.design.entities["order_items"].primary_key is None
        assert 'add distinct = "per_parent" to product_id' in str(app.query_one("#error-primary_key").render())

        await select(pilot, "order_items", "product_id")
        distinct = app.query_one("#opt-distinct", Select)
        distinct.value = "per_parent"
        await settle(pilot)
        assert app.design.entities["order_items"].fields["product_id"].distinct == "per_parent"

        await select(pilot, "order_items", None)
        app.query_one("#opt-primary_key", Input).value = '["order_id", "product_id"]'
        await settle(pilot)
        entity = app.design.entities["order_items"]
        assert entity.primary_key == ["order_id", "product_id"] and entity.composite_key == ("order_id", "product_id")

        app.query_one("#opt-unique", Input).value = '[["product_id", "order_id"]]'
        await settle(pilot)
        assert app.design.entities["order_items"].unique == [["product_id", "order_id"]]
