"""unique, edge_rate, variants, dtype: the options every field takes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine import BLOCK_ROWS
from designer.engine.edges import TEXT_EDGES
from designer.errors import GenerationError, PresetError

from .helpers import design_with


def gen(fields, rows=5000, extra=""):
    return pipeline.generate(design_with(fields, rows, extra=extra), "t")


def test_unique_finite_domains_are_permutations():
    frame = gen(
        {
            "pick": '{ kind = "choice", values = [1, 2, 3, 4, 5, 6, 7, 8], unique = true }',
        },
        rows=8,
    )
    assert sorted(frame["pick"].to_list()) == list(range(1, 9))
    frame = gen(
        {
            "n": '{ kind = "uniform", min = 1, max = 40000, dtype = "int", unique = true }',
            "d": '{ kind = "date", start = "1900-01-01", end = "2020-12-31", unique = true }',
            "price": '{ kind = "uniform", min = 0, max = 500, decimals = 2, unique = true }',
        },
        rows=BLOCK_ROWS * 2 + 10,
    )
    for name in ("n", "d", "price"):
        assert frame[name].n_unique() == frame.height, name
    assert frame["n"].min() >= 1 and frame["n"].max() <= 40000
    assert frame["d"].min() >= dt.date(1900, 1, 1) and frame["price"].max() <= 500


def test_unique_template_numbers_repeats_across_blocks():
    frame = gen(
        {
            "first": '{ kind = "choice", values = ["Ann", "Bob", "Cy"] }',
            "last": '{ kind = "choice", values = ["Lee", "Ng"] }',
            "email": '{ kind = "template", template = "{first}.{last}@example.com", transform = "lower", unique = true }',
        },
        rows=BLOCK_ROWS + 2000,
    )
    emails = frame["email"]
    assert emails.n_unique() == frame.height
    assert emails.str.contains(r"^(ann|bob|cy)\.(lee|ng)\d*@example\.com$").all()
    assert "ann.lee2@example.com" in emails.to_list()


def test_unique_capacity_is_checked_before_generation():
    with pytest.raises(PresetError, match=r"entities\.t\.fields\.role: unique asks 100 values of a domain of 3"):
        design_with({"role": '{ kind = "choice", values = ["a", "b", "c"], unique = true }'}, rows=100)


def test_unique_capacity_of_a_child_is_checked_when_generating():
    design = design_with(
        {"id": '{ kind = "sequence" }'},
        rows=50,
        extra="""
[entities.c]
parent = { entity = "t", count = { kind = "poisson", mean = 3 } }
[entities.c.fields]
n = { kind = "uniform", min = 1, max = 40, dtype = "int", unique = true }
""",
    )
    with pytest.raises(GenerationError, match=r"entities\.c\.fields\.n: unique asks \d+ values of a domain of 40"):
        pipeline.generate(design, "c")


def test_unique_faker_that_runs_dry_names_the_field():
    design = design_with({"day": '{ kind = "faker", provider = "day_of_week", unique = true }'}, rows=50)
    with pytest.raises(
        GenerationError, match=r"entities\.t\.fields\.day: unique ran dry: faker day_of_week gave only 7 distinct values"
    ):
        pipeline.generate(design, "t")


def test_edge_cases_for_text_numbers_and_dates_stay_in_bounds():
    frame = gen(
        {
            "name": '{ kind = "choice", values = ["plain"], edge_rate = 0.3 }',
            "qty": '{ kind = "uniform", min = 1, max = 10, dtype = "int", edge_rate = 0.5 }',
            "amount": '{ kind = "normal", mean = 0, std = 1, min = -3, max = 3, edge_rate = 0.5 }',
            "day": '{ kind = "date", start = "2023-06-01", end = "2024-06-01", edge_rate = 0.5 }',
        },
        rows=4000,
    )
    edged = frame.filter(pl.col("name") != "plain")["name"]
    assert abs(edged.len() / 4000 - 0.3) < 0.04
    assert set(edged.to_list()) <= set(TEXT_EDGES) and len(set(edged.to_list())) > 10
    assert frame["qty"].min() == 1 and frame["qty"].max() == 10
    assert frame["amount"].min() == -3 and frame["amount"].max() == 3
    assert 0.0 in frame["amount"].to_list()
    days = set(frame["day"].to_list())
    assert dt.date(2024, 2, 29) in days and min(days) >= dt.date(2023, 6, 1) and max(days) <= dt.date(2024, 6, 1)


def test_edge_cases_of_faker_fields_stay_within_what_the_provider_gives():
    """A Faker field states no bounds; its provider has them (ports 0..65535, dates from a year
    ago to now): edges come from inside the values drawn, never int64's or year 1's extremes."""
    frame = gen(
        {
            "port": '{ kind = "faker", provider = "port_number", edge_rate = 0.3 }',
            "small": '{ kind = "faker", provider = "random_int", args = { min = 1, max = 10 }, edge_rate = 0.3 }',
            "seen": '{ kind = "faker", provider = "date_time_between", args = { start_date = "-1y" }, edge_rate = 0.3 }',
            "day": '{ kind = "faker", provider = "date_between", args = { start_date = "-2y" }, edge_rate = 0.3 }',
            "always": '{ kind = "faker", provider = "pybool", args = { truth_probability = 100 }, edge_rate = 0.3 }',
        },
        rows=4000,
    )
    assert frame["always"].all()  # what pybool gives at 100%: never false, edges included
    now = dt.datetime(2025, 6, 1)  # design_with's reference_time
    assert frame["port"].min() >= 0 and frame["port"].max() <= 65535
    assert frame["small"].min() == 1 and frame["small"].max() == 10
    assert frame["small"].value_counts().filter(pl.col("small") == 10)["count"].item() > 4000 * 0.3 / 8  # an edge
    assert now - dt.timedelta(days=366) < frame["seen"].min() and frame["seen"].max() <= now
    assert now.date() - dt.timedelta(days=731) <= frame["day"].min() and frame["day"].max() < now.date()
    assert dt.date(2024, 2, 29) in frame["day"].to_list()  # a leap day inside the range


def test_variants_take_their_share_and_null_elsewhere():
    frame = gen(
        {
            "id": '{ kind = "sequence" }',
            "active": '{ kind = "bool", p = 1.0 }',
        },
        rows=20000,
        extra="""
