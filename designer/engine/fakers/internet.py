"""Faker's internet providers: user names, domains, e-mail addresses, URLs and IPv6 addresses."""

from __future__ import annotations

import ipaddress

import numpy as np
import polars as pl

from .drawers import from_list, token_column
from .faithful import mirrors
from .formats import expand
from .registry import Provider, in_chunk, provider
from .vocab import data, defined_in, owner, vocab, vocab_of


def _ascii(values: pl.Series, locale: str, lower_first: bool = False) -> pl.Series:
    """Faker's _to_ascii (lowering first, as user_name does), once per distinct value (few: names, words)."""
    to_ascii = owner(locale, "user_name")._to_ascii
    distinct = values.unique()
    mapped = pl.Series([to_ascii(v.lower() if lower_first else v) for v in distinct.to_list()], dtype=pl.String)
    return values.replace_strict(distinct, mapped)


def slug(values: pl.Series) -> pl.Series:
    """Faker's slugify(allow_unicode=True) of ASCII text (NFKC changes none of it): what is not a word
    character, a space or a dash dropped, stripped, lowered, each run of dashes and spaces one dash."""
    return values.str.replace_all(r"[^\w\s-]", "").str.strip_chars().str.to_lowercase().str.replace_all(r"[-\s]+", "-")


mirrors("user_name", "faker.providers.internet")


@provider("user_name")
def user_name(locale, args, rng, n):
    """Faker's: a format's tokens and placeholders filled, lowered, made ASCII, slugified (no dots)."""
    v = vocab(locale, "user_name", "user_name_formats")
    if v is None:
        return None
    low = token_column(locale, args)

    def token(name, r, m):  # lowering and ASCII are per character: per token, per distinct value
        return _ascii(low(name, r, m), locale, lower_first=True)

    return slug(expand(v, rng, n, token, randomize=True))


def _at(domain: str) -> Provider:
    def draw(locale, args, rng, n):
        # each part by its own path: a locale's own user_name is Faker's
        return (in_chunk("user_name", {}, locale, rng, n) + "@" + in_chunk(domain, {}, locale, rng, n)).str.to_lowercase()

    return draw


provider("safe_domain_name")(from_list("safe_domain_name", "safe_domain_names"))
provider("free_email_domain")(from_list("free_email_domain", "free_email_domains"))
provider("tld")(from_list("tld", "tlds"))

# ja_JP and zh_TW: a romanized last name, slugified (Faker's own override there)
mirrors("domain_word", "faker.providers.internet", "faker.providers.internet.ja_JP", "faker.providers.internet.zh_TW")


@provider("domain_word")
def domain_word(locale, args, rng, n):
    if defined_in(locale, "domain_word") != "faker.providers.internet":
        return slug(_ascii(in_chunk("last_romanized_name", {}, locale, rng, n), locale))
    first = in_chunk("company", {}, locale, rng, n).str.split(" ").list.first()
    return slug(_ascii(first, locale))


mirrors("domain_name", "faker.providers.internet")


@provider("domain_name")
def domain_name(locale, args, rng, n):
    return (in_chunk("domain_word", {}, locale, rng, n) + "." + in_chunk("tld", {}, locale, rng, n)).str.to_lowercase()


for _name in ("email", "safe_email", "free_email", "company_email"):
    mirrors(_name, "faker.providers.internet")
provider("email")(_at("safe_domain_name"))
provider("safe_email")(_at("safe_domain_name"))
provider("free_email")(_at("free_email_domain"))
provider("company_email")(_at("domain_name"))


@provider("url", ("schemes",))
def url(locale, args, rng, n):
    formats = data(locale, "url", "url_formats")
    if not formats:
        return None
    schemes = args.get("schemes") or ["http", "https"]
    scheme = vocab_of(schemes).draw(rng, n)
    rest = expand(vocab_of(formats), rng, n, token_column(locale, args))
    return scheme + "://" + rest


_HEX_GROUPS = pl.Series([f"{i:x}" for i in range(1 << 16)], dtype=pl.String)


@provider("ipv6")
def ipv6(locale, args, rng, n):
    """Faker's randint(2**32, 2**128 - 1) as `ipaddress` prints it: groups without leading zeros, the
    longest run of zero groups as "::". Rows with a zero group (about 1 in 8,000) are printed by
    `ipaddress` itself; the rest are eight table lookups joined."""
    groups = rng.integers(0, 1 << 16, (n, 8), dtype=np.int64)
    while (tiny := (groups[:, :6] == 0).all(axis=1)).any():  # below 2**32: outside Faker's range, drawn again
        groups[tiny] = rng.integers(0, 1 << 16, (int(tiny.sum()), 8), dtype=np.int64)
    columns = [pl.lit(_HEX_GROUPS.gather(pl.Series(groups[:, k]))) for k in range(8)]
    out = pl.select(pl.concat_str(columns, separator=":")).to_series()
    odd = np.flatnonzero((groups == 0).any(axis=1))
    if len(odd):
        shown = [str(ipaddress.IPv6Address(int("".join(f"{g:04x}" for g in row), 16))) for row in groups[odd]]
        out = out.scatter(odd, pl.Series(shown, dtype=pl.String))
    return out
