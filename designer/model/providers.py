"""Which Faker providers and locales a preset may name, and the load-time checks of a faker field:
its provider (the catalog's), its args (plain data, bounded, {{tokens}} naming providers of the
catalog) and one trial call. The loader refuses the rest by name."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from functools import cache

from ..errors import PresetError, did_you_mean
from .catalog import ALLOWED, MAX_DEPTH, MAX_ITEMS, MAX_SIZE, MAX_TEXT, SIZE_ARGS, refusal
from .fakerclock import stopped_at, with_reference_day
from .fakerdata import new_faker


@cache
def available_locales() -> tuple[str, ...]:
    from faker.config import AVAILABLE_LOCALES

    return tuple(sorted(AVAILABLE_LOCALES))


@cache
def provider_names(locale: str = "en_US") -> tuple[str, ...]:
    """The catalog's providers that the locale has, sorted."""
    generator = new_faker(locale).factories[0]
    return tuple(sorted(name for name in ALLOWED if callable(getattr(generator, name, None))))


def guarded(fake):
    """`fake` (a Faker) whose generators look up only the catalog's names: Faker finds a {{token}}
    of a format, a type name of pylist's value_types or a json data column by getattr, which would
    reach seed_instance or __init__ as readily as first_name."""
    for generator in fake.factories:
        generator.get_formatter = _only_the_catalog(generator.get_formatter)
    return fake


def _only_the_catalog(get_formatter):
    def checked(name: str):
        if name not in ALLOWED:
            raise ValueError(f'"{name}" is not a provider designer allows')
        return get_formatter(name)

    return checked


@cache
def _generator(locale: str):
    return guarded(new_faker(locale))


def check_faker(spec, locale: str, now: dt.datetime, path: str) -> None:
    """Raise PresetError for the first problem of a faker field in `locale`: its provider, its args."""
    problem = refusal(spec.provider)
    if problem:
        raise PresetError(f'provider "{spec.provider}" is refused: {problem}', path=f"{path}.provider")
    if spec.provider not in provider_names(locale):
        names = provider_names(locale)
        raise PresetError(f'unknown provider "{spec.provider}"{did_you_mean(spec.provider, names)}', path=f"{path}.provider")
    needed = _required(spec.provider, locale) - set(spec.args)
    if needed:
        raise PresetError(
            f"{spec.provider} needs args = {{ {', '.join(f'{n} = ...' for n in sorted(needed))} }}", path=f"{path}.args"
        )
    for name, value in spec.args.items():
        where, problem = _arg_problem(name, value, locale, 1)
        if not problem:
            where, problem = _names_problem(spec.provider, name, value, locale)
        if problem:
            raise PresetError(problem, path=f"{path}.args.{where}")
    problem = provider_problem(spec.provider, spec.args, locale, now) if spec.args else None
    if problem:
        raise PresetError(problem, path=f"{path}.args")


@cache
def _required(provider: str, locale: str) -> frozenset[str]:
    """The arguments `provider` has no default for (is_leap_year's year): without them every row fails."""
    import inspect

    try:
        parameters = inspect.signature(getattr(_generator(locale), provider)).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(
        p.name for p in parameters if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    )


def _leaves(where: str, value):
    """(key path, text) of every text in `value` but a table's keys."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, (list, tuple, dict)):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _leaves(f"{where}.{key}", item)


def _names_problem(provider: str, arg: str, value, locale: str) -> tuple[str, str | None]:
    """Texts that Faker reads as provider names: pylist's (and pydict's, ...) value_types and
    allowed_types ("str" is pystr), and the json and fixed_width providers' data_columns, whose
    texts are a provider's name ("name", "pyint:group") unless they hold {{tokens}} or start with @."""
    names = provider_names(locale)
    for where, text in _leaves(arg, value):
        if arg in ("value_types", "allowed_types"):
            named = None if text in ("iterable", "list", "tuple", "dict", "set") or f"py{text}" in names else text
        elif arg == "data_columns" and provider in ("json", "fixed_width"):
            named = None if "{{" in text or text.startswith("@") else text.split(":")[0].strip()
        else:
            return where, None
        if named is not None and named not in names:
            why = refusal(named) or f"no provider of the catalog{did_you_mean(named, names)}"
            return where, f'"{text}"' + (f' names "{named}"' if named != text else "") + f": {why}"
    return arg, None


_PLAIN = (str, bool, int, float, dt.date, dt.time)  # what TOML gives, datetime being a date
_TOKEN = re.compile(r"\{\{\s*(\w+)(:\s*\w+?)?\s*\}\}")  # Faker's own (faker.generator._re_token)


def _arg_problem(where: str, value, locale: str, depth: int) -> tuple[str, str | None]:
    """(key path below args, why `value` may not be given), plain data only, of bounded size."""
    if isinstance(value, (list, tuple, dict)):
        if depth > MAX_DEPTH:
            return where, f"lists and tables nest at most {MAX_DEPTH} deep in args"
        if len(value) > MAX_ITEMS:
            return where, f"{len(value)} items; an argument holds at most {MAX_ITEMS}"
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            inner, problem = _arg_problem(f"{where}.{key}", item, locale, depth + 1)
            if problem:
                return inner, problem
        return where, None
    if not isinstance(value, _PLAIN):
        return where, f"{type(value).__name__} is no plain value (text, number, true/false, date, list, table)"
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return where, f"{len(value)} characters; a text argument holds at most {MAX_TEXT}"
        for match in _TOKEN.finditer(value):
            name = match.group(1)
            if name not in provider_names(locale):
                why = refusal(name) or f"no provider of the catalog{did_you_mean(name, provider_names(locale))}"
                return where, f'"{match.group(0)}" names "{name}": {why}'
    elif where.rsplit(".", 1)[-1] in SIZE_ARGS and not isinstance(value, bool) and isinstance(value, int) and value > MAX_SIZE:
        return where, f"{value} is more than one value may hold ({where.rsplit('.', 1)[-1]} at most {MAX_SIZE})"
    return where, None


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
            value = method(**with_reference_day(method, given, now))
        except Exception as error:  # Faker's own words: "empty range for randrange() (10, 6, -4)"
            return f"{provider}({', '.join(f'{k}={v!r}' for k, v in given.items())}) fails: {error}"
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            return f"{provider} gives {value}, more than a 64-bit integer column holds"
        return _backwards(provider, given)


# Providers that take a start after their end without a word and give the start in every row:
# provider -> (start argument, its default, end argument, its default); None: not an argument.
_BETWEEN = {
    "date_time_between": ("start_date", "-30y", "end_date", "now"),
    "past_datetime": ("start_date", "-30d", None, "-1s"),
    "future_datetime": (None, "+1s", "end_date", "+30d"),
}


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

    said = [
        f"{name} = {shown(value)}" if name in given else f"the default {shown(value)}"
        for name, value in ((start_name, start), (end_name, end))
    ]
    return f"{provider}: the start ({said[0]}) comes after the end ({said[1]}); use an earlier start or a later end"
