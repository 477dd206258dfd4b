"""Faker's date providers: a column at a time, counted from the design's reference_time (never the
clock, never the machine's time zone), with Faker's own bounds and uniform spread. Faker's own
values, with its clock held at the same reference time, are checked against the same bounds, so
the bounds below are Faker's reading and not only ours."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import subprocess
import sys
import tomllib

import numpy as np
import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine.fakers import path_of
from designer.engine.fakers.fallback import per_row
from designer.errors import PresetError

from .helpers import column

NOW = dt.datetime(2025, 6, 1)  # helpers.design_with's reference_time
TODAY = NOW.date()
N = 20_000
DAY = dt.timedelta(days=1)

CASES = [  # provider, args as TOML, the lowest and highest value Faker gives, whether the top is reached
    ("date_time_between", '{ start_date = "-2y" }', NOW + dt.timedelta(days=-730.48), NOW),
    (
        "date_time_between",
        "{ start_date = 2024-01-01, end_date = 2024-03-01T12:00:00 }",
        dt.datetime(2024, 1, 1),
        dt.datetime(2024, 3, 1, 12),
    ),
    ("date_time", "{}", dt.datetime(1970, 1, 1), NOW),
    ("past_datetime", "{}", NOW - 30 * DAY, NOW - dt.timedelta(seconds=1)),
    ("future_datetime", '{ end_date = "+1w" }', NOW + dt.timedelta(seconds=1), NOW + 7 * DAY),
    ("date_time_between_dates", '{ datetime_start = "-6h" }', NOW - dt.timedelta(hours=6), NOW),
    ("date_time_this_month", "{ after_now = true }", dt.datetime(2025, 6, 1), dt.datetime(2025, 7, 1)),
    ("date_time_this_decade", "{}", dt.datetime(2020, 1, 1), NOW),
    # days: from the first up to the last, which is drawn only when it is the first as well
    ("date_between", '{ start_date = "-1y", end_date = "+30d" }', TODAY + dt.timedelta(days=-365.24), TODAY + 30 * DAY),
    ("date_between", '{ start_date = 2025-02-01, end_date = "today" }', dt.date(2025, 2, 1), TODAY),
    ("past_date", "{}", TODAY - 30 * DAY, TODAY - DAY),
    ("future_date", '{ end_date = "+1y" }', TODAY + DAY, TODAY + dt.timedelta(days=365.24)),
    ("date_this_year", "{}", dt.date(2025, 1, 1), TODAY),
    ("date_this_decade", "{ before_today = false, after_today = true }", TODAY, dt.date(2030, 1, 1)),
    ("date_between_dates", "{ date_start = 2025-05-01 }", dt.date(2025, 5, 1), TODAY),
]


def as_numbers(values: pl.Series) -> np.ndarray:
    """Microseconds since the epoch; days, each spread over its own width (a uniform whole day plus
    an independent uniform fraction is uniform over the whole span, so one KS test serves both)."""
    if values.dtype == pl.Date:
        days = values.cast(pl.Int32).to_numpy().astype(float)
        return days + np.random.default_rng(0).random(len(days))
    return values.cast(pl.Int64).to_numpy().astype(float)


def number(moment) -> float:
    if isinstance(moment, dt.datetime):
        return (moment - dt.datetime(1970, 1, 1)) / dt.timedelta(microseconds=1)
    return float((moment - dt.date(1970, 1, 1)).days)


def ks_uniform(sample: np.ndarray, low: float, high: float) -> float:
    x = np.sort(sample)
    cdf = np.clip((x - low) / (high - low), 0, 1)
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(0, n) / n)))


def ks_limit(n: int) -> float:
    return 1.95 / math.sqrt(n)  # alpha ~ 0.001


def toml_args(text: str) -> dict:
    return tomllib.loads(f"args = {text}")["args"]


@pytest.mark.parametrize(("provider", "args", "low", "high"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_a_date_provider_is_a_uniform_column_between_fakers_bounds(provider, args, low, high):
    spec = f'{{ kind = "faker", provider = "{provider}", args = {args} }}'
    values = column({"x": spec}, "x", N)
    assert path_of(provider, {**toml_args(args), "_now": NOW}, "en_US") == "vectorized"
    days = isinstance(low, dt.date) and not isinstance(low, dt.datetime)
    assert values.dtype == (pl.Date if days else pl.Datetime("us")) and values.null_count() == 0
    sample, (lo, hi) = as_numbers(values), (number(low), number(high))
    assert lo <= sample.min() and sample.max() <= hi  # the last day only in the limit: its fraction is below hi
    span = hi - lo
    assert sample.min() - lo <= 0.002 * span and hi - sample.max() <= 0.002 * span  # the bounds are reached
    assert ks_uniform(sample, lo, hi) < ks_limit(N)
    assert ks_uniform(sample, lo + 0.05 * span, hi) > ks_limit(N)  # the test can fail

    fakers = per_row(provider, {**toml_args(args), "_now": NOW}, "en_US", np.random.default_rng(3), 2_000)
    theirs = as_numbers(fakers)
    assert fakers.dtype == values.dtype
    assert lo <= theirs.min() and theirs.max() <= hi  # Faker's own values keep to the same bounds
    assert ks_uniform(theirs, lo, hi) < ks_limit(2_000)


def test_unix_time_is_seconds_between_its_bounds():
    values = column({"x": '{ kind = "faker", provider = "unix_time", args = { start_datetime = "-1d" } }'}, "x", N)
    stamp = (NOW - dt.datetime(1970, 1, 1)).total_seconds()
    assert values.dtype == pl.Float64
    assert stamp - 86_400 <= values.min() < stamp - 86_000 and stamp - 400 < values.max() <= stamp


def test_now_only_is_the_reference_time_in_every_row():
    values = column({"x": '{ kind = "faker", provider = "date_time_this_year", args = { before_now = false } }'}, "x", 50)
    assert values.unique().to_list() == [NOW]


def test_an_argument_the_column_cannot_read_goes_to_faker():
    assert path_of("date_time_between", {"start_date": "-1y", "tzinfo": None}) == "per-row"


def _design(reference: str, fields: str, rows: int = 2_000):
    return presets.loads(f"""
