"""The fixed shapes of Faker's list and dict providers, for formats that hold nested values.

Every format holds these values as JSON text (`jsontext.py`), which reads back anywhere. Parquet can
do better where the shape is known before a row is drawn: a `profile` is always the same keys with
the same types, `words` always a list of text. There the column is written as an Arrow struct or
list, so a reader gets `profile.birthdate` as a date, not a string to parse. Shapes that depend on
the row (a `pydict`'s random keys, a `pylist` of mixed types, `pystruct`) stay JSON text: a column
type decided by the first rows would not hold for the next ones.

A shape is a polars dtype that `str.json_decode` reads the JSON text into; the writer turns it into
the Arrow type. The shape comes from the provider and its args alone, so the same preset always
gives the same Parquet schema.
"""

from __future__ import annotations

import polars as pl

_TEXT_LIST = pl.List(pl.String)
_PAIR = pl.List(pl.Float64)  # Faker's (latitude, longitude): Decimals, read as numbers

_SIMPLE_PROFILE: dict[str, pl.DataType | type[pl.DataType]] = {
    "username": pl.String,
    "name": pl.String,
    "sex": pl.String,
    "address": pl.String,
    "mail": pl.String,
    "birthdate": pl.Date,
}
# Faker's own key order: profile builds these, then adds simple_profile's (faker/providers/profile)
_PROFILE: dict[str, pl.DataType | type[pl.DataType]] = {
    "job": pl.String,
    "company": pl.String,
    "ssn": pl.String,
    "residence": pl.String,
    "current_location": _PAIR,
    "blood_group": pl.String,
    "website": _TEXT_LIST,
    **_SIMPLE_PROFILE,
}

_LISTS = {
    "words": _TEXT_LIST,
    "sentences": _TEXT_LIST,
    "paragraphs": _TEXT_LIST,
    "texts": _TEXT_LIST,
    "get_words_list": _TEXT_LIST,
    "latlng": _PAIR,
    "local_latlng": _TEXT_LIST,
    "location_on_land": _TEXT_LIST,
}

# pylist & co. with a single value type: a list of that type (a set is written sorted, still a list)
_ITERABLES = {"pylist", "pytuple", "pyset", "pyiterable"}
_ELEMENTS = {
    "str": pl.String,
    "pystr": pl.String,
    "int": pl.Int64,
    "pyint": pl.Int64,
    "float": pl.Float64,
    "pyfloat": pl.Float64,
    "bool": pl.Boolean,
    "pybool": pl.Boolean,
}


def json_shape(provider: str, args: dict) -> pl.DataType | None:
    """The nested dtype a container provider's JSON text always has with these args, or None."""
    if provider == "simple_profile":
        return pl.Struct(_SIMPLE_PROFILE)
    if provider == "profile":
        chosen = args.get("fields") or list(_PROFILE)
        if not isinstance(chosen, list):
            return None
        return pl.Struct({k: t for k, t in _PROFILE.items() if k in chosen}) if set(chosen) & set(_PROFILE) else None
    if provider in _LISTS:
        return _LISTS[provider]
    if provider in _ITERABLES:
        types = args.get("value_types")
        if isinstance(types, str):
            types = [types]
        if args.get("allowed_types") is None and isinstance(types, list) and len(types) == 1 and types[0] in _ELEMENTS:
            return pl.List(_ELEMENTS[types[0]])
    return None


__all__ = ["json_shape"]
