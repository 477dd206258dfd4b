"""Every vectorized (provider, locale) pair gives what Faker gives: the differential suite
(tests/engine/fidelity.py) over every registered provider and every Faker locale. `make fidelity`
runs the same sweep with ten times the samples (bench/fidelity.py)."""

from __future__ import annotations

import ipaddress
import os

import pytest

from designer.engine.fakers import path_of
from designer.engine.fakers.categories import REGISTRY
from designer.engine.fakers.faithful import ALL, INTERIM
from designer.engine.fakers.vocab import data, defined_in

from . import fidelity

pytestmark = pytest.mark.fidelity

# power where it matters (a 5-point frequency gap at 10%: chi-square p ~ 1e-9) in ~a minute cold
N, M = int(os.environ.get("FIDELITY_N", 2000)), int(os.environ.get("FIDELITY_M", 500))


def test_every_vectorized_pair_is_like_faker():
    sweep = fidelity.sweep(N, M)
    print(sweep.summary())
    assert not sweep.unlike, "\n".join(f"{v.provider} {v.locales}: {v.reasons}" for v in sweep.unlike)
    assert sweep.checked == len(REGISTRY) * len(__import__("faker.config").config.AVAILABLE_LOCALES)


def _faker(provider, locale, seed=1, m=M):
    return fidelity.faker_values(provider, locale, seed, m)


@pytest.mark.parametrize(
    "provider, locale",
    [
        ("name", "en_US"),
        ("address", "ja_JP"),
        ("ipv6", "en_US"),
        ("pybool", "en_US"),
        ("last_name", "ja_JP"),
        ("postcode", "es_ES"),
    ],
)
def test_faker_against_itself_is_alike(provider, locale):
    """No false alarm: a third seed of Faker (as many values as designer gives) is like the first two."""
    assert fidelity.compare(_faker(provider, locale, 3, N), _faker(provider, locale, 1), _faker(provider, locale, 2)) == []


def test_wrong_values_are_found_unlike():
    """The suite fails on the faults issue 12 names, each built from Faker's own values."""
    import random

    chooser = random.Random(0)
    last_names = list(data("ja_JP", "last_name", "last_names"))  # Faker's weighted list, drawn uniformly
    uniform = [chooser.choice(last_names) for _ in range(N)]
    assert any(
        "chi-square" in r for r in fidelity.compare(uniform, _faker("last_name", "ja_JP"), _faker("last_name", "ja_JP", 2))
    )
    dotted = [v[:3] + "." + v[3:] if i % 2 else v for i, v in enumerate(_faker("user_name", "en_US", 3, N))]
    assert fidelity.compare(dotted, _faker("user_name", "en_US"), _faker("user_name", "en_US", 2))
    exploded = [ipaddress.IPv6Address(v).exploded for v in _faker("ipv6", "en_US", 3, N)]
    assert fidelity.compare(exploded, _faker("ipv6", "en_US"), _faker("ipv6", "en_US", 2))
    high = [str(int(v) % 48000 + 52000) for v in _faker("postcode", "es_ES", 3, N)]  # out of Spain's range
    assert fidelity.compare(high, _faker("postcode", "es_ES"), _faker("postcode", "es_ES", 2))


def test_the_rule_reads_fakers_source():
    """Overrides and data the drawers cannot read go per row, as Faker's own classes say."""
    assert defined_in("ru_RU", "street_name") == "faker.providers.address.ru_RU"  # inflects its adjectives
    assert path_of("street_name", None, "ru_RU") == "per-row"
    assert "{{first_names_male}}" in " ".join(data("es_AR", "name_male", "formats_male"))  # no such method
    assert path_of("name_male", None, "es_AR") == "per-row"
    assert any("{{random_int:" in f for f in data("es_CL", "address", "address_formats"))
    assert path_of("address", None, "es_CL") == "per-row"
    assert defined_in("ja_JP", "last_name") != "faker.providers.person"  # one item of its weighted pairs...
    assert path_of("last_name", None, "ja_JP") == path_of("last_name_female", None, "ja_JP") == "vectorized"  # ...read
    assert defined_in("pl_PL", "last_name") != "faker.providers.person"  # last_name_female falls back to it
    assert path_of("last_name_female", None, "pl_PL") == "per-row"
    assert path_of("postcode", None, "en_US") == "vectorized"  # its override is mirrored (00501..99950)


def test_interim_entries_are_real():
    from faker.config import AVAILABLE_LOCALES

    for provider, entries in INTERIM.items():
        assert provider in REGISTRY
        for locale, reason in entries.items():
            assert (locale == ALL or locale in AVAILABLE_LOCALES) and reason
            assert path_of(provider, None, AVAILABLE_LOCALES[0] if locale == ALL else locale) == "per-row"