format = 1
[design]
seed = 3
reference_time = {reference}
[entities.t]
rows = {rows}
[entities.t.fields]
{fields}
""")


def test_providers_left_to_faker_count_from_the_reference_time_too():
    """year and credit_card_expire run per row; Faker's clock reads 2001 there, not today's date."""
    design = _design(
        "2001-06-01T00:00:00",
        'year = { kind = "faker", provider = "year" }\nexpires = { kind = "faker", provider = "credit_card_expire" }',
    )
    assert path_of("year", {}) == path_of("credit_card_expire", {}) == "per-row"
    frame = pipeline.generate(design, "t")
    years = frame["year"].cast(pl.Int32)
    assert years.min() == 1970 and years.max() == 2001
    expiry_years = set(frame["expires"].str.slice(3).cast(pl.Int32).to_list())
    assert min(expiry_years) == 1 and max(expiry_years) == 11  # now .. now + 10 years
    again = pipeline.generate(_design("2011-06-01T00:00:00", 'year = { kind = "faker", provider = "year" }'), "t")
    assert again["year"].cast(pl.Int32).max() == 2011


def test_dates_inside_fakers_text_read_as_the_standard_librarys():
    """Faker builds them through the class that holds its clock; a pytuple's text (JSON: dates as ISO
    text) must not show it."""
    values = per_row(
        "pytuple",
        {"nb_elements": 6, "value_types": ["date_time", "date_object"], "_now": NOW},
        "en_US",
        np.random.default_rng(1),
        50,
    ).to_list()
    items = [item for v in values for item in json.loads(v)]
    assert any(len(i) == 10 and dt.date.fromisoformat(i) for i in items)
    assert any(len(i) > 10 and dt.datetime.fromisoformat(i) for i in items)
    assert not any("_Date" in v for v in values)


def test_a_range_is_checked_at_load_against_the_reference_time():
    """-1y to March 2025 is a range in June 2025 and none in June 2026, whatever today is."""
    fields = 'x = { kind = "faker", provider = "date_between", args = { start_date = "-1y", end_date = 2025-03-01 } }'
    assert pipeline.generate(_design("2025-06-01T00:00:00", fields, 10), "t")["x"].max() < dt.date(2025, 3, 1)
    with pytest.raises(PresetError) as error:
        _design("2026-06-01T00:00:00", fields)
    assert error.value.path == "entities.t.fields.x.args"
    assert "date_between(start_date='-1y', end_date=datetime.date(2025, 3, 1)) fails: empty range" in str(error.value)


def test_a_reference_time_with_an_offset_is_its_wall_clock_time():
    """Generated times carry no zone: "+05:00" is dropped, as in a field's start and end."""
    fields = (
        'a = { kind = "datetime", start = "-1d", end = "now" }\n'
        'b = { kind = "faker", provider = "date_time_between", args = { start_date = "-1d" } }\n'
        'c = { kind = "faker", provider = "year" }'
    )
    zoned = _design("2025-06-01T00:00:00+05:00", fields, 500)
    assert zoned.info.reference_time == NOW
    assert pipeline.generate(zoned, "t").equals(pipeline.generate(_design("2025-06-01T00:00:00", fields, 500), "t"))


