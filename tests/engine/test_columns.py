"""The column builders under the fast paths: strings from byte matrices, UUIDs as words, weighted
draws through alias tables, formats filled in one matrix. Each is checked against the plain way."""

from __future__ import annotations

import re
import uuid

import numpy as np
import polars as pl
import pytest

from designer.engine.columns import padded_strings, squeezed_strings, uuid_strings
from designer.engine.fakers.formats import fill
from designer.engine.fakers.vocab import Vocab, concat_vocabs
from designer.engine.kinds.derived import transform


def _matrix(texts: list[str], width: int) -> tuple[np.ndarray, np.ndarray]:
    chars = np.zeros((len(texts), width), dtype=np.uint8)
    lengths = np.zeros(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        data = text.encode()
        chars[row, : len(data)] = np.frombuffer(data, dtype=np.uint8)
        lengths[row] = len(data)
    return chars, lengths


# Short (inline in a string view), exactly 12 bytes, longer (in the buffer), empty, multi-byte.
TEXTS = ["", "a", "555-0100", "twelve bytes", "thirteen byte", "(608) 555-0199 x1234", "Zoë Ångström", "東京都千代田区"]


@pytest.mark.parametrize("width", [24, 32, 36])
def test_padded_strings_are_the_texts(width):
    chars, lengths = _matrix(TEXTS * 50, width)
    assert padded_strings(chars, lengths).to_list() == TEXTS * 50


def test_squeezed_strings_drop_the_zero_bytes_anywhere():
    chars, lengths = _matrix(["12-34", "5-6"], 8)
    chars[0, 2] = 0  # a "!" that came out empty, in the middle of a row
    chars[1, 1] = 0
    assert squeezed_strings(chars, lengths - 1).to_list() == ["1234", "56"]


def test_padded_strings_fall_back_where_views_cannot_point():
    chars, lengths = _matrix(["abc", "a longer text than twelve"], 30)  # width not a multiple of 4
    assert padded_strings(chars, lengths).to_list() == ["abc", "a longer text than twelve"]


def test_uuids_are_version_4_rfc_4122_and_uniform():
    values = uuid_strings(np.random.default_rng(1), 20_000).to_list()
    parsed = [uuid.UUID(v) for v in values]
    assert [str(u) for u in parsed] == values  # canonical lower-case text, dashes in place
    assert {u.version for u in parsed} == {4} and {u.variant for u in parsed} == {uuid.RFC_4122}
    assert len(set(values)) == len(values)
    # the 30 random hex digits (all but the version digit and the two fixed variant bits) are uniform
    digits = np.frombuffer("".join(v.replace("-", "") for v in values).encode(), dtype=np.uint8).reshape(-1, 32)
    free = np.delete(digits, [12, 16], axis=1)
    counts = np.unique(free, return_counts=True)[1]
    expected = free.size / 16
    assert len(counts) == 16 and ((counts - expected) ** 2 / expected).sum() < 60  # chi-square, 15 dof: p < 1e-6
    assert set(chr(c) for c in digits[:, 16]) == set("89ab")


def test_uuids_of_fewer_rows_are_a_prefix():
    assert uuid_strings(np.random.default_rng(4), 10).to_list() == uuid_strings(np.random.default_rng(4), 1000).to_list()[:10]


def _chi_square(counts: np.ndarray, probs: np.ndarray) -> float:
    expected = probs * counts.sum()
    return float(((counts - expected) ** 2 / expected).sum())


def test_weighted_draws_follow_the_weights():
    # skewed, with tiny and zero weights: the alias table must give each exactly its share
    weights = np.array([50.0, 20.0, 10.0, 9.0, 5.0, 3.0, 2.0, 0.9, 0.1, 0.0])
    vocab = Vocab(pl.Series([str(i) for i in range(10)]), weights / weights.sum())
    drawn = vocab.indexes(np.random.default_rng(2), 400_000)
    counts = np.bincount(drawn, minlength=10)
    assert counts[9] == 0
    assert _chi_square(counts[:9], weights[:9] / weights[:9].sum()) < 30  # 8 dof: p < 0.001


def test_faker_first_names_follow_fakers_own_weights():
    from faker.providers.person.en_US import Provider

    names = Provider.first_names_female
    vocab = concat_vocabs(
        Vocab(pl.Series(list(names)), np.array(list(names.values())) / sum(names.values())), Vocab(pl.Series(["x", "y"]), None)
    )
    drawn = vocab.indexes(np.random.default_rng(8), 300_000)
    counts = np.bincount(drawn, minlength=len(vocab))
    assert abs(counts[-2:].sum() / len(drawn) - 0.5) < 0.005  # half from each list
    assert abs(counts[-2] - counts[-1]) < 5 * np.sqrt(counts[-2:].sum() / 2)  # equal chances inside the plain one
    top = np.argsort(list(names.values()))[-20:]  # the common names, where counts are large enough to test
    share = np.array(list(names.values()))[top] / sum(names.values()) / 2
    assert np.all(np.abs(counts[top] / len(drawn) - share) < 5 * np.sqrt(share / len(drawn)))


def test_formats_fill_every_placeholder_with_its_symbols():
    patterns = ("###-%%%", "$$ ?? ##", "!!!!", "@@")
    which = np.arange(40_000) % 4
    values = fill(patterns, which, np.random.default_rng(6)).to_list()
    shapes = [r"[0-9]{3}-[1-9]{3}", r"[2-9]{2} [A-Za-z]{2} [0-9]{2}", r"[0-9]{0,4}", r"[1-9]{0,2}"]
    for value, kind in zip(values, which, strict=True):
        assert re.fullmatch(shapes[kind], value), (value, patterns[kind])
    # "!" is empty half of the time, as Faker's random_digit_or_empty: 4 of them make a binomial length
    lengths = np.array([len(v) for v, k in zip(values, which, strict=True) if k == 2])
    assert abs(lengths.mean() - 2.0) < 0.05 and abs(lengths.var() - 1.0) < 0.1


def test_formats_without_randomizing_keep_their_literals():
    assert fill(("#1", "ab"), np.array([0, 1, 0]), np.random.default_rng(0), symbols=()).to_list() == ["#1", "ab", "#1"]


@pytest.mark.parametrize("how", ["lower", "upper"])
def test_case_transforms_agree_with_unicode_case_mapping(how):
    ascii_only = pl.Series(["Ann.Lee@Example.com", None, "", "X"])
    mixed = pl.Series(["Zoë.Ångström", "ÉCOLE", None, "straße"])
    for values in (ascii_only, mixed):
        expected = values.str.to_lowercase() if how == "lower" else values.str.to_uppercase()
        assert transform(values, how).to_list() == expected.to_list()
