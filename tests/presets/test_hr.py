"""hr.toml, exported to SQLite and read back: salaries inside their level's band, hire dates after
the department was created, four locales mixed by weight with names that agree."""

from __future__ import annotations

import datetime as dt
import importlib

import polars as pl
import pytest

from .helpers import check_realism, chi_square, export, ks_distance, slug, without_number

BANDS = {
    "junior": (45000, 65000),
    "mid": (62000, 90000),
    "senior": (85000, 120000),
    "lead": (110000, 150000),
    "principal": (140000, 200000),
}
LEVELS = {"junior": 30, "mid": 35, "senior": 20, "lead": 10, "principal": 5}
LOCALES = {"United States": ("en_US", 6), "Germany": ("de_DE", 2), "France": ("fr_FR", 1), "Spain": ("es_ES", 1)}
AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export("hr", tmp_path_factory.mktemp("hr"))


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("hr", data)


def test_departments_are_distinct_with_their_cost_centers(data):
    departments, employees = data["departments"], data["employees"]
    assert departments.height == 12 and departments["name"].n_unique() == 12
    assert (departments["cost_center"] == "CC-" + departments["id"].cast(pl.String)).all()
    per_department = employees.group_by("department_id").len()
    assert per_department.height == 12 and per_department["len"].min() >= 3 and per_department["len"].max() <= 150


def test_salaries_sit_inside_their_level_band(data):
    employees = data["employees"]
    assert employees["salary"].dtype == pl.Int64 and (employees["salary"] % 100 == 0).all()
    for level, (lo, hi) in BANDS.items():
        pay = employees.filter(pl.col("level") == level)["salary"]
        assert pay.len() > 0 and pay.min() >= lo and pay.max() <= hi, level
        # beta(2, 2): mostly mid-band, rarely at the edges
        position = (pay - lo) / (hi - lo)
        assert 0.4 < position.mean() < 0.6, level
    counts = [int((employees["level"] == level).sum()) for level in LEVELS]
    statistic, critical = chi_square(counts, list(LEVELS.values()))
    assert statistic < critical, counts


def test_hire_dates_fall_between_department_creation_and_now(data):
    joined = data["employees"].join(data["departments"], left_on="department_id", right_on="id")
    assert joined.height == data["employees"].height
    assert (joined["hire_date"] >= joined["created_on"]).all()
    assert joined["hire_date"].max() <= AS_OF
    # spread evenly over the department's life so far, not bunched after its creation
    share = [(h - c).days / (AS_OF - c).days for h, c in joined.select("hire_date", "created_on").iter_rows()]
    distance, critical = ks_distance(share, lambda x: min(max(x, 0.0), 1.0))
    assert distance < critical


def _names(locale: str) -> tuple[set[str], set[str]]:
    person = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return set(person.first_names), set(person.last_names)


def test_four_locales_mixed_by_weight_with_names_that_agree(data):
    employees = data["employees"]
    counts = [int((employees["country"] == c).sum()) for c in LOCALES]
    statistic, critical = chi_square(counts, [w for _, w in LOCALES.values()])
    assert statistic < critical, counts
    assert set(employees["country"].unique()) == set(LOCALES)
    names = {country: _names(locale) for country, (locale, _) in LOCALES.items()}
    for first, last, country in employees.select("first_name", "last_name", "country").iter_rows():
        firsts, lasts = names[country]
        assert first in firsts and last in lasts, (first, last, country)
    # non-ASCII names appear, and only where the locale spells with them
    accented = ~employees["first_name"].str.contains(r"^[\x00-\x7f]+$") | ~employees["last_name"].str.contains(r"^[\x00-\x7f]+$")
    by_country = employees.with_columns(accented=accented).group_by("country").agg(pl.col("accented").mean())
    share = dict(zip(by_country["country"], by_country["accented"], strict=True))
    assert share["United States"] == 0
    assert share["Germany"] > 0.05 and share["France"] > 0.05 and share["Spain"] > 0.05


def test_emails_are_ascii_and_made_from_names(data):
    employees = data["employees"]
    assert employees["email"].n_unique() == employees.height
    assert employees["email"].str.contains(r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*\d*@acme\.example$").all()
    for first, last, email in employees.select("first_name", "last_name", "email").iter_rows():
        assert without_number(email) == f"{slug(first)}.{slug(last)}@acme.example", (first, last, email)
