"""`designer export` as a user runs it: targets and formats, --rows/--scale/--seed/--entity, stdout,
--quiet, and the progress and summary on stderr."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest
from polars.testing import assert_frame_equal

from designer import pipeline, presets
from designer.writers import resolve_target
from designer.writers.readback import read_table

from .writers.helpers import ECOMMERCE, invoke, run_cli

ENTITIES = ["products", "users", "orders", "order_items"]  # load order
FEW = ["--rows", "users=20", "--rows", "products=5"]


def export(*args: str) -> str:
    """Run the export; fail unless it exits 0. Returns stderr."""
    result = invoke("export", str(ECOMMERCE), *args)
    assert result.returncode == 0, result.stderr
    return result.stderr


def counts(path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_default_target_is_the_design_name_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export(*FEW, "--quiet")
    assert [p.name for p in tmp_path.iterdir()] == ["ecommerce.sqlite"]
    assert list(counts(tmp_path / "ecommerce.sqlite")) == ENTITIES


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("shop.db", "sqlite"),
        ("shop.sqlite3", "sqlite"),
        ("p.csv", "csv"),
        ("p.tsv", "tsv"),
        ("p.parquet", "parquet"),
        ("p.jsonl", "ndjson"),
        ("p.ndjson", "ndjson"),
        ("p.json", "json"),
    ],
)
def test_the_format_comes_from_the_extension(tmp_path, name, fmt):
    one = [] if fmt == "sqlite" else ["--entity", "products"]
    export("-o", str(tmp_path / name), *FEW, *one, "--quiet")
    design = presets.load(ECOMMERCE)
    target = resolve_target(str(tmp_path / name), None, "ecommerce", 4 if fmt == "sqlite" else 1)
    assert target.format.replace("jsonl", "ndjson") == fmt
    spec = pipeline.tables(design, entities=["products"])[0]
    expected = pipeline.generate(design, "products", rows={"users": 20, "products": 5})
    assert_frame_equal(read_table(target, "products", spec), expected, check_exact=True)


def test_a_directory_with_a_format_gets_one_file_per_entity(tmp_path):
    export("-o", f"{tmp_path / 'out'}/", "--format", "csv", *FEW, "--quiet")
    # with the commit marker, which lists them
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [".designer-export.json", *(f"{e}.csv" for e in ENTITIES)]
    )


def test_stdout_carries_one_entity_and_stderr_stays_empty(tmp_path):
    """The real process, real pipes: the CSV on stdout is the file `-o products.csv` writes."""
    streamed = run_cli("export", str(ECOMMERCE), "-o", "-", "--entity", "products", "--format", "csv", "--rows", "products=5")
    assert streamed.returncode == 0 and streamed.stderr == ""
    export("-o", str(tmp_path / "products.csv"), "--entity", "products", "--rows", "products=5", "--quiet")
    assert streamed.stdout == (tmp_path / "products.csv").read_text(encoding="utf-8")
    assert len(streamed.stdout.splitlines()) == 6  # header and five rows


def test_quiet_prints_nothing(tmp_path):
    result = invoke("export", str(ECOMMERCE), "-o", str(tmp_path / "s.sqlite"), *FEW, "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("options", "users", "products"),
    [
        (["--rows", "users=40"], 40, 200),
        (["--rows", "7"], 7, 7),
        (["--rows", "9", "--rows", "products=3"], 9, 3),
        (["--scale", "0.05"], 50, 10),
    ],
)
def test_rows_and_scale_set_the_root_entities_and_children_follow(tmp_path, options, users, products):
    export("-o", str(tmp_path / "s.sqlite"), *options, "--quiet")
    rows = counts(tmp_path / "s.sqlite")
    assert (rows["users"], rows["products"]) == (users, products)
    orders = pipeline.generate(presets.load(ECOMMERCE), "orders", rows={"users": users, "products": products})
    assert rows["orders"] == orders.height > 0


def test_seed_gives_another_dataset_and_the_same_seed_the_same_bytes(tmp_path):
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        export("-o", f"{tmp_path / name}/", "--format", "ndjson", *FEW, "--seed", seed, "--quiet")
    for entity in ENTITIES:
        a, b, c = ((tmp_path / d / f"{entity}.ndjson").read_bytes() for d in "abc")
        assert a == b != c, entity


def test_entity_exports_only_those_with_the_rows_of_a_full_export(tmp_path):
    export("-o", f"{tmp_path / 'all'}/", "--format", "csv", *FEW, "--quiet")
    export("-o", f"{tmp_path / 'some'}/", "--format", "csv", *FEW, "--entity", "orders", "--entity", "users", "--quiet")
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == [".designer-export.json", "orders.csv", "users.csv"]
    for name in ("orders.csv", "users.csv"):
        assert (tmp_path / "some" / name).read_bytes() == (tmp_path / "all" / name).read_bytes()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--format", "excel"],
            'designer: --format "excel": unknown format; use one of sqlite, csv, tsv, parquet, ndjson, jsonl, json, postgres, duckdb, mysql',
        ),
        (["--entity", "order"], 'designer: --entity names unknown entity "order"; did you mean "orders"?'),
        (["--rows", "users=many"], 'designer: --rows "users=many": give N or ENTITY=N with N a whole number'),
        (["--rows", "users=-1"], 'designer: --rows "users=-1": rows cannot be negative'),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(tmp_path, monkeypatch, options, message):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", str(ECOMMERCE), *options)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
    assert list(tmp_path.iterdir()) == []


def test_progress_per_entity_then_a_summary_on_stderr(tmp_path):
    result = invoke(
        "export", str(ECOMMERCE), "-o", f"{tmp_path / 'out'}/", "--format", "csv", "--rows", "users=1200", "--rows", "products=30"
    )
    assert result.returncode == 0 and result.stdout == ""
    rows = {e: pipeline.generate(presets.load(ECOMMERCE), e, rows={"users": 1200, "products": 30}).height for e in ENTITIES}
    lines = result.stderr.splitlines()
    for entity, count in rows.items():  # a finished bar: "users  ━━━━ 1200/1200  ... rows/s"
        assert any(re.match(rf"{entity}\s.*\b{count}/{count}\b.*rows/s", line) for line in lines), entity
    title = next(line for line in lines if line.startswith("ecommerce: "))
    assert re.fullmatch(rf"ecommerce: {sum(rows.values()):,} rows in \d+\.\d\ds \([\d,]+ rows/s\), seed 42\s*", title)
    for entity, count in rows.items():  # the table: entity, rows, the file written, its size
        size = (tmp_path / "out" / f"{entity}.csv").stat().st_size
        row = next(line for line in lines if re.match(rf"\W+{entity}\s", line))
        assert f" {count:,} " in row and f"{entity}.csv" in row and re.search(r"\d+(\.\d)? (B|KiB|MiB)", row), row
        assert size > 0


def test_a_reader_that_stops_early_ends_the_export_quietly():
    """`designer export -o - ... | head`: like any Unix filter, stop without a word (exit 141)."""
    import subprocess

    from .writers.helpers import designer_command

    command = designer_command(
        "export", str(ECOMMERCE), "-o", "-", "--entity", "users", "--format", "csv", "--rows", "users=200000"
    )
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    header = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert header.startswith(b"id,first_name") and stderr == b""
