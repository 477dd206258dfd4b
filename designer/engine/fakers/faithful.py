"""Whether a vectorized provider gives what Faker gives, in a locale.

A vectorized provider reads a locale's data (word lists, format strings) and mirrors Faker's
base implementation of the method. Most locales change only the data; some override the
method itself and do something else with it: en_GB builds postcodes character by character
from its own sets, so expanding its `postcode_formats` ("AN NEE") as digits and letters gives
nonsense. Where a locale overrides the method, Faker's own output is sampled once and the
vectorized path is kept only if every sample is one of the words it draws from, or matches
one of the formats it expands; otherwise that locale's values are made per row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .formats import TOKEN
from .vocab import data, defined_in

SAMPLES = 100

# provider -> ("elements" | "formats", the data attributes it reads), ("pattern", (regex,)) for
# codes that read no data, or ("methods", (module, ...)): the Faker methods it mirrors, by the
# module that defines them, where no sample could tell; filled as providers register
SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {}

_PLACEHOLDERS = {"#": "[0-9]", "%": "[1-9]", "$": "[2-9]", "!": "[0-9]?", "@": "[1-9]?", "?": "[A-Za-z]"}


def mirrors(provider: str, *modules: str) -> None:
    """`provider` mirrors the Faker methods defined in `modules`; other locales' are Faker's to run."""
    SOURCES[provider] = ("methods", modules)


def _overridden(provider: str, locale: str) -> bool:
    """Whether the method is defined by a locale's class rather than its family's base provider."""
    module = defined_in(locale, provider)
    return module is not None and module.count(".") > 2  # faker.providers.address.en_GB, not faker.providers.address


def _pattern(fmt: str, randomize: bool) -> str:
    out, position = [], 0
    for match in TOKEN.finditer(fmt):
        out.append(_literal(fmt[position:match.start()], randomize))
        out.append(".+?")
        position = match.end()
    out.append(_literal(fmt[position:], randomize))
    return "".join(out)


def _literal(text: str, randomize: bool) -> str:
    return "".join(_PLACEHOLDERS.get(c, re.escape(c)) if randomize else re.escape(c) for c in text)


@lru_cache(maxsize=None)
def faithful(provider: str, locale: str) -> bool:
    how, modules = SOURCES.get(provider, ("", ()))
    if how == "methods":
        return defined_in(locale, provider) in modules
    if not _overridden(provider, locale):
        return True
    if provider not in SOURCES:
        return False  # an override we cannot check: Faker's own code is the only safe reading
    from faker import Faker

    how, attrs = SOURCES[provider]
    source = attrs if how == "pattern" else data(locale, provider, *attrs)
    if not source:
        return False
    fake = Faker(locale)
    fake.seed_instance(0)
    try:
        samples = [str(getattr(fake, provider)()) for _ in range(SAMPLES)]
    except Exception:  # Faker fails in this locale (bn_BD's pricetag): per row, it says so itself
        return False
    if how == "elements":
        return set(samples) <= {str(v) for v in source}
    formats = source if how == "pattern" else [_pattern(f, randomize=True) for f in source]
    pattern = re.compile("|".join(f"(?:{f})" for f in formats), re.S | re.I)
    return all(pattern.fullmatch(s) for s in samples)
