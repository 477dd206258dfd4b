"""Stable seeds from names.

Every random draw comes from a generator seeded by (design seed, entity name,
field name, block number, stream name). Names are hashed with crc32, never with
Python's hash() (salted per process), and never by position, so adding or
reordering a field leaves every other field's values unchanged.
"""

from __future__ import annotations

from typing import cast
from zlib import crc32

import numpy as np

BLOCK_ROWS = 16_384
"""Rows of a root entity per block. Part of the output's definition: changing it changes every dataset."""


ENTITY_WIDE = 2**32 - 1
"""The block number used for draws shared by all blocks of an entity."""


def name_key(name: str) -> int:
    return crc32(name.encode("utf-8"))


def rng(seed: int, entity: str, field: str, block: int, stream: str = "") -> np.random.Generator:
    """The generator for one field's draws in one block (and one purpose, `stream`)."""
    entropy = [seed, name_key(entity), name_key(field), block, name_key(stream)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def child(rng: np.random.Generator, *keys: str | int) -> np.random.Generator:
    """A generator of its own for one part of a draw, keyed by name or number and derived from how
    `rng` was seeded, not from what it has drawn since: how much one part draws never moves another."""
    seq = cast(np.random.SeedSequence, rng.bit_generator.seed_seq)  # every generator here is seeded by one
    seed = seq.entropy  # an int or a list of them (the stubs allow None; a SeedSequence always has entropy)
    entropy = [int(e) for e in np.atleast_1d(seed)] + [int(k) for k in seq.spawn_key]  # type: ignore[arg-type]
    parts = [k if isinstance(k, int) else name_key(k) for k in keys]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy + parts)))
