"""The TUI and dirt: a field's dirt is edited in its form with the other options (and saved), and
the preview marks the cells made dirty, checked against the same design's clean rows."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.coordinate import Coordinate

from designer import presets
from designer.ui.widgets.preview import COPY_STYLE, DIRTY_STYLE, PreviewTable

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


async def test_dirt_that_does_not_fit_the_fields_values_is_refused_next_to_it(tmp_path):
    """As `designer validate` refuses it (tests/dirt/test_validate_dirt.py): typo on a number field."""
    path = tmp_path / "d.toml"
    path.write_text(DIRTY)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "people", "age")
        field = app.query_one("#opt-dirty")
        field.value = "{ typo = 0.1 }"  # at once: each keystroke's text would be applied on the way
        await settle(pilot)
        assert app.design.entities["people"].fields["age"].dirty.sign == 0.2  # the last good design
        error = str(app.query_one("#error-dirty").render())
        assert "typo is text dirt, and this field gives numbers" in error, error


def test_a_preset_with_dirt_that_does_not_fit_is_not_opened(tmp_path):
    from designer.errors import PresetError
    from designer.ui.app import DesignerApp

    path = tmp_path / "d.toml"
    path.write_text(DIRTY.replace("dirty = { sign = 0.2 }", "dirty = { truncate = 0.2 }"))
    with pytest.raises(PresetError, match=r"entities.people.fields.age.dirty.truncate: truncate is text dirt"):
        DesignerApp.from_path(str(path))


ROWS_DIRT = """format = 1

[design]
name = "d"
seed = 3

[entities.people]
rows = 30

[entities.people.fields]
id = { kind = "sequence" }
name = { kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe", "Maria Lopez"] }

[entities.orders]
parent = { entity = "people", count = { kind = "uniform", min = 1, max = 2 } }

[entities.orders.fields]
id = { kind = "sequence" }
person_id = { kind = "parent", field = "id" }
note = { kind = "choice", values = ["first", "second"] }
"""


async def test_an_entitys_dirt_is_edited_in_a_form_not_as_toml(tmp_path):
    import tomllib

    path = tmp_path / "d.toml"
    path.write_text(ROWS_DIRT)
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "orders")
        assert not app.query("#form #opt-dirty")  # no TOML to type
        # one orphan rate per reference field, and only for those
        assert [w.id for w in app.query("#dirt-form Input")] == [
            "dirt-duplicates",
            "dirt-near_duplicates",
            "dirt-orphans-person_id",
        ]
        app.query_one("#dirt-duplicates").value = "0.1"
        await settle(pilot)
        app.query_one("#dirt-orphans-person_id").value = "0.05"
        await settle(pilot)
        app.query_one("#dirt-shuffle").value = True
        await settle(pilot)
        dirt = app.design.entities["orders"].dirty
        assert (dirt.duplicates, dirt.near_duplicates, dirt.orphans, dirt.shuffle) == (0.1, 0.0, {"person_id": 0.05}, True)
        app.query_one("#dirt-near_duplicates").value = "2"  # a rate is 0..1: refused, said next to the form
        await settle(pilot)
        assert app.design.entities["orders"].dirty.near_duplicates == 0.0
        assert "less than or equal to 1" in str(app.query_one("#error-dirt").render())
        app.query_one("#dirt-near_duplicates").value = ""
        await settle(pilot)
        assert not app.query_one("#error-dirt").has_class("shown")
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = tomllib.loads(path.read_text())["entities"]["orders"]["dirty"]
    assert saved == {"duplicates": 0.1, "orphans": {"person_id": 0.05}, "shuffle": True}


async def test_the_preview_marks_whole_copied_rows(tmp_path):
    """A row marked a copy is, cell for cell, the row before it (exact duplicates; the ids are a
    sequence, so no other row repeats its predecessor); a near duplicate differs in one cell."""
    path = tmp_path / "d.toml"
    path.write_text(
        ROWS_DIRT.replace(
            "[entities.people.fields]",
            "[entities.people.dirty]\nduplicates = 0.2\nnear_duplicates = 0.2\n\n[entities.people.fields]",
        )
    )
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "people")
        table = app.query_one(PreviewTable)
        rows = [[c.plain if isinstance(c, Text) else c for c in table.get_row_at(r)] for r in range(table.row_count)]
        labels = [table.rows[key].label for key in table.rows]
        kinds = [label.plain if label is not None else None for label in labels]
        assert kinds.count("dup") >= 2 and kinds.count("near") >= 2, kinds
        for r, kind in enumerate(kinds):
            styles = {c.style for c in table.get_row_at(r) if isinstance(c, Text)}
            if kind is None:
                assert r == 0 or rows[r] != rows[r - 1]
                continue
            source = r - 1 if kind == "dup" or kinds[r - 1] != "dup" else r - 2  # a near copy follows a row's exact one
            differ = sum(a != b for a, b in zip(rows[r], rows[source], strict=True))
            assert differ == (0 if kind == "dup" else 1), (r, kind, rows[r], rows[source])
            assert styles and styles <= {COPY_STYLE, DIRTY_STYLE}  # every cell of the row marked
