"""Whether a vectorized provider gives what Faker gives, in a locale: a rule read off Faker's source.

A vectorized provider reads a locale's data (word lists, format strings) and mirrors Faker's
base implementation of the method. A pair (provider, locale) keeps the vectorized path only if

- the class that defines the method, in the locale's MRO, is one the drawer mirrors: Faker's
  family base (faker.providers.address) or a locale module it names (`mirrors`, `handles`).
  A locale that overrides the method does something else with its data: en_GB builds
  postcodes character by character, cs_CZ's street_name ignores its "{{street_name}}" format;
- the data it reads is of the form the drawer handles: a non-empty list of texts or a mapping
  of texts to numeric weights; formats whose {{tokens}} are all methods of the locale, none of
  them the provider itself (es_AR's "{{first_names_male}}" is no method: Faker fails there);
- it is not in INTERIM, the pairs the differential suite (tests/engine/test_faker_fidelity.py)
  finds unlike Faker for a reason the drawer does not yet model.

Everything else is Faker's own per-row path, which is Faker by construction.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Mapping, Sequence
from functools import cache
from numbers import Real
from typing import cast

from .formats import TOKEN
from .vocab import data, defined_in, generator, owner

# provider -> ("elements" | "formats", the data attributes it reads), ("pattern", (regex,)) for
# codes that read no data, or ("methods", (module, ...)): the Faker methods it mirrors, by the
# module that defines them; filled as providers register
SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {}

# provider -> the locale modules whose override of it the drawer mirrors too
HANDLED: dict[str, set[str]] = {"postcode": {"faker.providers.address.en_US"}}  # 00501..99950, providers.postcode

ALL = "*"
# Unlike Faker in the differential suite, pending a drawer that models Faker's algorithm:
# provider -> {locale or ALL: reason}. Each fix empties its entry (the suite then proves it).
INTERIM: dict[str, dict[str, str]] = {
    "city": {"ar_SA": "Faker's ar_SA city formats take Latin prefixes and suffixes its own way"},
    "street_address": {"en_MS": "en_MS builds its building numbers and streets by its own methods"},
    "last_name_nonbinary": {
        loc: "Faker falls back to the locale's own last_name, which the drawer does not read" for loc in ("is_IS", "pl_PL")
    },
}

_PLACEHOLDERS = {"#": "[0-9]", "%": "[1-9]", "$": "[2-9]", "!": "[0-9]?", "@": "[1-9]?", "?": "[A-Za-z]"}


def mirrors(provider: str, *modules: str) -> None:
    """`provider` mirrors the Faker methods defined in `modules`; other locales' are Faker's to run."""
    SOURCES[provider] = ("methods", modules)


def handles(provider: str, *modules: str) -> None:
    """The drawer of `provider` also mirrors the overrides of these locale modules."""
    HANDLED.setdefault(provider, set()).update(modules)


def interim(provider: str, locale: str) -> str | None:
    """Why the pair is held per row pending a fix, if it is."""
    entries = INTERIM.get(provider, {})
    return entries.get(locale) or entries.get(ALL)


def _overridden(provider: str, locale: str) -> bool:
    """Whether the method is defined by a locale's class rather than its family's base provider,
    and does something else than the drawer does."""
    module = defined_in(locale, provider)
    if module is None or module.count(".") <= 2 or module in HANDLED.get(provider, ()):
        return False
    how, attrs = SOURCES.get(provider, ("", ()))
    if how == "pattern":  # codes whose locales change prefixes, not shapes: the suite is the judge
        return False
    return not (how == "elements" and _body(owner(locale, provider), provider) in _one_of(attrs))


_ONE_OF = "return self.random_element(self.{})"


def _one_of(attrs: tuple[str, ...]) -> set[str]:
    """The bodies of a method that is one item of one of `attrs` (en_US's administrative_unit)."""
    return {ast.dump(ast.parse(_ONE_OF.format(attr)).body[0]) for attr in attrs}


def _body(obj, method: str) -> str | None:
    """The one statement of a method's source after its docstring, as an AST dump, else None."""
    try:
        function = ast.parse(textwrap.dedent(inspect.getsource(getattr(type(obj), method)))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(function, ast.FunctionDef):  # an alias (`x = other`): no body of its own
        return None
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return ast.dump(body[0]) if len(body) == 1 else None


def _pattern(fmt: str, randomize: bool) -> str:
    """A regex of a format's values: {{token}} anything, placeholders their symbols (`randomize`)."""
    out, position = [], 0
    for match in TOKEN.finditer(fmt):
        out.append(_literal(fmt[position : match.start()], randomize))
        out.append(".+?")
        position = match.end()
    out.append(_literal(fmt[position:], randomize))
    return "".join(out)


def _literal(text: str, randomize: bool) -> str:
    return "".join(_PLACEHOLDERS.get(c, re.escape(c)) if randomize else re.escape(c) for c in text)


def _elements_ok(elements) -> bool:
    if isinstance(elements, Mapping):
        return (
            bool(elements)
            and all(isinstance(k, str) for k in elements)
            and all(isinstance(w, Real) and cast(float, w) >= 0 for w in elements.values())
            and sum(elements.values()) > 0
        )
    return (
        isinstance(elements, Sequence)
        and not isinstance(elements, str)
        and bool(elements)
        and all(isinstance(v, str) for v in elements)
    )


def _formats_ok(provider: str, locale: str, formats) -> bool:
    if not _elements_ok(formats):
        return False
    if any("{{" in TOKEN.sub("", fmt) for fmt in formats):  # es_CL's "{{random_int:big_kilometer}}"
        return False
    tokens = {name for fmt in formats for name in TOKEN.findall(fmt)}
    return provider not in tokens and all(callable(getattr(generator(locale), name, None)) for name in tokens)


@cache
def faithful(provider: str, locale: str) -> bool:
    if interim(provider, locale):
        return False
    how, sources = SOURCES.get(provider, ("", ()))
    if how == "methods":
        return defined_in(locale, provider) in sources
    if _overridden(provider, locale):
        return False
    if how in ("elements", "formats"):
        found = data(locale, provider, *sources)
        if found is None:
            return False  # nothing to read: the drawer would decline, and the engine go per row
        # Faker's last_name_female, without last_names_female, returns last_name(): ja_JP's and
        # pl_PL's own, not the base's reading of last_names
        gendered = (
            len(sources) > 1 and found is not data(locale, provider, sources[0]) and provider.endswith(("_male", "_female"))
        )
        if gendered and not faithful(provider.rsplit("_", 1)[0], locale):
            return False
        return _elements_ok(found) if how == "elements" else _formats_ok(provider, locale, found)
    return True
