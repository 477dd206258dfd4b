"""What a unique field has produced so far, in bounded memory: 64-bit hashes of its values, each
with a count (how many times that value has occurred as drawn).

A Python dict of every value costs ~150 bytes a row, 1.5 GB at ten million rows; this is an
open-addressing hash table in two numpy arrays, 12 bytes a slot, at most 70% full. Lookups and
inserts probe for a whole block of keys at once (linear probing: a key's next slot is the next
array element, usually in the same cache line). A block is looked up once and stored at the slots
that lookup found (`lookup`, then `store`), so the common case probes each key a single time.

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
_SMALLEST = 1 << 15
_LARGEST_UP_FRONT = 1 << 24  # slots reserved before the first block at most (192 MiB); beyond, it grows


def hashes(values: pl.Series) -> np.ndarray:
    """uint64 hashes of non-null values (the caller drops nulls first); never 0."""
    keys = values.hash(seed=_SEED).to_numpy()
    return np.where(keys == _EMPTY, np.uint64(1), keys)


def _capacity_for(size: int) -> int:
    capacity = _SMALLEST
    while size > _MAX_LOAD * capacity:
        capacity *= 2
    return capacity


class SeenCounts:
    def __init__(self, expected: int = 0) -> None:
        """`expected`: how many values the field will produce, when known. Reserving room for
        them up front saves rebuilding the table every time it doubles."""
        capacity = min(_capacity_for(expected), _LARGEST_UP_FRONT)
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._counts = np.zeros(capacity, dtype=np.uint32)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """The count of each key so far; 0 for keys never seen."""
        return self.lookup(keys)[1]

    def set(self, keys: np.ndarray, counts: np.ndarray) -> None:
        """Record the counts of distinct keys, replacing what was recorded for them before."""
        self.reserve(len(keys))
        self.store(keys, counts, self.lookup(keys)[0])

    def reserve(self, more: int) -> None:
        """Room for `more` new keys, made before a lookup whose slots are to be stored into."""
        capacity = _capacity_for(self._size + more)
        if capacity <= len(self._keys):
            return
        used = self._keys != _EMPTY
        keys, counts = self._keys[used], self._counts[used]
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._counts = np.zeros(capacity, dtype=np.uint32)
        self._size = 0
        self._place(keys, counts, self._slots(keys))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each key: its slot (the one that holds it, or the free slot where its probe ended),
        and its count so far (0 for keys never seen)."""
        slots = self._slots(keys)
        counts = np.where(self._keys[slots] == keys, self._counts[slots], 0).astype(np.int64)
        return slots, counts

    def store(self, keys: np.ndarray, counts: np.ndarray, slots: np.ndarray) -> None:
        """Record the counts of distinct keys at the slots a `lookup` gave them, with no change to
        the table since (and room reserved before that lookup)."""
        known = self._keys[slots] == keys
        self._counts[slots[known]] = counts[known]
        new = ~known
        self._place(keys[new], counts[new], slots[new])

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """For each key, the slot that holds it, or the free slot where its probe ends."""
        mask = np.uint64(len(self._keys) - 1)
        slot = (keys & mask).astype(np.int64)
        held = self._keys[slot]
        done = (held == keys) | (held == _EMPTY)
        if done.all():  # the usual case: one probe a key
            return slot
        pending = np.flatnonzero(~done)
        while len(pending):
            at = (slot[pending] + 1) & int(mask)
            slot[pending] = at
            held = self._keys[at]
            pending = pending[(held != keys[pending]) & (held != _EMPTY)]
        return slot

    def _place(self, keys: np.ndarray, counts: np.ndarray, slots: np.ndarray) -> None:
        """Put keys that are not in the table into the free slots their probes ended at. Keys that
        race for one slot: one wins (whichever write lands last), the others probe on."""
        while len(keys):
            self._keys[slots] = keys
            won = self._keys[slots] == keys
            self._counts[slots[won]] = counts[won]
            self._size += int(won.sum())
            lost = ~won
            keys, counts = keys[lost], counts[lost]
            slots = self._slots(keys)
