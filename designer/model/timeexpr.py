"""Moments ("now", "-90d", "2025-06-01") and durations ("1h", "15m") in presets.

Units follow polars: s, m (minutes), h, d, w, mo (months), y. Relative moments
are counted from the design's reference_time, never from the clock, so output
stays reproducible.
"""

from __future__ import annotations

import datetime as dt
import re

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "mo": "months", "y": "years"}
_PART = re.compile(r"(\d+)(mo|s|m|h|d|w|y)")
_RELATIVE = re.compile(r"^([+-])((?:\d+(?:mo|s|m|h|d|w|y))+)$")


def _parts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for amount, unit in _PART.findall(text):
        counts[_UNITS[unit]] = counts.get(_UNITS[unit], 0) + int(amount)
    return counts


def _shift(moment: dt.datetime, parts: dict[str, int], sign: int) -> dt.datetime:
    months = sign * (parts.pop("months", 0) + 12 * parts.pop("years", 0))
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, _days_in_month(year, month + 1))
    shifted = moment.replace(year=year, month=month + 1, day=day)
    return shifted + sign * dt.timedelta(**parts)


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


# What a date can hold: years 1..9999. A longer offset or step is refused with this reason
# rather than left to overflow in datetime, numpy or polars.
MAX_SPAN = dt.datetime(9999, 12, 31) - dt.datetime(1, 1, 1)
_OUT_OF_RANGE = "beyond the dates a datetime can hold (years 1 to 9999)"


def parse_duration(text: str) -> dt.timedelta | tuple[int, dt.timedelta]:
    """ "1h" -> timedelta; "1mo"/"1y" -> (months, remainder) since months vary in length."""
    if not isinstance(text, str) or not re.fullmatch(r"(?:\d+(?:mo|s|m|h|d|w|y))+", text):
        raise ValueError(f'"{text}" is not a duration such as "1h", "15m", "1d", "1mo"')
    parts = _parts(text)
    months = parts.pop("months", 0) + 12 * parts.pop("years", 0)
    try:
        rest = dt.timedelta(**parts)
    except OverflowError:
        rest = None
    if rest is None or rest > MAX_SPAN or months > 12 * 9999:
        raise ValueError(f'"{text}" is {_OUT_OF_RANGE}')
    if months:
        return (months, rest)
    if rest <= dt.timedelta(0):
        raise ValueError(f'"{text}" is not a positive duration')
    return rest


def check_moment(value: str | dt.date | dt.datetime) -> None:
    """Raise ValueError unless `value` is written as a moment; whether an offset stays within the
    calendar depends on the design's reference_time, so the design's checks ask parse_moment."""
    if isinstance(value, str) and _RELATIVE.match(value.strip()):
        return
    if isinstance(value, str) and value.strip().startswith("{"):
        if moment_field(value) is None:
            raise ValueError(f'"{value}" is not a moment from a field: write "{{name}}", "{{name}} + 30d" or "{{name}} - 2h"')
        return
    parse_moment(value, dt.datetime(2000, 1, 1))


def parse_moment(value: str | dt.date | dt.datetime, now: dt.datetime) -> dt.datetime:
    """A preset moment as a naive datetime, relative ones counted from `now`."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = value.strip()
    if text == "now":
        return now
    match = _RELATIVE.match(text)
    if match:
        try:
            return _shift(now, _parts(match.group(2)), 1 if match.group(1) == "+" else -1)
        except (OverflowError, ValueError):
            raise ValueError(f'"{value}" from {now:%Y-%m-%d} is {_OUT_OF_RANGE}') from None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise ValueError(
            f'"{value}" is not a moment: use ISO ("2025-06-01", "2025-06-01T08:00:00"), '
            f'"now", or an offset such as "-90d", "-2y", "+6h"'
        ) from None


# A moment taken from a field of the same row: "{signup_at}", "{published_at} + 30d", "{x} - 2h".
_FIELD_MOMENT = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}\s*(?:([+-])\s*((?:\d+(?:mo|s|m|h|d|w|y))+))?$")


def moment_field(value: object) -> tuple[str, str] | None:
    """("signup_at", "+30d") for "{signup_at} + 30d", (name, "") without an offset; None for a
    moment that names no field (ISO text, "now", "-90d")."""
    if not isinstance(value, str):
        return None
    match = _FIELD_MOMENT.match(value.strip())
    if match is None:
        return None
    name, sign, offset = match.groups()
    if offset:
        parse_duration(offset)  # within the calendar, or ValueError with the reason
        return name, sign + offset
    return name, ""


def renamed_moment(value: object, old: str, new: str) -> object:
    """The moment reading field `old` by its new name (the same value when it names another)."""
    found = moment_field(value)
    if found is None or found[0] != old:
        return value
    name, offset = found
    return "{" + new + "}" + (f" {offset[0]} {offset[1:]}" if offset else "")
