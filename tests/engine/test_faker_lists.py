"""Providers that are one item of a locale's list, a numbered format or the locale's constant, at
column speed: what they give is what Faker gives, item for item, in each locale they keep."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from faker import Faker

from designer import pipeline, presets
from designer.engine.fakers import generate, path_of
from designer.engine.fakers.fallback import per_row
from designer.engine.fakers.vocab import owner
from designer.model.providers import provider_names

LISTS = {
    "administrative_unit": "states",
    "century": "centuries",
    "country_calling_code": "country_calling_codes",
    "emoji": "emojis",
    "http_method": "http_methods",
    "language_name": "language_names",
    "linux_processor": "linux_processors",
    "mac_processor": "mac_processors",
    "military_ship": "military_ship_prefix",
    "military_state": "military_state_abbr",
    "safe_color_name": "safe_colors",
    "uri_extension": "uri_extensions",
    "uri_page": "uri_pages",
    "windows_platform_token": "windows_platform_tokens",
}  # provider: the list Faker draws from


def ours(provider: str, locale: str, n: int = 20_000) -> list:
    return generate(provider, {}, [(locale, 1.0)], np.random.default_rng(5), n).to_list()


def fakers_own(provider: str, locale: str, n: int = 3_000) -> list:
    return per_row(provider, {}, locale, np.random.default_rng(6), n).to_list()


# where a locale has a method of its own (en_GB's counties), Faker runs per row: pinned below
KEPT = [
    (p, loc)
    for p in LISTS
    for loc in ("en_US", "de_DE", "ja_JP")
    if p in provider_names(loc) and path_of(p, {}, loc) == "vectorized"
]


@pytest.mark.parametrize(("provider", "locale"), KEPT, ids=[f"{p}-{loc}" for p, loc in KEPT])
def test_a_list_provider_gives_fakers_items_evenly(provider, locale):
    source = getattr(owner(locale, provider), LISTS[provider])
    # Faker's chances: a dict's weights, or a list's repeats (".html" three times in uri_extensions)
    weights = Counter({str(k): float(w) for k, w in source.items()}) if isinstance(source, dict) else Counter(map(str, source))
    items = set(weights)
    mine, theirs = ours(provider, locale), fakers_own(provider, locale)
    assert set(theirs) <= items and set(mine) <= items  # Faker draws from that list, and so do we
    if len(items) <= 100:  # every item, each as often as Faker's chances say (within 6 standard deviations)
        counts, total = Counter(mine), sum(weights.values())
        assert set(counts) == items
        for item, weight in weights.items():
            p = weight / total
            assert abs(counts[item] - p * len(mine)) < 6 * np.sqrt(len(mine) * p * (1 - p)) + 1, item
    else:
        assert len(set(mine)) > 0.9 * min(len(items), len(mine)) * (1 - np.exp(-len(mine) / len(items)))


def test_the_list_providers_run_a_column_at_a_time_in_en_us():
    assert {p: path_of(p, {}, "en_US") for p in LISTS} == dict.fromkeys(LISTS, "vectorized")
    assert len(KEPT) > 30


def test_a_locale_with_its_own_method_keeps_faker():
    assert path_of("administrative_unit", {}, "en_GB") == "per-row"  # counties, from its own code
    assert path_of("century", {}, "th_TH") == "per-row"


def test_msisdn_has_fakers_shape():
    shape = re.compile(r"[0-9]{13}")
    assert all(shape.fullmatch(v) for v in ours("msisdn", "en_US")) and all(
        shape.fullmatch(v) for v in fakers_own("msisdn", "en_US")
    )
    assert len(set(ours("msisdn", "en_US"))) > 19_900


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "ja_JP", "pt_BR"])
def test_current_country_is_the_locales_as_faker_says(locale):
    assert path_of("current_country", {}, locale) == "vectorized"
    assert set(ours("current_country", locale, 100)) == {Faker(locale).current_country()}
    assert set(ours("current_country_code", locale, 100)) == {Faker(locale).current_country_code()}


def test_the_hr_preset_has_no_field_left_to_faker_per_row():
    from designer.summary import per_row_fields

    from ..conftest import PRESETS

    assert per_row_fields(presets.load(PRESETS / "hr.toml")) == []
    frame = pipeline.generate(presets.load(PRESETS / "hr.toml"), "employees", rows={"departments": 12})
    assert set(frame["country"].drop_nulls()) == {"United States", "Germany", "France", "Spain"}
