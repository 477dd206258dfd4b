"""banking.toml, exported to SQLite and read back: 1..3 accounts per customer, log-normal amounts,
zipf merchants, balances that are the sum of their transactions to the penny."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from .helpers import binomial_bounds, check_realism, chi_square, export, ks_distance, normal_cdf, top_share

CUSTOMERS = 300
MERCHANTS = 200
NOW = dt.datetime(2026, 1, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export(
        "banking", tmp_path_factory.mktemp("banking"), "--rows", f"customers={CUSTOMERS}", "--rows", f"merchants={MERCHANTS}"
    )


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("banking", data)


def test_every_customer_has_one_to_three_accounts(data):
    customers, accounts = data["customers"], data["accounts"]
    per_customer = (
        customers.select(pl.col("id").alias("customer_id"))
        .join(accounts.group_by("customer_id").len(), on="customer_id", how="left")
        .fill_null(0)
    )
    assert per_customer.height == CUSTOMERS
    assert per_customer["len"].min() == 1 and per_customer["len"].max() == 3
    counts = [int((per_customer["len"] == k).sum()) for k in (1, 2, 3)]
    statistic, critical = chi_square(counts, [1, 1, 1])
    assert statistic < critical, counts
    assert accounts["customer_id"].is_in(customers["id"].implode()).all()


def test_balances_are_the_sum_of_transactions_to_the_penny(data):
    accounts, transactions = data["accounts"], data["transactions"]
    sums = transactions.group_by("account_id").agg(total=pl.col("signed_amount").sum(), n=pl.len())
    joined = accounts.join(sums, left_on="id", right_on="account_id", how="left")
    with_transactions = joined.filter(pl.col("n").is_not_null())
    assert with_transactions.height == accounts.height  # poisson(30): every account books something
    assert ((with_transactions["balance"] - with_transactions["total"]).abs() < 0.005).all()
    assert (with_transactions["transaction_count"] == with_transactions["n"]).all()
    # mostly in credit, some overdrawn: salaries outweigh a year of card payments
    overdrawn = (accounts["balance"] < 0).mean()
    assert 0.02 < overdrawn < 0.3


def test_amounts_are_positive_and_signed_by_direction(data):
    transactions = data["transactions"]
    assert transactions["amount"].min() > 0
    expected = pl.when(pl.col("direction") == "credit").then(pl.col("amount")).otherwise(-pl.col("amount"))
    assert transactions.select((pl.col("signed_amount") == expected).all()).item()
    direction = dict(card_payment="debit", salary="credit", refund="credit")
    for kind, way in direction.items():
        rows = transactions.filter(pl.col("type") == kind)
        assert rows.height > 0 and (rows["direction"] == way).all(), kind
    assert set(transactions["type"].unique()) == set(direction)


def test_card_amounts_are_log_normal(data):
    card = data["transactions"].filter(pl.col("type") != "salary")["amount"]
    logs = card.log()
    assert abs(logs.mean() - 3.4) < 0.05 and abs(logs.std() - 1.0) < 0.05
    distance, critical = ks_distance(logs.to_list(), lambda x: normal_cdf(x, 3.4, 1.0))
    assert distance < critical
    assert abs(card.median() - math.exp(3.4)) < 2.5  # median e^3.4 ≈ £30
    assert card.min() >= 0.5 and card.max() <= 25000


def test_salaries_are_monthly_sized_credits_without_a_merchant(data):
    transactions = data["transactions"]
    salary = transactions.filter(pl.col("type") == "salary")
    lo, hi = binomial_bounds(transactions.height, 0.08)
    assert lo <= salary.height / transactions.height <= hi
    lo, hi = binomial_bounds(transactions.height, 0.03)
    assert lo <= (transactions["type"] == "refund").mean() <= hi
    assert salary["merchant_id"].null_count() == salary.height and (salary["category"] == "income").all()
    assert 1800 < salary["amount"].median() < 2200 and salary["amount"].min() >= 800
    assert transactions.filter(pl.col("type") != "salary")["merchant_id"].null_count() == 0


def test_a_few_merchants_take_most_transactions(data):
    merchants, transactions = data["merchants"], data["transactions"]
    shop = transactions.filter(pl.col("merchant_id").is_not_null())
    assert shop["merchant_id"].is_in(merchants["id"].implode()).all()
    per_merchant = shop.group_by("merchant_id").len()["len"]
    # zipf 1.1: the top 10% of merchants take about two thirds; evenly spread, about 10%
    assert top_share(per_merchant, MERCHANTS) > 0.5
    # the category is the merchant's own
    joined = shop.join(merchants, left_on="merchant_id", right_on="id", suffix="_merchant")
    assert (joined["category"] == joined["category_merchant"]).all()


def test_transactions_fall_in_the_last_year_after_the_customer_joined(data):
    transactions = data["transactions"]
    owner = (
        data["accounts"]
        .select(pl.col("id").alias("account_id"), "customer_id")
        .join(data["customers"].select(pl.col("id").alias("customer_id"), "customer_since"), on="customer_id")
    )
    joined = transactions.join(owner, on="account_id")
    assert joined.height == transactions.height
    assert (joined["booked_at"].dt.date() > joined["customer_since"]).all()
    assert transactions["booked_at"].min() >= NOW - dt.timedelta(days=366) and transactions["booked_at"].max() <= NOW


def test_ibans_are_valid_and_unique(data):
    accounts = data["accounts"]
    assert accounts["iban"].n_unique() == accounts.height
    assert (accounts["currency"] == "GBP").all()
    for iban in accounts["iban"]:
        assert len(iban) == 22 and iban[:2] == "GB", iban
        digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
        assert int(digits) % 97 == 1, iban  # ISO 13616 check digits


def test_emails_are_unique_and_from_names(data):
    customers = data["customers"]
    assert customers["email"].n_unique() == customers.height
    assert customers["email"].str.contains(r"^[a-z'\-]+\.[a-z'\-]+\d*@mail\.example\.com$").all()
    counts = [int((customers["segment"] == s).sum()) for s in ("retail", "premier", "private")]
    statistic, critical = chi_square(counts, [85, 12, 3])
    assert statistic < critical, counts
