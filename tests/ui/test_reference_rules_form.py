"""The reference form offers not_equal (the row's references and lookups) and weight (numeric fields
of the target), and a refused pair is shown at its option, not applied."""

from __future__ import annotations

from textual.widgets import Select

from .helpers import ecommerce_copy, open_app, select, settle

SIZE = (160, 60)


def _options(select_widget: Select) -> list[str]:
    return [value for _, value in select_widget._options if value is not Select.NULL]


async def test_the_reference_form_offers_not_equal_and_weight(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "order_items", "product_id")
        assert _options(app.query_one("#opt-weight", Select)) == ["price", "stock"]
        assert _options(app.query_one("#opt-not_equal", Select)) == ["product_id", "unit_price"]
        app.query_one("#opt-weight", Select).value = "stock"
        await settle(pilot)
        # product_id is zipf: the pair is refused at weight and the design keeps no weight
        assert "cannot go together" in str(app.query_one("#error-weight").render())
        assert app.design.entities["order_items"].fields["product_id"].weight is None
