"""References: lookups read the row a reference ends on, unique references sample without
replacement (in child entities too), trees point only backwards, and the loader refuses what
cannot be built. Oracles: joins on the generated keys, exact zipf probabilities, walks up the tree."""

from __future__ import annotations

import polars as pl
import pytest

from designer import pipeline, presets
from designer.engine import BLOCK_ROWS
from designer.errors import GenerationError, PresetError

PRODUCTS = """
format = 1
[design]
seed = {seed}
[entities.products]
rows = {products}
[entities.products.fields]
id = {{ kind = "uuid" }}
price = {{ kind = "uniform", min = 1, max = 1000, decimals = 2 }}
"""


def shop(items: str, products: int = 1000, seed: int = 1) -> str:
    return PRODUCTS.format(seed=seed, products=products) + items


ROOT_ITEMS = """
[entities.items]
rows = {rows}
[entities.items.fields]
id = {{ kind = "sequence" }}
product_id = {{ kind = "reference", entity = "products", unique = true{extra} }}
unit_price = {{ kind = "lookup", via = "product_id", field = "price" }}
"""

CHILD_ITEMS = """
[entities.orders]
rows = {orders}
[entities.orders.fields]
id = {{ kind = "sequence" }}
[entities.items]
parent = {{ entity = "orders", count = {{ kind = "uniform", min = 0, max = 4 }} }}
[entities.items.fields]
order_id = {{ kind = "parent", field = "id" }}
product_id = {{ kind = "reference", entity = "products", unique = true }}
unit_price = {{ kind = "lookup", via = "product_id", field = "price" }}
"""


def generated(text: str, **options) -> dict[str, pl.DataFrame]:
    design = presets.loads(text)
    return {name: pipeline.generate(design, name, **options) for name in design.entities}


def mismatched_prices(data: dict[str, pl.DataFrame]) -> int:
    joined = data["items"].join(data["products"], left_on="product_id", right_on="id", how="left")
    assert joined["price"].null_count() == 0  # every reference resolves
    return int((joined["unit_price"] != joined["price"]).sum())


@pytest.mark.parametrize("extra", ["", ', distribution = "zipf"'])
def test_a_lookup_through_a_unique_reference_reads_the_row_referenced(extra):
    data = generated(shop(ROOT_ITEMS.format(rows=600, extra=extra)))
    assert data["items"]["product_id"].n_unique() == 600
    assert mismatched_prices(data) == 0  # was 188 of 600: the price of the row drawn before the redraw


def test_unique_references_across_blocks_are_distinct_and_a_prefix_of_longer_runs():
    rows = BLOCK_ROWS + 5000
    text = shop(ROOT_ITEMS.format(rows=rows, extra=""), products=rows + 10)
    data = generated(text)
    items = data["items"]
    assert items["product_id"].n_unique() == rows and mismatched_prices(data) == 0
    shorter = generated(text, rows={"items": 7000})["items"]
    assert shorter.equals(items.head(7000))


