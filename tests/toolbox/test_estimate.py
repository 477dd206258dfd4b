"""Estimates (`designer validate`, `designer export --dry-run`): rows, size and time before an export,
judged against a real export counted and measured by readers that are not ours."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import polars as pl
import pytest
from scipy import stats as scipy_stats

from designer import presets
from designer.estimate import estimate

from ..conftest import PRESETS
from ..writers.helpers import invoke, snapshot

ECOMMERCE = PRESETS / "ecommerce.toml"
ENTITIES = ["products", "users", "orders", "order_items"]


def sqlite_counts(path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        return {e: db.execute(f'SELECT count(*) FROM "{e}"').fetchone()[0] for e in ENTITIES}


def test_children_follow_their_count_distributions_means():
    """orders: poisson(2) cut at 12 per user; order_items: uniform 1..5 per order (scipy's means)."""
    users = 50_000
    shown = estimate(presets.load(ECOMMERCE), rows={"users": users})
    poisson = scipy_stats.poisson(2)
    cut_mean = sum(k * poisson.pmf(k) for k in range(13)) / poisson.cdf(12)
    assert shown.of("orders").rows == pytest.approx(users * cut_mean, rel=0.02)
    assert shown.of("order_items").rows == pytest.approx(shown.of("orders").rows * scipy_stats.randint(1, 6).mean(), rel=0.02)
    assert shown.of("orders").per_parent == pytest.approx(cut_mean, rel=0.02) and shown.of("orders").parent == "users"


def test_a_small_export_is_measured_whole_and_its_rows_are_the_exports(tmp_path):
    out = tmp_path / "shop.sqlite"
    shown = estimate(presets.load(ECOMMERCE), rows={"users": 300}, fmt="sqlite")
    assert invoke("export", str(ECOMMERCE), "-o", str(out), "--rows", "users=300", "--quiet").returncode == 0
    assert {e.name: e.rows for e in shown.entities} == sqlite_counts(out)
    assert shown.sample_rows == shown.rows  # the sample is the whole export here
    assert shown.total_bytes == pytest.approx(out.stat().st_size, rel=0.2)


@pytest.mark.large
@pytest.mark.parametrize("fmt", ["csv", "parquet", "ndjson", "sqlite"])
def test_estimates_hold_at_100k_rows(tmp_path, fmt):
    design = presets.load(ECOMMERCE)
    shown = estimate(design, rows={"users": 100_000}, fmt=fmt)
    out = tmp_path / ("shop.sqlite" if fmt == "sqlite" else "shop")
    args = ["export", str(ECOMMERCE), "-o", str(out), "--rows", "users=100000", "--quiet"]
    assert invoke(*args, *([] if fmt == "sqlite" else ["--format", fmt])).returncode == 0
    assert shown.rows > 800_000 and shown.sample_rows < shown.rows / 4  # measured on a sample, not the whole
    if fmt == "sqlite":
        actual_rows, sizes = sqlite_counts(out), {}
        total = out.stat().st_size
    else:
        read = {"csv": pl.read_csv, "parquet": pl.read_parquet, "ndjson": pl.read_ndjson}[fmt]
        files = {e: out / f"{e}.{fmt}" for e in ENTITIES}
        actual_rows = {e: read(path).height for e, path in files.items()}
        sizes = {e: path.stat().st_size for e, path in files.items()}
        total = sum(sizes.values())
    for e in ENTITIES:
        assert shown.of(e).rows == pytest.approx(actual_rows[e], rel=0.05)
        if sizes:
            assert shown.of(e).bytes == pytest.approx(sizes[e], rel=0.2), e
    size = shown.total_bytes if shown.total_bytes is not None else sum(e.bytes or 0 for e in shown.entities)
    assert size == pytest.approx(total, rel=0.2)


def test_validate_shows_the_rows_the_export_writes(tmp_path):
    result = invoke("validate", str(ECOMMERCE))
    assert result.returncode == 0
    out = tmp_path / "shop.sqlite"
    invoke("export", str(ECOMMERCE), "-o", str(out), "--quiet")
    for entity, rows in sqlite_counts(out).items():
        assert re.search(rf"│ {entity} +│ {rows:,}( \([\d.]+ per \w+\))? +│", result.stdout), (entity, rows, result.stdout)
    assert "about" not in result.stdout  # size and time only for a format


def test_validate_with_a_format_measures_size_and_time():
    result = invoke("validate", str(ECOMMERCE), "--format", "parquet")
    assert result.returncode == 0
    assert re.search(r"parquet: about [\d.]+ KiB and [\d.]+ s for 9,143 rows on this machine", result.stdout), result.stdout


def test_dry_run_prints_the_estimate_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    before = snapshot(tmp_path)
    result = invoke("export", str(ECOMMERCE), "--dry-run", "--rows", "users=5000", "-o", "out/", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path) == before
    assert "dry run, nothing written" in result.stdout and "would write out" in result.stdout
    assert re.search(r"csv: about [\d.]+ MiB and [\d.]+ s for [\d,]+ rows", result.stdout)
    invoke("export", str(ECOMMERCE), "--rows", "users=5000", "-o", "real.sqlite", "--quiet")
    for entity, rows in sqlite_counts(tmp_path / "real.sqlite").items():  # the same rows, whatever the format
        assert re.search(rf"│ {entity} +│ {rows:,}", result.stdout), (entity, rows)


def test_dry_run_to_postgres_touches_no_server():
    url = "postgresql://nobody@127.0.0.1:9/none"  # no server there: a dry run never connects
    result = invoke("export", str(ECOMMERCE), "--dry-run", "-o", url)
    assert result.returncode == 0 and "size and time are not measured for a database server" in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["validate", str(ECOMMERCE), "--format", "xml"], 'designer: --format "xml": unknown format'),
        (["export", str(ECOMMERCE), "--dry-run", "--rows", "users=-1"], 'designer: --rows "users=-1": rows cannot be negative'),
        (["export", str(ECOMMERCE), "--dry-run", "-o", "-"], "designer: -o - (stdout) needs a text --format"),
    ],
)
def test_bad_input_is_one_line_and_status_2(args, message):
    result = invoke(*args)
    assert result.returncode == 2 and result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1


def test_past_the_exact_limit_children_come_from_their_means(monkeypatch):
    import designer.estimate as module

    design = presets.load(ECOMMERCE)
    exact = estimate(design, rows={"users": 40_000})
    monkeypatch.setattr(module, "EXACT_ROWS", 1_000)
    means = estimate(design, rows={"users": 40_000})
    assert means.of("users").rows == exact.of("users").rows == 40_000
    for e in ("orders", "order_items"):
        assert means.of(e).rows == pytest.approx(exact.of(e).rows, rel=0.02) and means.of(e).rows != exact.of(e).rows
    huge = estimate(design, rows={"users": 10**9})  # at once: no counts drawn
    assert huge.of("order_items").rows == pytest.approx(10**9 * 2 * 3, rel=0.01)
