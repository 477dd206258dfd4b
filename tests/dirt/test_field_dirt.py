"""A field's dirt: each kind at its rate (scipy's exact binomial quantiles), each dirty cell what its
kind says of the clean value (checked with the standard library, not our code), the clean value
recoverable from the report, and nothing else changed."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

import polars as pl
import pytest
from scipy.stats import binom

from ..writers.helpers import invoke

ROWS = 20_000  # more than one block of 16,384 rows: block edges are crossed
RATE = 0.1

# kind -> (a field that every row of which the kind can change, what a dirty cell must be)
CASES = {
    "typo": ('{ kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe"] }', None),
    "case": ('{ kind = "choice", values = ["Alexandra Smith", "jonathan wolfe"] }', None),
    "whitespace": ('{ kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe"] }', None),
    "truncate": ('{ kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe"] }', None),
    "mojibake": ('{ kind = "choice", values = ["Müller", "José Núñez"] }', None),
    "homoglyph": ('{ kind = "choice", values = ["Alexandra Smith", "Jonathan Wolfe"] }', None),
    "separators": ('{ kind = "uniform", min = 1000, max = 900000, dtype = "int" }', None),
    "comma_decimal": ('{ kind = "uniform", min = 1, max = 900, decimals = 2 }', None),
    "sign": ('{ kind = "uniform", min = 1, max = 900, dtype = "int" }', None),
    "unit_slip": ('{ kind = "uniform", min = 1, max = 900, dtype = "int" }', None),
    "out_of_range": ('{ kind = "uniform", min = 18, max = 65, dtype = "int" }', None),
    "mixed_formats": ('{ kind = "date", start = "2020-01-01", end = "2024-12-31" }', None),
    "impossible_date": ('{ kind = "date", start = "2020-01-01", end = "2024-12-31" }', None),
    "tz_drift": ('{ kind = "datetime", start = "2024-01-01", end = "2024-12-31" }', None),
    "placeholder": ('{ kind = "uniform", min = 1, max = 900, dtype = "int" }', None),
    "nulls": ('{ kind = "choice", values = ["a", "b"] }', None),
}

_CYRILLIC_TO_LATIN = dict(zip("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX", strict=True))


def _one_edit(clean: str, dirty: str) -> bool:
    """A substitution, a deletion, a doubling or a swap of neighbours: one keystroke wrong."""
    if len(dirty) == len(clean):
        diff = [i for i, (a, b) in enumerate(zip(clean, dirty, strict=True)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and clean[diff[0]] == dirty[diff[1]])
    short, long = sorted((clean, dirty), key=len)
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _is_as_said(kind: str, clean: str | None, dirty: str | None) -> bool:
    if kind == "nulls":
        return dirty is None and clean is not None
    assert clean is not None and dirty is not None
    if kind == "typo":
        return _one_edit(clean, dirty)
    if kind == "case":
        return dirty != clean and dirty.lower() == clean.lower()
    if kind == "whitespace":
        return dirty != clean and dirty.split() == clean.split()
    if kind == "truncate":
        return 0 < len(dirty) < len(clean) and clean.startswith(dirty)
    if kind == "mojibake":
        return dirty != clean and dirty.encode("latin-1").decode("utf-8") == clean
    if kind == "homoglyph":
        odd = [c for c in dirty if ord(c) > 127]
        return (
            len(odd) == 1
            and "CYRILLIC" in unicodedata.name(odd[0])
            and "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in dirty) == clean
        )
    if kind == "separators":
        return "," in dirty and int(dirty.replace(",", "")) == int(clean)
    if kind == "comma_decimal":
        return "." not in dirty and float(dirty.replace(",", ".")) == float(clean)
    if kind == "sign":
        return int(dirty) == -int(clean)
    if kind == "unit_slip":
        return int(dirty) in (10 * int(clean), 1000 * int(clean))
    if kind == "out_of_range":
        return not 18 <= int(dirty) <= 65
    if kind == "mixed_formats":
        day = dt.date.fromisoformat(clean)
        if dirty.isdigit():
            return dt.datetime.fromtimestamp(int(dirty), dt.UTC).date() == day
        return any(_parses(dirty, f) == day for f in ("%m/%d/%Y", "%d.%m.%Y"))
    if kind == "impossible_date":
        return _parses(dirty, "%Y-%m-%d") is None and dirty[:4] == clean[:4]
    if kind == "tz_drift":
        hours = (dt.datetime.fromisoformat(dirty) - dt.datetime.fromisoformat(clean)) / dt.timedelta(hours=1)
        return hours == int(hours) and 1 <= abs(hours) <= 12
    if kind == "placeholder":
        return dirty in ("N/A", "-", "null", "0000-00-00", "")
    raise AssertionError(kind)


def _parses(text: str, fmt: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def _preset(field: str, dirt: str) -> str:
    return f"""
