"""Every Faker instance designer makes, with Faker's data in an order that does not follow the
interpreter's hash seed.

Faker builds a few of its word lists from a set (`it_IT` cities: `list({...})`), so their order,
and with it which value a seeded draw picks, changes with PYTHONHASHSEED: from one process to the
next, on one machine. Same preset + seed = same bytes needs them in one order, so they are sorted
before designer makes its first Faker. tests/engine/test_faker_order.py looks for new ones in
every Faker provider, in processes of different hash seeds.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faker import Faker

HASH_ORDERED = (("faker.providers.address.it_IT", "Provider", "cities"),)
"""(module, class, attribute): lists Faker builds from a set."""

_lock = threading.Lock()
_fixed = False


def fix_order() -> None:
    """Sort the lists Faker builds from a set, once per process."""
    global _fixed
    with _lock:
        if _fixed:
            return
        for module, name, attribute in HASH_ORDERED:
            provider = getattr(importlib.import_module(module), name)
            setattr(provider, attribute, sorted(getattr(provider, attribute)))
        _fixed = True


def new_faker(locale: str) -> Faker:
    """A Faker of one locale, its data in a fixed order."""
    from faker import Faker

    fix_order()
    return Faker(locale)
