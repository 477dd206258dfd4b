"""Presets inferred from rows reproduce them: measured shares (chi-square), null rates
(binomial bounds), ranges, continuous shapes (two-sample KS) and children per parent row
(chi-square), each against the source's own rows as sqlite3 and polars read them. And no
free-text value of the rows is ever copied."""

from __future__ import annotations

import sqlite3
import tomllib

import numpy as np
import polars as pl
from scipy import stats

import designer
from designer import infer

from .conftest import CHINOOK_SQL, run

ALPHA = 1e-3  # a test of a right preset fails once in a thousand runs at most (the seeds are fixed: never, here)


def _source(db_path, sql: str) -> pl.DataFrame:
    with sqlite3.connect(db_path) as db:
        return pl.read_database(sql, db)


def _shares_match(observed: dict, expected: dict) -> float:
    """The chi-square p-value of observed counts against expected proportions."""
    keys = sorted(expected, key=str)
    total = sum(observed.get(k, 0) for k in keys)
    assert total == sum(observed.values()), f"values outside the measured ones: {set(observed) - set(expected)}"
    weights = np.array([expected[k] for k in keys], dtype=float)
    return float(stats.chisquare([observed.get(k, 0) for k in keys], weights / weights.sum() * total).pvalue)


def test_measured_shares_ranges_shapes_and_child_counts_are_reproduced(filled_chinook):
    text = infer.infer(str(filled_chinook))
    dataset = designer.loads(text)
    fields = tomllib.loads(text)["entities"]

    # a small categorical: the measured shares, as a choice
    source = _source(filled_chinook, 'SELECT "UnitPrice" FROM "Track"')["UnitPrice"]
    measured = dict(source.value_counts().iter_rows())
    tracks = dataset.generate("Track", rows=20_000)
    assert _shares_match(dict(tracks["UnitPrice"].value_counts().iter_rows()), measured) > ALPHA

    # a continuous shape: the fitted law truncated to the measured range
    millis = _source(filled_chinook, 'SELECT "Milliseconds" FROM "Track"')["Milliseconds"]
    assert fields["Track"]["fields"]["Milliseconds"]["kind"] == "lognormal"
    made = tracks["Milliseconds"]
    assert millis.min() <= made.min() and made.max() <= millis.max()
    assert stats.ks_2samp(made.to_numpy(), millis.to_numpy()).pvalue > ALPHA

    # a null rate, within four binomial standard deviations
    company = _source(filled_chinook, 'SELECT "Company" FROM "Customer"')["Company"]
    p = company.null_count() / len(company)
    customers = dataset.generate("Customer", rows=20_000)
    assert abs(customers["Company"].null_count() / customers.height - p) < 4 * (p * (1 - p) / customers.height) ** 0.5

    # children per parent row: Invoice under Customer
    per_customer = _source(
        filled_chinook,
        'SELECT count(i."InvoiceId") AS n FROM "Customer" c LEFT JOIN "Invoice" i USING ("CustomerId") GROUP BY c."CustomerId"',
    )["n"]
    assert fields["Invoice"]["parent"]["entity"] == "Customer"
    invoices = dataset.generate("Invoice", rows=5_000)  # 5,000 customers' invoices
    counts = invoices.group_by("CustomerId").len()["len"]
    made_counts = dict(counts.value_counts().iter_rows())
    made_counts[0] = 5_000 - counts.len()  # customers with no invoice
    made_counts = {k: v for k, v in made_counts.items() if v}
    assert _shares_match(made_counts, dict(per_customer.value_counts().iter_rows())) > ALPHA

    # a time span: within a day of the measured one (spans are whole days back from reference_time)
    dates = _source(filled_chinook, 'SELECT "InvoiceDate" FROM "Invoice"')["InvoiceDate"].str.to_datetime()
    made_dates = invoices["InvoiceDate"]
    assert (made_dates.min() - dates.min()).total_seconds() > -86_400 and (
        made_dates.max() - dates.max()
    ).total_seconds() < 86_400


