"""Integrity of the ecommerce preset at a few thousand rows: keys, links, counts, prices, totals, variants."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from designer import pipeline, presets

from ..conftest import PRESETS


@pytest.fixture(scope="module")
def shop():
    design = presets.load(PRESETS / "ecommerce.toml")
    rows = {"users": 5000, "products": 300}
    return {name: pipeline.generate(design, name, rows=rows) for name in design.entities}


def test_keys_are_unique_and_every_link_resolves(shop):
    users, products, orders, items = shop["users"], shop["products"], shop["orders"], shop["order_items"]
    assert users["id"].n_unique() == users.height == 5000
    assert products["id"].n_unique() == products.height == 300
    assert orders["id"].n_unique() == orders.height
    assert orders["user_id"].is_in(users["id"].implode()).all()
    assert items["order_id"].is_in(orders["id"].implode()).all()
    assert items["product_id"].is_in(products["id"].implode()).all()
    assert users["email"].n_unique() == users.height
    assert users["email"].str.contains(r"^[a-z'.\- ]+\d*@example\.com$").all()


def test_child_counts_follow_their_distributions(shop):
    users, orders, items = shop["users"], shop["orders"], shop["order_items"]
    per_user = (
        users.select("id")
        .join(orders.group_by("user_id").len(), left_on="id", right_on="user_id", how="left")
        .fill_null(0)["len"]
    )
    assert per_user.max() <= 12 and abs(per_user.mean() - 2) < 0.1 and abs(per_user.var() - 2) < 0.3
    per_order = items.group_by("order_id").len()["len"]
    assert per_order.min() >= 1 and per_order.max() <= 5
    shares = per_order.value_counts().sort("len")["count"].to_numpy() / per_order.len()
    assert np.all(np.abs(shares - 0.2) < 0.03)


def test_prices_and_totals_agree(shop):
    products, orders, items = shop["products"], shop["orders"], shop["order_items"]
    priced = items.join(products.select("id", "price"), left_on="product_id", right_on="id")
    assert priced.height == items.height and (priced["unit_price"] == priced["price"]).all()
    assert ((items["line_total"] - (items["quantity"] * items["unit_price"]).round(2)).abs() < 1e-9).all()
    sums = items.group_by("order_id").agg(pl.col("line_total").sum().round(2).alias("s"))
    check = orders.join(sums, left_on="id", right_on="order_id")
    assert check.height == orders.height
    assert ((check["subtotal"] - check["s"]).abs() < 1e-6).all()
    assert ((orders["total"] - (orders["subtotal"] + orders["tax"]).round(2)).abs() < 1e-9).all()


def test_variant_share_and_nulls_outside_it(shop):
    users = shop["users"]
    suspended = users.filter(pl.col("suspended_at").is_not_null())
    assert abs(suspended.height / users.height - 0.05) < 0.012
    assert not suspended["is_active"].any()
    assert abs(users.filter(pl.col("suspended_at").is_null())["is_active"].mean() - 0.9) < 0.02
    assert abs(users["phone"].null_count() / users.height - 0.1) < 0.015
    roles = dict(users["role"].value_counts().iter_rows())
    assert abs(roles["user"] / users.height - 0.7) < 0.02 and abs(roles["admin"] / users.height - 0.1) < 0.015


def test_faker_columns_look_like_faker(shop):
    users, products = shop["users"], shop["products"]
    assert users["first_name"].n_unique() > 300 and users["last_name"].n_unique() > 300
    assert users["phone"].drop_nulls().str.contains(r"\d{3}").all()
    assert products["slug"].str.contains(r"^[a-z0-9]+(-[a-z0-9]+)*$").all()