[design]
name = "d"
seed = 7
[entities.t]
rows = {ROWS}
fields.id = {{ kind = "sequence" }}
fields.v = {field[:-1]}, dirty = {{ {dirt} }} }}
fields.copy = {{ kind = "template", template = "<{{v}}>" }}
"""


def _export(write_preset, tmp_path, text: str, name: str, *args: str):
    preset = write_preset(text, f"{name}.toml")
    out, report = tmp_path / name, tmp_path / f"{name}.report.csv"
    result = invoke("export", str(preset), "-o", f"{out}/", "--format", "csv", "--dirt-report", str(report), "--quiet", *args)
    assert result.returncode == 0, result.stderr
    return pl.read_csv(out / "t.csv", infer_schema=False), pl.read_csv(report, infer_schema=False), out


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_at_its_rate_and_as_it_says(kind, write_preset, tmp_path):
    field, _ = CASES[kind]
    clean, _, _ = _export(write_preset, tmp_path, _preset(field, ""), "clean")
    dirty, report, _ = _export(write_preset, tmp_path, _preset(field, f"{kind} = {RATE}"), "dirty")
    # the rate: within the 99.9% interval of Binomial(ROWS, RATE), from scipy's exact quantiles
    low, high = binom.ppf(0.0005, ROWS, RATE), binom.ppf(0.9995, ROWS, RATE)
    assert low <= report.height <= high, (report.height, low, high)
    assert set(report["kind"]) == {kind} and set(report["column"]) == {"v"}
    rows = report["row"].cast(pl.Int64).to_list()
    # every label is a cell that differs as its kind says, its clean value the clean export's
    for row, clean_value, dirty_value in zip(rows, report["clean"], report["dirty"], strict=True):
        assert clean["v"][row] == clean_value
        assert dirty["v"][row] == dirty_value
        assert _is_as_said(kind, clean_value, dirty_value), (clean_value, dirty_value)
    # every other cell is clean, and the other columns, a template over v included, never see the dirt
    others = pl.Series(sorted(set(range(ROWS)) - set(rows)))
    assert dirty["v"].gather(others).equals(clean["v"].gather(others))
    assert dirty.drop("v").equals(clean.drop("v"))


def test_kinds_together_share_the_rows_at_their_rates(write_preset, tmp_path):
    rates = {"typo": 0.05, "case": 0.1, "placeholder": 0.02, "nulls": 0.03}
    dirt = ", ".join(f"{k} = {r}" for k, r in rates.items())
    _, report, _ = _export(write_preset, tmp_path, _preset(CASES["case"][0], dirt), "mixed")
    assert report["row"].n_unique() == report.height  # a row takes one kind at most
    counts = dict(report["kind"].value_counts().iter_rows())
    for kind, rate in rates.items():
        # case drift of "jonathan wolfe" to lower case is no change: the label is only where a cell changed
        assert binom.ppf(0.0005, ROWS, rate) <= counts[kind] <= binom.ppf(0.9995, ROWS, rate), (kind, counts)


def test_the_same_dirt_for_any_worker_count(write_preset, tmp_path):
    field = CASES["typo"][0]
    text = _preset(field, "typo = 0.1, whitespace = 0.05, placeholder = 0.01")
    _, _, one = _export(write_preset, tmp_path, text, "one")
    _, _, two = _export(write_preset, tmp_path, text, "two", "--workers", "2")
    assert (one / "t.csv").read_bytes() == (two / "t.csv").read_bytes()
    assert (tmp_path / "one.report.csv").read_bytes() == (tmp_path / "two.report.csv").read_bytes()


def test_dirt_off_or_absent_gives_the_clean_bytes(write_preset, tmp_path):
    field = CASES["typo"][0]
    _, _, absent = _export(write_preset, tmp_path, _preset(field, ""), "absent")
    _, _, off = _export(write_preset, tmp_path, _preset(field, "typo = 0, nulls = 0.0"), "off")
    assert (absent / "t.csv").read_bytes() == (off / "t.csv").read_bytes()
    assert pl.read_csv(tmp_path / "off.report.csv").height == 0


def test_another_seed_other_dirt(write_preset, tmp_path):
    field = CASES["typo"][0]
    _, first, _ = _export(write_preset, tmp_path, _preset(field, "typo = 0.1"), "s1")
    _, second, _ = _export(write_preset, tmp_path, _preset(field, "typo = 0.1"), "s2", "--seed", "8")
    assert not first["row"].equals(second["row"])


def test_a_dirty_number_column_is_written_as_text_where_the_dirt_needs_it(write_preset, tmp_path):
    import sqlite3

    preset = write_preset(_preset(CASES["separators"][0], "separators = 0.2"))
    result = invoke("export", str(preset), "-o", str(tmp_path / "x.sqlite"), "--quiet")
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "x.sqlite")
    declared = {name: kind for _, name, kind, *_ in db.execute("PRAGMA table_info(t)")}
    assert declared["v"] == "TEXT" and declared["id"] == "INTEGER"
    assert db.execute("SELECT count(*) FROM t WHERE v LIKE '%,%'").fetchone()[0] > 0


@pytest.mark.parametrize(
    ("field", "dirt", "said"),
    [
        (
            '{ kind = "uniform", min = 1, max = 9, dtype = "int" }',
            "typo = 0.1",
            "entities.t.fields.v.dirty.typo: typo is text dirt, and this field gives numbers",
        ),
        (
            '{ kind = "date", start = "2020-01-01", end = "2024-12-31" }',
            "tz_drift = 0.1",
            "entities.t.fields.v.dirty.tz_drift: tz_drift is date dirt, and this field gives dates",
        ),
        (CASES["typo"][0], "typo = 0.6, case = 0.6", "entities.t.fields.v.dirty: dirt rates add up to 1.2, more than 1"),
        (CASES["typo"][0], "typo = 2", "entities.t.fields.v.dirty.typo: input should be less than or equal to 1"),
        (CASES["typo"][0], "typos = 0.1", 'entities.t.fields.v.dirty.typos: unknown kind of dirt "typos"; did you mean "typo"?'),
    ],
)
def test_dirt_that_does_not_fit_is_one_line_naming_file_and_key(field, dirt, said, write_preset, tmp_path):
    preset = write_preset(_preset(field, dirt))
    out = tmp_path / "out"
    result = invoke("export", str(preset), "-o", f"{out}/", "--format", "csv", "--dirt-report", str(tmp_path / "r.csv"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{preset}: {said}"), result.stderr
    assert not out.exists() and not (tmp_path / "r.csv").exists()


def test_the_binomial_bounds_can_fail():
    """The interval above is narrow enough to catch a rate applied twice or half."""
    assert binom.ppf(0.9995, ROWS, RATE) < ROWS * RATE * 1.1 and binom.ppf(0.0005, ROWS, RATE) > ROWS * RATE * 0.9
    assert math.isclose(binom.mean(ROWS, RATE), ROWS * RATE)


def test_a_report_that_cannot_be_written_leaves_nothing(write_preset, tmp_path):
    preset = write_preset(_preset(CASES["typo"][0], "typo = 0.1"))
    out = tmp_path / "out"
    result = invoke(
        "export", str(preset), "-o", f"{out}/", "--format", "csv", "--dirt-report", str(tmp_path / "no" / "r.csv"), "-q"
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr == f"designer: {tmp_path / 'no' / 'r.csv'}: the directory {tmp_path / 'no'} does not exist\n"
    assert not out.exists() and not list(tmp_path.rglob("*.part"))


def test_an_existing_report_is_kept_unless_replace(write_preset, tmp_path):
    preset = write_preset(_preset(CASES["typo"][0], "typo = 0.1"))
    report = tmp_path / "r.csv"
    report.write_text("mine\n")
    out = tmp_path / "out"
    args = ["export", str(preset), "-o", f"{out}/", "--format", "csv", "--dirt-report", str(report), "--quiet"]
    result = invoke(*args)
    assert result.returncode == 2 and "r.csv: exists; pass --if-exists replace" in result.stderr
    assert report.read_text() == "mine\n" and not out.exists()
    assert invoke(*args, "--if-exists", "replace").returncode == 0
    assert pl.read_csv(report).columns == ["table", "row", "column", "kind", "clean", "dirty", "copy_of"]


def test_the_report_in_parquet_is_read_by_pyarrow(write_preset, tmp_path):
    import pyarrow.parquet as pq

    _, csv_report, _ = _export(write_preset, tmp_path, _preset(CASES["typo"][0], "typo = 0.1"), "p")
    preset = tmp_path / "p.toml"
    result = invoke(
        "export",
        str(preset),
        "-o",
        f"{tmp_path / 'q'}/",
        "--format",
        "csv",
        "--dirt-report",
        str(tmp_path / "r.parquet"),
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.num_rows == csv_report.height > 0
    assert table.column("dirty").to_pylist() == csv_report["dirty"].to_list()
