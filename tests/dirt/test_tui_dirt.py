"""The TUI and dirt: a field's dirt is edited in its form with the other options (and saved), and
the preview marks the cells made dirty, checked against the same design's clean rows."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.coordinate import Coordinate

from designer import presets
from designer.ui.widgets.preview import DIRTY_STYLE, PreviewTable

from ..ui.helpers import ecommerce_copy, open_app, select, settle

pytestmark = pytest.mark.tui
SIZE = (160, 48)

DIRTY = """format = 1

[design]
name = "d"
seed = 2

[entities.people]
rows = 40

[entities.people.fields]
id = { kind = "sequence" }
name = { kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe"], dirty = { typo = 0.2, case = 0.2 } }
age = { kind = "uniform", min = 18, max = 65, dtype = "int", dirty = { sign = 0.2 } }
"""


async def test_a_fields_dirt_is_edited_in_its_form_and_saved(tmp_path):
    path = ecommerce_copy(tmp_path)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "users", "email")
        field = app.query_one("#opt-dirty")
        field.focus()
        await pilot.pause()
        await pilot.press(*"{ typo = 0.5 }")
        await settle(pilot)
        assert app.design.entities["users"].fields["email"].dirty.typo == 0.5
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert presets.load(path).entities["users"].fields["email"].dirty.typo == 0.5


async def test_the_preview_marks_the_dirty_cells(tmp_path):
    path = tmp_path / "d.toml"
    path.write_text(DIRTY)
    clean = presets.loads(DIRTY.replace(", dirty = { typo = 0.2, case = 0.2 }", "").replace(", dirty = { sign = 0.2 }", ""))
    from designer import pipeline

    expected = pipeline.preview(clean, "people", rows=40)["people"]
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "people")
        table = app.query_one(PreviewTable)
        marked = 0
        for row in range(table.row_count):
            for column, name in enumerate(expected.columns):
                cell = table.get_cell_at(Coordinate(row, column))
                dirty = isinstance(cell, Text) and cell.style == DIRTY_STYLE
                shown = cell.plain if isinstance(cell, Text) else cell
                assert (shown != str(expected[name][row])) == dirty, (row, name, shown)
                marked += dirty
        assert marked > 5
