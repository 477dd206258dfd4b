"""Faker's lists, tuples, sets, dicts and generators as JSON text, the same bytes in every process.

Every format holds text, and JSON text reads back with any JSON parser (`json.loads` on a SQLite or
CSV cell), where Python's repr (`Decimal('1.5')`, `datetime.date(2020, 1, 1)`) reads back nowhere.
Decimals stay exact numbers, dates and times are ISO text, a set is a list sorted by its items' JSON
(a set's own order follows PYTHONHASHSEED), and a generator (time_series) is the list it yields.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import types
from collections.abc import Iterator

CONTAINERS = (list, tuple, set, frozenset, dict, types.GeneratorType, Iterator)


def json_text(value) -> str:
    """`value` as compact JSON: dict keys keep Faker's order; non-UTF-8 text never arises."""
    return _encode(value)


def _encode(value) -> str:
    if value is None or isinstance(value, (bool, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(value) if value == value and abs(value) != float("inf") else json.dumps(str(value))
    if isinstance(value, decimal.Decimal):  # exact, as written: 12.3400 stays 12.3400
        return str(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(_key(k), ensure_ascii=False)}:{_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (set, frozenset)):
        return "[" + ",".join(sorted(_encode(v) for v in value)) + "]"
    if isinstance(value, CONTAINERS):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, (bytes, bytearray)):
        return json.dumps(bytes(value).hex())
    return json.dumps(str(value), ensure_ascii=False)  # UUID, ZoneInfo, timedelta: their text


def _key(key) -> str:
    return key if isinstance(key, str) else _encode(key).strip('"')
