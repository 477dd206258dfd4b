"""Faker's small providers: colors, hashes and UUIDs, currencies, files and phone numbers."""

from __future__ import annotations

import numpy as np
import polars as pl

from ..columns import ascii_strings, hex_chars, uuid_strings
from .drawers import token_column
from .faithful import SOURCES, mirrors
from .formats import expand
from .registry import Provider, in_chunk, provider
from .vocab import data, vocab, vocab_of


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
