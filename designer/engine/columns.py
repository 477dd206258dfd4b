"""Small column builders shared by kinds: strings from numpy byte matrices, safe gathers."""

from __future__ import annotations

from typing import cast

import numpy as np
import polars as pl
import pyarrow as pa


def ascii_strings(chars: np.ndarray) -> pl.Series:
    """A String series from an (n, width) uint8 array of ASCII codes, without a Python loop."""
    n, width = chars.shape
    return _strings(np.arange(0, width * (n + 1), width, dtype=np.int64), np.ascontiguousarray(chars), n)


def padded_strings(chars: np.ndarray, lengths: np.ndarray) -> pl.Series:
    """A String series from an (n, width) uint8 array of UTF-8 bytes: row i is lengths[i] bytes
    followed by zero bytes. Built as Arrow string views over the matrix itself, with no copy of
    the text: half the cost of packing the rows into one buffer."""
    n, width = chars.shape
    if width % 4 or width < 12 or n * width >= 2**31:
        return squeezed_strings(chars, lengths)
    chars = np.ascontiguousarray(chars)
    # A view is 16 bytes: the length, then the string itself when it fits in 12 bytes (the zero
    # padding after it is part of the format), else its first 4 bytes, buffer 0 and its offset.
    views = np.empty((n, 4), dtype=np.uint32)
    views[:, 0] = lengths
    views[:, 1:] = chars[:, :12].view(np.uint32)
    long = lengths > 12
    views[:, 2] = np.where(long, 0, views[:, 2])
    views[:, 3] = np.where(long, np.arange(0, n * width, width, dtype=np.uint32), views[:, 3])
    array = pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(views), pa.py_buffer(chars)])
    return cast(pl.Series, pl.from_arrow(array))  # an array gives a Series, a table a DataFrame


def squeezed_strings(chars: np.ndarray, lengths: np.ndarray) -> pl.Series:
    """A String series from an (n, width) uint8 array of UTF-8 bytes in which row i holds
    lengths[i] bytes and zero bytes anywhere else, dropped (a string never holds one)."""
    offsets = np.zeros(len(chars) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return _strings(offsets, chars[chars != 0], len(chars))


def _strings(offsets: np.ndarray, data: np.ndarray, n: int) -> pl.Series:
    array = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    return cast(pl.Series, pl.from_arrow(array)).cast(pl.String)


_HEX_PAIRS = np.array([ord(c) for i in range(256) for c in f"{i:02x}"], dtype=np.uint8).view(np.uint16)


def hex_chars(raw: np.ndarray) -> np.ndarray:
    """(n, k) bytes -> (n, 2k) ASCII hex digits."""
    return _HEX_PAIRS[raw].view(np.uint8).reshape(raw.shape[0], raw.shape[1] * 2)


def _hex_words(template: str) -> np.ndarray:
    """For every value of the hex digits a 4-character template shows ("x" each), the four
    characters as one uint32: e.g. "x-xx" for a digit, a dash, two digits."""
    digits = template.count("x")
    words = []
    for value in range(16**digits):
        hexes = iter(f"{value:0{digits}x}")
        words.append("".join(next(hexes) if c == "x" else c for c in template).encode())
    return np.frombuffer(b"".join(words), dtype=np.uint32)


_UUID_WORDS = [_hex_words(t) for t in ("xxxx", "-xxx", "x-xx", "xx-x", "xxx-")]


def uuid_strings(rng: np.random.Generator, n: int) -> pl.Series:
    """n random (version 4) UUIDs as text. The 36 characters are nine 4-character words, each one
    lookup of the 12 or 16 bits it shows: no pass over single hex digits, no moving them past dashes.
    The bits are int64 (shifts and masks keep them in range), as numpy indexes with int64 uncopied."""
    bits = rng.integers(0, 1 << 64, (n, 2), dtype=np.uint64).view(np.int64)  # row by row: n rows are a prefix of more
    hi, lo = bits[:, 0], bits[:, 1]  # 16 hex digits each
    hi = (hi & ~0xF000) | 0x4000  # digit 13: version 4
    lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | np.int64(-1 << 63)  # digit 17: 8, 9, a or b (RFC 4122 variant)
    quad, dash_xxx, x_dash_xx, xx_dash_x, xxx_dash = _UUID_WORDS
    words = np.empty((n, 9), dtype=np.uint32)  # xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx
    words[:, 0] = quad[(hi >> 48) & 0xFFFF]
    words[:, 1] = quad[(hi >> 32) & 0xFFFF]
    words[:, 2] = dash_xxx[(hi >> 20) & 0xFFF]
    words[:, 3] = x_dash_xx[(hi >> 8) & 0xFFF]
    words[:, 4] = xx_dash_x[((hi & 0xFF) << 4) | ((lo >> 60) & 0xF)]
    words[:, 5] = xxx_dash[(lo >> 48) & 0xFFF]
    words[:, 6] = quad[(lo >> 32) & 0xFFFF]
    words[:, 7] = quad[(lo >> 16) & 0xFFFF]
    words[:, 8] = quad[lo & 0xFFFF]
    return ascii_strings(words.view(np.uint8))


def gather(values: pl.Series, index: np.ndarray) -> pl.Series:
    """values[index] for a numpy index array (an empty index keeps the dtype)."""
    return values.gather(pl.Series(index, dtype=pl.Int64)) if len(index) else values.clear()
