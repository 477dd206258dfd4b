"""Which Faker providers and locales exist: the loader refuses the others by name."""

from __future__ import annotations

from functools import lru_cache

# Generator plumbing that dir() shows but that is no data provider.
_NOT_PROVIDERS = frozenset(
    {"add_provider", "format", "get_formatter", "get_providers", "parse", "provider",
     "seed", "seed_instance", "set_arguments", "del_arguments", "set_formatter", "random",
     "get_arguments", "seed_locale", "random_element", "random_elements", "random_choices",
     "random_sample", "random_letter", "random_letters", "random_lowercase_letter",
     "random_uppercase_letter"}
)


@lru_cache(maxsize=None)
def available_locales() -> tuple[str, ...]:
    from faker.config import AVAILABLE_LOCALES

    return tuple(sorted(AVAILABLE_LOCALES))


@lru_cache(maxsize=None)
def provider_names(locale: str = "en_US") -> tuple[str, ...]:
    """Every public provider method for a locale, sorted."""
    from faker import Faker

    generator = Faker(locale).factories[0]
    return tuple(
        sorted(
            name
            for name in dir(generator)
            if not name.startswith("_") and name not in _NOT_PROVIDERS
            and callable(getattr(generator, name, None))
        )
    )
