"""ecommerce.toml (the format page's example), exported to SQLite and read back: orders per user,
items per order, prices looked up, totals rolled up to the cent, a suspended variant, zipf products."""

from __future__ import annotations

import math

import polars as pl
import pytest

from .helpers import binomial_bounds, check_realism, chi_square, export, slug, top_share, without_number

USERS = 400
PRODUCTS = 100


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export("ecommerce", tmp_path_factory.mktemp("ecommerce"), "--rows", f"users={USERS}", "--rows", f"products={PRODUCTS}")


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("ecommerce", data)


def test_orders_per_user_and_items_per_order(data):
    users, orders, items = data["users"], data["orders"], data["order_items"]
    per_user = (
        users.select(pl.col("id").alias("user_id")).join(orders.group_by("user_id").len(), on="user_id", how="left").fill_null(0)
    )
    assert per_user["len"].max() <= 12 and abs(per_user["len"].mean() - 2) < 0.25  # poisson(2), at most 12
    assert orders["user_id"].is_in(users["id"].implode()).all()
    per_order = (
        orders.select(pl.col("id").alias("order_id"))
        .join(items.group_by("order_id").len(), on="order_id", how="left")
        .fill_null(0)
    )
    assert per_order["len"].min() == 1 and per_order["len"].max() == 5  # every order has 1..5 items
    counts = [int((per_order["len"] == k).sum()) for k in range(1, 6)]
    statistic, critical = chi_square(counts, [1] * 5)
    assert statistic < critical, counts


def test_prices_are_looked_up_and_totals_add_up_to_the_cent(data):
    orders, items, products = data["orders"], data["order_items"], data["products"]
    priced = items.join(products.select(pl.col("id").alias("product_id"), "price"), on="product_id")
    assert priced.height == items.height and (priced["unit_price"] == priced["price"]).all()
    assert ((items["line_total"] - (items["quantity"] * items["unit_price"]).round(2)).abs() < 0.005).all()
    assert items["quantity"].is_between(1, 3).all()
    sums = items.group_by("order_id").agg(pl.col("line_total").sum().alias("sum"))
    joined = orders.join(sums, left_on="id", right_on="order_id")
    assert joined.height == orders.height
    assert ((joined["subtotal"] - joined["sum"]).abs() < 0.005).all()
    assert ((joined["tax"] - (joined["subtotal"] * 0.08).round(2)).abs() < 0.005).all()
    assert ((joined["total"] - (joined["subtotal"] + joined["tax"])).abs() < 0.005).all()
    assert products["price"].min() >= 9.99 and products["price"].max() <= 999.99


def test_a_few_products_sell_most(data):
    per_product = data["order_items"].group_by("product_id").len()["len"]
    assert top_share(per_product, PRODUCTS) > 0.4  # zipf 1.2; evenly spread, about 10%


def test_suspended_users_are_a_5_percent_variant(data):
    users = data["users"]
    suspended = users.filter(pl.col("suspended_at").is_not_null())
    lo, hi = binomial_bounds(users.height, 0.05, sigmas=4.5)
    assert lo <= suspended.height / users.height <= hi and suspended.height > 0
    assert (suspended["is_active"] == 0).all()
    active = users.filter(pl.col("suspended_at").is_null())["is_active"].mean()
    assert 0.85 < active < 0.95  # p = 0.9 outside the variant


def test_users_and_products_look_real(data):
    users, products = data["users"], data["products"]
    assert users["email"].n_unique() == users.height
    for first, last, email in users.select("first_name", "last_name", "email").iter_rows():
        assert without_number(email) == f"{first}.{last}@example.com".lower()
    assert users["age"].min() >= 18 and users["age"].max() <= 90
    # N(35, 12) truncated to 18..90 and rounded: its mean is 36.7, not 35 (the law's mass below 18 is cut)
    cell = {
        k: math.erf((k + 0.5 - 35) / (12 * math.sqrt(2))) - math.erf((k - 0.5 - 35) / (12 * math.sqrt(2))) for k in range(18, 91)
    }
    mean = sum(k * p for k, p in cell.items()) / sum(cell.values())
    sd = math.sqrt(sum((k - mean) ** 2 * p for k, p in cell.items()) / sum(cell.values()))
    assert abs(users["age"].mean() - mean) < 5 * sd / math.sqrt(users.height)
    counts = [int((users["role"] == r).sum()) for r in ("user", "premium", "admin")]
    statistic, critical = chi_square(counts, [70, 20, 10])
    assert statistic < critical, counts
    lo, hi = binomial_bounds(users.height, 0.1, sigmas=4.5)
    assert lo <= users["phone"].null_count() / users.height <= hi
    assert all(value == slug(name) for name, value in products.select("name", "slug").iter_rows())
    assert products["id"].str.contains(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").all()
