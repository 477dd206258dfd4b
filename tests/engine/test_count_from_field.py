"""`count = { field = "seats" }`: each parent row has as many children as its own field says.

The oracle is the export read back with sqlite3 (not designer's reader): every parent row's
children are counted in SQL and compared with the value of its field in the same file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine.seeding import BLOCK_ROWS
from designer.errors import PresetError
from designer.summary import summarize

from ..writers.helpers import export

ROWS = 2 * BLOCK_ROWS + 17  # three blocks of flights, the last a partial one

FLIGHTS = f"""
format = 1
[design]
name = "flights"
seed = 5
[entities.planes]
rows = 40
fields.id = {{ kind = "sequence" }}
fields.capacity = {{ kind = "uniform", min = 0, max = 6, dtype = "int" }}

[entities.flights]
rows = {ROWS}
[entities.flights.fields]
id = {{ kind = "sequence" }}
seats = {{ kind = "normal", mean = 2, std = 2, min = -3, max = 6, decimals = 1, null_rate = 0.1 }}
plane = {{ kind = "reference", entity = "planes" }}
capacity = {{ kind = "lookup", via = "plane", field = "capacity" }}
kind = {{ kind = "const", value = "scheduled" }}
[entities.flights.variants.charter]
weight = 0.2
fields.seats = {{ kind = "const", value = 9 }}
fields.kind = {{ kind = "const", value = "charter" }}
[entities.flights.variants.cargo]
weight = 0.1
group = "freight"
fields.kind = {{ kind = "const", value = "cargo" }}
children.crew = {{ field = "capacity" }}

[entities.passengers]
parent = {{ entity = "flights", count = {{ field = "seats" }} }}
[entities.passengers.fields]
id = {{ kind = "sequence" }}
flight_id = {{ kind = "parent", field = "id" }}
bags = {{ kind = "poisson", mean = 1, max = 3 }}

[entities.luggage]
parent = {{ entity = "passengers", count = {{ field = "bags" }} }}
[entities.luggage.fields]
passenger_id = {{ kind = "parent", field = "id" }}

[entities.crew]
parent = {{ entity = "flights", count = {{ kind = "const", value = 2 }} }}
[entities.crew.fields]
flight_id = {{ kind = "parent", field = "id" }}
"""


def _expected(value) -> int:
    """What a field's value gives as a count: null and below 0 none, a fraction rounded (half to even)."""
    return 0 if value is None else max(round(value), 0)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    design = presets.loads(FLIGHTS)
    path = tmp_path_factory.mktemp("flights") / "flights.sqlite"
    export(design, "sqlite", str(path))
    with sqlite3.connect(path) as conn:
        yield conn


def _per_parent(conn, parent: str, key: str, child: str, link: str, field: str) -> list[tuple]:
    return conn.execute(
        f"SELECT p.{field}, count(c.{link}) FROM {parent} p LEFT JOIN {child} c ON c.{link} = p.{key} GROUP BY p.{key} ORDER BY p.{key}"
    ).fetchall()


def test_each_parent_row_has_as_many_children_as_its_field_says(db):
    rows = _per_parent(db, "flights", "id", "passengers", "flight_id", "seats")
    assert len(rows) == ROWS
    assert [n for _, n in rows] == [_expected(v) for v, _ in rows]
    values = [v for v, _ in rows]
    # the draw covers what the rule is about: nulls, values below 0, fractions, the variant's 9
    assert None in values and any(v is not None and v < 0 for v in values) and 9 in values
    assert any(v is not None and v != round(v) for v in values)


def test_a_child_count_reads_its_own_parent_child_field(db):
    """luggage per passenger reads passengers.bags: the parent is itself a child, across blocks."""
    rows = _per_parent(db, "passengers", "id", "luggage", "passenger_id", "bags")
    assert len(rows) > 2 * BLOCK_ROWS
    assert [n for _, n in rows] == [_expected(v) for v, _ in rows]


def test_a_variants_children_read_a_field_made_through_a_reference(db):
    """cargo flights have as many crew as their plane's capacity (a lookup); the others 2."""
    rows = db.execute(
        "SELECT f.kind, f.capacity, count(c.flight_id) FROM flights f LEFT JOIN crew c ON c.flight_id = f.id GROUP BY f.id ORDER BY f.id"
    ).fetchall()
    cargo = [(cap, n) for kind, cap, n in rows if kind == "cargo"]
    assert len(cargo) > 100 and len({cap for cap, _ in cargo}) > 3
    assert all(n == cap for cap, n in cargo)
    assert all(n == 2 for kind, _, n in rows if kind != "cargo")


def test_the_counts_are_the_same_for_any_prefix_and_in_the_preview():
    design = presets.loads(FLIGHTS)
    big = pipeline.generate(design, "passengers")
    for rows in (1, BLOCK_ROWS - 1, BLOCK_ROWS + 1):
        small = pipeline.generate(design, "passengers", rows={"flights": rows})
        assert small.height > 0 and small.equals(big.head(small.height)), rows
    preview = pipeline.preview(design, None, 25)
    assert preview["passengers"].equals(big.head(preview["passengers"].height))


