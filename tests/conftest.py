from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ROOT / "presets"


@pytest.fixture(scope="module")
def client():
    """A local Dask cluster of two worker processes, one per test module that asks for it."""
    from designer import cluster

    with cluster.connect("local:2") as client:
        yield client


@pytest.fixture
def write_preset(tmp_path):
    """Write preset text to a file and return its path."""

    def write(text: str | bytes, name: str = "shop.toml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return path

    return write


# Markers by what a test needs, so `make test-fast` can leave out the slow parts (see the Makefile):
# a real PostgreSQL server, a Dask cluster, a terminal in tmux, or the Faker sweep.
_BY_FILE = {
    "test_distributed.py": "cluster",
    "test_cluster_safety.py": "cluster",
    "test_tmux.py": "tmux",
    "test_faker_fidelity.py": "fidelity",
    "test_fuzz.py": "fuzz",
}
_SLOW = {"cluster", "tmux", "fidelity", "fuzz", "pg"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        marks = {_BY_FILE.get(item.path.name)} - {None}
        if "pg_server" in getattr(item, "fixturenames", ()):
            marks.add("pg")
        marks |= {m.name for m in item.iter_markers()} & _SLOW
        for mark in marks | ({"slow"} if marks & _SLOW else set()):
            item.add_marker(mark)
