"""Faker's date and time providers as columns, "now" being the design's reference time.

Hand-written Faker loops lean on `date_time_between(start_date="-2y")` and its family; here they
draw a whole column and count from the reference time, so a preset means the same rows on any
day. The bounds are read as Faker reads them (`_parse_date_time`, `_parse_date`: "now",
"today", "-30d", "+1y", dates, datetimes, timedeltas, seconds or days as integers), and values are
uniform between them, as Faker's are. An argument the column path does not read (a tzinfo, a
string Faker cannot parse, an empty range) returns None: Faker then runs per row, with its clock
held at the reference time too, and says what is wrong in its own words.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...model.design import DEFAULT_REFERENCE_TIME
from .registry import provider

EPOCH = dt.datetime(1970, 1, 1)
_US = 1_000_000
_DAY_US = 86_400 * _US


def _now(args: dict) -> dt.datetime:
    return (args.get("_now") or DEFAULT_REFERENCE_TIME).replace(tzinfo=None)  # wall-clock, as the model keeps it


def _offset(text: str) -> dt.timedelta | None:
    """ "-30y", "+6h": Faker's own reading (a year is 365.24 days, a month 30.42)."""
    from faker.providers.date_time import ParseError, Provider  # here: faker loads when first drawn from

    try:
        return dt.timedelta(**Provider._parse_date_string(text))
    except (ParseError, TypeError, ValueError, OverflowError):
        return None


def _seconds(value, now: dt.datetime) -> int | None:
    """A moment as whole seconds since the epoch, as Faker's `_parse_date_time` gives it."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        return int((value - EPOCH).total_seconds() // 1)
    if isinstance(value, dt.date):
        return (value - EPOCH.date()).days * 86_400
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dt.timedelta):
        return _seconds(now + value, now)
    if isinstance(value, str):
        offset = dt.timedelta(0) if value == "now" else _offset(value)
        return None if offset is None else _seconds(now + offset, now)
    return None


def _day(value, today: dt.date) -> dt.date | None:
    """A day, as Faker's `_parse_date` gives it."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return today + dt.timedelta(days=value)
    if isinstance(value, dt.timedelta):
        return today + value
    if isinstance(value, str):
        offset = dt.timedelta(0) if value in ("today", "now") else _offset(value)
        return None if offset is None else today + offset
    return None


def _moments(start: int | None, end: int | None, rng: np.random.Generator, n: int) -> pl.Series | None:
    """Uniform datetimes between two moments in seconds, to the microsecond."""
    if start is None or end is None or start > end:
        return None
    micros = start * _US + np.floor(rng.random(n) * ((end - start) * _US)).astype(np.int64)
    return pl.Series(micros).cast(pl.Datetime("us"))


def _days(start: dt.date | None, end: dt.date | None, rng: np.random.Generator, n: int) -> pl.Series | None:
    """Uniform days from `start` up to `end`, as Faker draws them: a moment between the two
    midnights, so `end` itself only when it is `start`."""
    if start is None or end is None or start > end:
        return None
    first, span = (start - EPOCH.date()).days, (end - start).days
    days = first + np.floor(rng.random(n) * span).astype(np.int64)
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _dates_of(moments: pl.Series | None) -> pl.Series | None:
    return None if moments is None else moments.dt.date()


@provider("date_time_between", ("start_date", "end_date"))
def date_time_between(locale, args, rng, n):
    now = _now(args)
    start, end = _seconds(args.get("start_date", "-30y"), now), _seconds(args.get("end_date", "now"), now)
    return _moments(start, end, rng, n)


@provider("date_time_between_dates", ("datetime_start", "datetime_end"))
def date_time_between_dates(locale, args, rng, n):
    now = _now(args)
    start, end = (_seconds(now if args.get(k) is None else args[k], now) for k in ("datetime_start", "datetime_end"))
    return _moments(start, end, rng, n)


@provider("date_between_dates", ("date_start", "date_end"))
def date_between_dates(locale, args, rng, n):
    return _dates_of(
        date_time_between_dates(
            locale,
            {"_now": args.get("_now"), "datetime_start": args.get("date_start"), "datetime_end": args.get("date_end")},
            rng,
            n,
        )
    )


@provider("date_between", ("start_date", "end_date"))
def date_between(locale, args, rng, n):
    today = _now(args).date()
    return _days(_day(args.get("start_date", "-30y"), today), _day(args.get("end_date", "today"), today), rng, n)


