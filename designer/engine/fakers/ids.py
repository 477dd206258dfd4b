"""Identifiers Faker makes from digits and letters, vectorized where a locale uses the method
mirrored here: licence plates, US social security numbers, MAC addresses, ports, HTTP status
codes, card providers and security codes, ZIP+4 codes and passwords.

Each mirrors the Faker methods it names (`mirrors`), by the module that defines them; a
locale with a method of its own (fi_FI's ssn, tr_TR's licence plates) is made per row by Faker
itself (`faithful`).
"""

from __future__ import annotations

import string

import numpy as np
import polars as pl

from ..columns import ascii_strings, hex_chars
from .faithful import mirrors
from .formats import FAKER_SYMBOLS, fill
from .registry import provider
from .vocab import owner, vocab

_UPPER = string.ascii_uppercase.encode()


def _digits(rng: np.random.Generator, n: int, low: int, high: int, width: int) -> np.ndarray:
    """Zero-padded numbers from low to high as an (n, width) byte matrix."""
    numbers = rng.integers(low, high + 1, n)
    places = 10 ** np.arange(width - 1, -1, -1)
    return (numbers[:, None] // places % 10 + ord("0")).astype(np.uint8)


def _joined(*parts: np.ndarray | bytes, n: int) -> pl.Series:
    columns = [np.full((n, len(p)), np.frombuffer(p, dtype=np.uint8)) if isinstance(p, bytes) else p for p in parts]
    return ascii_strings(np.concatenate(columns, axis=1))


# ---- licence plates: "???-####" with ? an upper-case letter -------------------------------------

_PLATE_SYMBOLS = tuple((char, _UPPER if char == "?" else choices) for char, choices in FAKER_SYMBOLS)


mirrors("license_plate", "faker.providers.automotive", "faker.providers.automotive.en_US")  # en_US: a copy


@provider("license_plate")
def license_plate(locale, args, rng, n):
    formats = vocab(locale, "license_plate", "license_formats")
    if formats is None:
        return None
    return fill(tuple(formats.values.to_list()), formats.indexes(rng, n), rng, _PLATE_SYMBOLS)


# ---- United States: SSN and ZIP+4 ------------------------------------------------------------------

mirrors("ssn", "faker.providers.ssn.en_US")
mirrors("zipcode_plus4", "faker.providers.address.en_US")


@provider("ssn")
def ssn(locale, args, rng, n):
    """AAA-GG-SSSS: area 1..899 with 666 moved to 667, group 1..99, serial 1..9999, as Faker's en_US."""
    area = _digits(rng, n, 1, 899, 3)
    area[(area == np.frombuffer(b"666", dtype=np.uint8)).all(axis=1), 2] = ord("7")
    return _joined(area, b"-", _digits(rng, n, 1, 99, 2), b"-", _digits(rng, n, 1, 9999, 4), n=n)


@provider("zipcode_plus4")
def zipcode_plus4(locale, args, rng, n):
    """ZIP 00501..99950, a dash, then 0001..9999, as Faker's en_US."""
    return _joined(_digits(rng, n, 501, 99950, 5), b"-", _digits(rng, n, 1, 9999, 4), n=n)


# ---- internet ------------------------------------------------------------------------------------

mirrors("mac_address", "faker.providers.internet")


@provider("mac_address", ("multicast",))
def mac_address(locale, args, rng, n):
    """Six bytes as hex pairs; the first even (unicast) or odd (multicast), below 0xFE."""
    first = rng.integers(0, 127, n) * 2 + (1 if args.get("multicast") is True else 0)
    octets = np.concatenate([first[:, None], rng.integers(0, 256, (n, 5))], axis=1).astype(np.uint8)
    pairs = hex_chars(octets)
    with_colons = np.full((n, 17), ord(":"), dtype=np.uint8)
    with_colons[:, [i + i // 2 for i in range(12)]] = pairs
    return ascii_strings(with_colons)


mirrors("port_number", "faker.providers.internet")


@provider("port_number", ("is_system", "is_user", "is_dynamic"))
def port_number(locale, args, rng, n):
    low, high = (
        (0, 1023)
        if args.get("is_system")
        else (1024, 49151)
        if args.get("is_user")
        else (49152, 65535)
        if args.get("is_dynamic")
        else (0, 65535)
    )
    return pl.Series(rng.integers(low, high + 1, n), dtype=pl.Int64)


mirrors("http_status_code", "faker.providers.internet")


@provider("http_status_code", ("include_unassigned",))
def http_status_code(locale, args, rng, n):
    obj = owner(locale, "http_status_code")
    if args.get("include_unassigned", True):
        return pl.Series(rng.integers(100, 600, n), dtype=pl.Int64)
    codes = np.array(obj.http_assigned_codes, dtype=np.int64)
    return pl.Series(codes[rng.integers(0, len(codes), n)], dtype=pl.Int64)


# ---- payment cards -------------------------------------------------------------------------------

mirrors("credit_card_provider", "faker.providers.credit_card")
mirrors("credit_card_security_code", "faker.providers.credit_card")


def card_types(locale: str):
    """The locale's card types, one per key of Faker's table ("visa" and "visa16" both), where it picks
    them as Faker's common provider does (its private _credit_card_type is not on the generator:
    looked up on the provider's class)."""
    cards = owner(locale, "credit_card_provider")
    defining = next((c for c in type(cards).__mro__ if "_credit_card_type" in c.__dict__), None)
    if defining is None or defining.__module__ != "faker.providers.credit_card":
        return None
    return list(cards.credit_card_types.values()) or None


@provider("credit_card_provider")
def credit_card_provider(locale, args, rng, n):
    cards = card_types(locale)
    if cards is None:
        return None
    names = pl.Series([card.name for card in cards], dtype=pl.String)
    return names.gather(rng.integers(0, len(cards), n))


@provider("credit_card_security_code")
def credit_card_security_code(locale, args, rng, n):
    """3 digits, or 4 for the card types that have them (American Express), by a card type drawn first."""
    cards = card_types(locale)
    if cards is None:
        return None
    lengths = np.array([card.security_code_length for card in cards])[rng.integers(0, len(cards), n)]
    patterns = tuple(sorted({"#" * int(length) for length in lengths}))
    return fill(patterns, np.searchsorted([len(p) for p in patterns], lengths), rng)


# ---- passwords -----------------------------------------------------------------------------------

_CLASSES = (
    ("special_chars", b"!@#$%^&*()_+"),
    ("digits", string.digits.encode()),
    ("upper_case", _UPPER),
    ("lower_case", string.ascii_lowercase.encode()),
)


def _password_ok(args: dict) -> bool:
    length = args.get("length", 10)
    wanted = sum(bool(args.get(name, True)) for name, _ in _CLASSES)
    return isinstance(length, int) and not isinstance(length, bool) and wanted <= length <= 4096 and wanted > 0


def _in_set_order(drawn: np.ndarray) -> np.ndarray:
    """Rows of up to 4 distinct small integers, in the order CPython iterates a set they were added
    to in the order given: an 8-slot table, slot = value & 7, a taken slot probed onward by
    i = (5i + 1 + perturb) & 7 with perturb = value shifted right by 5 at each step."""
    n, k = drawn.shape
    table, rows = np.full((n, 8), -1, dtype=np.int64), np.arange(n)
    for j in range(k):
        value = drawn[:, j].astype(np.int64)
        slot, perturb, waiting = value & 7, value.copy(), np.ones(n, dtype=bool)
        while waiting.any():
            placed = waiting & (table[rows, slot] < 0)
            table[rows[placed], slot[placed]] = value[placed]
            waiting &= ~placed
            perturb = np.where(waiting, perturb >> 5, perturb)
            slot = np.where(waiting, (slot * 5 + 1 + perturb) & 7, slot)
    taken_first = np.argsort(table < 0, axis=1, kind="stable")[:, :k]  # taken slots, in slot order
    return np.take_along_axis(table, taken_first, axis=1)


mirrors("password", "faker.providers.misc")


@provider("password", ("length", "special_chars", "digits", "upper_case", "lower_case"), accepts=_password_ok)
def password(locale, args, rng, n):
    """`length` characters from the chosen classes, at least one of each: Faker draws them all from
    the union, then draws distinct places into a Python set and puts one of each class at them,
    in the classes' order and the set's."""
    length = args.get("length", 10)
    chosen = [chars for name, chars in _CLASSES if args.get(name, True)]
    union = np.frombuffer(b"".join(chosen), dtype=np.uint8)
    chars = union[rng.integers(0, len(union), (n, length))]
    drawn = np.argsort(rng.random((n, length)), axis=1)[:, : len(chosen)]  # distinct places, in the order drawn
    places = _in_set_order(drawn)
    for k, pool in enumerate(chosen):
        chars[np.arange(n), places[:, k]] = np.frombuffer(pool, dtype=np.uint8)[rng.integers(0, len(pool), n)]
    return ascii_strings(chars)
