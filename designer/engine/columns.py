"""Small column builders shared by kinds: fixed-width ASCII strings from numpy, safe gathers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa


def ascii_strings(chars: np.ndarray) -> pl.Series:
    """A String series from an (n, width) uint8 array of ASCII codes, without a Python loop."""
    n, width = chars.shape
    offsets = np.arange(0, width * (n + 1), width, dtype=np.int64)
    data = np.ascontiguousarray(chars)
    array = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    return pl.from_arrow(array).cast(pl.String)


_HEX_PAIRS = np.array([ord(c) for i in range(256) for c in f"{i:02x}"], dtype=np.uint8).view(np.uint16)


def hex_chars(raw: np.ndarray) -> np.ndarray:
    """(n, k) bytes -> (n, 2k) ASCII hex digits."""
    return _HEX_PAIRS[raw].view(np.uint8).reshape(raw.shape[0], raw.shape[1] * 2)


def gather(values: pl.Series, index: np.ndarray) -> pl.Series:
    """values[index] for a numpy index array (an empty index keeps the dtype)."""
    return values.gather(pl.Series(index, dtype=pl.Int64)) if len(index) else values.clear()
