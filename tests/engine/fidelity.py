"""Designer's vectorized providers against Faker itself: the differential fidelity check.

For a (provider, locale) pair, N values from designer's vectorized drawer (REGISTRY, never the
per-row path) are set against 2 x M values of Faker's own method (two seeds, through the very
calls the per-row path makes: guarded, clock stopped). Faker's seed-to-seed difference is the
noise floor. A pair is unlike when, for any of five features of a value (the value itself, its
shape, its length, its first two characters, its first token):

- support: designer's values fall outside what Faker gave more often than Faker's second seed
  falls outside its first (5 standard errors); for word-list providers, any value that is not in
  the data of Faker's provider object; for format providers, any value (designer's or Faker's)
  that does not match the formats expanded;
- frequency: a chi-square of designer against Faker (rare categories pooled) gives p < ALPHA, or
  the total-variation distance exceeds Faker's own seed-to-seed distance with a margin.

Pairs whose Faker and designer values start the same for a fixed seed share one drawer and one
data set (en_CA's job is en_US's): they are checked once, for all of them. Faker's samples are
cached per Faker version (~/.cache/designer-fidelity/<version>/, or $DESIGNER_FIDELITY_CACHE).
"""

from __future__ import annotations

import atexit
import gzip
import json
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
from scipy.stats import chi2_contingency

ALPHA = 1e-6  # per test; ~10^4 tests a sweep: a false alarm in about one sweep of a hundred
FINGERPRINT = 12  # Faker values (seed 1) and 4x as many designer values that identify a drawer


def faker_version() -> str:
    import faker

    return faker.VERSION


def cache_dir() -> Path:
    root = os.environ.get("DESIGNER_FIDELITY_CACHE") or Path.home() / ".cache" / "designer-fidelity"
    return Path(root).expanduser() / faker_version()


class _Cache:
    """Faker's samples, one gzipped JSON file per locale, written once at exit (or by `save`)."""

    def __init__(self):
        self.loaded: dict[str, dict] = {}
        self.dirty: set[str] = set()
        atexit.register(self.save)

    def _file(self, locale: str) -> Path:
        return cache_dir() / f"{locale}.json.gz"

    def table(self, locale: str) -> dict:
        if locale not in self.loaded:
            try:
                self.loaded[locale] = json.loads(gzip.decompress(self._file(locale).read_bytes()))
            except (OSError, ValueError):
                self.loaded[locale] = {}
        return self.loaded[locale]

    def save(self):
        for locale in sorted(self.dirty):
            try:
                self._file(locale).parent.mkdir(parents=True, exist_ok=True)
                tmp = self._file(locale).with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(gzip.compress(json.dumps(self.loaded[locale]).encode(), 6))
                tmp.replace(self._file(locale))
            except OSError:  # a read-only home: the suite still runs, only colder
                pass
        self.dirty.clear()


CACHE = _Cache()


@cache
def _faker(locale: str):
    from faker import Faker

    from designer.model.providers import guarded

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fr_QC's deprecation
        return guarded(Faker(locale))


def faker_values(provider: str, locale: str, seed: int, m: int) -> list[str | None] | str:
    """m of Faker's values as the per-row path writes them (text), or Faker's error as a str."""
    from designer.engine.fakers.fallback import calls

    table, key = CACHE.table(locale), f"{provider}/{seed}/{m}"
    if key not in table:
        fake = _faker(locale)
        fake.seed_instance(seed)
        try:
            table[key] = calls(fake, provider, {}, m).cast(pl.String).to_list()
        except Exception as error:  # Faker itself fails in this locale
            table[key] = f"{type(error).__name__}: {error}"
        CACHE.dirty.add(locale)
    return table[key]


def designer_values(provider: str, locale: str, seed: int, n: int) -> list[str | None] | str | None:
    """n values of designer's vectorized drawer, None where it declines, its error as a str."""
    from designer.engine.fakers.categories import REGISTRY

    try:
        values = REGISTRY[provider](locale, {}, np.random.default_rng(seed), n)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None if values is None else values.cast(pl.String).to_list()


# ---- features -----------------------------------------------------------------------------


