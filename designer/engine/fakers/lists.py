"""Providers that are one item of a locale's list (emoji, http_method, language_name, ...), a
numbered format of one (msisdn), or the locale's own constant (current_country)."""

from __future__ import annotations

from functools import cache

import polars as pl

from ...model.fakerdata import new_faker
from .drawers import from_formats, from_list
from .registry import provider

for _name, _attrs in {
    "administrative_unit": ("states",),
    "century": ("centuries",),
    "country_calling_code": ("country_calling_codes",),
    "emoji": ("emojis",),
    "http_method": ("http_methods",),
    "language_name": ("language_names",),
    "linux_processor": ("linux_processors",),
    "mac_processor": ("mac_processors",),
    "military_ship": ("military_ship_prefix",),
    "military_state": ("military_state_abbr",),
    "safe_color_name": ("safe_colors",),
    "uri_extension": ("uri_extensions",),
    "uri_page": ("uri_pages",),
    "windows_platform_token": ("windows_platform_tokens",),
}.items():
    provider(_name)(from_list(_name, *_attrs))

provider("msisdn")(from_formats("msisdn", "msisdn_formats", randomize=True))


@cache
def _constant(method: str, locale: str) -> str | None:
    """What Faker answers in `locale`, or None where it refuses (a locale without a country)."""
    try:
        return str(getattr(new_faker(locale), method)())
    except (AttributeError, ValueError):
        return None


def _of_the_locale(method: str):
    def draw(locale, args, rng, n):
        value = _constant(method, locale)
        return None if value is None else pl.Series([value] * n, dtype=pl.String)

    return draw


for _name in ("current_country", "current_country_code"):
    provider(_name)(_of_the_locale(_name))
