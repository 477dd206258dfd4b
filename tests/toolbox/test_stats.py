"""`designer stats`: the numbers polars computes itself on an export, and the TUI's own."""

from __future__ import annotations

import json
import math

import numpy as np
import polars as pl
import pytest

from designer import pipeline, presets
from designer.stats import column_stats

from ..conftest import PRESETS
from ..writers.helpers import invoke

BLOG = PRESETS / "blog.toml"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The blog preset exported to Parquet: the data a user would compute statistics on."""
    out = tmp_path_factory.mktemp("blog")
    result = invoke("export", str(BLOG), "-o", str(out), "--format", "parquet", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def stats_json(*args: str) -> dict:
    result = invoke("stats", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("entity,rows", [("users", 300), ("posts", 1000), ("comments", 700)])
def test_stats_are_what_polars_computes_on_the_export(exported, entity, rows):
    frame = pl.read_parquet(exported / f"{entity}.parquet").head(rows)  # the first rows an export writes
    shown = stats_json(str(BLOG), "--entity", entity, "--rows", str(rows))[entity]
    assert list(shown) == frame.columns
    for name, got in shown.items():
        column = frame.get_column(name)
        present = column.drop_nulls()
        assert got["rows"] == frame.height
        assert got["null_share"] == pytest.approx(column.null_count() / frame.height)
        assert got["distinct"] == present.n_unique()
        if column.dtype.is_numeric() and column.dtype != pl.Boolean:
            values = present.cast(pl.Float64).to_numpy()
            assert got["min"] == pytest.approx(values.min()) and got["max"] == pytest.approx(values.max())
            assert got["mean"] == pytest.approx(values.mean())
            assert got["std"] == pytest.approx(values.std(ddof=1) if len(values) > 1 else 0.0)
        if "top" in got:  # the most frequent values, each with its count in the file
            counts = dict(present.cast(pl.String).value_counts().iter_rows())
            for bar in got["top"]:
                assert counts[bar["value"]] == bar["count"] and bar["share"] == pytest.approx(bar["count"] / frame.height)
            others = [c for v, c in counts.items() if v not in {bar["value"] for bar in got["top"]}]
            assert not others or min(bar["count"] for bar in got["top"]) >= max(others)
        else:  # equal-width bins from min to max, as numpy bins them
            as_float = present.to_physical().cast(pl.Float64).to_numpy()
            expected, _ = np.histogram(as_float, bins=len(got["histogram"]), range=(as_float.min(), as_float.max()))
            counts = [bar["count"] for bar in got["histogram"]]
            assert sum(counts) == len(as_float)
            assert max(abs(a - b) for a, b in zip(counts, expected, strict=True)) <= math.ceil(0.005 * len(as_float))


def test_the_numbers_are_the_tuis():
    """The TUI's panel describes the first block (pipeline.sample) with column_stats; so does stats."""
    design = presets.load(BLOG)
    frame = pipeline.sample(design, "posts").frame
    shown = stats_json(str(BLOG), "--entity", "posts", "--rows", str(frame.height))["posts"]
    for name in frame.columns:
        tui = column_stats(frame.get_column(name))
        assert shown[name]["null_share"] == tui.null_share and shown[name]["distinct_share"] == tui.distinct_share
        assert {k: shown[name][k] for k in tui.numbers} == tui.numbers


def test_the_text_shows_every_field_with_its_facts():
    result = invoke("stats", str(BLOG), "--entity", "users", "--rows", "300")
    assert result.returncode == 0
    assert "users (first 300 rows)" in result.stdout
    assert "bio String  null 4" in result.stdout  # 40% null in the preset
    assert "email String  null 0.0%  distinct 100.0%" in result.stdout and "no value repeats" in result.stdout
    assert "█" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--entity", "user"], 'designer: unknown entity "user"; did you mean "users"?'),
        (["--format", "csv"], 'designer: --format "csv": use table or json'),
    ],
)
def test_bad_input_is_one_line_and_status_2(args, message):
    result = invoke("stats", str(BLOG), *args)
    assert result.returncode == 2 and result.stderr.strip() == message


def test_an_entity_without_rows_says_so(write_preset):
    path = write_preset(
        '[entities.t]\nrows = 0\n[entities.t.fields]\nid = { kind = "sequence" }\nx = { kind = "uuid", null_rate = 1.0 }\n'
    )
    result = invoke("stats", str(path))
    assert result.returncode == 0 and "t (first 0 rows)" in result.stdout and "no rows" in result.stdout
    path = write_preset(
        '[entities.t]\nrows = 5\n[entities.t.fields]\nid = { kind = "sequence" }\nx = { kind = "uuid", null_rate = 1.0 }\n'
    )
    assert "null 100.0%" in invoke("stats", str(path)).stdout and "all null" in invoke("stats", str(path)).stdout
