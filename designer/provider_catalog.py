"""The provider catalog as a listing: what `designer providers` prints.

Every entry comes from the homes the TUI's picker reads too: the names a preset may use in a locale
(`model.providers.provider_names`, the vetted catalog), Faker's docstring (`fakers.provider_doc`),
an example drawn by designer's own engine (`fakers.generate`, as a field of a preset draws it)
and the path and cost measured on a sample (`fakers.cost`), so the listing cannot drift from what
a preset gets.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from .engine import fakers
from .engine.fakers.cost import cost_of, field_path
from .engine.fakers.vocab import generator
from .errors import DesignerError, did_you_mean
from .model.providers import available_locales, provider_names

# Values timed: a per-row provider's cost is steady after a few dozen calls (the picker's mark
# measures 64, and the listing shares that cache); a column's cost is mostly setup at 64 values
# (100 µs a value for an email), so it is timed on more, nearer what a block of 16,384 pays.
SAMPLE = 64
COLUMN_SAMPLE = 5_000


@dataclass(frozen=True)
class Argument:
    name: str
    default: str | None  # Python's repr of the default; None: the preset must give it

    def __str__(self) -> str:
        return self.name if self.default is None else f"{self.name}={self.default}"


@dataclass(frozen=True)
class ProviderEntry:
    name: str
    doc: str
    arguments: tuple[Argument, ...]
    example: str | None  # None: the provider needs arguments to draw (see `problem`)
    problem: str | None
    path: str  # "vectorized": a column at a time; "per-row": Faker called for each value
    micros: float | None  # µs a value, measured on SAMPLE or COLUMN_SAMPLE values; None where drawing failed
    calls: float | None  # Faker calls a value

    def as_dict(self) -> dict:
        return {
            "provider": self.name,
            "description": self.doc,
            "arguments": {a.name: a.default for a in self.arguments},
            "example": self.example,
            "problem": self.problem,
            "runs": "column" if self.path == "vectorized" else "per row",
            "micros_per_value": self.micros,
            "faker_calls_per_value": self.calls,
        }


def checked_locale(locale: str) -> str:
    if locale not in available_locales():
        raise DesignerError(f'--locale "{locale}": Faker has no such locale{did_you_mean(locale, available_locales())}')
    return locale


def matches(search: str | None, locale: str) -> list[str]:
    """The providers whose name or description holds every word of `search`: the name itself
    first, then names that start with it, names that hold it, and descriptions that do."""
    names = provider_names(locale)
    if not search:
        return list(names)
    words = search.lower().split()
    text = search.lower()
    in_name = sorted((n for n in names if all(w in n.lower() for w in words)), key=lambda n: (n != text, not n.startswith(text)))
    in_doc = [n for n in names if n not in in_name and all(w in f"{n} {_doc(n, locale)}".lower() for w in words)]
    return in_name + in_doc


def entry(name: str, locale: str) -> ProviderEntry:
    arguments = _arguments(name, locale)
    try:
        example: str | None = example_values(name, locale, 1)[0]
        problem = None
    except Exception as error:  # Faker needs arguments for it (or fails in this locale): said, not raised
        example, problem = None, " ".join(str(error).split())[:120] or type(error).__name__
    try:
        cost = cost_of(name, None, locale, SAMPLE)
        if cost.path == "vectorized":
            cost = cost_of(name, None, locale, COLUMN_SAMPLE)
        micros, calls, path = cost.micros, cost.calls, cost.path
    except Exception:
        micros, calls, path = None, None, field_path(name, None, locale)
    return ProviderEntry(name, _doc(name, locale), arguments, example, problem, path, micros, calls)


def example_values(name: str, locale: str, n: int, seed: int = 0) -> list[str]:
    """n values of the provider without arguments, drawn as a preset's field draws them, as text."""
    values = fakers.generate(name, {}, [(locale, 1.0)], np.random.default_rng(seed), n).to_list()
    return ["null" if v is None else str(v) for v in values]


def _doc(name: str, locale: str) -> str:
    try:
        return fakers.provider_doc(name, locale)
    except Exception:  # a provider without a docstring is still listed
        return ""


def _arguments(name: str, locale: str) -> tuple[Argument, ...]:
    try:
        signature = inspect.signature(getattr(generator(locale), name))
    except (TypeError, ValueError):
        return ()
    return tuple(
        Argument(p.name, None if p.default is inspect.Parameter.empty else repr(p.default))
        for p in signature.parameters.values()
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    )


def description(name: str, locale: str) -> str:
    """A provider's description as the listing and the TUI's picker show it ("" without a docstring)."""
    return _doc(name, locale)
