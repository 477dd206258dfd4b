"""The inspector edits an entity's `table` and a field's `column` (the names an export writes):
typed as plain text, refused next to the input when not a name or taken, saved with the preset."""

from __future__ import annotations

from designer import presets

from .helpers import ecommerce_copy, open_app, select, settle
from .test_editing import SIZE, type_into


async def test_table_and_column_are_edited_in_the_inspector_and_saved(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users")
        await type_into(pilot, "#opt-table", "AppUser")
        assert app.design.entities["users"].table == "AppUser"
        await type_into(pilot, "#opt-table", "Orders")  # another entity writes orders: taken, without case
        assert "would both write table Orders" in str(app.query_one("#error-table").render())
        assert app.design.entities["users"].table == "Order"  # the last good value on the way stays
        await type_into(pilot, "#opt-table", "AppUser")
        await select(pilot, "users", "email")
        await type_into(pilot, "#opt-column", "Mail-Box")
        assert "is not a name" in str(app.query_one("#error-column").render())
        await type_into(pilot, "#opt-column", "EMail")
        assert app.design.entities["users"].fields["email"].column == "EMail"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = presets.load(path)
    assert saved.entities["users"].table == "AppUser" and saved.entities["users"].fields["email"].column == "EMail"