def _shape(values: pl.Expr) -> pl.Expr:
    """Runs of upper-case, lower-case and other letters as A, a and L (names vary in length),
    each digit as 9, the rest as it is: "Jean-Luc 42" -> "Aa-Aa 99"."""
    return (
        values.str.replace_all(r"\p{Lu}+", "A")
        .str.replace_all(r"\p{Ll}+", "a")
        .str.replace_all(r"[\p{L}--[Aa]]+", "L")
        .str.replace_all(r"\d", "9")
    )


FEATURES = {
    "value": lambda v: v,
    "shape": _shape,
    "length": lambda v: v.str.len_chars().cast(pl.String),
    "head": lambda v: v.str.slice(0, 2),  # a postcode's region, a card's issuer
    "first token": lambda v: v.str.strip_chars().str.split(" ").list.first().str.split("\n").list.first(),
}


def _tables(d: pl.Series, a: pl.Series, b: pl.Series):
    """Per feature: its values and how often designer (d), Faker's first seed (a) and its second
    (b) give each. One polars pass for the features, numpy for the counts."""
    values = pl.concat([d, a, b])
    frame = pl.select(**{name: feature(pl.lit(values)) for name, feature in FEATURES.items()})
    who = np.repeat([0, 1, 2], [len(d), len(a), len(b)])
    for name in FEATURES:
        keys, index = np.unique(frame[name].to_numpy().astype(str), return_inverse=True)
        counts = np.zeros((3, len(keys)))
        np.add.at(counts, (who, index.ravel()), 1)
        yield name, keys, counts


def _chi_square(keys: list, d: np.ndarray, f: np.ndarray) -> tuple[float, str]:
    """p of designer's and Faker's counts being one distribution, categories expected under 5
    in either row pooled; and the category furthest off, for the message."""
    nd, nf = d.sum(), f.sum()
    low = min(nd, nf) / (nd + nf)
    keep = low * (d + f) >= 5
    rows = np.stack([d[keep], f[keep]])
    names = [k for k, kept in zip(keys, keep, strict=True) if kept]
    rest = np.array([[d[~keep].sum()], [f[~keep].sum()]])
    if low * rest.sum() >= 5:
        rows, names = np.concatenate([rows, rest], axis=1), [*names, "(others)"]
    if len(names) < 2:
        return 1.0, ""
    worst = int(np.argmax(np.abs(rows[0] / nd - rows[1] / nf)))
    p = chi2_contingency(rows, correction=False)[1]
    return float(p), f"{names[worst]!r} {rows[0][worst] / nd:.1%} vs Faker {rows[1][worst] / nf:.1%}"


def _series(values: list[str | None]) -> pl.Series:
    return pl.Series(["\0null" if v is None else v for v in values], dtype=pl.String)


def compare(
    d: list[str | None],
    a: list[str | None],
    b: list[str | None],
    universe: set[str] | None = None,
    pattern: re.Pattern | None = None,
) -> list[str]:
    """Why designer's values `d` are unlike Faker's `a` and `b` (two seeds); [] when alike."""
    n, m = len(d), len(a)
    reasons = []
    if universe is not None:
        outside = [v for v in set(d) if v not in universe]
        if outside:
            reasons.append(f"values not in Faker's data, e.g. {outside[0]!r}")
    if pattern is not None:
        for who, values in (("designer", d), ("Faker", a + b)):
            odd = next((v for v in set(values) if v is None or not pattern.fullmatch(v)), "")
            if odd != "":
                reasons.append(f"{who}'s {odd!r} is not of the formats designer expands")
    sd, sa, sb = _series(d), _series(a), _series(b)
    for name, keys, (cd, ca, cb) in _tables(sd, sa, sb):
        cf = ca + cb
        miss_d, miss_b = cd[cf == 0].sum() / n, cb[ca == 0].sum() / m
        p = max(miss_b, 1 / m)
        if miss_d - miss_b > 5 * math.sqrt(p * (1 - p) * (1 / n + 1 / m)) + 1 / n:
            example = str(keys[np.flatnonzero((cf == 0) & (cd > 0))[0]])
            reasons.append(f"{name}: {miss_d:.1%} outside Faker's (Faker's own {miss_b:.1%}), e.g. {example!r}")
            continue
        chance, worst = _chi_square(keys.tolist(), cd, cf)
        if chance < ALPHA:
            reasons.append(f"{name}: chi-square p={chance:.1e}, {worst}")
            continue
        distance, floor = 0.5 * np.abs(cd / n - cf / (2 * m)).sum(), 0.5 * np.abs(ca / m - cb / m).sum()
        if distance > 1.25 * floor + 2 * math.sqrt(1 / n + 1 / (2 * m)):
            reasons.append(f"{name}: distance {distance:.3f} from Faker, Faker's own {floor:.3f}")
    return reasons


