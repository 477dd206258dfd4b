"""Formats agree: every format decodes to the frames the engine generated, with the same rows, order
and dtypes, through designer's read-back and through readers that share no code with it."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from designer import pipeline, presets
from designer.engine.edges import TEXT_EDGES
from designer.writers.readback import read_table

from .helpers import FORMATS, expected_rows, export, generated, location, raw_rows, read_back


@pytest.mark.parametrize("fmt", FORMATS)
def test_ecommerce_reads_back_as_generated(shop, fmt):
    decoded = read_back(shop.design, shop.targets[fmt], rows={"users": 300, "products": 50})
    assert list(decoded) == ["products", "users", "orders", "order_items"]  # load order: parents first
    for entity, frame in decoded.items():
        assert_frame_equal(frame, shop.expected[entity], check_exact=True)


def test_ecommerce_formats_decode_to_equal_frames(shop):
    decoded = {fmt: read_back(shop.design, target, rows={"users": 300, "products": 50}) for fmt, target in shop.targets.items()}
    reference = decoded.pop("sqlite")
    for fmt, frames in decoded.items():
        for entity, frame in frames.items():
            assert frame.schema == reference[entity].schema, (fmt, entity)
            assert frame.equals(reference[entity]), (fmt, entity)


def test_ecommerce_sample_has_what_a_round_trip_must_keep(shop):
    """The comparison above is only worth something if the data has nulls, both booleans, variants."""
    users, orders = shop.expected["users"], shop.expected["orders"]
    assert users.height == 300 and shop.expected["products"].height == 50
    assert 0 < users["phone"].null_count() < users.height
    assert 0 < users["suspended_at"].null_count() < users.height
    assert set(users["is_active"]) == {True, False}
    assert orders.height > users.height and shop.expected["order_items"].height > orders.height


@pytest.mark.parametrize("fmt", FORMATS)
def test_ecommerce_independent_readers_see_the_generated_rows(shop, fmt):
    for entity, frame in shop.expected.items():
        assert raw_rows(fmt, shop.targets[fmt], entity, frame.schema) == expected_rows(fmt, frame), entity


# Edge cases of every type, nulls, sub-second times and strings that break CSV, JSON and COPY.
EDGES = """
format = 1
[design]
name = "edges"
seed = 7
reference_time = 2026-01-01T00:00:00

[entities.things]
rows = 3000

[entities.things.fields]
id      = { kind = "sequence" }
label   = { kind = "faker", provider = "word", edge_rate = 0.4 }
note    = { kind = "faker", provider = "sentence", edge_rate = 0.3, null_rate = 0.1 }
tricky  = { kind = "choice", values = ["\\\\N", "\\\\.", "a\\r\\nb", "\\r", "line\\u2028sep", "\\"", "'", ",", "\\t", "#"] }
amount  = { kind = "uniform", min = -1000, max = 1000, decimals = 2, edge_rate = 0.3 }
big     = { kind = "normal", mean = 0, std = 1e6, edge_rate = 0.3 }
count   = { kind = "poisson", mean = 5, edge_rate = 0.3, null_rate = 0.05 }
wide    = { kind = "uniform", min = -9000000000000000000, max = 9000000000000000000, dtype = "int", edge_rate = 0.3 }
flag    = { kind = "bool", p = 0.5, edge_rate = 0.2, null_rate = 0.1 }
day     = { kind = "date", start = "1900-01-01", end = "2100-12-31", edge_rate = 0.3, null_rate = 0.1 }
at      = { kind = "datetime", start = "-5y", end = "now", edge_rate = 0.3, null_rate = 0.1 }
precise = { kind = "expression", expr = "at + INTERVAL '123457 microseconds'" }
half    = { kind = "expression", expr = "at + INTERVAL '500 milliseconds'" }
"""


@pytest.fixture(scope="module")
def edges(tmp_path_factory, new_pg_url):
    design = presets.loads(EDGES)
    directory = tmp_path_factory.mktemp("edges")
    targets = {fmt: export(design, fmt, location(fmt, directory, new_pg_url() if fmt == "postgres" else None)) for fmt in FORMATS}
    return design, targets, generated(design)["things"]


def test_edge_sample_has_the_values_that_break_writers(edges):
    _, _, things = edges
    labels = set(things["label"].drop_nulls())
    for nasty in [
        "",
        " ",
        "x" * 1000,
        'She said "hi"',
        "comma, separated; value",
        "line\nbreak",
        "tab\tinside",
        "NULL",
        "مرحبا بالعالم",
        "😀🎉👍🏽 emoji",
        "\\backslash\\",
    ]:
        assert nasty in TEXT_EDGES and nasty in labels, nasty
    assert set(things["tricky"]) >= {"\\N", "\\.", "a\r\nb", "line\u2028sep"}
    assert things["note"].null_count() and things["count"].null_count() and things["day"].null_count()
    assert set(things["flag"].drop_nulls()) == {True, False}
    assert {dt.date(1900, 1, 1), dt.date(2000, 2, 29), dt.date(2100, 12, 31)} <= set(things["day"])
    assert things["wide"].max() > 8 * 10**18 and things["wide"].min() < -8 * 10**18
    assert things["big"].abs().max() > 1e300  # the float edges: the largest doubles
    assert (things["precise"].dt.microsecond() == 123457).any() and (things["half"].dt.microsecond() == 500000).any()


@pytest.mark.parametrize("fmt", FORMATS)
def test_edge_cases_round_trip(edges, fmt):
    design, targets, things = edges
    (spec,) = pipeline.tables(design)
    assert_frame_equal(read_table(targets[fmt], "things", spec), things, check_exact=True)
    assert raw_rows(fmt, targets[fmt], "things", things.schema) == expected_rows(fmt, things)


def test_whole_second_times_keep_their_short_spelling(edges):
    """Fractional seconds are written only where there are some: `2024-02-29T00:00:00`, `...:00.5`."""
    _, targets, things = edges
    text = (targets["csv"].path / "things.csv").read_text(encoding="utf-8")
    header = text.split("\n", 1)[0].split(",")
    assert header[-3:] == ["at", "precise", "half"]
    first = things.filter(pl.col("at").is_not_null()).row(0, named=True)
    assert (
        f"{first['at']:%Y-%m-%dT%H:%M:%S},{first['precise']:%Y-%m-%dT%H:%M:%S}.123457,{first['half']:%Y-%m-%dT%H:%M:%S}.500"
        in text
    )
