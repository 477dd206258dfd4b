"""Unique text is numbered column-wise with a hashed memory of earlier blocks; it must give exactly
what the plain rule gives: the k-th occurrence of a text takes the smallest free number >= k."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from designer.engine.seen import SeenCounts, hashes
from designer.engine.unique import _numbered


def reference(blocks: list[list[str | None]]) -> list[str | None]:
    """The rule spelled out with a dict of every value: slow, obvious."""
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for block in blocks:
        naturals = {t for t in block if t is not None}
        firsts: set[str] = set()
        for text in block:
            if text is None:
                out.append(None)
                continue
            if text not in seen and text not in firsts:
                firsts.add(text)
                seen[text] = 1
                out.append(text)
                continue
            seen[text] = seen.get(text, 1) + 1
            number = seen[text]
            while True:
                local, at, domain = text.partition("@")
                candidate = f"{local}{number}{at}{domain}" if at else f"{text}{number}"
                if candidate not in seen and candidate not in naturals:
                    break
                number += 1
            seen[candidate] = 1
            out.append(candidate)
    return out


def numbered(blocks: list[list[str | None]]) -> list[str | None]:
    seen = SeenCounts()
    out: list[str | None] = []
    for block in blocks:
        out += _numbered(pl.Series("v", block, dtype=pl.String), seen).to_list()
    return out


VOCABULARIES = {
    "emails that look numbered": ["ann@x.com", "bob@x.com", "ann2@x.com", "ann3@x.com", "dee@y.org", "ann@x.com2", None],
    "texts ending in digits": ["cy", "cy2", "cy22", "cy3", "a", "a1", "a12", None],
    "no digits until late": ["p", "q", "p@x", "q@y"],
}


@pytest.mark.parametrize("name", VOCABULARIES)
def test_numbering_matches_the_plain_rule_across_blocks(name):
    words = VOCABULARIES[name]
    rng = np.random.default_rng(7)
    for trial in range(150):
        sizes = rng.integers(0, 40, int(rng.integers(1, 5)))
        blocks = [[words[i] for i in rng.integers(0, len(words), size)] for size in sizes]
        if trial % 10 == 0:
            blocks.append(["q2", "p@x", "a12"])  # digit-tailed values arriving after numbering began
        got = numbered(blocks)
        assert got == reference(blocks), blocks
        present = [v for v in got if v is not None]
        assert len(present) == len(set(present))


def test_numbers_follow_occurrences_in_row_order():
    assert numbered([["a@x", "a@x"], ["a@x", "b", "b"], ["a2@x"]]) == ["a@x", "a2@x", "a3@x", "b", "b2", "a22@x"]


def test_a_block_without_repeats_is_returned_as_is():
    values = pl.Series("v", ["p", "q", None])
    assert _numbered(values, SeenCounts()) is values


def test_seen_counts_keep_the_newest_count_as_the_table_grows():
    seen = SeenCounts()
    keys = hashes(pl.Series([f"v{i}" for i in range(5000)]))
    for start in range(0, 5000, 100):  # many small sets: the table doubles several times
        seen.set(keys[start : start + 100], np.full(100, 1))
    seen.set(keys[:10], np.full(10, 7))
    assert len(seen) == 5000  # a key set again is replaced, not kept twice
    counts = seen.counts(keys)
    assert (counts[:10] == 7).all() and (counts[10:] == 1).all()
    assert (seen.counts(hashes(pl.Series(["never", "seen"]))) == 0).all()
