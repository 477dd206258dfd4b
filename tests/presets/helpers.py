"""Run the real CLI on a shipped preset, read its SQLite export back, and the statistics the
domain tests need (no scipy: a chi-square quantile and a Kolmogorov-Smirnov distance)."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl

from ..conftest import PRESETS

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$")  # whole seconds or microseconds


def _designer() -> list[str]:
    script = Path(sys.executable).with_name("designer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "designer"]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`designer ARGS` in a subprocess; fails the test unless it exits 0."""
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run([*_designer(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"designer {' '.join(args)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


def export(preset: str, directory: Path, *options: str) -> dict[str, pl.DataFrame]:
    """Export presets/<preset>.toml to SQLite with the CLI and read every table back."""
    target = directory / f"{preset}.sqlite"
    cli("export", str(PRESETS / f"{preset}.toml"), "-o", str(target), "--quiet", *options)
    return read_back(target)


def read_back(path: Path) -> dict[str, pl.DataFrame]:
    """Every table of a SQLite file; text columns that hold only dates or timestamps are parsed."""
    tables = {}
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        for name in names:
            cursor = db.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            columns = [d[0] for d in cursor.description]
            frame = pl.DataFrame([list(r) for r in cursor.fetchall()], schema=columns, orient="row", infer_schema_length=None)
            tables[name] = frame.with_columns(_parsed(frame[c]) for c in columns if frame[c].dtype == pl.String)
    return tables


def _parsed(column: pl.Series) -> pl.Series:
    values = column.drop_nulls()
    if len(values) and values.str.contains(_DATE.pattern).all():
        return column.str.to_date("%Y-%m-%d")
    if len(values) and values.str.contains(_DATETIME.pattern).all():
        return column.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us")
    return column


# ---- statistics -------------------------------------------------------------------------


def chi_square(observed: list[int], weights: list[float]) -> tuple[float, float]:
    """Pearson's statistic against the expected shares, and its 0.999 quantile (Wilson-Hilferty).

    A right generator stays under the quantile but for one seed in a thousand; a wrong share
    (a weight ignored, two values swapped) is far above it at the sizes these tests use.
    """
    total = sum(observed)
    shares = [w / sum(weights) for w in weights]
    statistic = sum((o - total * s) ** 2 / (total * s) for o, s in zip(observed, shares, strict=True))
    k = len(observed) - 1
    z = 3.090  # the standard normal's 0.999 quantile
    critical = k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3
    return statistic, critical


def binomial_bounds(n: int, p: float, sigmas: float = 4.0) -> tuple[float, float]:
    """Shares of n trials with probability p that a right generator stays within."""
    spread = sigmas * math.sqrt(p * (1 - p) / n)
    return p - spread, p + spread


def normal_cdf(x: float, mean: float = 0.0, sd: float = 1.0) -> float:
    return 0.5 * (1 + math.erf((x - mean) / (sd * math.sqrt(2))))


def ks_distance(sample: list[float], cdf) -> tuple[float, float]:
    """Kolmogorov-Smirnov distance of a sample to a CDF, and its 0.999 critical value."""
    values = sorted(sample)
    n = len(values)
    distance = max(max((i + 1) / n - cdf(v), cdf(v) - i / n) for i, v in enumerate(values))
    return distance, 1.95 / math.sqrt(n)


def top_share(counts: pl.Series, population: int, fraction: float = 0.1) -> float:
    """The share of all occurrences taken by the most popular `fraction` of a population."""
    top = max(1, round(population * fraction))
    ordered = counts.sort(descending=True)
    return ordered.head(top).sum() / ordered.sum()


def slug(text: str) -> str:
    """The format's `slug` transform, written independently of the engine's."""
    import unicodedata

    spelled = text.translate(str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l"}))
    ascii_text = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def without_number(text: str) -> str:
    """`ann.lee2@x.org` -> `ann.lee@x.org`: how `unique` numbers repeats of a template."""
    local, at, domain = text.partition("@")
    return re.sub(r"\d+$", "", local) + at + domain


# ---- what a QA engineer would notice in any preset's data ---------------------------------

_PLACEHOLDER = r"(?i)^(value|item|test|foo|bar|baz|placeholder|lorem|ipsum|string|text|todo|xxx|null|none|nan)[ _-]?\d*$"


def check_realism(preset: str, tables: dict[str, pl.DataFrame]) -> None:
    """No placeholder or blank text, no NaN, no time after the design's "now" or before 2000,
    and exactly the exported fields as columns (helper fields stay out)."""
    from designer import presets
    from designer.model.deps import all_fields

    design = presets.load(PRESETS / f"{preset}.toml")
    now = design.info.reference_time
    assert set(tables) == set(design.entities)
    for entity, frame in tables.items():
        exported = [n for n, spec in all_fields(design, entity).items() if spec.export]
        assert frame.columns == exported, entity
        assert frame.height > 0, entity
        for column in frame.iter_columns():
            name = column.name
            where = f"{entity}.{name}"
            assert column.null_count() < frame.height, f"{where} is always null"
            if column.dtype == pl.String:
                values = column.drop_nulls()
                assert not values.str.contains(_PLACEHOLDER).any(), (
                    f"{where}: {values.filter(values.str.contains(_PLACEHOLDER))[:3].to_list()}"
                )
                assert (values.str.strip_chars() != "").all(), f"{where} has blank text"
            elif column.dtype == pl.Float64:
                assert not column.is_nan().any() and not column.is_infinite().any(), where
            elif column.dtype in (pl.Date, pl.Datetime("us")):
                lo, hi = column.min(), column.max()
                if column.dtype == pl.Date:
                    lo, hi = (dt.datetime(d.year, d.month, d.day) for d in (lo, hi))
                assert dt.datetime(2000, 1, 1) <= lo and hi <= now, f"{where} spans {lo} .. {hi}, after {now}?"