PRESET = """
format = 1
[design]
seed = 9
reference_time = 2025-06-01T00:00:00
[entities.t]
rows = 300
[entities.t.fields]
a = { kind = "faker", provider = "date_time_between", args = { start_date = "-2y" } }
b = { kind = "faker", provider = "date_between_dates", args = { date_start = "-3d" } }
c = { kind = "faker", provider = "iso8601" }
d = { kind = "faker", provider = "date_time_ad" }
e = { kind = "faker", provider = "credit_card_expire" }
"""


def test_the_machines_time_zone_changes_no_byte(tmp_path):
    preset = tmp_path / "dates.toml"
    preset.write_text(PRESET)
    outputs = []
    for zone in ("UTC", "Pacific/Kiritimati", "America/Adak"):  # UTC+14, UTC-10
        env = {**os.environ, "TZ": zone}
        proc = subprocess.run(
            [sys.executable, "-m", "designer", "export", str(preset), "-o", "-", "--format", "csv", "--quiet"],
            capture_output=True,
            text=True,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0].count("\n") == 301 and outputs[0] == outputs[1] == outputs[2]


def test_tokens_in_formats_count_from_the_fields_reference_time():
    """ru_RU user names hold a {{year}}: Faker's, per row, at the design's "now"."""
    from designer.engine.fakers import generate

    names = generate("user_name", {"_now": dt.datetime(1990, 6, 1)}, [("ru_RU", 1.0)], np.random.default_rng(1), 3_000)
    years = [int(y) for name in names.to_list() for y in re.findall(r"(?:19|20)[0-9]{2}", name)]
    assert len(years) > 100 and max(years) == 1990


def test_locales_that_read_the_clock_themselves_read_the_reference_time():
    from designer.engine.fakers import generate

    def draw(provider, locale, args, n=400):
        return generate(
            provider, {**args, "_now": dt.datetime(1990, 1, 1)}, [(locale, 1.0)], np.random.default_rng(2), n
        ).to_list()

    years = {"84", "85", "86", "87", "88", "89", "90"}  # up to five years before 1990-01-01
    assert {v[4:6] for v in draw("ssn", "fi_FI", {"min_age": 0, "max_age": 5})} <= years  # DDMMYY-NNNC
    assert {v[:2] for v in draw("ssn", "sv_SE", {"min_age": 0, "max_age": 5})} <= years  # YYMMDD-NNNN
    # its default birthday is the day Faker was imported; the design's day is given instead
    assert all(v.startswith('["01 Jan 1990","01 Jan 1990",') for v in draw("passport_dates", "en_US", {}, 5))  # JSON text


def test_a_zone_given_to_faker_holds_the_same_instant():
    from faker import Faker

    from designer.model.fakerclock import stopped_at

    fake, plus5 = Faker("en_US"), dt.timezone(dt.timedelta(hours=5))
    with stopped_at(dt.datetime(2000, 1, 1, 12, 0)):
        now = fake.date_time_this_year(before_now=False, after_now=False, tzinfo=plus5)
    assert now == dt.datetime(2000, 1, 1, 17, 0, tzinfo=plus5)


def test_date_of_birth_never_gives_the_last_day_and_doubles_the_first_as_faker():
    from collections import Counter

    from designer.engine.fakers import generate

    args = {"_now": dt.datetime(2000, 3, 1), "minimum_age": 0, "maximum_age": 0}
    mine = Counter(generate("date_of_birth", args, [("en_US", 1.0)], np.random.default_rng(1), 36_500).to_list())
    theirs = Counter(per_row("date_of_birth", args, "en_US", np.random.default_rng(1), 3_650).to_list())
    assert min(mine) == min(theirs) == dt.date(1999, 3, 2) and max(mine) == max(theirs) == dt.date(2000, 2, 29)
    assert 170 < mine[dt.date(1999, 3, 2)] < 230 and 70 < mine[dt.date(1999, 6, 1)] < 130  # 2/365 and 1/365
