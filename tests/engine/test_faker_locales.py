"""Vectorized providers give what Faker gives in each locale; where a locale overrides a method with
something the vectorized form does not reproduce, values are made per row by Faker itself."""

from __future__ import annotations

import re

import numpy as np
import pytest

from designer.engine.fakers import CHUNK_ROWS, REGISTRY, generate, is_known_provider, path_of

UK_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}")


def values(provider: str, locale: str, n: int = 500) -> list[str]:
    return generate(provider, {}, [(locale, 1.0)], np.random.default_rng(3), n).to_list()


def test_uk_postcodes_are_real_postcodes():
    assert path_of("postcode", locale="en_GB") == "per-row"
    postcodes = values("postcode", "en_GB")
    assert all(UK_POSTCODE.fullmatch(p) for p in postcodes), [p for p in postcodes if not UK_POSTCODE.fullmatch(p)][:5]
    assert len(set(postcodes)) > 450


def test_overrides_that_keep_faker_output_stay_vectorized():
    assert path_of("postcode", locale="en_US") == "vectorized"  # "%05d" and "#####-####" shapes
    assert path_of("state", locale="en_US") == "vectorized"  # an alias that draws from the same list
    assert path_of("ean13", locale="en_US") == "vectorized"  # other prefixes, the same shape
    assert all(re.fullmatch(r"[0-9]{5}(-[0-9]{4})?", z) for z in values("postcode", "en_US"))


def test_us_state_abbreviations_include_territories_as_faker_does():
    assert path_of("state_abbr", locale="en_US") == "per-row"
    drawn = set(values("state_abbr", "en_US", 3000))
    assert drawn & {"PR", "GU", "VI", "AS", "MP"} and {"CA", "NY", "TX"} <= drawn


def test_a_provider_without_a_locale_override_is_vectorized_everywhere():
    for locale in ("en_US", "de_DE", "fr_FR", "ja_JP"):
        assert path_of("first_name", locale=locale) == "vectorized"


@pytest.mark.parametrize("provider", sorted(p for p in REGISTRY if is_known_provider(p)))  # not ja_JP's romanized names
def test_the_first_rows_do_not_depend_on_how_many_are_drawn(provider):
    """A provider draws several things per call (formats, then their words); values must still be a
    prefix of a longer draw, or `--rows 2000` would not start with the rows of `--rows 1000`."""

    def draw(n: int) -> list:
        return generate(provider, {}, [("en_US", 1.0)], np.random.default_rng(5), n).to_list()

    assert draw(40) == draw(300)[:40]


def test_prefix_holds_across_chunks_and_mixed_locales():
    locales = [("en_US", 0.5), ("de_DE", 0.3), ("ja_JP", 0.2)]

    def draw(provider: str, n: int) -> list:
        return generate(provider, {}, locales, np.random.default_rng(9), n).to_list()

    longer = draw("name", CHUNK_ROWS + 500)
    assert draw("name", CHUNK_ROWS + 20) == longer[: CHUNK_ROWS + 20]
    assert draw("email", 50) == draw("email", 5000)[:50]