@provider("date_time", ("end_datetime",))
def date_time(locale, args, rng, n):
    now = _now(args)
    end = _seconds(now if args.get("end_datetime") is None else args["end_datetime"], now)
    return _moments(0, end, rng, n)


@provider("date_object", ("end_datetime",))
def date_object(locale, args, rng, n):
    return _dates_of(date_time(locale, args, rng, n))


@provider("unix_time", ("end_datetime", "start_datetime"))
def unix_time(locale, args, rng, n):
    now = _now(args)
    start = 0 if args.get("start_datetime") is None else _seconds(args["start_datetime"], now)
    end = _seconds(now if args.get("end_datetime") is None else args["end_datetime"], now)
    if start is None or end is None or start > end:
        return None
    return pl.Series(start + rng.random(n) * (end - start), dtype=pl.Float64)


def _shorthand(between, start: tuple[str | None, str], end: tuple[str | None, str]):
    """Faker's past_/future_ methods: a between with one end an argument of theirs (name, default)
    and the other fixed (None, value)."""

    def draw(locale, args, rng, n):
        bounds = {
            key: args.get(name, default) if name else default
            for key, (name, default) in (("start_date", start), ("end_date", end))
        }
        return between(locale, {"_now": args.get("_now"), **bounds}, rng, n)

    return draw


provider("past_datetime", ("start_date",))(_shorthand(date_time_between, ("start_date", "-30d"), (None, "-1s")))
provider("future_datetime", ("end_date",))(_shorthand(date_time_between, (None, "+1s"), ("end_date", "+30d")))
provider("past_date", ("start_date",))(_shorthand(date_between, ("start_date", "-30d"), (None, "-1d")))
provider("future_date", ("end_date",))(_shorthand(date_between, (None, "+1d"), ("end_date", "+30d")))


# ---- date of birth -----------------------------------------------------------------------------


@provider("date_of_birth", ("minimum_age", "maximum_age"))
def date_of_birth(locale, args, rng, n):
    today = (args.get("_now") or DEFAULT_REFERENCE_TIME).date()
    low_age, high_age = int(args.get("minimum_age", 0)), int(args.get("maximum_age", 115))
    if low_age > high_age:
        return None

    def years_before(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February in a year without one: 1 March, as Faker's change_year
            return today.replace(year=today.year - years, month=3, day=1)

    # As Faker: a moment between the two midnights, so the last day never; the first day moved to
    # the second (which has its own chance too, so twice the others').
    first, last = years_before(high_age + 1), years_before(low_age)
    epoch = dt.date(1970, 1, 1)
    days = (first - epoch).days + np.floor(rng.random(n) * (last - first).days).astype(np.int64)
    days[days == (first - epoch).days] += 1
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


# ---- this century, decade, year, month -----------------------------------------------------------


def _period(now: dt.datetime, unit: str) -> tuple[dt.datetime, dt.datetime]:
    """The start of the century, decade, year or month `now` is in, and of the next one."""
    if unit == "month":
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return start, start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    size = {"century": 100, "decade": 10, "year": 1}[unit]
    first = now.year - now.year % size
    return dt.datetime(first, 1, 1), dt.datetime(min(first + size, dt.MAXYEAR), 1, 1)


def _this(unit: str):
    def draw_moments(locale, args, rng, n):
        now = _now(args)
        before, after = args.get("before_now", True), args.get("after_now", False)
        if not before and not after:
            return pl.Series([now] * n, dtype=pl.Datetime("us"))
        start, end = _period(now, unit)
        low, high = (start if before else now), (end if after else now)
        return _moments(_seconds(low, now), _seconds(high, now), rng, n)

    def draw_days(locale, args, rng, n):
        today = _now(args).date()
        before, after = args.get("before_today", True), args.get("after_today", False)
        if not before and not after:
            return pl.Series([today] * n, dtype=pl.Date)
        start, end = (moment.date() for moment in _period(_now(args), unit))
        return _days(start if before else today, end if after else today, rng, n)

    provider(f"date_time_this_{unit}", ("before_now", "after_now"))(draw_moments)
    provider(f"date_this_{unit}", ("before_today", "after_today"))(draw_days)


for _unit in ("century", "decade", "year", "month"):
    _this(_unit)
