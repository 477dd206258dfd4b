"""Vectorized providers: each reads Faker's data for the locale and returns a whole column.

A function returns None when it cannot honour the arguments it was given; the
caller then takes the per-row path, so every call still works.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from functools import cache

import numpy as np
import polars as pl

from ...model.design import DEFAULT_REFERENCE_TIME
from ..columns import ascii_strings, hex_chars, uuid_strings
from .faithful import SOURCES, handles, mirrors
from .formats import expand
from .vocab import Vocab, concat_vocabs, data, defined_in, owner, vocab, vocab_of

Provider = Callable[[str, dict, np.random.Generator, int], "pl.Series | None"]
REGISTRY: dict[str, Provider] = {}
ARGS: dict[str, set[str]] = {}  # the arguments each vectorized provider understands
ACCEPTS: dict[str, Callable[[dict], bool]] = {}  # where only some values of them are: which


def provider(name: str, args: tuple[str, ...] = (), accepts: Callable[[dict], bool] | None = None):
    def register(fn):
        REGISTRY[name] = fn
        ARGS[name] = set(args) | {"_now"}
        if accepts is not None:
            ACCEPTS[name] = accepts
        return fn

    return register


def token_column(locale: str, args: dict):
    """A format's {{token}} as a column; its "now" is the field's ({{year}} in ru_RU user names)."""
    from . import in_chunk

    given = {"_now": args["_now"]} if args.get("_now") else {}
    return lambda name, rng, n: in_chunk(name, given, locale, rng, n)


@cache
def token_words(locale: str):
    """A {{token}}'s word list in `locale` when the token is drawn from one (first_name, city_suffix),
    else None. One function per locale: formats cache their slots by it."""
    from . import path_of

    def words(name: str) -> Vocab | None:
        how, attrs = SOURCES.get(name, ("", ()))
        return vocab(locale, name, *attrs) if how == "elements" and path_of(name, {}, locale) == "vectorized" else None

    return words


def _elements(method: str, *attrs: str) -> Provider:
    SOURCES[method] = ("elements", attrs)

    def draw(locale, args, rng, n):
        v = vocab(locale, method, *attrs)
        return v.draw(rng, n) if v else None

    return draw


def _formats(method: str, *attrs: str, randomize: bool = False, post=None) -> Provider:
    SOURCES[method] = ("formats", attrs)

    def draw(locale, args, rng, n):
        v = vocab(locale, method, *attrs)
        if v is None:
            return None
        out = expand(v, rng, n, token_column(locale, args), randomize, token_words(locale))
        return post(out, locale) if post else out

    return draw


# ---- person ------------------------------------------------------------------------------

# ja_JP's names are (kanji, kana, romaji) pairs, its last names weighted by population (佐藤 6.9%)
for _name, _attrs in {
    "first_name": ("first_name_pairs[0]", "first_names"),
    "last_name": ("last_name_pairs[0]", "last_names"),
    "first_name_male": ("first_name_male_pairs[0]", "first_names_male", "first_names"),
    "first_name_female": ("first_name_female_pairs[0]", "first_names_female", "first_names"),
    "first_name_nonbinary": ("first_names_nonbinary", "first_names"),
    "last_romanized_name": ("last_name_pairs[2]", "last_romanized_names"),
    "first_romanized_name": ("first_name_pairs[2]", "first_romanized_names"),
    "prefix_nonbinary": ("prefixes_nonbinary", "prefixes"),
    "suffix_nonbinary": ("suffixes_nonbinary", "suffixes"),
    # without a list of their own, Faker's last_name(): ja_JP's weighted pairs
    "last_name_nonbinary": ("last_names_nonbinary", "last_name_pairs[0]", "last_names"),
    "last_name_male": ("last_names_male", "last_name_pairs[0]", "last_names"),
    "last_name_female": ("last_names_female", "last_name_pairs[0]", "last_names"),
    "prefix_male": ("prefixes_male", "prefixes"),
    "prefix_female": ("prefixes_female", "prefixes"),
    "suffix_male": ("suffixes_male", "suffixes"),
    "suffix_female": ("suffixes_female", "suffixes"),
}.items():
    provider(_name)(_elements(_name, *_attrs))
    # ja_JP overrides these as one item of its pairs (`first_name_pair()[0]`): the `...pairs[k]` read above
    handles(_name, "faker.providers.person.ja_JP")

for _name, _attrs in {
    "name": ("formats",),
    "name_male": ("formats_male", "formats"),
    "name_female": ("formats_female", "formats"),
    "name_nonbinary": ("formats_nonbinary", "formats"),
}.items():
    provider(_name)(_formats(_name, *_attrs))


def _gendered(method: str, plain: str, male: str, female: str, nonbinary: str) -> Provider:
    """Faker's prefix() and suffix(): the plain list; else male, female and nonbinary in one
    OrderedDict (a value in several takes the last one's weight, as `add_ordereddicts` gives);
    else male or female by a coin, then that one's weights."""

    def draw(locale, args, rng, n):
        if data(locale, method, plain):
            return vocab(locale, method, plain).draw(rng, n)
        m, f, nb = (data(locale, method, attr) for attr in (male, female, nonbinary))
        if m and f and nb:
            from faker.utils.datasets import add_ordereddicts

            return vocab_of(add_ordereddicts(*(_weighted(x) for x in (m, f, nb)))).draw(rng, n)
        if m and f:
            return concat_vocabs(vocab_of(m), vocab_of(f)).draw(rng, n)
        return pl.Series([""] * n, dtype=pl.String)

    return draw


def _weighted(elements) -> dict:
    return elements if isinstance(elements, dict) else OrderedDict((v, 1.0) for v in elements)


provider("prefix")(_gendered("prefix", "prefixes", "prefixes_male", "prefixes_female", "prefixes_nonbinary"))
provider("suffix")(_gendered("suffix", "suffixes", "suffixes_male", "suffixes_female", "suffixes_nonbinary"))

# ---- address -----------------------------------------------------------------------------

for _name, _attrs in {
    "city": ("city_formats",),
    "street_address": ("street_address_formats",),
    "address": ("address_formats",),
}.items():
    provider(_name)(_formats(_name, *_attrs, randomize=True))

# Locales whose street_name is one item of a list of streets (their street_name_formats, "{{street_name}}",
# would expand into itself); the rest of the overrides (ru_RU's inflected adjectives, hu_HU's
# capitalize, es_AR's numerify) are Faker's to run.
_STREET_LISTS = {
    f"faker.providers.address.{loc}": attr
    for loc, attr in (
        ("cs_CZ", "streets"),
        ("hr_HR", "streets"),
        ("mk_MK", "streets"),
        ("pl_PL", "streets"),
        ("sk_SK", "streets"),
        ("sl_SI", "streets"),
        ("vi_VN", "streets"),
        ("zh_TW", "street_names"),
        ("uk_UA", "street_titles"),
    )
}
_street_formats = _formats("street_name", "street_name_formats", randomize=True)
mirrors("street_name", "faker.providers.address", *_STREET_LISTS)


@provider("street_name")
def street_name(locale, args, rng, n):
    attr = _STREET_LISTS.get(defined_in(locale, "street_name"))
    if attr is None:
        return _street_formats(locale, args, rng, n)
    streets = vocab(locale, "street_name", attr)
    return streets.draw(rng, n) if streets else None


provider("building_number")(_formats("building_number", "building_number_formats", randomize=True))
for _name, _attrs in {
    "city_prefix": ("city_prefixes",),
    "city_suffix": ("city_suffixes",),
    "street_suffix": ("street_suffixes",),
    "state": ("states",),
    "state_abbr": ("states_abbr",),
    "country": ("countries",),
}.items():
    provider(_name)(_elements(_name, *_attrs))
provider("secondary_address")(_formats("secondary_address", "secondary_address_formats", randomize=True))


SOURCES["zipcode"] = ("formats", ("postcode_formats",))
# Faker's own rules where a locale has one that is not its formats; other locales' overrides per row
mirrors("postcode", *(f"faker.providers.address{m}" for m in ("", ".en_US", ".fr_FR", ".es_ES")))


@cache
def _french_departments(locale: str) -> tuple[np.ndarray, np.ndarray]:
    """fr_FR's department numbers ("2A" and "2B" as "20", Faker's postcode rule) and how many digits follow."""
    numbers = ["20" if d in ("2A", "2B") else d for d, _ in owner(locale, "postcode").departments]
    return np.array(numbers, dtype=object), np.array([5 - len(d) for d in numbers])


@provider("postcode")
def postcode(locale, args, rng, n):
    module = defined_in(locale, "postcode")
    if module == "faker.providers.address.en_US":  # not its formats: 00501..99950
        numbers = rng.integers(501, 99951, n)
        return pl.Series(numbers).cast(pl.String).str.zfill(5)
    if module == "faker.providers.address.es_ES":  # randint(1000, 52100), five digits
        return pl.Series(rng.integers(1000, 52101, n)).cast(pl.String).str.zfill(5)
    if module == "faker.providers.address.fr_FR":  # a department, then random_number(5 - its length, fix_len)
        numbers, digits = _french_departments(locale)
        which = rng.integers(0, len(numbers), n)
        tail = 10 ** (digits[which] - 1) + np.floor(rng.random(n) * 9 * 10 ** (digits[which] - 1)).astype(np.int64)
        return pl.Series(numbers[which].astype(str)) + pl.Series(tail).cast(pl.String)
    if module != "faker.providers.address":
        return None
    v = vocab(locale, "postcode", "postcode_formats")
    if v is None:
        return None
    return expand(v, rng, n, token_column(locale, args), randomize=True).str.to_uppercase()


REGISTRY["zipcode"] = lambda locale, args, rng, n: (
    postcode(locale, args, rng, n) if getattr(owner(locale, "zipcode"), "postcode_formats", None) else None
)
ARGS["zipcode"] = {"_now"}


@provider("country_code", ("representation",))
def country_code(locale, args, rng, n):
    codes = data(
        locale,
        "country_code",
        "alpha_2_country_codes" if args.get("representation", "alpha-2") == "alpha-2" else "alpha_3_country_codes",
    )
    return vocab_of(codes).draw(rng, n) if codes else None


# ---- company, job ------------------------------------------------------------------------

provider("company")(_formats("company", "formats"))
provider("company_suffix")(_elements("company_suffix", "company_suffixes"))
provider("job")(_elements("job", "jobs"))


def _word_lists(method: str, attr: str) -> Provider:
    def draw(locale, args, rng, n):
        lists = data(locale, method, attr)
        if not lists:
            return None
        columns = [pl.lit(vocab_of(words).draw(rng, n)) for words in lists]
        return pl.select(pl.concat_str(columns, separator=" ")).to_series()

    return draw


provider("catch_phrase")(_word_lists("catch_phrase", "catch_phrase_words"))
provider("bs")(_word_lists("bs", "bsWords"))

# ---- internet ----------------------------------------------------------------------------


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
        from . import in_chunk  # each part by its own path: a locale's own user_name is Faker's

        return (in_chunk("user_name", {}, locale, rng, n) + "@" + in_chunk(domain, {}, locale, rng, n)).str.to_lowercase()

    return draw


provider("safe_domain_name")(_elements("safe_domain_name", "safe_domain_names"))
provider("free_email_domain")(_elements("free_email_domain", "free_email_domains"))
provider("tld")(_elements("tld", "tlds"))

# ja_JP and zh_TW: a romanized last name, slugified (Faker's own override there)
mirrors("domain_word", "faker.providers.internet", "faker.providers.internet.ja_JP", "faker.providers.internet.zh_TW")


@provider("domain_word")
def domain_word(locale, args, rng, n):
    from . import in_chunk

    if defined_in(locale, "domain_word") != "faker.providers.internet":
        return slug(_ascii(in_chunk("last_romanized_name", {}, locale, rng, n), locale))
    first = in_chunk("company", {}, locale, rng, n).str.split(" ").list.first()
    return slug(_ascii(first, locale))


mirrors("domain_name", "faker.providers.internet")


@provider("domain_name")
def domain_name(locale, args, rng, n):
    from . import in_chunk

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
        import ipaddress

        shown = [str(ipaddress.IPv6Address(int("".join(f"{g:04x}" for g in row), 16))) for row in groups[odd]]
        out = out.scatter(odd, pl.Series(shown, dtype=pl.String))
    return out


# ---- text --------------------------------------------------------------------------------

provider("word")(_elements("word", "word_list"))


# ---- colors, misc, dates -----------------------------------------------------------------


@provider("color_name")
def color_name(locale, args, rng, n):
    colors = data(locale, "color_name", "all_colors")
    return vocab_of(list(colors)).draw(rng, n) if colors else None


@provider("hex_color")
def hex_color(locale, args, rng, n):
    raw = np.frombuffer(rng.bytes(3 * n), dtype=np.uint8).reshape(n, 3)
    chars = np.concatenate([np.full((n, 1), ord("#"), dtype=np.uint8), hex_chars(raw)], axis=1)
    return ascii_strings(chars)


def _hex(nbytes: int) -> Provider:
    def draw(locale, args, rng, n):
        raw = np.frombuffer(rng.bytes(nbytes * n), dtype=np.uint8).reshape(n, nbytes)
        return ascii_strings(hex_chars(raw))

    return draw


provider("md5")(_hex(16))
provider("sha1")(_hex(20))
provider("sha256")(_hex(32))


@provider("uuid4")
def uuid4(locale, args, rng, n):
    return uuid_strings(rng, n)


@provider("currency_code")
def currency_code(locale, args, rng, n):
    currencies = data(locale, "currency_code", "currencies")
    return vocab_of([c[0] for c in currencies]).draw(rng, n) if currencies else None


@provider("date_of_birth", ("minimum_age", "maximum_age"))
def date_of_birth(locale, args, rng, n):
    today = (args.get("_now") or DEFAULT_REFERENCE_TIME).date()
    low_age, high_age = int(args.get("minimum_age", 0)), int(args.get("maximum_age", 115))
    if low_age > high_age:
        return None

    def years_before(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February in a year without one: 1 March, as Faker's change_year
            return today.replace(year=today.year - years, month=3, day=1)

    # As Faker: a moment between the two midnights, so the last day never; the first day moved to
    # the second (which has its own chance too, so twice the others').
    first, last = years_before(high_age + 1), years_before(low_age)
    epoch = dt.date(1970, 1, 1)
    days = (first - epoch).days + np.floor(rng.random(n) * (last - first).days).astype(np.int64)
    days[days == (first - epoch).days] += 1
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _in_category(table: dict, category, rng, n: int) -> pl.Series | None:
    """Faker's: the category given, else one uniform among the table's, then an item of it."""
    if category:
        return vocab_of(table[category]).draw(rng, n) if table.get(category) else None
    names = list(table)
    which = rng.integers(0, len(names), n)
    out = pl.Series([""] * n, dtype=pl.String)
    for index in np.unique(which):  # categories in order: the same draws whatever the process
        rows = np.flatnonzero(which == index)
        out = out.scatter(rows, vocab_of(table[names[index]]).draw(rng, len(rows)))
    return out


for _name in ("file_name", "file_extension", "mime_type"):
    mirrors(_name, "faker.providers.file")


@provider("file_extension", ("category",))
def file_extension(locale, args, rng, n):
    extensions = data(locale, "file_extension", "file_extensions")
    return _in_category(extensions, args.get("category"), rng, n) if extensions else None


@provider("file_name", ("category", "extension"))
def file_name(locale, args, rng, n):
    from . import in_chunk

    extension = args.get("extension")
    ext = (
        file_extension(locale, {"category": args.get("category")}, rng, n)
        if extension is None
        else pl.Series([extension] * n, dtype=pl.String)
    )
    if ext is None:
        return None
    word = in_chunk("word", {}, locale, rng, n)
    return pl.select(pl.when(pl.lit(ext) == "").then(pl.lit(word)).otherwise(pl.lit(word) + "." + pl.lit(ext))).to_series()


@provider("mime_type", ("category",))
def mime_type(locale, args, rng, n):
    types = data(locale, "mime_type", "mime_types")
    return _in_category(types, args.get("category"), rng, n) if types else None


SOURCES["phone_number"] = ("formats", ("formats",))


@provider("phone_number")
def phone_number(locale, args, rng, n):
    v = vocab(locale, "phone_number", "formats")
    return expand(v, rng, n, token_column(locale, args), randomize=True) if v else None


__all__ = ["REGISTRY", "ARGS", "Vocab"]
