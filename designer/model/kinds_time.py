"""Dates, times and signals over time."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from .base import FieldBase, Int, Number
from .timeexpr import check_moment, parse_duration

Moment = str | dt.datetime | dt.date


class _Span(FieldBase):
    start: Moment = "-1y"
    """ISO date/time, or relative to reference_time: "now", "-90d", "-2y", "+6h"."""
    end: Moment = "now"
    """ISO date/time, or relative to reference_time."""

    @field_validator("start", "end")
    @classmethod
    def _moment_parses(cls, value):
        check_moment(value)  # raises ValueError with the reason; the range is the design's check
        return value


class Date(_Span):
    """A date, uniform between start and end."""

    kind: Literal["date"]


class Datetime(_Span):
    """A timestamp (microseconds), uniform between start and end."""

    kind: Literal["datetime"]


class Series(FieldBase):
    """Evenly spaced values: numbers, or times with step = "1h"."""

    kind: Literal["series"]
    start: Number | Moment = 0
    """First value: a number, or a moment for times."""
    step: Number | str = 1
    """Distance between values: a number, or a duration such as "1h", "15m", "1d"."""
    per_parent: bool = False
    """Restart at start for each parent row (child entities)."""

    @field_validator("step")
    @classmethod
    def _step_parses(cls, value):
        if isinstance(value, str):
            parse_duration(value)
        elif value == 0:
            raise ValueError("step must not be 0")
        return value


class Timeseries(FieldBase):
    """A signal over a time field: baseline x daily and weekly cycles + trend + noise, with anomalies."""

    kind: Literal["timeseries"]
    time: str
    """The datetime field the signal follows."""
    baseline: Number | str = 100
    """Level of the signal: a number, or the name of a field (a sensor's own baseline)."""
    trend: Number = 0
    """Change per day, counted from reference_time."""
    daily: float = Field(0.0, ge=0, le=1)
    """Daily cycle amplitude as a share of the baseline: peaks at noon, lowest at midnight."""
    weekly: float = Field(0.0, ge=0, le=1)
    """How much lower weekends are, as a share of the baseline."""
    noise: Number = Field(0, ge=0)
    """Standard deviation of the Gaussian noise."""
    anomaly_rate: float = Field(0.0, ge=0, le=1)
    """Share of readings that are anomalies (flag them with an `anomaly` field)."""
    anomaly_scale: Number = Field(3, ge=0)
    """Typical size of an anomaly's jump, in multiples of the baseline's noise or 10% of it."""
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""


class Anomaly(FieldBase):
    """True where the named timeseries field has an anomaly: the flag to export beside it."""

    kind: Literal["anomaly"]
    field: str
    """The timeseries field."""
