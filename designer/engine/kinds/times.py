"""date, datetime, series, timeseries and its anomaly flag."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...errors import GenerationError
from ...model.kinds import Anomaly, Date, Datetime, Series, Timeseries
from ...model.timeexpr import moment_field, parse_duration, parse_moment
from .registry import draws

EPOCH = dt.datetime(1970, 1, 1)


def _bounds(spec, ctx) -> tuple[dt.datetime, dt.datetime]:
    now = ctx.design.info.reference_time
    return parse_moment(spec.start, now), parse_moment(spec.end, now)


def _seconds(moment: dt.datetime) -> int:
    return int((moment - EPOCH).total_seconds())


@draws(Date)
def date(spec: Date, ctx) -> pl.Series:
    if spec.relative():
        return _between_fields(spec, ctx, pl.Date)
    start, end = _bounds(spec, ctx)
    lo, hi = (start.date() - EPOCH.date()).days, (end.date() - EPOCH.date()).days
    days = ctx.rng().integers(lo, hi + 1, ctx.n) if hi >= lo else np.full(ctx.n, lo)
    return pl.Series(days.astype(np.int32), dtype=pl.Int32).cast(pl.Date)


@draws(Datetime)
def datetime(spec: Datetime, ctx) -> pl.Series:
    """Whole seconds between start and end, as Faker's date_time_between gives them."""
    if spec.relative():
        return _between_fields(spec, ctx, pl.Datetime("us"))
    start, end = _bounds(spec, ctx)
    lo, hi = _seconds(start), _seconds(end)
    seconds = ctx.rng().integers(lo, hi + 1, ctx.n) if hi >= lo else np.full(ctx.n, lo)
    return pl.Series(seconds * 1_000_000, dtype=pl.Int64).cast(pl.Datetime("us"))


def _moment_column(spec, ctx, key: str) -> pl.Series:
    """start or end for every row, as microseconds since 1970: a field's value (with its offset)
    or the fixed moment."""
    value = getattr(spec, key)
    found = moment_field(value)
    if found is None:
        return pl.Series([_seconds(parse_moment(value, ctx.design.info.reference_time)) * 1_000_000] * ctx.n, dtype=pl.Int64)
    name, offset = found
    column = ctx.column(name)
    if not (column.dtype == pl.Date or isinstance(column.dtype, pl.Datetime) or column.dtype == pl.Null):
        raise GenerationError(
            f'{key} reads field "{name}", which holds {column.dtype}, not dates or times',
            path=f"entities.{ctx.entity}.fields.{ctx.field}.{key}",
        )
    moments = column.cast(pl.Datetime("us"))
    if offset:
        moments = pl.select(pl.lit(moments).dt.offset_by(offset)).to_series()
    return moments.cast(pl.Int64)


def _between_fields(spec, ctx, dtype) -> pl.Series:
    """start or end read from fields: each row uniform between its own start and end (whole days
    for a date, microseconds for a datetime). A row whose start or end is null, or whose start is
    after its end, has no moment: null."""
    lo, hi = _moment_column(spec, ctx, "start"), _moment_column(spec, ctx, "end")
    if dtype == pl.Date:
        day = 86_400_000_000
        lo, hi = lo // day, hi // day  # floor: a moment's own day
    fine = (lo.is_not_null() & hi.is_not_null() & (lo <= hi)).to_numpy()
    low = np.where(fine, lo.fill_null(0).to_numpy(), 0)
    high = np.where(fine, hi.fill_null(0).to_numpy(), 0)
    drawn = ctx.rng().integers(low, high, endpoint=True) if ctx.n else np.zeros(0, dtype=np.int64)
    out = pl.Series(drawn.astype(np.int64), dtype=pl.Int64)
    out = pl.select(pl.when(pl.lit(pl.Series(fine))).then(pl.lit(out)).otherwise(None)).to_series()
    return (out.cast(pl.Int32).cast(pl.Date) if dtype == pl.Date else out.cast(pl.Datetime("us"))).alias(ctx.field)


