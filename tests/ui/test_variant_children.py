"""A variant's group and its own count of children, edited in the inspector's forms."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from designer import presets

from .helpers import open_app, select, settle

SIZE = (160, 48)

BLOG = """
format = 1
[design]
name = "blog"
[entities.users]
rows = 50
fields.id = { kind = "sequence" }
[entities.users.variants.writer]
weight = 0.2
fields.id = { kind = "sequence", start = 1 }
[entities.posts]
parent = { entity = "users", count = { kind = "const", value = 1 } }
fields.id = { kind = "sequence" }
fields.user_id = { kind = "parent", field = "id" }
"""


async def test_a_variant_gets_its_own_count_of_children_and_a_group(tmp_path):
    path = tmp_path / "blog.toml"
    path.write_text(BLOG)
    app = open_app(path)
    async with app.run_test(size=(120, 30)) as pilot:  # short: the count's options are below the fold
        await select(pilot, "users", None, "writer")
        kind = app.query_one("#child-kind-posts", Select)
        assert kind.value is Select.NULL  # as posts' own parent.count until set
        kind.value = "uniform"
        await settle(pilot)
        writer = app.design.entities["users"].variants["writer"]
        assert writer.children["posts"].kind == "uniform"
        app.query_one("#child-kind-posts", Select).focus()
        await pilot.press("tab")  # into the count's first option: it scrolls into sight
        await settle(pilot)
        assert app.focused is app.query_one("#child-count-posts #opt-min", Input)
        assert app.query_one("Inspector").region.contains_region(app.focused.region)
        app.query_one("#child-count-posts #opt-max", Input).value = "9"
        await settle(pilot)
        assert app.design.entities["users"].variants["writer"].children["posts"].max == 9
        app.query_one("#form #opt-group", Input).value = "role"
        await settle(pilot)
        assert app.design.entities["users"].variants["writer"].group == "role"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = presets.load(path).entities["users"].variants["writer"]
        assert saved.group == "role" and saved.children["posts"].max == 9
        app.query_one("#child-kind-posts", Select).clear()
        await settle(pilot)
        assert app.design.entities["users"].variants["writer"].children == {}


async def test_a_count_that_is_refused_is_said_beside_the_children(tmp_path):
    path = tmp_path / "blog.toml"
    path.write_text(BLOG)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", None, "writer")
        app.query_one("#child-kind-posts", Select).value = "uniform"
        await settle(pilot)
        app.query_one("#child-count-posts #opt-max", Input).value = "-10"
        await settle(pilot)
        assert app.design.entities["users"].variants["writer"].children["posts"].max == 5  # not applied
        shown = app.query_one("#error-children", Static)
        assert "shown" in shown.classes and "max" in str(shown.render())
