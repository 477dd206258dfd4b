"""Renames carry every reference along: the renamed design generates what the old one did."""

from __future__ import annotations

import pytest

from designer import pipeline, presets
from designer.model import check_design
from designer.model.rename import rename_entity, rename_field, rename_in_sql, rename_problem

from ..conftest import PRESETS


@pytest.fixture(scope="module")
def shop():
    return presets.load(PRESETS / "ecommerce.toml")


def test_renaming_a_field_updates_templates_expressions_lookups_and_aggregates(shop):
    renamed = rename_field(shop, "products", "price", "list_price")
    check_design(renamed)
    assert renamed.entities["order_items"].fields["unit_price"].field == "list_price"  # the lookup's field
    renamed = rename_field(renamed, "order_items", "line_total", "amount")
    check_design(renamed)
    assert renamed.entities["orders"].fields["subtotal"].expr == "sum(amount)"  # the parent's aggregate
    renamed = rename_field(renamed, "users", "first_name", "given_name")
    check_design(renamed)
    assert renamed.entities["users"].fields["email"].template == "{given_name}.{last_name}@example.com"
    assert list(renamed.entities["users"].fields)[1] == "given_name"  # in place, not moved to the end
    renamed = rename_field(renamed, "orders", "subtotal", "net")
    assert renamed.entities["orders"].fields["tax"].expr == "round(net * 0.08, 2)"
    # the renamed design still computes what the names say: the product row each line points at
    rows = {"users": 20, "products": 30}
    products = pipeline.generate(renamed, "products", rows=rows)
    lines = pipeline.generate(renamed, "order_items", rows=rows)
    price = dict(zip(products["id"], products["list_price"], strict=True))
    assert [price[p] for p in lines["product_id"]] == lines["unit_price"].to_list()
    assert lines["amount"].to_list() == [round(q * p, 2) for q, p in zip(lines["quantity"], lines["unit_price"], strict=True)]


def test_renaming_a_key_updates_parent_and_reference_fields(shop):
    renamed = rename_field(shop, "users", "id", "user_key")
    check_design(renamed)
    assert renamed.entities["orders"].fields["user_id"].field == "user_key"
    renamed = rename_field(renamed, "order_items", "product_id", "item")
    check_design(renamed)
    assert renamed.entities["order_items"].fields["unit_price"].via == "item"


def test_renaming_an_entity_updates_parents_references_and_aggregates(shop):
    renamed = rename_entity(shop, "order_items", "lines")
    check_design(renamed)
    assert list(renamed.entities) == ["users", "products", "orders", "lines"]
    assert renamed.entities["orders"].fields["subtotal"].entity == "lines"
    renamed = rename_entity(renamed, "products", "goods")
    assert renamed.entities["lines"].fields["product_id"].entity == "goods"
    renamed = rename_entity(renamed, "orders", "baskets")
    assert renamed.entities["lines"].parent.entity == "baskets"
    check_design(renamed)


def test_a_rename_onto_a_taken_or_bad_name_is_refused(shop):
    assert "already" in rename_problem(shop, "users", "first_name", "last_name")
    assert "already" in rename_problem(shop, None, "users", "orders")
    assert "not a name" in rename_problem(shop, "users", "email", "Bad-Name")
    assert "not a name" in rename_problem(shop, None, "users", "../outside")
    assert rename_problem(shop, None, "users", "Users") is None  # names keep their case
    assert 'named "orders" already' in rename_problem(shop, None, "users", "Orders")  # compared without case, as SQLite does
    assert 'named "email" already' in rename_problem(shop, "users", "phone", "EMAIL")
    assert rename_problem(shop, "users", "email", "Mail") is None


def test_sql_renames_columns_only():
    assert rename_in_sql('round(qty * 2, 2) + "qty"', "qty", "n") == 'round(n * 2, 2) + "n"'
    assert rename_in_sql("CASE WHEN lower(x) = 'x' THEN x END", "x", "y") == "CASE WHEN lower(y) = 'x' THEN y END"
    assert rename_in_sql("lower(name)", "lower", "l") == "lower(name)"
