"""Faker's company and job providers."""

from __future__ import annotations

import polars as pl

from .drawers import from_formats, from_list
from .registry import Provider, provider
from .vocab import data, vocab_of

provider("company")(from_formats("company", "formats"))
provider("company_suffix")(from_list("company_suffix", "company_suffixes"))
provider("job")(from_list("job", "jobs"))


def _word_lists(method: str, attr: str) -> Provider:
    def draw(locale, args, rng, n):
        lists = data(locale, method, attr)
        if not lists:
            return None
        columns = [pl.lit(vocab_of(words).draw(rng, n)) for words in lists]
        return pl.select(pl.concat_str(columns, separator=" ")).to_series()

    return draw


provider("catch_phrase")(_word_lists("catch_phrase", "catch_phrase_words"))
provider("bs")(_word_lists("bs", "bsWords"))
