"""iot_sensors.toml, exported to SQLite and read back: hourly readings without a gap, a daily
cycle, lower weekends, noise, about 5% flagged anomalies, a battery that drains."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from .helpers import binomial_bounds, check_realism, export

SENSORS = 10
HOURS = 30 * 24
FIRST = dt.datetime(2025, 11, 1)
NOISE = 2.5


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export("iot_sensors", tmp_path_factory.mktemp("iot"), "--rows", f"sensors={SENSORS}")


@pytest.fixture(scope="module")
def readings(data):
    """Readings with the meter's baseline and what the signal should be without noise or anomaly."""
    hour = pl.col("read_at").dt.hour() + pl.col("read_at").dt.minute() / 60
    weekend = pl.col("read_at").dt.weekday() >= 6
    return (
        data["readings"]
        .join(data["sensors"].select(pl.col("id").alias("sensor_id"), "baseline", "installed_on"), on="sensor_id")
        .with_columns(
            daily=1 + 0.3 * ((hour - 6) * 2 * math.pi / 24).sin(),
            weekend=weekend,
        )
        .with_columns(expected=pl.col("baseline") * pl.col("daily") * pl.when("weekend").then(0.8).otherwise(1.0))
        .with_columns(residual=pl.col("power_kw") - pl.col("expected"))
    )


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("iot_sensors", data)


def test_readings_are_hourly_with_no_gap(data):
    readings = data["readings"]
    assert readings.height == SENSORS * HOURS
    per_sensor = readings.group_by("sensor_id").agg(
        n=pl.len(),
        first=pl.col("read_at").min(),
        last=pl.col("read_at").max(),
        steps=pl.col("read_at").sort().diff().drop_nulls().unique(),
    )
    assert sorted(per_sensor["sensor_id"]) == sorted(data["sensors"]["id"])
    assert (per_sensor["n"] == HOURS).all()
    assert (per_sensor["first"] == FIRST).all() and (per_sensor["last"] == FIRST + dt.timedelta(hours=HOURS - 1)).all()
    assert per_sensor["steps"].to_list() == [[dt.timedelta(hours=1)]] * SENSORS
    assert readings.select("sensor_id", "read_at").is_unique().all()


def test_about_5_percent_of_readings_are_flagged_anomalies(readings):
    lo, hi = binomial_bounds(readings.height, 0.05)
    assert lo <= readings["is_anomaly"].mean() <= hi
    # and the flags mark real jumps: the rest stay within 6 noise sd of the expected signal,
    # flagged ones are 6..12 sd away (anomaly_scale 6), blurred only by the noise
    normal = readings.filter(pl.col("is_anomaly") == 0)["residual"].abs()
    flagged = readings.filter(pl.col("is_anomaly") == 1)["residual"].abs()
    assert normal.max() < 6 * NOISE
    assert (flagged > 3 * NOISE).mean() > 0.99
    assert 6 * NOISE < flagged.median() < 12 * NOISE
    # ups and downs alike
    signs = readings.filter(pl.col("is_anomaly") == 1)["residual"] > 0
    assert 0.4 < signs.mean() < 0.6


def test_noise_is_gaussian_with_the_stated_spread(readings):
    residual = readings.filter(pl.col("is_anomaly") == 0)["residual"]
    assert abs(residual.mean()) < 0.1
    assert abs(residual.std() - NOISE) < 0.1


def test_load_follows_the_day_and_drops_at_weekends(readings):
    quiet = readings.filter(pl.col("is_anomaly") == 0).with_columns(ratio=pl.col("power_kw") / pl.col("baseline"))
    by_hour = quiet.filter(~pl.col("weekend")).group_by(pl.col("read_at").dt.hour().alias("h")).agg(pl.col("ratio").mean())
    level = dict(zip(by_hour["h"], by_hour["ratio"], strict=True))
    assert abs(level[12] - 1.3) < 0.02 and abs(level[0] - 0.7) < 0.02  # peak at noon, low at midnight
    assert abs(level[6] - 1.0) < 0.02 and abs(level[18] - 1.0) < 0.02
    # with the daily cycle taken out, weekends run at 80% of weekdays
    by_day = quiet.group_by("weekend").agg((pl.col("power_kw") / (pl.col("baseline") * pl.col("daily"))).mean().alias("level"))
    level = dict(zip(by_day["weekend"], by_day["level"], strict=True))
    assert abs(level[True] / level[False] - 0.8) < 0.01


def test_power_is_positive_and_meters_were_installed_before_reading(readings, data):
    assert readings["power_kw"].min() > 0
    assert (readings["installed_on"] < FIRST.date()).all()
    assert (data["sensors"]["unit"] == "kW").all()
    assert data["sensors"]["serial"].n_unique() == SENSORS


def test_batteries_drain_slowly(data):
    readings = data["readings"].with_columns(day=(pl.col("read_at") - FIRST).dt.total_days())
    per_sensor = readings.group_by("sensor_id").agg(
        first=pl.col("battery_v").filter(pl.col("day") == 0).mean(),
        last=pl.col("battery_v").filter(pl.col("day") == 29).mean(),
        jump=pl.col("battery_v").sort_by("read_at").diff().abs().max(),
    )
    drop = per_sensor["first"] - per_sensor["last"]
    assert ((drop > 0.1) & (drop < 0.14)).all()  # 0.004 V a day over 29 days
    assert per_sensor["jump"].max() < 0.05  # no hour-to-hour leaps
    assert readings["battery_v"].min() > 3.4 and readings["battery_v"].max() < 4.2
