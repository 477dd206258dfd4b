"""IPv4 addresses as Faker draws them: uniform over the networks it allows (all but the reserved
ones, the private ones, or the public ones; of one class if asked), by picking a network by its
size and then an address in it. The networks are Faker's own lists, asked of Faker once."""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from .faithful import mirrors
from .registry import provider
from .vocab import owner

for _name in ("ipv4", "ipv4_private", "ipv4_public"):
    mirrors(_name, "faker.providers.internet")


@cache
def _pool(locale: str, which: str, address_class) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The networks' first addresses, sizes and running totals, or None where Faker has no such list."""
    networks_of = getattr(owner(locale, "ipv4"), f"_get_{which}_networks_and_weights", None)
    if networks_of is None:
        return None
    networks, _ = networks_of(address_class=address_class)
    if not networks:
        return None
    firsts = np.array([int(net.network_address) for net in networks], dtype=np.int64)
    sizes = np.array([net.num_addresses for net in networks], dtype=np.int64)
    return firsts, sizes, np.cumsum(sizes)


def _dotted(addresses: np.ndarray) -> pl.Series:
    octets = [pl.Series((addresses >> shift) & 255).cast(pl.String) for shift in (24, 16, 8, 0)]
    return pl.select(pl.concat_str([pl.lit(o) for o in octets], separator=".")).to_series()


CLASSES = ("a", "b", "c")


def _in_pool(pool, rng: np.random.Generator, n: int) -> np.ndarray:
    firsts, sizes, totals = pool
    k = rng.integers(0, totals[-1], n)  # uniform over every address of the pool
    network = np.searchsorted(totals, k, side="right")
    return firsts[network] + k - (totals[network] - sizes[network])


def _draw(locale: str, which: str, args: dict, rng: np.random.Generator, n: int) -> pl.Series | None:
    address_class = args.get("address_class")
    if which == "all" or address_class in CLASSES:
        pool = _pool(locale, which, address_class if address_class in CLASSES else None)
        return None if pool is None else _dotted(_in_pool(pool, rng, n))
    # private or public of no class: Faker takes a class at random for each address (a third
    # each), then an address of that class's networks
    pools = [_pool(locale, which, c) for c in CLASSES]
    if any(pool is None for pool in pools):
        return None
    chosen, addresses = rng.integers(0, len(CLASSES), n), np.empty(n, dtype=np.int64)
    for index, pool in enumerate(pools):
        rows = chosen == index
        addresses[rows] = _in_pool(pool, rng, int(rows.sum()))
    return _dotted(addresses)


def _plain(args: dict) -> bool:  # a network (CIDR) rather than an address: Faker's, per row
    return args.get("network", False) is False and isinstance(args.get("address_class", "a"), (str, type(None)))


@provider(
    "ipv4",
    ("network", "address_class", "private"),
    accepts=lambda args: _plain(args) and args.get("private") in (None, True, False),
)
def ipv4(locale, args, rng, n):
    which = {True: "private", False: "public"}.get(args.get("private"), "all")
    return _draw(locale, which, args, rng, n)


@provider("ipv4_private", ("network", "address_class"), accepts=_plain)
def ipv4_private(locale, args, rng, n):
    return _draw(locale, "private", args, rng, n)


@provider("ipv4_public", ("network", "address_class"), accepts=_plain)
def ipv4_public(locale, args, rng, n):
    return _draw(locale, "public", args, rng, n)