def test_free_text_is_never_copied_and_no_values_copies_nothing(filled_chinook):
    with sqlite3.connect(filled_chinook) as db:
        texts = set()
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for column in db.execute(f'PRAGMA table_info("{table}")'):
                if column[2].upper().startswith("VARCHAR"):
                    texts |= {r[0] for r in db.execute(f'SELECT "{column[1]}" FROM "{table}" WHERE "{column[1]}" IS NOT NULL')}
    assert len(texts) > 1000
    for no_values in (False, True):
        text = infer.infer(str(filled_chinook), no_values=no_values)
        quoted = {s for s in texts if f'"{s}"' in text}
        assert not quoted, sorted(quoted)[:5]
    plain = infer.infer(str(filled_chinook), no_values=True)
    raw = tomllib.loads(plain)
    schema_only = tomllib.loads(infer.infer(str(CHINOOK_SQL)))["entities"]
    literal = {"values", "weights", "value", "min", "max", "mean", "std", "sigma", "scale", "start", "end", "p", "args"}
    for entity, body in raw["entities"].items():
        for name, spec in body["fields"].items():
            if spec["kind"] == "faker" and spec["provider"] != "text":
                continue  # a provider by shape: no value in it
            # whatever literal it has, the schema alone gave it: none was measured
            kept = {k: v for k, v in spec.items() if k in literal}
            assert kept == {k: v for k, v in schema_only[entity]["fields"][name].items() if k in literal}, (entity, name)
    assert "reference_time" not in raw["design"]
    designer.loads(plain)


def test_the_inferred_preset_appends_into_the_database_it_came_from(filled_chinook, tmp_path):
    target = tmp_path / "again.sqlite"
    target.write_bytes(filled_chinook.read_bytes())
    preset = tmp_path / "p.toml"
    assert run("infer", str(target), "-o", str(preset)).exit_code == 0
    before = _source(target, 'SELECT count(*) AS n FROM "Track"')["n"][0]
    result = run("export", str(preset), "-o", str(target), "--if-exists", "append", "--quiet")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as db:
        assert db.execute('SELECT count(*) FROM "Track"').fetchone()[0] == 2 * before
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_files_are_profiled_keys_and_links_found(tmp_path):
    rng = np.random.default_rng(7)
    n = 3_000
    plans = rng.choice(["free", "pro", "team"], size=n, p=[0.7, 0.25, 0.05])
    age = np.round(rng.normal(40, 9, size=n)).astype(int)
    users = pl.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "email": [f"user{i}@example.com" for i in range(n)],
            "plan": plans,
            "age": pl.Series(age).scatter(rng.choice(n, size=n // 10, replace=False).tolist(), None),
        }
    )
    per_user = rng.poisson(2.0, size=n)
    orders = pl.DataFrame(
        {
            "id": np.arange(1, per_user.sum() + 1),
            "user_id": np.repeat(users["id"].to_numpy(), per_user),
            "amount": np.round(rng.lognormal(3.0, 0.5, size=per_user.sum()), 2),
        }
    )
    folder = tmp_path / "extract"
    folder.mkdir()
    users.write_ndjson(folder / "users.ndjson")
    orders.write_parquet(folder / "orders.parquet")
    text = infer.infer(str(folder))
    raw = tomllib.loads(text)["entities"]
    assert raw["users"]["fields"]["email"] == {"kind": "faker", "provider": "email"}
    assert raw["orders"]["parent"]["entity"] == "users"
    assert raw["orders"]["fields"]["user_id"] == {"kind": "parent", "field": "id"}
    assert raw["orders"]["fields"]["amount"]["kind"] == "lognormal"
    assert "user0@example.com" not in text
    dataset = designer.loads(text)
    made = dataset.generate("users", rows=20_000)
    assert _shares_match(dict(made["plan"].value_counts().iter_rows()), dict(users["plan"].value_counts().iter_rows())) > ALPHA
    p = 0.1
    assert abs(made["age"].null_count() / made.height - p) < 4 * (p * (1 - p) / made.height) ** 0.5
    assert stats.ks_2samp(made["age"].drop_nulls().to_numpy(), users["age"].drop_nulls().to_numpy()).pvalue > ALPHA
    made_orders = dataset.generate("orders", rows=3_000)
    assert stats.ks_2samp(made_orders["amount"].to_numpy(), orders["amount"].to_numpy()).pvalue > ALPHA
    counts = made_orders.group_by("user_id").len()["len"]
    histogram = dict(counts.value_counts().iter_rows())
    histogram[0] = 3_000 - counts.len()
    measured = dict(pl.Series(per_user).value_counts().iter_rows())
    assert _shares_match({k: v for k, v in histogram.items() if v}, measured) > ALPHA


