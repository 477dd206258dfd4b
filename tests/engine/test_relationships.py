"""parent, reference, lookup, aggregate, series per parent: every link resolves and every count holds."""

from __future__ import annotations

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine import BLOCK_ROWS

SHOP = f"""
format = 1
[design]
name = "shop"
seed = 3
[entities.users]
rows = {BLOCK_ROWS + 3000}
[entities.users.fields]
id = {{ kind = "sequence" }}
tier = {{ kind = "choice", values = ["basic", "pro"] }}
[entities.products]
rows = 300
[entities.products.fields]
sku = {{ kind = "uuid" }}
price = {{ kind = "uniform", min = 1, max = 100, decimals = 2 }}
[entities.orders]
parent = {{ entity = "users", count = {{ kind = "poisson", mean = 2, max = 6 }} }}
[entities.orders.fields]
id = {{ kind = "sequence" }}
user_id = {{ kind = "parent", field = "id" }}
user_tier = {{ kind = "lookup", via = "user_id", field = "tier" }}
n_items = {{ kind = "aggregate", entity = "items", expr = "count(*)" }}
subtotal = {{ kind = "aggregate", entity = "items", expr = "sum(line_total)", decimals = 2 }}
[entities.items]
parent = {{ entity = "orders", count = {{ kind = "uniform", min = 1, max = 4 }} }}
[entities.items.fields]
order_id = {{ kind = "parent", field = "id" }}
line_no = {{ kind = "series", start = 1, step = 1, per_parent = true }}
sku = {{ kind = "reference", entity = "products", distribution = "zipf", exponent = 1.2 }}
unit_price = {{ kind = "lookup", via = "sku", field = "price" }}
qty = {{ kind = "uniform", min = 1, max = 3, dtype = "int" }}
line_total = {{ kind = "expression", expr = "round(qty * unit_price, 2)" }}
"""


@pytest.fixture(scope="module")
def data():
    design = presets.loads(SHOP)
    return {name: pipeline.generate(design, name) for name in design.entities}


def test_parents_resolve_and_counts_hold(data):
    users, orders, items = data["users"], data["orders"], data["items"]
    assert orders["user_id"].is_in(users["id"].implode()).all()
    per_user = users.join(orders.group_by("user_id").len(), left_on="id", right_on="user_id", how="left").fill_null(0)["len"]
    assert per_user.max() <= 6 and abs(per_user.mean() - 2) < 0.1
    per_order = items.group_by("order_id").len()["len"]
    assert per_order.min() == 1 and per_order.max() == 4 and per_order.n_unique() == 4
    assert orders["id"].to_list() == list(range(1, orders.height + 1))  # sequences run across blocks
    assert items["order_id"].is_in(orders["id"].implode()).all()
    assert orders.height == orders["id"].n_unique()


def test_lookups_and_aggregates_agree_with_their_sources(data):
    users, products, orders, items = data["users"], data["products"], data["orders"], data["items"]
    joined = orders.join(users, left_on="user_id", right_on="id")
    assert (joined["user_tier"] == joined["tier"]).all()
    priced = items.join(products, on="sku")
    assert priced.height == items.height
    assert (priced["unit_price"] == priced["price"]).all()
    sums = items.group_by("order_id").agg(pl.col("line_total").sum().round(2).alias("s"), pl.len().alias("n"))
    check = orders.join(sums, left_on="id", right_on="order_id")
    assert check.height == orders.height
    assert (check["subtotal"] - check["s"]).abs().max() < 1e-6
    assert (check["n_items"] == check["n"]).all()


def test_series_restarts_per_parent(data):
    items = data["items"]
    expected = items.select(pl.int_range(1, pl.len() + 1).over("order_id").alias("e"))["e"]
    assert items["line_no"].equals(expected.alias("line_no"))


def test_zipf_reference_is_skewed_and_popular_rows_are_spread(data):
    counts = data["items"]["sku"].value_counts(sort=True)["count"].to_numpy()
    assert counts[0] > 5 * counts[len(counts) // 2]
    products = data["products"].with_row_index("row")
    top = data["items"]["sku"].value_counts(sort=True).head(5).join(products, on="sku")["row"].to_numpy()
    assert top.max() > 10  # the favourites are not simply the first rows


def test_children_of_one_block_only_need_that_block(data):
    design = presets.loads(SHOP)
    first = pipeline.preview(design, "items", 50)["items"]
    assert first.equals(data["items"].head(50))


def test_aggregates_have_one_type_whatever_the_library_version():
    """Issue 11.12: count(*) was UInt32 under polars 1.x and Int64 under 2.x, and a sum keeps its input's width:
    an aggregate's integers are Int64 and its floats Float64, so the schema never depends on polars."""
    design = presets.loads("""
format = 1
[design]
name = "t"
[entities.a]
rows = 50
[entities.a.fields]
id = { kind = "sequence" }
n = { kind = "aggregate", entity = "b", expr = "count(*)" }
narrow = { kind = "aggregate", entity = "b", expr = "sum(CAST(q AS INT))" }
single = { kind = "aggregate", entity = "b", expr = "max(CAST(q AS REAL))" }
[entities.b]
parent = { entity = "a", count = { kind = "uniform", min = 0, max = 3, dtype = "int" } }
[entities.b.fields]
q = { kind = "uniform", min = 1, max = 9, dtype = "int" }
""")
    frame = pipeline.generate(design, "a")
    assert frame.schema["n"] == pl.Int64 and frame.schema["narrow"] == pl.Int64 and frame.schema["single"] == pl.Float64
