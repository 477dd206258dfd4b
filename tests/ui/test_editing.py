"""The editing model: keys typed in an input stay there, refused values are never applied or saved,
every edit is one undoable step, renames carry references, new fields start from their names."""

from __future__ import annotations

from faker import Faker
from textual.widgets import Input, Select

from designer import presets
from designer.ui.screens.naming import NameDialog
from designer.ui.widgets.entity_tree import EntityTree, Selection
from designer.ui.widgets.preview import PreviewTable

from .helpers import ecommerce_copy, open_app, select, settle

SIZE = (160, 48)


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def type_into(pilot, widget_id: str, text: str, *, clear: bool = True) -> Input:
    field = pilot.app.query_one(widget_id, Input)
    field.focus()
    await pilot.pause()
    if clear:
        await pilot.press("end", *["backspace"] * len(field.value))
    await pilot.press(*text)
    await settle(pilot)
    return field


async def test_typing_in_an_input_never_runs_tree_commands_nor_moves_focus(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "email")
        fields = list(app.design.entities["users"].fields)
        typed = "{first_name}.x.{last_name}@dreaded-keys.example"  # a, d, e, r, x, v: each a tree command
        field = await type_into(pilot, "#opt-template", typed)
        assert app.focused is field and len(app.screen_stack) == 1  # no dialog opened
        assert app.design.entities["users"].fields["email"].template == typed
        assert list(app.design.entities["users"].fields) == fields  # nothing added or deleted
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert presets.load(path).entities["users"].fields["email"].template == typed


async def test_a_refused_value_is_not_applied_and_save_refuses_until_it_is_fixed(tmp_path):
    path = ecommerce_copy(tmp_path)
    original = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "age")
        await type_into(pilot, "#opt-min", "95")  # 9 is a good value on the way; 95 > max 90 is not
        assert "min (95) > max (90)" in str(app.query_one("#error-min").render())
        assert app.design.entities["users"].fields["age"].min == 9  # the last good value stays in force
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert path.read_bytes() == original and "●" in app.title
        assert any("min holds a value that is not applied" in n for n in notes(app))
        await type_into(pilot, "#opt-min", "30")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert presets.load(path).entities["users"].fields["age"].min == 30


async def test_choosing_a_kind_keeps_focus_and_escape_goes_back_to_the_tree(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.selection == Selection("users")  # on open: the first entity, its rows shown
        assert app.query_one(PreviewTable).row_count == 50
        await select(pilot, "users", "phone")
        kind = app.query_one("#opt-kind", Select)
        kind.focus()
        await pilot.press("enter")  # open the list, walk to "sequence", take it
        await pilot.pause()
        await pilot.press("up", "up", "enter")  # from faker: uuid, then sequence
        await settle(pilot)
        assert app.design.entities["users"].fields["phone"].kind == "sequence"
        assert app.focused is app.query_one("#opt-kind", Select)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, EntityTree)


