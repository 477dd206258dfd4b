"""A child count that reads a field of the parent row, picked in the entity's and the variant's forms."""

from __future__ import annotations

from textual.widgets import Select

from designer import presets
from designer.model.counts import FieldCount

from .helpers import open_app, select, settle

SIZE = (160, 48)

FLIGHTS = """
format = 1
[design]
name = "flights"
[entities.flights]
rows = 50
fields.id = { kind = "sequence" }
fields.code = { kind = "faker", provider = "bothify", args = { text = "??###" } }
fields.seats = { kind = "uniform", min = 0, max = 9, dtype = "int" }
fields.capacity = { kind = "poisson", mean = 3, max = 8 }
[entities.flights.variants.charter]
weight = 0.2
fields.code = { kind = "const", value = "CH" }
[entities.passengers]
parent = { entity = "flights", count = { kind = "const", value = 1 } }
fields.flight_id = { kind = "parent", field = "id" }
"""


def _offered(select_widget: Select) -> list:
    return [v for _, v in select_widget._options if v is not Select.NULL]


async def test_the_parent_form_picks_a_numeric_field_of_the_parent_as_the_count(tmp_path):
    path = tmp_path / "flights.toml"
    path.write_text(FLIGHTS)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "passengers", None)
        kind = app.query_one("#rel-count-kind", Select)
        assert "field" in _offered(kind)
        kind.value = "field"
        await settle(pilot)
        assert app.design.entities["passengers"].parent.count == FieldCount(field="id")  # the first numeric field
        picker = app.query_one("#count-form #opt-field", Select)
        assert _offered(picker) == ["id", "seats", "capacity"]  # not the text field code
        picker.value = "seats"
        await settle(pilot)
        assert app.design.entities["passengers"].parent.count == FieldCount(field="seats")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert presets.load(path).entities["passengers"].parent.count == FieldCount(field="seats")
        assert 'count = { field = "seats" }' in path.read_text()
        app.query_one("#rel-count-kind", Select).value = "poisson"
        await settle(pilot)
        assert app.design.entities["passengers"].parent.count.kind == "poisson"


async def test_a_variants_children_read_a_field_of_the_row(tmp_path):
    path = tmp_path / "flights.toml"
    path.write_text(FLIGHTS)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "flights", None, "charter")
        app.query_one("#child-kind-passengers", Select).value = "field"
        await settle(pilot)
        app.query_one("#child-count-passengers #opt-field", Select).value = "capacity"
        await settle(pilot)
        charter = app.design.entities["flights"].variants["charter"]
        assert charter.children["passengers"] == FieldCount(field="capacity")


def test_renaming_the_field_renames_the_counts_that_read_it():
    from designer.model.rename import rename_field

    text = FLIGHTS.replace('{ kind = "const", value = 1 }', '{ field = "seats" }')
    text = text.replace(
        'fields.code = { kind = "const", value = "CH" }',
        'fields.code = { kind = "const", value = "CH" }\nchildren.passengers = { field = "seats" }',
    )
    renamed = rename_field(presets.loads(text), "flights", "seats", "places")
    assert renamed.entities["passengers"].parent.count == FieldCount(field="places")
    assert renamed.entities["flights"].variants["charter"].children["passengers"] == FieldCount(field="places")
    again = presets.loads(presets.dumps(renamed))  # and the renamed design loads
    assert again.entities["passengers"].parent.count.field == "places"