def _steps(spec, ctx) -> np.ndarray:
    """0, 1, 2, ... across the entity, or within each parent's children with per_parent."""
    if spec.per_parent:
        parents = ctx.parent_index
        if not len(parents):
            return np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        first_of_group = np.repeat(starts, np.diff(np.r_[starts, len(parents)]))
        return np.arange(len(parents), dtype=np.int64) - first_of_group
    return np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)


@draws(Series)
def series(spec: Series, ctx) -> pl.Series:
    steps = _steps(spec, ctx)
    if isinstance(spec.step, str):
        start = parse_moment(spec.start, ctx.design.info.reference_time) if not isinstance(spec.start, (int, float)) else EPOCH
        step = parse_duration(spec.step)
        origin = pl.lit(start, dtype=pl.Datetime("us"))
        if isinstance(step, tuple):  # months vary in length: let polars count them
            months, rest = step
            offsets = pl.Series(steps * months).cast(pl.String) + "mo"
            shifted = pl.select(origin.dt.offset_by(pl.lit(offsets))).to_series()
            return shifted + pl.Series(steps * int(rest.total_seconds() * 1_000_000), dtype=pl.Int64).cast(pl.Duration("us"))
        micros = steps * int(step.total_seconds() * 1_000_000)
        return (pl.Series(micros + _seconds(start) * 1_000_000, dtype=pl.Int64)).cast(pl.Datetime("us"))
    if isinstance(spec.start, int) and isinstance(spec.step, int):
        return pl.Series(spec.start + spec.step * steps, dtype=pl.Int64)
    return pl.Series(float(spec.start) + float(spec.step) * steps, dtype=pl.Float64)  # type: ignore[arg-type]  # numbers: a text step took the time path


def _anomaly_rows(ctx, spec, field: str) -> np.ndarray:
    """Which rows of the timeseries `field` are anomalies: the same draw for the signal and its flag."""
    return ctx.run.draw(ctx.entity, field, ctx.block.index, "anomaly").random(ctx.n) < spec.anomaly_rate


@draws(Timeseries)
def timeseries(spec: Timeseries, ctx) -> pl.Series:
    times = ctx.column(spec.time).cast(pl.Datetime("us"))
    hours = (times.dt.hour().cast(pl.Float64) + times.dt.minute().cast(pl.Float64) / 60).to_numpy()
    weekend = (times.dt.weekday() >= 6).fill_null(False).to_numpy()
    ref = ctx.design.info.reference_time
    days = ((times - pl.Series([ref], dtype=pl.Datetime("us"))).dt.total_seconds().cast(pl.Float64) / 86400).to_numpy()
    if isinstance(spec.baseline, str):
        base = ctx.column(spec.baseline).cast(pl.Float64).fill_null(float("nan")).to_numpy()
    else:
        base = np.full(ctx.n, float(spec.baseline))
    daily = 1 + spec.daily * np.sin(2 * np.pi * (hours - 6) / 24)  # peaks at noon, lowest at midnight
    weekly = 1 - spec.weekly * weekend
    values = base * daily * weekly + spec.trend * days
    if spec.noise:
        values = values + ctx.rng("noise").normal(0, spec.noise, ctx.n)
    anomalies = _anomaly_rows(ctx, spec, ctx.field)
    if anomalies.any():
        # size and sign from streams of their own: a second draw from one stream would make row i's
        # sign depend on how many rows the block has (a smaller run would not be a prefix of a larger)
        unit = spec.noise if spec.noise else 0.1 * np.abs(base)
        size = ctx.rng("anomaly-size").uniform(1.0, 2.0, ctx.n)
        sign = ctx.rng("anomaly-sign").choice([-1.0, 1.0], ctx.n)
        jump = spec.anomaly_scale * unit * size * sign
        values = np.where(anomalies, values + jump, values)
    if spec.decimals is not None:
        values = np.round(values, spec.decimals)
    return pl.Series(values, dtype=pl.Float64).fill_nan(None)  # no time, no reading


@draws(Anomaly)
def anomaly(spec: Anomaly, ctx) -> pl.Series:
    signal = ctx.design.entities[ctx.entity].fields[spec.field]
    return pl.Series(_anomaly_rows(ctx, signal, spec.field), dtype=pl.Boolean)