[entities.t.variants.suspended]
weight = 0.05
fields.active = { kind = "const", value = false }
fields.suspended_at = { kind = "datetime", start = "-1y", end = "now" }
[entities.t.variants.vip]
weight = 0.1
fields.tier = { kind = "choice", values = ["gold", "platinum"] }
""",
    )
    suspended = frame.filter(pl.col("suspended_at").is_not_null())
    vip = frame.filter(pl.col("tier").is_not_null())
    assert abs(suspended.height / 20000 - 0.05) < 0.006 and abs(vip.height / 20000 - 0.1) < 0.008
    assert not suspended["active"].any() and frame.filter(pl.col("suspended_at").is_null())["active"].all()
    assert suspended.join(vip, on="id").height == 0  # a row takes one variant at most
    assert frame.columns == ["id", "active", "suspended_at", "tier"]


def test_dtype_casts_and_export_false():
    frame = gen(
        {
            "secret": '{ kind = "uniform", min = 0, max = 100, export = false }',
            "shown": '{ kind = "expression", expr = "secret * 2", dtype = "int" }',
            "label": '{ kind = "sequence", dtype = "str" }',
        },
        rows=100,
    )
    assert frame.columns == ["shown", "label"]
    assert frame.schema["shown"] == pl.Int64 and frame.schema["label"] == pl.String
    assert frame["label"][:2].to_list() == ["1", "2"]


@pytest.mark.parametrize(
    "field, spec, what",
    [
        ("code", '{ kind = "uniform", min = 1, max = 100000, dtype = "int", unique = true, edge_rate = 0.3 }', "a unique field"),
        ("code", '{ kind = "faker", provider = "email", unique = true, edge_rate = 0.1 }', "a unique field"),
        ("id", '{ kind = "sequence", edge_rate = 0.1 }', "the primary key"),
    ],
)
def test_edge_cases_are_refused_where_they_would_repeat_or_vanish(field, spec, what):
    """Before: a permuted unique field silently dropped its edge cases (none of 0, 1, the bounds in
    2,000 rows), and a sequence key with edges failed at export on the UNIQUE constraint."""
    fields = {"id": '{ kind = "sequence" }', "code": '{ kind = "uniform", min = 1, max = 9 }'} | {field: spec}
    text = '[design]\nname = "e"\n[entities.t]\nrows = 2000\n' + "".join(f"fields.{k} = {v}\n" for k, v in fields.items())
    with pytest.raises(PresetError, match=f"edge_rate would repeat its edge values in {what}") as error:
        presets.loads(text)
    assert error.value.path == f"entities.t.fields.{field}.edge_rate"


def test_edge_cases_in_a_variant_of_a_unique_field_are_refused():
    text = """[design]\nname = "e"\n[entities.t]\nrows = 20\nfields.id = { kind = "sequence" }
fields.code = { kind = "uniform", min = 1, max = 100, dtype = "int", unique = true }
[entities.t.variants.odd]\nweight = 0.5
fields.code = { kind = "uniform", min = 1, max = 100, dtype = "int", unique = true, edge_rate = 0.5 }
"""
    with pytest.raises(PresetError, match="unique field") as error:
        presets.loads(text)
    assert error.value.path == "entities.t.variants.odd.fields.code.edge_rate"
