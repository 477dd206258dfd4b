"""The same output for any number of workers and for any way the rows are cut into chunks: the same
bytes for the text formats, the same rows for SQLite and Parquet."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from designer import pipeline, presets
from designer.engine.seeding import BLOCK_ROWS
from designer.writers import open_writer, resolve_target

from .helpers import ECOMMERCE, FILE_FORMATS, TEXT_FORMATS, export, generated, read_back

# Several engine blocks of a root, children across block boundaries, a unique field checked across blocks.
BLOCKS = f"""
format = 1
[design]
name = "blocks"
seed = 11
[entities.people]
rows = {2 * BLOCK_ROWS + 17}
[entities.people.fields]
id     = {{ kind = "sequence" }}
first  = {{ kind = "faker", provider = "first_name" }}
email  = {{ kind = "template", template = "{{first}}@example.com", transform = "lower", unique = true }}
score  = {{ kind = "normal", mean = 50, std = 20, decimals = 3, null_rate = 0.1 }}
joined = {{ kind = "datetime", start = "-3y", end = "now" }}
active = {{ kind = "bool", p = 0.7 }}
[entities.visits]
parent = {{ entity = "people", count = {{ kind = "poisson", mean = 1.2 }} }}
[entities.visits.fields]
person = {{ kind = "parent", field = "id" }}
page   = {{ kind = "choice", values = ["/", "/shop", "/help, \\"quoted\\""] }}
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """BLOCKS exported to every file format with one worker and with two."""
    design = presets.loads(BLOCKS)
    out = {}
    for workers in (1, 2):
        directory = tmp_path_factory.mktemp(f"workers{workers}")
        for fmt in FILE_FORMATS:
            where = str(directory / "out.sqlite") if fmt == "sqlite" else f"{directory / fmt}/"
            out[fmt, workers] = export(design, fmt, where, workers=workers)
    return design, out


def test_blocks_preset_spans_several_blocks(runs):
    design, out = runs
    frames = read_back(design, out["csv", 1])
    assert frames["people"].height > 2 * BLOCK_ROWS and frames["visits"].height > 2 * BLOCK_ROWS  # 3 blocks
    assert frames["people"]["email"].n_unique() == frames["people"].height


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_two_workers_write_the_same_bytes_as_one(runs, fmt):
    _, out = runs
    for entity in ("people", "visits"):
        one = (out[fmt, 1].path / f"{entity}.{fmt}").read_bytes()
        assert one == (out[fmt, 2].path / f"{entity}.{fmt}").read_bytes(), entity


@pytest.mark.parametrize("fmt", ["sqlite", "parquet"])
def test_two_workers_write_the_same_rows_as_one(runs, fmt):
    design, out = runs
    one, two = read_back(design, out[fmt, 1]), read_back(design, out[fmt, 2])
    for entity in one:
        assert_frame_equal(one[entity], two[entity], check_exact=True)


def chunks(frame: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    """The frame cut into pieces of `size` rows, with empty pieces in between (a block may be empty)."""
    pieces = [frame.slice(start, size) for start in range(0, frame.height, size)]
    return [p for piece in pieces for p in (piece, frame.head(0))]


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_chunk_size_does_not_change_the_output(tmp_path, fmt):
    """Writers given the same rows in chunks of any size (empty ones too) write the same thing."""
    design, rows = presets.load(ECOMMERCE), {"users": 40, "products": 10}
    frames = generated(design, rows=rows)
    tables = pipeline.tables(design, rows=rows)
    targets = {}
    for size in (10**9, 64, 7, 1):
        where = str(tmp_path / f"{size}.sqlite") if fmt == "sqlite" else f"{tmp_path / str(size)}/"
        target = targets[size] = resolve_target(where, fmt, "shop", len(tables))
        writer = open_writer(target, tables)
        for table in tables:  # load order: a table's rows after those they reference
            for piece in chunks(frames[table.name], size):
                writer.write(table.name, piece)
        writer.commit()
    reference = read_back(design, targets[10**9], rows=rows)
    for entity, frame in reference.items():
        assert_frame_equal(frame, frames[entity], check_exact=True)
    for size, target in targets.items():
        if fmt in TEXT_FORMATS:
            for entity in frames:
                name = f"{entity}.{fmt}"
                assert (target.path / name).read_bytes() == (targets[10**9].path / name).read_bytes(), (size, name)
        else:
            for entity, frame in read_back(design, target, rows=rows).items():
                assert frame.equals(reference[entity]), (size, entity)
