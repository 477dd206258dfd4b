"""The versions that decide a dataset's values besides the preset and the seed: designer's own,
Faker's (its per-locale word lists and formats), numpy's (its random draws), scipy's (the inverse
CDFs of truncated distributions), polars' (how text formats write numbers and times), pyarrow's
(the Parquet bytes: its writer and metadata) and anyascii's (how slugs spell other scripts).
Equal versions, equal bytes."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from . import __version__

LIBRARIES = ("faker", "numpy", "scipy", "polars", "pyarrow", "anyascii")


@lru_cache(maxsize=1)
def data_versions() -> dict[str, str]:
    found = {"designer": __version__}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # a source tree without the package metadata
            found[name] = "unknown"
    return found


def mismatch(here: dict[str, str], workers: dict[str, dict[str, str]]) -> str | None:
    """The first worker whose versions are not this machine's, said in a sentence; or None."""
    for address, theirs in sorted(workers.items()):
        for name, mine in here.items():
            if theirs.get(name) != mine:
                return (
                    f"worker {address} has {name} {theirs.get(name, 'missing')} and this machine {name} {mine}: "
                    f"its parts would hold other values; install the same versions on both"
                )
    return None