@pytest.mark.slow
def test_two_workers_write_the_same_rows_as_one(tmp_path):
    design = presets.loads(FLIGHTS)
    frames = {}
    for workers in (1, 2):
        target = export(design, "parquet", f"{tmp_path / str(workers)}/", workers=workers)
        frames[workers] = {t: pl.read_parquet(target.path / f"{t}.parquet") for t in ("flights", "passengers", "luggage")}
    for table, frame in frames[1].items():
        assert frame.equals(frames[2][table]), table


def test_the_summary_and_the_row_estimate_follow_the_field():
    design = presets.loads(FLIGHTS)
    passengers = next(s for s in summarize(design) if s.name == "passengers")
    assert "child of flights (seats of the row, 0..9 each)" in passengers.relationships
    crew = next(s for s in summarize(design) if s.name == "crew")
    assert "cargo rows of flights: capacity of the row, 0..6 each" in crew.relationships


SMALL = """
format = 1
[design]
name = "t"
[entities.p]
rows = 10
fields.id = {{ kind = "sequence" }}
fields.n = {{ kind = "uniform", min = 0, max = 3, dtype = "int" }}
fields.word = {{ kind = "faker", provider = "word" }}
{extra}
[entities.c]
parent = {{ entity = "p", count = {count} }}
fields.p_id = {{ kind = "parent", field = "id" }}
fields.x = {{ kind = "uniform", min = 0, max = 1 }}
"""


@pytest.mark.parametrize(
    ("count", "extra", "path", "message"),
    [
        (
            '{ field = "wrd" }',
            "",
            "entities.c.parent.count.field",
            'count names unknown field "wrd" in entity p; did you mean "word"?',
        ),
        ('{ field = "word" }', "", "entities.c.parent.count.field", "p.word is a faker field, not a number"),
        ('{ field = "n", max = 3 }', "", "entities.c.parent.count.max", 'unknown option "max" for a count that reads a field'),
        ("{ field = 3 }", "", "entities.c.parent.count.field", "must be the name of a field of the parent entity, not 3"),
        (
            '{ field = "kids" }',
            'fields.kids = { kind = "aggregate", entity = "c", expr = "count(*)" }',
            "entities.c.parent.count.field",
            "p.kids is made from c rows: a count cannot read a field made from the rows it counts",
        ),
        (
            '{ field = "twice" }',
            'fields.twice = { kind = "expression", expr = "kids * 2" }\nfields.kids = { kind = "aggregate", entity = "c", expr = "sum(x)" }',
            "entities.c.parent.count.field",
            "p.twice is made from c rows through p.kids",
        ),
        (
            '{ field = "huge" }',
            'fields.huge = { kind = "const", value = 100000000000 }',
            "entities.c.parent.count",
            "; make huge smaller",
        ),
    ],
)
def test_a_count_that_cannot_be_read_is_refused_at_load(count, extra, path, message):
    with pytest.raises(PresetError) as caught:
        presets.loads(SMALL.format(count=count, extra=extra))
    assert caught.value.path == path
    assert message in str(caught.value)


def test_a_field_made_through_a_reference_into_the_children_is_refused():
    """p.pick looks up q.v, which looks up a row of c: laying out c would need c's rows first."""
    text = SMALL.format(
        count='{ field = "pick" }',
        extra='fields.q_ref = { kind = "reference", entity = "q" }\nfields.pick = { kind = "lookup", via = "q_ref", field = "v" }',
    )
    text += """
[entities.q]
rows = 5
fields.id = { kind = "sequence" }
fields.c_ref = { kind = "reference", entity = "c", field = "x" }
fields.v = { kind = "lookup", via = "c_ref", field = "x" }
"""
    with pytest.raises(PresetError, match=r"p.pick is made from c rows through c.x"):
        presets.loads(text)


def test_distinct_per_parent_is_held_to_the_fields_largest_value():
    text = (
        SMALL.format(count='{ field = "n" }', extra="")
        + """
[entities.r]
rows = 2
fields.id = { kind = "sequence" }
"""
    )
    text = text.replace(
        'fields.x = { kind = "uniform", min = 0, max = 1 }',
        'fields.r_id = { kind = "reference", entity = "r", distinct = "per_parent" }',
    )
    with pytest.raises(PresetError, match="c draws up to 3 distinct r per row of p, r has 2"):
        presets.loads(text)


def test_the_command_line_says_one_line_and_exits_2(tmp_path):
    preset = tmp_path / "bad.toml"
    preset.write_text(SMALL.format(count='{ field = "word" }', extra=""))
    proc = subprocess.run(
        [sys.executable, "-m", "designer", "export", str(preset), "-o", str(tmp_path / "out.sqlite")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "entities.c.parent.count.field" in proc.stderr
    assert not (tmp_path / "out.sqlite").exists()


def test_a_preset_with_a_field_count_saves_as_it_was_written():
    design = presets.loads(FLIGHTS)
    again = presets.loads(presets.dumps(design))
    assert again == design
    assert again.entities["passengers"].parent.count.field == "seats"
