"""Text columns matched to a Faker provider by the shape of their values, so a preset says
`email` or `first_name` without copying a single value from the rows."""

from __future__ import annotations

import ipaddress
import uuid
from functools import cache
from typing import Any

import polars as pl

SHARE = 0.9  # the share of values that must have a shape for the column to take it


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names), frozenset(Provider.last_names)


@cache
def _places() -> dict[str, frozenset[str]]:
    from faker.providers.address.en_US import Provider

    return {
        "state_abbr": frozenset(Provider.states_abbr) | frozenset(Provider.known_usps_abbr),
        "state": frozenset(Provider.states),
        "country": frozenset(Provider.countries),
        "country_code": frozenset(Provider.alpha_2_country_codes),
    }


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def _is_ipv4(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv4Address)
    except ValueError:
        return False


def _is_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and " " not in text and "@" not in domain)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and " " not in text


def _is_phone(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    return 7 <= digits <= 15 and all(c.isdigit() or c in "+-() .x" for c in text)


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values)


def shape(values: pl.Series, literal: bool) -> tuple[dict[str, Any], str] | None:
    """A provider for text of a recognizable shape, or None. `literal`: a value's fixed characters
    (`INV-` in `INV-0042`) may be written as a bothify pattern."""
    texts = [v for v in values.drop_nulls().cast(pl.String).to_list() if v is not None][:2000]
    if not texts:
        return None
    first, last = _names()
    places = _places()
    tests = [
        ("uuid4", _is_uuid),
        ("email", _is_email),
        ("url", _is_url),
        ("ipv4", _is_ipv4),
        ("first_name", lambda v: v in first),
        ("last_name", lambda v: v in last),
        ("name", lambda v: len(p := v.split()) == 2 and p[0] in first and p[1] in last),
        ("phone_number", _is_phone),
        ("state_abbr", lambda v: v in places["state_abbr"]),
        ("state", lambda v: v in places["state"]),
        ("country", lambda v: v in places["country"]),
        ("country_code", lambda v: v in places["country_code"]),
    ]
    for provider, test in tests:
        share = _share(texts, test)
        if share >= SHARE:
            return {"kind": "faker", "provider": provider}, f"{share:.0%} of {len(texts):,} values look like {provider}"
    if literal:
        return _pattern(texts)
    return None


def _pattern(texts: list[str]) -> tuple[dict[str, Any], str] | None:
    """One letters-and-digits pattern most values share (`AB-1234`), as a bothify template."""
    counts: dict[str, int] = {}
    for text in texts:
        key = "".join("#" if c.isdigit() else "?" if c.isalpha() else c for c in text)
        counts[key] = counts.get(key, 0) + 1
    best, seen = max(counts.items(), key=lambda kv: kv[1])
    if seen / len(texts) < SHARE or len(best) > 40 or ("#" not in best and "?" not in best) or " " in best:
        return None
    if "{" in best or "}" in best:
        return None
    letters = "".join(c for t in texts for c in t if c.isalpha())
    args: dict[str, Any] = {"text": best}
    if letters and letters.isupper():
        args["letters"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    elif letters and letters.islower():
        args["letters"] = "abcdefghijklmnopqrstuvwxyz"
    return {"kind": "faker", "provider": "bothify", "args": args}, f"{seen / len(texts):.0%} of {len(texts):,} values are {best}"
