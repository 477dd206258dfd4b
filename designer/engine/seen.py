"""What a unique field has produced so far, in bounded memory: 64-bit hashes of its values, each
with a count (how many times that value has occurred as drawn).

A Python dict of every value costs ~150 bytes a row, 1.5 GB at ten million rows; this is an
open-addressing hash table in two numpy arrays, 12 bytes a slot, at most 70% full. Lookups and
inserts probe for a whole block of keys at once (linear probing: a key's next slot is the next
array element, usually in the same cache line).

Hashes come from polars, whose hash is stable within a version only; the output depends on the
hash only where two different values share all 64 bits, about once in 10^6 datasets of ten
million rows, so the same preset and seed still give the same values.
"""

from __future__ import annotations

import numpy as np
import polars as pl

_SEED = 0x5EED
_EMPTY = np.uint64(0)  # a free slot; a value that hashes to 0 is stored as 1
_MAX_LOAD = 0.7


def hashes(values: pl.Series) -> np.ndarray:
    """uint64 hashes of non-null values (the caller drops nulls first); never 0."""
    keys = values.hash(seed=_SEED).to_numpy()
    return np.where(keys == _EMPTY, np.uint64(1), keys)


class SeenCounts:
    def __init__(self, capacity: int = 1 << 15) -> None:
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._counts = np.zeros(capacity, dtype=np.uint32)
        self._size = 0
        self.digit_tailed = False  # for numbering: whether a value so far ends in a digit where numbers go

    def __len__(self) -> int:
        return self._size

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """The count of each key so far; 0 for keys never seen."""
        slots = self._slots(keys)
        return np.where(self._keys[slots] == keys, self._counts[slots], 0).astype(np.int64)

    def set(self, keys: np.ndarray, counts: np.ndarray) -> None:
        """Record the counts of distinct keys, replacing what was recorded for them before."""
        self._reserve(self._size + len(keys))
        slots = self._slots(keys)
        known = self._keys[slots] == keys
        self._counts[slots[known]] = counts[known]
        self._insert(keys[~known], counts[~known], slots[~known])

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """For each key, the slot that holds it, or the free slot where its probe ends."""
        mask = np.uint64(len(self._keys) - 1)
        slot = (keys & mask).astype(np.int64)
        found = np.empty(len(keys), dtype=np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            held = self._keys[at]
            done = (held == keys[pending]) | (held == _EMPTY)
            found[pending[done]] = at[done]
            pending = pending[~done]
            slot[pending] = (slot[pending] + 1) & int(mask)
        return found

    def _insert(self, keys: np.ndarray, counts: np.ndarray, slots: np.ndarray | None = None) -> None:
        """Put keys that are not in the table into free slots (`slots`: where their probes ended, if
        known); keys that race for one slot take turns."""
        while len(keys):
            slots = self._slots(keys) if slots is None else slots
            _, first = np.unique(slots, return_index=True)
            self._keys[slots[first]] = keys[first]
            self._counts[slots[first]] = counts[first]
            self._size += len(first)
            rest = np.ones(len(keys), dtype=bool)
            rest[first] = False
            keys, counts, slots = keys[rest], counts[rest], None

    def _reserve(self, size: int) -> None:
        capacity = len(self._keys)
        while size > _MAX_LOAD * capacity:
            capacity *= 2
        if capacity == len(self._keys):
            return
        used = self._keys != _EMPTY
        keys, counts = self._keys[used], self._counts[used]
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._counts = np.zeros(capacity, dtype=np.uint32)
        self._size = 0
        self._insert(keys, counts)