async def test_undo_and_redo_across_add_delete_rename_and_edit(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        first = app.design
        await select(pilot, "users", "phone")
        await pilot.press("x")  # delete, at once: undoable
        await settle(pilot)
        assert "phone" not in app.design.entities["users"].fields
        assert any("ctrl+z" in n for n in notes(app))
        after_delete = app.design
        await select(pilot, "users", "first_name")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "given_name"
        await pilot.press("enter")
        await settle(pilot)
        assert app.design.entities["users"].fields["email"].template.startswith("{given_name}")
        after_rename = app.design
        await type_into(pilot, "#opt-provider", "name")  # one step however many keys
        after_edit = app.design
        await pilot.press("escape", "a")
        await pilot.pause()
        app.screen.query_one(Input).value = "city"
        await pilot.press("enter")
        await settle(pilot)
        assert app.design.entities["users"].fields["city"].provider == "city"
        for expected, note in (
            (after_edit, "add field users.city"),
            (after_rename, "edit users.given_name: provider"),
            (after_delete, "rename field users.first_name to given_name"),
            (first, "delete field users.phone"),
        ):
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert app.design == expected and notes(app)[-1] == f"Undo: {note}"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.design == first and notes(app)[-1] == "Nothing to undo."
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(pilot)
        assert app.design == after_rename and notes(app)[-1] == "Redo: rename field users.first_name to given_name"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = presets.load(path)
    assert saved == after_rename and "phone" not in saved.entities["users"].fields


async def test_rename_refuses_a_taken_or_bad_name_in_the_dialog(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        design = app.design
        await select(pilot, "users", "first_name")
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NameDialog)
        for bad, reason in (("last_name", "already"), ("Bad-Name", "not a name"), ("../outside", "not a name")):
            dialog.query_one(Input).value = bad
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog and reason in str(dialog.query_one("#prompt-error").render())
        await pilot.press("escape")
        await select(pilot, "products", None)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "users"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one(Input).value = "goods"
        await pilot.press("enter")
        await settle(pilot)
        assert list(app.design.entities) == ["users", "goods", "orders", "order_items"]
        assert app.design.entities["order_items"].fields["product_id"].entity == "goods"
        assert design.entities["users"] == app.design.entities["users"]


async def test_a_new_fields_provider_is_guessed_from_its_name(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "products", None)
        for name in ("first_name", "email", "city", "phone_number", "company", "created_at", "ship_date"):
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one(Input).value = name
            await pilot.press("enter")
            await settle(pilot)
        fields = app.design.entities["products"].fields
        assert [fields[n].kind for n in ("created_at", "ship_date")] == ["datetime", "date"]
        faker = Faker("en_US")
        for name in ("first_name", "email", "city", "phone_number", "company"):
            assert fields[name].provider == name and callable(getattr(faker, name))
        from faker.providers.person.en_US import Provider as Person

        await select(pilot, "products", "first_name")
        table = app.query_one(PreviewTable)
        column = list(table.columns).index("first_name")
        names = {str(table.get_cell_at((r, column))) for r in range(table.row_count)}
        assert names <= set(Person.first_names)  # Faker's own list is the oracle


async def test_the_palette_has_every_action_once_and_goes_to_a_field(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        for title in (
            "Add field",
            "Add entity",
            "Add variant",
            "Delete",
            "Rename",
            "Duplicate",
            "Move up",
            "Move down",
            "Move to another entity",
            "Validate",
            "Export",
            "Undo",
            "Redo",
            "Save",
            "Save as",
            "Help",
            "Go to users.email",
        ):
            assert title in titles, title
        assert "Keys" not in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Go to orders.total")
        command.callback()
        await settle(pilot)
        assert app.selection == Selection("orders", "total")
        assert str(app.query_one("#inspector-title").render()).startswith("orders.total")


async def test_making_an_entity_a_child_and_a_root_again(tmp_path):
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "products", None)
        app.query_one("#rel-parent", Select).value = "users"
        await settle(pilot)
        products = app.design.entities["products"]
        assert products.parent.entity == "users" and products.rows is None  # rows cleared for you
        assert products.parent.count.kind == "uniform"
        app.query_one("#count-form #opt-max", Input).value = "3"
        await settle(pilot)
        assert app.design.entities["products"].parent.count.max == 3
        app.query_one("#rel-count-kind", Select).value = "poisson"
        await settle(pilot)
        assert app.design.entities["products"].parent.count.kind == "poisson"
        app.query_one("#rel-parent", Select).clear()
        await settle(pilot)
        products = app.design.entities["products"]
        assert products.parent is None and products.rows == 100  # a root again: rows back
        await select(pilot, "users", None)  # its parent may be no entity that descends from it
        offered = [v for _, v in app.query_one("#rel-parent", Select)._options if v is not Select.NULL]
        assert offered == ["products"]


async def test_rebuilds_faster_than_the_screen_refreshes_never_select_another_node(tmp_path):
    """Two edits that change the tree's shape, applied before the screen refreshes (keys typed in
    one burst do this under load): the cursor stays on the field being edited, the inspector never
    shows another node, and an edit that only changes labels does not move the cursor at all."""
    from designer.model.edit import make_field, set_field
    from designer.ui.widgets.inspector import Inspector

    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "email")
        shown: list[Selection] = []
        inspector = app.query_one(Inspector)
        real_show = inspector.show

        def spy(design, selection):
            shown.append(selection)
            return real_show(design, selection)

        inspector.show = spy
        tree = app.query_one(EntityTree)
        design = app.design
        for name in ("nickname", "alias"):  # two new fields: two rebuilds in one go
            design = set_field(design, "users", name, make_field({"kind": "const", "value": "x"}))
            app.set_design(design, f"add {name}")
        await settle(pilot)
        assert tree.selection == Selection("users", "email") == app.selection
        assert all(s == Selection("users", "email") for s in shown), shown
        node, line = tree.cursor_node, tree.cursor_line
        relabelled = design.model_copy(update={"info": design.info.model_copy(update={"name": "shop"})})
        app.set_design(relabelled, "rename the design")
        await pilot.pause()
        assert "shop" in str(tree.root.label)
        assert tree.cursor_node is node and tree.cursor_line == line  # relabelled in place, never rebuilt
        await type_into(pilot, "#opt-template", "{first_name}@x.example")
        assert tree.cursor_node is node and "{first_name}@x.example" in str(node.label)
        assert tree.selection == Selection("users", "email")


async def test_a_parents_count_options_scroll_into_sight_on_a_short_screen(tmp_path):
    """The parent form grows to its content: its count's inputs were below the inspector's fold
    and out of the scroll's reach, so focusing one showed nothing."""
    app = open_app(ecommerce_copy(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await select(pilot, "orders", None)
        field = app.query_one("#count-form #opt-max", Input)
        field.focus()
        await settle(pilot)
        assert app.query_one("Inspector").region.contains_region(field.region)