# ---- oracles of support ------------------------------------------------------------------


def _strings(value, out: set[str], depth: int = 0) -> None:
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, (list, tuple, set, frozenset)) and depth < 3:
        for item in value:
            _strings(item, out, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for key, item in value.items():
            _strings(key, out, depth + 1)
            _strings(item, out, depth + 1)


def universe(provider: str, locale: str) -> set[str]:
    """Every string the data of Faker's provider object holds, whatever attribute."""
    from designer.engine.fakers.vocab import owner

    obj, out = owner(locale, provider), set()
    for cls in type(obj).__mro__:
        for name, value in vars(cls).items():
            if not name.startswith("__") and not callable(value):
                _strings(value, out)
    return out


def formats_pattern(provider: str, locale: str) -> re.Pattern | None:
    """A regex of the formats designer expands for `provider` in `locale` ({{token}}: anything)."""
    from designer.engine.fakers.faithful import SOURCES, _pattern
    from designer.engine.fakers.vocab import data

    how, attrs = SOURCES.get(provider, ("", ()))
    if how != "formats":
        return None
    formats = data(locale, provider, *attrs)
    if not formats:
        return None
    return re.compile("|".join(f"(?:{_pattern(f, randomize=True)})" for f in formats), re.S | re.I)


# ---- the sweep ---------------------------------------------------------------------------


@dataclass
class Verdict:
    provider: str
    locales: list[str]  # every locale that shares this drawer and data
    reasons: list[str] = field(default_factory=list)
    declined: bool = False  # the drawer gave None: the engine draws these per row

    @property
    def like(self) -> bool:
        return not self.reasons


def check(provider: str, locale: str, n: int, m: int, locales: list[str] | None = None) -> Verdict:
    from designer.engine.fakers.faithful import SOURCES

    verdict = Verdict(provider, locales or [locale])
    d = designer_values(provider, locale, 7, n)
    if d is None:
        verdict.declined = True
        return verdict
    a, b = faker_values(provider, locale, 1, m), faker_values(provider, locale, 2, m)
    for who, values in (("designer", d), ("Faker", a)):
        if isinstance(values, str):
            verdict.reasons.append(f"{who} fails: {values}")
    if verdict.reasons:
        return verdict
    elements = SOURCES.get(provider, ("",))[0] == "elements"
    verdict.reasons = compare(d, a, b, universe(provider, locale) if elements else None, formats_pattern(provider, locale))
    return verdict


@dataclass
class Sweep:
    checked: int = 0  # (provider, locale) pairs
    per_row: int = 0  # path_of says per row
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def unlike(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.like]

    def count(self, which) -> int:
        return sum(len(v.locales) for v in self.verdicts if which(v))

    def summary(self) -> str:
        return (
            f"{self.checked} pairs checked: {self.count(lambda v: v.like and not v.declined)} faithful, "
            f"{self.per_row} per row (+{self.count(lambda v: v.declined)} declined at draw), "
            f"{self.count(lambda v: not v.like)} unlike, in {len(self.verdicts)} distinct drawers"
        )


def _key(provider: str, locale: str):
    fp = faker_values(provider, locale, 1, FINGERPRINT)
    mine = designer_values(provider, locale, 1, 4 * FINGERPRINT)
    return provider, json.dumps(fp), json.dumps(mine)


def sweep(n: int, m: int, providers=None, locales=None) -> Sweep:
    """Every registered vectorized provider in every Faker locale (or those given)."""
    from faker.config import AVAILABLE_LOCALES

    from designer.engine.fakers import path_of
    from designer.engine.fakers.categories import REGISTRY

    out, groups = Sweep(), {}
    for provider in sorted(providers or REGISTRY):
        for locale in locales or AVAILABLE_LOCALES:
            out.checked += 1
            if path_of(provider, None, locale) != "vectorized":
                out.per_row += 1
                continue
            groups.setdefault(_key(provider, locale), []).append(locale)
    for (provider, *_), members in groups.items():
        out.verdicts.append(check(provider, members[0], n, m, members))
    CACHE.save()
    return out
