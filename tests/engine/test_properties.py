"""Invariants every kind keeps: determinism, prefix (preview = export), column stability, nulls, dtype."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

from designer import pipeline
from designer.engine import BLOCK_ROWS
from designer.model import edit

from ..conftest import ROOT
from .helpers import design_with

# One field per kind that needs no other entity.
FIELDS = {
    "id": '{ kind = "sequence", start = 100, step = 3 }',
    "uid": '{ kind = "uuid" }',
    "k": '{ kind = "const", value = "fixed" }',
    "role": '{ kind = "choice", values = ["a", "b", "c"], weights = [5, 3, 2] }',
    "flag": '{ kind = "bool", p = 0.3 }',
    "u": '{ kind = "uniform", min = -5, max = 5 }',
    "n": '{ kind = "normal", mean = 10, std = 2, min = 5, max = 15, decimals = 1 }',
    "ln": '{ kind = "lognormal", mean = 2, sigma = 0.4 }',
    "ex": '{ kind = "exponential", scale = 3, max = 20 }',
    "po": '{ kind = "poisson", mean = 4, min = 1 }',
    "zi": '{ kind = "zipf", exponent = 1.1, max = 100 }',
    "be": '{ kind = "beta", a = 2, b = 2 }',
    "ga": '{ kind = "gamma", shape = 2, scale = 3 }',
    "day": '{ kind = "date", start = "2024-01-01", end = "2024-12-31" }',
    "at": '{ kind = "datetime", start = "-30d", end = "now" }',
    "tpl": '{ kind = "template", template = "{role}-{id}", transform = "upper" }',
    "ex2": '{ kind = "expression", expr = "u * 2 + 1" }',
    "step": '{ kind = "series", start = "2025-01-01", step = "1h" }',
    "sig": '{ kind = "timeseries", time = "step", baseline = 100, daily = 0.3, weekly = 0.2, noise = 2, anomaly_rate = 0.05 }',
    "bad": '{ kind = "anomaly", field = "sig" }',
    "who": '{ kind = "faker", provider = "name" }',  # vectorized from Faker's data
    "plate": '{ kind = "faker", provider = "vin" }',  # Faker per row, seeded per block
}
ROWS = 2 * BLOCK_ROWS + 500  # three blocks, the last one short


@pytest.fixture(scope="module")
def frame():
    return pipeline.generate(design_with(FIELDS, ROWS), "t")


def test_every_kind_has_its_dtype(frame):
    expected = {
        "id": pl.Int64,
        "uid": pl.String,
        "k": pl.String,
        "role": pl.String,
        "flag": pl.Boolean,
        "u": pl.Float64,
        "n": pl.Float64,
        "ln": pl.Float64,
        "ex": pl.Float64,
        "po": pl.Int64,
        "zi": pl.Int64,
        "be": pl.Float64,
        "ga": pl.Float64,
        "day": pl.Date,
        "at": pl.Datetime("us"),
        "tpl": pl.String,
        "ex2": pl.Float64,
        "step": pl.Datetime("us"),
        "sig": pl.Float64,
        "bad": pl.Boolean,
        "who": pl.String,
        "plate": pl.String,
    }
    assert dict(frame.schema) == expected
    assert frame.height == ROWS


def test_bounds_and_derivations(frame):
    assert frame["id"].to_list()[:3] == [100, 103, 106] and frame["id"][-1] == 100 + 3 * (ROWS - 1)
    assert (
        frame["uid"].n_unique() == ROWS
        and frame["uid"].str.contains(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").all()
    )
    assert frame["n"].min() >= 5 and frame["n"].max() <= 15 and frame["ex"].max() <= 20 and frame["po"].min() >= 1
    assert (frame["tpl"] == (frame["role"].str.to_uppercase() + "-" + frame["id"].cast(pl.String))).all()
    assert (frame["ex2"] - (frame["u"] * 2 + 1)).abs().max() < 1e-9
    hours = frame["step"].diff().drop_nulls().dt.total_seconds().unique().to_list()
    assert hours == [3600]
    assert abs(frame["bad"].mean() - 0.05) < 0.01


def test_timeseries_cycles_and_anomalies(frame):
    calm = frame.filter(~pl.col("bad"))
    noon = calm.filter(pl.col("step").dt.hour() == 12)["sig"].mean()
    midnight = calm.filter(pl.col("step").dt.hour() == 0)["sig"].mean()
    assert noon - midnight > 40  # 100 * (1.3 - 0.7) on weekdays, less on weekends
    weekday = calm.filter((pl.col("step").dt.hour() == 12) & (pl.col("step").dt.weekday() < 6))["sig"].mean()
    weekend = calm.filter((pl.col("step").dt.hour() == 12) & (pl.col("step").dt.weekday() >= 6))["sig"].mean()
    assert abs(weekend / weekday - 0.8) < 0.02
    residual = frame.filter(pl.col("bad"))["sig"] - frame.filter(pl.col("bad"))["sig"].mean()
    assert residual.abs().mean() > 5  # anomalies jump far beyond the noise


def test_preview_is_a_prefix_of_the_export(frame):
    design = design_with(FIELDS, ROWS)
    for rows in (1, 7, BLOCK_ROWS + 3):
        assert pipeline.preview(design, "t", rows)["t"].equals(frame.head(rows))


def test_row_count_does_not_change_earlier_rows(frame):
    smaller = pipeline.generate(design_with(FIELDS, BLOCK_ROWS + 10), "t")
    assert smaller.equals(frame.head(BLOCK_ROWS + 10))


def test_column_stability_adding_removing_reordering(frame):
    design = design_with(FIELDS, ROWS)
    more = edit.set_field(design, "t", "extra", edit.make_field({"kind": "normal", "mean": 1}), before="uid")
    fewer = edit.remove_field(design, "t", "flag")
    moved = edit.move_field(design, "t", "ga", -10)
    for changed in (more, fewer, moved):
        other = pipeline.generate(changed, "t")
        for name in frame.columns:
            if name in other.columns:
                assert other[name].equals(frame[name]), name


def test_seed_changes_values_but_not_structure(frame):
    other = pipeline.generate(design_with(FIELDS, ROWS, seed=8), "t")
    assert other.schema == frame.schema
    assert not other["u"].equals(frame["u"]) and other["id"].equals(frame["id"])


def test_same_output_in_another_process(frame, tmp_path):
    code = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.engine.helpers import design_with; from tests.engine.test_properties import FIELDS, ROWS;"
        "from designer import pipeline;"
        f"pipeline.generate(design_with(FIELDS, ROWS), 't').write_parquet(r'{tmp_path / 'other.parquet'}')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert pl.read_parquet(tmp_path / "other.parquet").equals(frame)


@pytest.mark.parametrize("name", [n for n in FIELDS if n not in ("id",)])
def test_null_rate_is_met(name):
    fields = dict(FIELDS)
    fields[name] = fields[name][:-1] + ", null_rate = 0.25 }"
    values = pipeline.generate(design_with(fields, 8000), "t")[name]
    assert abs(values.null_count() / 8000 - 0.25) < 0.025
