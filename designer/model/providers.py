"""Which Faker providers and locales exist: the loader refuses the others by name."""

from __future__ import annotations

import datetime as dt
import json
import threading
from functools import lru_cache

from .fakerclock import stopped_at, with_reference_day

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


@lru_cache(maxsize=None)
def _generator(locale: str):
    from faker import Faker

    return Faker(locale)


_problems: dict[tuple[str, str, str, str], str | None] = {}  # (provider, args as JSON, locale, now) -> the answer
_calling = threading.Lock()  # one seeded trial call at a time: the generator is shared


def provider_problem(provider: str, args: dict, locale: str, now: dt.datetime) -> str | None:
    """Why `provider(**args)` cannot run in `locale` (a name it does not take, a value Faker
    refuses), found by one call at load time rather than at the first row of an export; or None.
    The call's "now" is the design's reference time, as in the export ("-1y" to a fixed end date
    is a range that empties as the calendar moves on). Remembered per arguments: the TUI checks
    the whole design at every edit, and a call may be slow."""
    given = {k: v for k, v in args.items() if not k.startswith("_")}  # "_now" is designer's
    key = (provider, json.dumps(given, sort_keys=True, default=repr), locale, now.isoformat())
    if key not in _problems:
        _problems[key] = _problem(provider, given, locale, now)
    return _problems[key]


def _problem(provider: str, given: dict, locale: str, now: dt.datetime) -> str | None:
    import inspect

    from ..errors import did_you_mean

    method = getattr(_generator(locale), provider)
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):  # no signature to read: the call below still tells
        parameters = None
    if parameters is not None and not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        for name in given:
            if name not in parameters:
                return f'{provider} takes no argument "{name}"{did_you_mean(name, parameters)}'
    with _calling, stopped_at(now):
        _generator(locale).seed_instance(0)
        try:
            method(**with_reference_day(method, given, now))
        except Exception as error:  # Faker's own words: "empty range for randrange() (10, 6, -4)"
            return f"{provider}({', '.join(f'{k}={v!r}' for k, v in given.items())}) fails: {error}"
        return _backwards(provider, given)


# Providers that take a start after their end without a word and give the start in every row:
# provider -> (start argument, its default, end argument, its default); None: not an argument.
_BETWEEN = {"date_time_between": ("start_date", "-30y", "end_date", "now"),
            "past_datetime": ("start_date", "-30d", None, "-1s"),
            "future_datetime": (None, "+1s", "end_date", "+30d")}


def _backwards(provider: str, given: dict) -> str | None:
    """A range that ends before it starts, read as Faker reads it (the caller holds its clock)."""
    if provider not in _BETWEEN:
        return None
    from faker.providers.date_time import Provider

    start_name, start_default, end_name, end_default = _BETWEEN[provider]
    start, end = given.get(start_name, start_default), given.get(end_name, end_default)
    if Provider._parse_date_time(start) <= Provider._parse_date_time(end):
        return None
    def shown(value) -> str:  # as the preset writes it
        return value.isoformat() if isinstance(value, dt.date) else f'"{value}"' if isinstance(value, str) else repr(value)

    said = [f"{name} = {shown(value)}" if name in given else f"the default {shown(value)}"
            for name, value in ((start_name, start), (end_name, end))]
    return f"{provider}: the start ({said[0]}) comes after the end ({said[1]}); use an earlier start or a later end"
