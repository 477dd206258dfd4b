"""ipv4, ipv4_private and ipv4_public at column speed: every address in the networks Faker allows
(its own lists: no loopback, link-local or multicast; private or public as asked), spread evenly
over all of them as Faker's are."""

from __future__ import annotations

import ipaddress
import math

import numpy as np
import pytest

from designer.engine.fakers import generate, path_of
from designer.engine.fakers.fallback import per_row
from designer.engine.fakers.vocab import owner

N = 40_000
CASES = [
    ("ipv4", {}, "all"),
    ("ipv4", {"private": True}, "private"),
    ("ipv4", {"private": False}, "public"),
    ("ipv4_private", {}, "private"),
    ("ipv4_private", {"address_class": "b"}, "private"),
    ("ipv4_public", {}, "public"),
    ("ipv4_public", {"address_class": "c"}, "public"),
]


def allowed(which: str, address_class) -> tuple[np.ndarray, np.ndarray]:
    """Faker's networks, sorted: first addresses and sizes."""
    networks, _ = getattr(owner("en_US", "ipv4"), f"_get_{which}_networks_and_weights")(address_class=address_class)
    ordered = sorted(networks, key=lambda net: int(net.network_address))
    return (
        np.array([int(net.network_address) for net in ordered], dtype=np.int64),
        np.array([net.num_addresses for net in ordered], dtype=np.int64),
    )


def ranks(values: list[str], firsts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each address's place among all allowed ones, in [0, 1); -1 outside them."""
    numbers = np.array([int(ipaddress.IPv4Address(v)) for v in values], dtype=np.int64)
    network = np.searchsorted(firsts, numbers, side="right") - 1
    inside = (network >= 0) & (numbers < firsts[network] + sizes[network])
    before = np.concatenate([[0], np.cumsum(sizes)])[network]
    return np.where(inside, (before + numbers - firsts[network]) / sizes.sum(), -1.0)


def ks_uniform(sample: np.ndarray) -> float:
    x, n = np.sort(sample), len(sample)
    return float(max(np.max(np.arange(1, n + 1) / n - x), np.max(x - np.arange(0, n) / n)))


def _check(values: list[str], which: str, address_class) -> None:
    """Inside Faker's networks, and even over them: of one pool, or, for private and public
    addresses of no class, a third of each class's pool, as Faker takes a class at random."""
    classes = [address_class] if which == "all" or address_class else ["a", "b", "c"]
    placed = np.full(len(values), -1.0)
    share = []
    for cls in classes:
        rank = ranks(values, *allowed(which, cls))
        share.append(float((rank >= 0).mean()))
        if len(classes) > 1:
            assert ks_uniform(rank[rank >= 0]) < 1.95 / math.sqrt((rank >= 0).sum())
        placed = np.where(rank >= 0, rank, placed)
    assert (placed >= 0).all(), "an address outside Faker's networks"
    if len(classes) == 1:
        assert ks_uniform(placed) < 1.95 / math.sqrt(len(values))
        assert ks_uniform(np.sqrt(placed)) > 1.95 / math.sqrt(len(values)) or len(values) < 10_000  # can fail
    else:
        assert all(abs(p - 1 / 3) < 6 * math.sqrt(2 / 9 / len(values)) for p in share), share


@pytest.mark.parametrize(("provider", "args", "which"), CASES, ids=[f"{p}{a or ''}" for p, a, _ in CASES])
def test_addresses_are_in_fakers_networks_and_even_over_them(provider, args, which):
    assert path_of(provider, args, "en_US") == "vectorized"
    mine = generate(provider, args, [("en_US", 1.0)], np.random.default_rng(31), N).to_list()
    theirs = per_row(provider, args, "en_US", np.random.default_rng(32), 3_000).to_list()
    _check(mine, which, args.get("address_class"))
    _check(theirs, which, args.get("address_class"))  # the same reading of Faker's own values


def test_reserved_ranges_never_appear():
    values = generate("ipv4", {}, [("en_US", 1.0)], np.random.default_rng(3), 200_000).to_list()
    for reserved in ("127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "0.0.0.0/8"):
        net = ipaddress.IPv4Network(reserved)
        assert not any(ipaddress.IPv4Address(v) in net for v in values[:20_000]), reserved


def test_a_network_rather_than_an_address_is_fakers():
    assert path_of("ipv4", {"network": True}, "en_US") == "per-row"