def test_a_csv_and_a_tsv_file_are_one_entity_each(tmp_path):
    rows = pl.DataFrame({"sku": [f"AB-{i:04d}" for i in range(500)], "qty": list(range(500))})
    rows.write_csv(tmp_path / "stock.csv")
    rows.write_csv(tmp_path / "stock.tsv", separator="\t")
    for name in ("stock.csv", "stock.tsv"):
        spec = tomllib.loads(infer.infer(str(tmp_path / name)))["entities"]["stock"]["fields"]
        assert spec["sku"] == {
            "kind": "faker",
            "provider": "bothify",
            "args": {"text": "??-####", "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        }
        assert spec["qty"]["min"] == 0 and spec["qty"]["max"] == 499


def test_sample_bounds_the_rows_profiled(filled_chinook):
    text = infer.infer(str(filled_chinook), sample=500)
    line = next(x for x in text.splitlines() if x.startswith("Milliseconds = "))
    assert "over 500 values" in line
    assert "rows = 18 " in text  # row counts are the whole table's, not the sample's


def test_each_law_is_recognized_from_its_own_draws():
    """numpy's draws of each law of the format: the fit names that law, with its parameters
    near the true ones (the oracle is the generator, not our code)."""
    from designer.infer.profile import fit_numbers

    rng = np.random.default_rng(11)
    n = 5_000
    cases = {
        "normal": (rng.normal(50, 8, n), False, {"mean": 50, "std": 8}),
        "lognormal": (rng.lognormal(2.0, 0.7, n), False, {"mean": 2.0, "sigma": 0.7}),
        "exponential": (rng.exponential(30, n), False, {"scale": 30}),
        "uniform": (rng.uniform(10, 20, n), False, {}),
        "poisson": (rng.poisson(6, n).astype(float), True, {"mean": 6}),
        "zipf": (np.minimum(rng.zipf(1.8, n * 2), 400)[:n].astype(float), True, {}),
    }
    for law, (x, integer, params) in cases.items():
        if law == "zipf":
            x = x[x < 400]  # a zipf law on 1..399 (the draws above 399 set aside, not piled up)
        spec = fit_numbers(x, integer).spec
        assert spec["kind"] == law, (law, spec)
        for name, true in params.items():
            assert abs(spec[name] - true) < 0.05 * true, (law, name, spec[name])
        if law == "zipf":
            assert abs(spec["exponent"] - 1.8) < 0.05


def test_headers_that_are_no_identifiers_become_distinct_names(tmp_path):
    rows = pl.DataFrame({"First Name": ["Ann", "Bo"] * 50, "first_name": ["x", "y"] * 50, "e-mail": ["a@b.io", "c@d.io"] * 50})
    rows.write_csv(tmp_path / "2024 people.csv")
    text = infer.infer(str(tmp_path / "2024 people.csv"))
    entity = tomllib.loads(text)["entities"]["_2024_people"]
    assert list(entity["fields"]) == ["First_Name", "first_name_2", "e_mail"]
    assert "column 'e-mail' written as e_mail" in text
    designer.loads(text).generate("_2024_people", rows=5)


def test_popular_rows_give_a_zipf_reference_and_even_ones_none(filled_chinook):
    """presets/chinook.toml draws GenreId zipf 1.2 (the default), MediaTypeId zipf 2 and
    SupportRepId evenly: the fitted exponents come back, and even draws stay even."""
    entities = tomllib.loads(infer.infer(str(filled_chinook)))["entities"]
    track = entities["Track"]["fields"]
    assert track["GenreId"]["distribution"] == "zipf" and abs(track["GenreId"]["exponent"] - 1.2) < 0.15
    assert track["MediaTypeId"]["distribution"] == "zipf" and abs(track["MediaTypeId"]["exponent"] - 2.0) < 0.2
    assert "distribution" not in entities["Customer"]["fields"]["SupportRepId"]
    assert "distribution" not in entities["PlaylistTrack"]["fields"]["TrackId"]  # distinct per playlist, evenly
