"""Identifiers at column speed (licence plates, SSNs, ZIP codes, MAC addresses, ports, HTTP codes,
card providers and security codes, passwords): every value has the shape Faker's own values
have, and the chances are Faker's; a locale with a method of its own keeps Faker per row."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from designer.engine.fakers import generate, path_of
from designer.engine.fakers.fallback import per_row
from designer.engine.fakers.vocab import owner

N = 30_000


def ours(provider: str, args: dict | None = None, locale: str = "en_US", n: int = N) -> list:
    return generate(provider, args or {}, [(locale, 1.0)], np.random.default_rng(11), n).to_list()


def fakers_own(provider: str, args: dict | None = None, locale: str = "en_US", n: int = 2_000) -> list:
    return per_row(provider, args or {}, locale, np.random.default_rng(12), n).to_list()


def within(count: int, total: int, p: float) -> bool:
    """A count as a binomial draw would give it: within 6 standard deviations."""
    return abs(count - total * p) < 6 * np.sqrt(total * p * (1 - p)) + 1


SHAPES = [  # provider, args, the shape of every value, Faker's and ours
    ("ssn", {}, r"(?!000)[0-8][0-9]{2}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}"),
    ("zipcode_plus4", {}, r"[0-9]{5}-[0-9]{4}"),
    ("postcode", {}, r"[0-9]{5}"),
    ("mac_address", {}, r"[0-9a-f]{2}(:[0-9a-f]{2}){5}"),
    ("mac_address", {"multicast": True}, r"[0-9a-f]{2}(:[0-9a-f]{2}){5}"),
    ("credit_card_security_code", {}, r"[0-9]{3,4}"),
    ("password", {}, r"[!@#$%^&*()_+0-9A-Za-z]{10}"),
    ("password", {"length": 24, "special_chars": False}, r"[0-9A-Za-z]{24}"),
    ("license_plate", {}, r"[A-Z0-9 •-]{4,9}"),
]


@pytest.mark.parametrize(("provider", "args", "shape"), SHAPES, ids=[f"{p}{a or ''}" for p, a, _ in SHAPES])
def test_every_value_has_the_shape_of_fakers_own(provider, args, shape):
    assert path_of(provider, args, "en_US") == "vectorized"
    pattern = re.compile(shape)
    theirs, mine = fakers_own(provider, args), ours(provider, args)
    assert all(pattern.fullmatch(v) for v in theirs), "the shape is not Faker's"
    assert all(pattern.fullmatch(v) for v in mine)
    assert len(set(mine)) > 0.5 * len(set(theirs)) * N / len(theirs) or len(set(mine)) >= len(set(theirs))


def test_ssn_areas_skip_666_and_numbers_span_their_ranges():
    parts = np.array([[int(x) for x in v.split("-")] for v in ours("ssn", n=100_000)])
    areas = Counter(parts[:, 0])
    assert 666 not in areas and min(areas) == 1 and max(areas) == 899
    assert within(areas[667], 100_000, 2 / 899) and within(areas[500], 100_000, 1 / 899)  # 666 becomes 667
    assert parts[:, 1].min() == 1 and parts[:, 1].max() == 99 and parts[:, 2].min() >= 1 and parts[:, 2].max() == 9999


def test_us_zip_codes_are_fakers_range_not_its_format_list():
    codes = np.array([int(v) for v in ours("postcode", n=100_000)])
    assert 501 <= codes.min() < 700 and 99_700 < codes.max() <= 99_950
    plus4 = ours("zipcode_plus4")
    assert all(501 <= int(v[:5]) <= 99_950 and int(v[6:]) >= 1 for v in plus4)


def test_a_mac_address_is_unicast_or_multicast_as_asked():
    firsts = [int(v[:2], 16) for v in ours("mac_address")]
    assert all(f % 2 == 0 for f in firsts) and max(firsts) == 0xFC and min(firsts) == 0
    multicast = [int(v[:2], 16) for v in ours("mac_address", {"multicast": True})]
    assert all(f % 2 == 1 for f in multicast) and max(multicast) == 0xFD
    last = Counter(v[-1] for v in ours("mac_address"))
    assert all(within(last[c], N, 1 / 16) for c in "0123456789abcdef")


@pytest.mark.parametrize(
    ("args", "low", "high"),
    [({}, 0, 65535), ({"is_system": True}, 0, 1023), ({"is_user": True}, 1024, 49151), ({"is_dynamic": True}, 49152, 65535)],
)
def test_port_numbers_cover_their_range(args, low, high):
    ports, close = ours("port_number", args), 20 * (high - low) / N  # a gap this wide: about e^-20
    assert low <= min(ports) < low + close and high - close < max(ports) <= high
    assert all(low <= p <= high for p in fakers_own("port_number", args))


def test_http_status_codes_are_any_code_or_the_assigned_ones():
    codes = ours("http_status_code")
    assert min(codes) == 100 and max(codes) == 599
    assigned = set(owner("en_US", "http_status_code").http_assigned_codes)
    assert set(ours("http_status_code", {"include_unassigned": False})) == assigned
    assert set(fakers_own("http_status_code", {"include_unassigned": False})) <= assigned


def test_card_providers_are_fakers_card_types_evenly_and_amex_has_four_digit_codes():
    cards = list(owner("en_US", "credit_card_provider").credit_card_types.values())
    names = Counter(ours("credit_card_provider"))
    kinds = Counter(card.name for card in cards)  # "VISA 16 digit" is one name; "Visa" and "VISA" two
    assert set(names) == set(kinds) >= set(fakers_own("credit_card_provider"))
    assert all(within(names[name], N, k / len(cards)) for name, k in kinds.items())
    four = sum(card.security_code_length == 4 for card in cards) / len(cards)
    codes = ours("credit_card_security_code")
    assert within(sum(len(c) == 4 for c in codes), N, four) and four > 0


@pytest.mark.parametrize("args", [{}, {"length": 4, "special_chars": False}, {"length": 30, "upper_case": False}])
def test_a_password_has_one_of_each_class_asked_for_and_fakers_mix(args):
    classes = {
        "special_chars": set("!@#$%^&*()_+"),
        "digits": set("0123456789"),
        "upper_case": set("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        "lower_case": set("abcdefghijklmnopqrstuvwxyz"),
    }
    chosen = [chars for name, chars in classes.items() if args.get(name, True)]
    mine, theirs = ours("password", args), fakers_own("password", args)
    for value in mine:
        assert len(value) == args.get("length", 10) and set(value) <= set().union(*chosen)
        assert all(set(value) & chars for chars in chosen)
    for chars in chosen:  # each class's share of all characters, ours against Faker's
        share = sum(c in chars for v in mine for c in v) / sum(map(len, mine))
        their_share = sum(c in chars for v in theirs for c in v) / sum(map(len, theirs))
        assert abs(share - their_share) < 0.02


def test_password_classes_land_where_fakers_do():
    """Faker puts one of each class at places it draws into a Python set, in the set's order: for
    places of 8 and more that is not sorted, and the special character often comes last."""
    for args in ({}, {"length": 12}):
        length = args.get("length", 10)
        mine, theirs = ours("password", args, n=20_000), fakers_own("password", args, n=6_000)
        for place in range(length):
            special = [sum(v[place] in "!@#$%^&*()_+" for v in values) / len(values) for values in (mine, theirs)]
            assert abs(special[0] - special[1]) < 0.03, (args, place, special)


def test_set_order_is_the_interpreters():
    from designer.engine.fakers.ids import _in_set_order

    drawn = np.argsort(np.random.default_rng(0).random((3_000, 5_000)), axis=1)[:, :4]
    expected = []
    for row in drawn:
        places: set[int] = set()
        for place in row:
            places.add(int(place))
        expected.append(list(places))
    assert (_in_set_order(drawn) == np.array(expected)).all()


def test_locales_with_their_own_method_keep_faker():
    assert path_of("license_plate", {}, "de_DE") == "per-row"  # "AB-M-518": districts, not a format list
    for locale in ("ar_JO", "es_AR", "es_CL", "es_MX", "ar_PS", "tr_TR", "az_AZ", "el_GR"):  # tokens, provinces, letters
        assert path_of("license_plate", {}, locale) == "per-row", locale
    assert path_of("ssn", {}, "fi_FI") == path_of("ssn", {}, "sv_SE") == "per-row"
    assert path_of("password", {"length": 2}, "en_US") == "per-row"  # shorter than its classes: Faker says why
    assert path_of("license_plate", {}, "en_US") == "vectorized"
    plates = ours("license_plate", locale="de_DE", n=200)
    assert all(re.fullmatch(r"[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}-[0-9]{1,4}E?", p) for p in plates)
    assert any("•" in p for p in ours("license_plate")), "a format with a non-ASCII letter is drawn too"
