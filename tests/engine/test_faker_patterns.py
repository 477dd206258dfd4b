"""numerify, lexify, bothify, hexify, random_int and pyint at column speed: the shapes and the chances
of Faker's own methods, and Faker itself where the arguments ask for what a byte matrix cannot do."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import polars as pl
import pytest
from faker import Faker

from designer.engine.fakers import generate, path_of

N = 30_000


def values(provider: str, args: dict, n: int = N, seed: int = 4) -> pl.Series:
    return generate(provider, args, [("en_US", 1.0)], np.random.default_rng(seed), n)


def fakers_own(provider: str, args: dict, n: int = 300) -> list:
    fake = Faker("en_US")
    fake.seed_instance(1)
    return [getattr(fake, provider)(**args) for _ in range(n)]


def uniform(counts: Counter, symbols: str) -> bool:
    """Each symbol about as often as the others: chi-square under its 0.1% critical value."""
    observed = np.array([counts[s] for s in symbols], dtype=float)
    expected = observed.sum() / len(symbols)
    critical = {8: 26.1, 9: 27.9, 10: 29.6, 16: 37.7, 52: 90.6, 5: 18.5}[len(symbols)]
    return set(counts) <= set(symbols) and ((observed - expected) ** 2 / expected).sum() < critical


CASES = [  # provider, args, the shape of every value
    ("numerify", {"text": "PRD-%####"}, r"PRD-[1-9][0-9]{4}"),
    ("numerify", {"text": "Nº $$-!!-@@"}, r"Nº [2-9]{2}-[0-9]{0,2}-[1-9]{0,2}"),
    ("numerify", {}, r"[0-9]{3}"),
    ("lexify", {"text": "key-????", "letters": "ABCDE"}, r"key-[A-E]{4}"),
    ("bothify", {"text": "??-##", "letters": "XYZ"}, r"[XYZ]{2}-[0-9]{2}"),
    ("bothify", {}, r"[0-9]{2} [A-Za-z]{2}"),
    ("hexify", {"text": "^^:^^:^^", "upper": True}, r"[0-9A-F]{2}(:[0-9A-F]{2}){2}"),
    ("hexify", {}, r"[0-9a-f]{4}"),
]


@pytest.mark.parametrize("provider,args,shape", CASES)
def test_every_value_has_the_shape_faker_gives(provider, args, shape):
    assert path_of(provider, args, "en_US") == "vectorized"
    drawn = values(provider, args)
    assert drawn.dtype == pl.String and drawn.null_count() == 0
    assert all(re.fullmatch(shape, v) for v in drawn), drawn.head(5).to_list()
    assert all(re.fullmatch(shape, v) for v in fakers_own(provider, args))  # the shape is Faker's, too


def test_placeholders_draw_their_symbols_evenly():
    drawn = values("numerify", {"text": "#%$"})
    assert uniform(Counter(v[0] for v in drawn), "0123456789")
    assert uniform(Counter(v[1] for v in drawn), "123456789")
    assert uniform(Counter(v[2] for v in drawn), "23456789")
    letters = values("lexify", {"text": "?"}).to_list()
    assert uniform(Counter(letters), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert uniform(Counter("".join(values("hexify", {"text": "^^"}))), "0123456789abcdef")


def test_optional_digits_are_empty_half_of_the_time_as_in_faker():
    lengths = values("numerify", {"text": "!@"}).str.len_bytes().to_numpy()
    # each of "!" and "@" is there with chance 1/2: lengths 0, 1, 2 in shares 1/4, 1/2, 1/4
    shares = np.bincount(lengths, minlength=3) / len(lengths)
    assert np.all(np.abs(shares - [0.25, 0.5, 0.25]) < 0.015), shares
    faker_lengths = Counter(len(v) for v in fakers_own("numerify", {"text": "!@"}, 2000))
    assert abs(faker_lengths[1] / 2000 - 0.5) < 0.05


def test_letters_that_are_not_ascii_go_to_faker_itself():
    args = {"text": "??", "letters": "ÄÖÜ"}
    assert path_of("lexify", args, "en_US") == "per-row"
    assert set("".join(values("lexify", args, 500))) == set("ÄÖÜ")


@pytest.mark.parametrize(
    "provider,args,grid",
    [
        ("random_int", {"min": 10, "max": 50, "step": 5}, list(range(10, 51, 5))),
        ("random_int", {"min": -3, "max": 4}, list(range(-3, 5))),
        ("pyint", {"min_value": 100, "max_value": 108, "step": 2}, list(range(100, 109, 2))),
    ],
)
def test_integers_cover_their_grid_evenly(provider, args, grid):
    assert path_of(provider, args, "en_US") == "vectorized"
    drawn = values(provider, args)
    assert drawn.dtype == pl.Int64
    counts = Counter(drawn.to_list())
    assert set(counts) == set(grid)
    expected = N / len(grid)
    assert sum((counts[v] - expected) ** 2 / expected for v in grid) < 30  # chi-square, < 9 dof at 0.1%
    assert set(fakers_own(provider, args)) <= set(grid)


def test_integer_defaults_are_fakers():
    drawn = values("random_int", {})
    assert drawn.min() >= 0 and drawn.max() <= 9999 and drawn.max() > 9900
    assert path_of("random_int", {"min": 1.5}, "en_US") == "per-row"  # Faker's to handle, or refuse


def test_a_preset_field_of_codes_is_unique_when_asked():
    from .helpers import column

    codes = column(
        {"sku": '{ kind = "faker", provider = "bothify", args = { text = "??-####", letters = "AB" }, unique = true }'},
        "sku",
        rows=20_000,
    )
    assert codes.n_unique() == 20_000 and codes.str.contains(r"^[AB]{2}-[0-9]{4}$").all()


def test_what_a_byte_matrix_cannot_reproduce_goes_to_faker():
    # a NUL is "nothing" in the matrix; a step past int64; more letters than one draw indexes
    assert path_of("numerify", {"text": "a\0!"}, "en_US") == "per-row"
    assert values("numerify", {"text": "a\0!"}, 50).str.starts_with("a\0").all()
    assert path_of("lexify", {"letters": "a\0"}, "en_US") == "per-row"
    assert path_of("random_int", {"min": 0, "max": 10, "step": 2**64}, "en_US") == "per-row"
    assert values("random_int", {"min": 0, "max": 10, "step": 2**64}, 20).to_list() == [0] * 20
    many = "".join(chr(c) for c in range(33, 127)) * 800  # 75,200 letters, each char 800 times
    assert path_of("lexify", {"text": "??", "letters": many}, "en_US") == "vectorized"
    assert values("lexify", {"text": "??", "letters": many}, 2000).str.len_bytes().eq(2).all()
