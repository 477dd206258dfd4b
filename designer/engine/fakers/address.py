"""Faker's address providers: cities, streets, postcodes, states and countries."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from .drawers import from_formats, from_list, token_column
from .faithful import SOURCES, mirrors
from .formats import expand
from .registry import ARGS, REGISTRY, provider
from .vocab import data, defined_in, owner, vocab, vocab_of

for _name, _attrs in {
    "city": ("city_formats",),
    "street_address": ("street_address_formats",),
    "address": ("address_formats",),
}.items():
    provider(_name)(from_formats(_name, *_attrs, randomize=True))

# Locales whose street_name is one item of a list of streets (their street_name_formats, "{{street_name}}",
# would expand into itself); the rest of the overrides (ru_RU's inflected adjectives, hu_HU's
# capitalize, es_AR's numerify) are Faker's to run.
_STREET_LISTS = {
    f"faker.providers.address.{loc}": attr
    for loc, attr in (
        ("cs_CZ", "streets"),
        ("hr_HR", "streets"),
        ("mk_MK", "streets"),
        ("pl_PL", "streets"),
        ("sk_SK", "streets"),
        ("sl_SI", "streets"),
        ("vi_VN", "streets"),
        ("zh_TW", "street_names"),
        ("uk_UA", "street_titles"),
    )
}
_street_formats = from_formats("street_name", "street_name_formats", randomize=True)
mirrors("street_name", "faker.providers.address", *_STREET_LISTS)


@provider("street_name")
def street_name(locale, args, rng, n):
    module = defined_in(locale, "street_name")
    attr = None if module is None else _STREET_LISTS.get(module)
    if attr is None:
        return _street_formats(locale, args, rng, n)
    streets = vocab(locale, "street_name", attr)
    return streets.draw(rng, n) if streets else None


provider("building_number")(from_formats("building_number", "building_number_formats", randomize=True))
for _name, _attrs in {
    "city_prefix": ("city_prefixes",),
    "city_suffix": ("city_suffixes",),
    "street_suffix": ("street_suffixes",),
    "state": ("states",),
    "state_abbr": ("states_abbr",),
    "country": ("countries",),
}.items():
    provider(_name)(from_list(_name, *_attrs))
provider("secondary_address")(from_formats("secondary_address", "secondary_address_formats", randomize=True))


SOURCES["zipcode"] = ("formats", ("postcode_formats",))
# Faker's own rules where a locale has one that is not its formats; other locales' overrides per row
mirrors("postcode", *(f"faker.providers.address{m}" for m in ("", ".en_US", ".fr_FR", ".es_ES")))


@cache
def _french_departments(locale: str) -> tuple[np.ndarray, np.ndarray]:
    """fr_FR's department numbers ("2A" and "2B" as "20", Faker's postcode rule) and how many digits follow."""
    numbers = ["20" if d in ("2A", "2B") else d for d, _ in owner(locale, "postcode").departments]
    return np.array(numbers, dtype=object), np.array([5 - len(d) for d in numbers])


@provider("postcode")
def postcode(locale, args, rng, n):
    module = defined_in(locale, "postcode")
    if module == "faker.providers.address.en_US":  # not its formats: 00501..99950
        numbers = rng.integers(501, 99951, n)
        return pl.Series(numbers).cast(pl.String).str.zfill(5)
    if module == "faker.providers.address.es_ES":  # randint(1000, 52100), five digits
        return pl.Series(rng.integers(1000, 52101, n)).cast(pl.String).str.zfill(5)
    if module == "faker.providers.address.fr_FR":  # a department, then random_number(5 - its length, fix_len)
        numbers, digits = _french_departments(locale)
        which = rng.integers(0, len(numbers), n)
        tail = 10 ** (digits[which] - 1) + np.floor(rng.random(n) * 9 * 10 ** (digits[which] - 1)).astype(np.int64)
        return pl.Series(numbers[which].astype(str)) + pl.Series(tail).cast(pl.String)
    if module != "faker.providers.address":
        return None
    v = vocab(locale, "postcode", "postcode_formats")
    if v is None:
        return None
    return expand(v, rng, n, token_column(locale, args), randomize=True).str.to_uppercase()


REGISTRY["zipcode"] = lambda locale, args, rng, n: (
    postcode(locale, args, rng, n) if getattr(owner(locale, "zipcode"), "postcode_formats", None) else None
)
ARGS["zipcode"] = {"_now"}


@provider("country_code", ("representation",))
def country_code(locale, args, rng, n):
    codes = data(
        locale,
        "country_code",
        "alpha_2_country_codes" if args.get("representation", "alpha-2") == "alpha-2" else "alpha_3_country_codes",
    )
    return vocab_of(codes).draw(rng, n) if codes else None
