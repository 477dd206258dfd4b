"""Faker's person providers: names, their parts, prefixes and suffixes, by the locale's lists and formats."""

from __future__ import annotations

from collections import OrderedDict

import polars as pl

from .drawers import from_formats, from_list
from .faithful import handles
from .registry import Provider, provider
from .vocab import concat_vocabs, data, vocab, vocab_of

# ja_JP's names are (kanji, kana, romaji) pairs, its last names weighted by population (佐藤 6.9%)
for _name, _attrs in {
    "first_name": ("first_name_pairs[0]", "first_names"),
    "last_name": ("last_name_pairs[0]", "last_names"),
    "first_name_male": ("first_name_male_pairs[0]", "first_names_male", "first_names"),
    "first_name_female": ("first_name_female_pairs[0]", "first_names_female", "first_names"),
    "first_name_nonbinary": ("first_names_nonbinary", "first_names"),
    "last_romanized_name": ("last_name_pairs[2]", "last_romanized_names"),
    "first_romanized_name": ("first_name_pairs[2]", "first_romanized_names"),
    "prefix_nonbinary": ("prefixes_nonbinary", "prefixes"),
    "suffix_nonbinary": ("suffixes_nonbinary", "suffixes"),
    # without a list of their own, Faker's last_name(): ja_JP's weighted pairs
    "last_name_nonbinary": ("last_names_nonbinary", "last_name_pairs[0]", "last_names"),
    "last_name_male": ("last_names_male", "last_name_pairs[0]", "last_names"),
    "last_name_female": ("last_names_female", "last_name_pairs[0]", "last_names"),
    "prefix_male": ("prefixes_male", "prefixes"),
    "prefix_female": ("prefixes_female", "prefixes"),
    "suffix_male": ("suffixes_male", "suffixes"),
    "suffix_female": ("suffixes_female", "suffixes"),
}.items():
    provider(_name)(from_list(_name, *_attrs))
    # ja_JP overrides these as one item of its pairs (`first_name_pair()[0]`): the `...pairs[k]` read above
    handles(_name, "faker.providers.person.ja_JP")

for _name, _attrs in {
    "name": ("formats",),
    "name_male": ("formats_male", "formats"),
    "name_female": ("formats_female", "formats"),
    "name_nonbinary": ("formats_nonbinary", "formats"),
}.items():
    provider(_name)(from_formats(_name, *_attrs))


def _gendered(method: str, plain: str, male: str, female: str, nonbinary: str) -> Provider:
    """Faker's prefix() and suffix(): the plain list; else male, female and nonbinary in one
    OrderedDict (a value in several takes the last one's weight, as `add_ordereddicts` gives);
    else male or female by a coin, then that one's weights."""

    def draw(locale, args, rng, n):
        listed = vocab(locale, method, plain)
        if listed is not None:
            return listed.draw(rng, n)
        m, f, nb = (data(locale, method, attr) for attr in (male, female, nonbinary))
        if m and f and nb:
            from faker.utils.datasets import add_ordereddicts  # here: faker loads when first drawn from

            return vocab_of(add_ordereddicts(*(_weighted(x) for x in (m, f, nb)))).draw(rng, n)  # type: ignore[arg-type]  # it reads items() only
        if m and f:
            return concat_vocabs(vocab_of(m), vocab_of(f)).draw(rng, n)
        return pl.Series([""] * n, dtype=pl.String)

    return draw


def _weighted(elements) -> dict:
    return elements if isinstance(elements, dict) else OrderedDict((v, 1.0) for v in elements)


provider("prefix")(_gendered("prefix", "prefixes", "prefixes_male", "prefixes_female", "prefixes_nonbinary"))
provider("suffix")(_gendered("suffix", "suffixes", "suffixes_male", "suffixes_female", "suffixes_nonbinary"))