def test_a_unique_reference_in_a_child_entity_is_a_sample_without_replacement():
    data = generated(shop(CHILD_ITEMS.format(orders=BLOCK_ROWS // 2 + 100), products=40_000))
    items = data["items"]
    assert items.height > BLOCK_ROWS  # across two blocks of orders
    assert items["product_id"].n_unique() == items.height
    assert mismatched_prices(data) == 0
    fewer = generated(shop(CHILD_ITEMS.format(orders=3000), products=40_000))["items"]
    assert fewer.equals(items.head(fewer.height))  # the same first orders draw the same products


def test_a_lookup_through_a_variant_s_reference_reads_the_variant_s_row():
    text = shop(
        """
[entities.items]
rows = 3000
[entities.items.fields]
id = { kind = "sequence" }
product_id = { kind = "reference", entity = "products" }
unit_price = { kind = "lookup", via = "product_id", field = "price" }
[entities.items.variants.hot]
weight = 0.3
fields.product_id = { kind = "reference", entity = "products", distribution = "zipf" }
""",
        products=50,
    )
    assert mismatched_prices(generated(text)) == 0  # was 892: the base draw's rows


def _zipf_weights(size: int, exponent: float) -> list[float]:
    weights = [k**-exponent for k in range(1, size + 1)]
    return [w / sum(weights) for w in weights]


def test_zipf_unique_draws_popular_rows_first_with_zipf_probabilities():
    """Weighted sampling without replacement: the first row takes the most popular product with
    probability p1, the second with sum_j p_j * p1 / (1 - p_j) (the first took product j). The most
    popular product is the one a plain zipf reference of the same field picks most often."""
    size, seeds = 20, 240
    p = _zipf_weights(size, 1.2)
    second = sum(pj * p[0] / (1 - pj) for pj in p[1:])
    first_hits = second_hits = 0
    for seed in range(seeds):
        plain = generated(
            shop(
                ROOT_ITEMS.format(rows=3000, extra=', distribution = "zipf"').replace(", unique = true", ""),
                products=size,
                seed=seed,
            )
        )["items"]
        top = plain["product_id"].value_counts(sort=True)["product_id"][0]
        drawn = generated(shop(ROOT_ITEMS.format(rows=size, extra=', distribution = "zipf"'), products=size, seed=seed))
        order = drawn["items"]["product_id"]
        assert order.n_unique() == size
        first_hits += order[0] == top
        second_hits += order[1] == top
    for hits, prob in ((first_hits, p[0]), (second_hits, second)):
        sd = (seeds * prob * (1 - prob)) ** 0.5
        assert abs(hits - seeds * prob) < 4 * sd, (hits, seeds * prob)


# ---- tree = true ------------------------------------------------------------------------------

TREE = """
format = 1
[design]
seed = {seed}
[entities.employee]
rows = {rows}
[entities.employee.fields]
id = {{ kind = "uuid" }}
manager = {{ kind = "reference", entity = "employee", tree = true{extra} }}
manager_manager = {{ kind = "lookup", via = "manager", field = "manager" }}
"""


def tree(rows: int, extra: str = "", seed: int = 4) -> pl.DataFrame:
    return pipeline.generate(presets.loads(TREE.format(rows=rows, extra=extra, seed=seed)), "employee")


def test_a_tree_points_each_row_at_an_earlier_row_and_has_no_cycles():
    rows = BLOCK_ROWS + 3000
    frame = tree(rows, ", root_rate = 0.01")
    position = dict(zip(frame["id"].to_list(), range(rows), strict=True))
    parents = [None if m is None else position[m] for m in frame["manager"].to_list()]
    assert parents[0] is None
    assert all(p is None or p < i for i, p in enumerate(parents))  # earlier rows only: no cycle can form
    roots = sum(p is None for p in parents[1:])
    sd = ((rows - 1) * 0.01 * 0.99) ** 0.5
    assert abs(roots - (rows - 1) * 0.01) < 4 * sd
    for start in range(0, rows, 997):  # walking up always ends at a root
        seen, at = set(), start
        while at is not None:
            assert at not in seen
            seen.add(at)
            at = parents[at]
    grand = [None if p is None or parents[p] is None else frame["id"][parents[p]] for p in parents]
    assert frame["manager_manager"].to_list() == grand


def test_a_tree_without_root_rate_has_one_root_and_is_prefix_stable():
    frame = tree(BLOCK_ROWS + 100)
    assert frame["manager"].null_count() == 1 and frame["manager"][0] is None
    assert tree(5000).equals(frame.head(5000))


def test_a_unique_reference_that_runs_out_at_generation_names_the_field():
    # poisson without max: the loader takes the mean (2 x 100 = 200 <= 205); the draws give more
    text = PRODUCTS.format(seed=1, products=205) + CHILD_ITEMS.format(orders=100).replace(
        '{ kind = "uniform", min = 0, max = 4 }', '{ kind = "poisson", mean = 2 }'
    )
    design = presets.loads(text)
    for seed in range(40):
        try:
            pipeline.generate(design, "items", seed=seed)
        except GenerationError as error:
            assert error.path == "entities.items.fields.product_id"
            assert "products has 205" in error.message
            return
    pytest.fail("no seed drew more than 205 items")


# ---- refused at load --------------------------------------------------------------------------


def refused(text: str) -> PresetError:
    with pytest.raises(PresetError) as caught:
        presets.loads(text)
    return caught.value


def test_more_unique_references_than_rows_referenced_are_refused_with_both_numbers():
    error = refused(shop(ROOT_ITEMS.format(rows=800, extra=""), products=300))
    assert error.path == "entities.items.fields.product_id"
    assert "800" in error.message and "300" in error.message


def test_a_child_s_unique_references_count_its_largest_rows_where_bounded():
    error = refused(shop(CHILD_ITEMS.format(orders=100), products=300))  # up to 4 x 100
    assert error.path == "entities.items.fields.product_id" and "400" in error.message and "300" in error.message
    presets.loads(shop(CHILD_ITEMS.format(orders=75), products=300))  # 300: fits
    unbounded = CHILD_ITEMS.format(orders=100).replace('{ kind = "uniform", min = 0, max = 4 }', '{ kind = "poisson", mean = 3 }')
    assert "300" in refused(shop(unbounded, products=299)).message  # the mean: 3 x 100


@pytest.mark.parametrize(
    "manager, key, needle",
    [
        ('{ kind = "reference", entity = "products", tree = true }', "tree", "a reference to this entity"),
        ('{ kind = "reference", entity = "employee", tree = true, unique = true }', "unique", "tree and unique"),
        ('{ kind = "reference", entity = "employee", tree = true, distribution = "zipf" }', "distribution", "evenly"),
        ('{ kind = "reference", entity = "employee", root_rate = 0.1 }', "root_rate", "needs tree"),
    ],
)
def test_tree_refusals(manager, key, needle):
    text = (
        PRODUCTS.format(seed=1, products=10)
        + f"""
[entities.employee]
rows = 10
[entities.employee.fields]
id = {{ kind = "sequence" }}
manager = {manager}
"""
    )
    error = refused(text)
    assert error.path == f"entities.employee.fields.manager.{key}" and needle in error.message


@pytest.mark.parametrize(
    "fields, path",
    [
        ('id = { kind = "sequence", null_rate = 0.1 }', "entities.t.fields.id.null_rate"),
        (
            'id = { kind = "sequence" }\n[entities.t.variants.v]\nweight = 0.5\nfields.id = { kind = "sequence", null_rate = 0.5 }',
            "entities.t.variants.v.fields.id.null_rate",
        ),
    ],
)
def test_a_primary_key_that_could_be_null_is_refused(fields, path):
    error = refused(f"format = 1\n[entities.t]\nrows = 5\n[entities.t.fields]\n{fields}\n")
    assert error.path == path and "primary key" in error.message


def test_a_primary_key_named_only_in_variants_is_refused():
    text = (
        'format = 1\n[entities.t]\nrows = 5\nprimary_key = "code"\n[entities.t.fields]\nn = { kind = "sequence" }\n'
        '[entities.t.variants.v]\nweight = 0.5\nfields.code = { kind = "uuid" }\n'
    )
    assert refused(text).path == "entities.t.primary_key"
