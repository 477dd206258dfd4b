"""The rules of linking and computed fields on a preset that has each of them: the export passes,
and a defect planted with sqlite3 in each is caught and named."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import designer
from designer.check import check

RULES = """
format = 1
[design]
seed = 5
reference_time = 2026-01-01T00:00:00

[entities.users]
rows = 300
[entities.users.fields]
id = { kind = "sequence", start = 100, step = 3 }
followers = { kind = "poisson", mean = 40, min = 1 }
signup_at = { kind = "datetime", start = "-2y", end = "-1y" }

[entities.categories]
rows = 12
[entities.categories.fields]
id = { kind = "sequence" }

[entities.posts]
rows = 3000
[entities.posts.fields]
id = { kind = "sequence" }
author_id = { kind = "reference", entity = "users", weight = "followers" }
category_id = { kind = "reference", entity = "categories" }
author_signup = { kind = "lookup", via = "author_id", field = "signup_at" }
published_at = { kind = "datetime", start = "{author_signup}", end = "{author_signup} + 90d" }

[entities.comments]
parent = { entity = "posts", count = { kind = "uniform", min = 0, max = 4 } }
[entities.comments.fields]
post_id = { kind = "parent", field = "id" }
line = { kind = "series", start = 1, per_parent = true }
post_author = { kind = "lookup", via = "post_id", field = "author_id" }
author_id = { kind = "reference", entity = "users", not_equal = "post_author" }

[entities.tags]
parent = { entity = "posts", count = { kind = "uniform", min = 0, max = 3 } }
[entities.tags.fields]
post_id = { kind = "parent", field = "id" }
category_id = { kind = "reference", entity = "categories", distinct = "per_parent" }

[entities.employees]
rows = 200
[entities.employees.fields]
id = { kind = "sequence" }
manager = { kind = "reference", entity = "employees", tree = true }
"""
DESIGN = designer.loads(RULES).design


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "rules.sqlite"
    designer.loads(RULES).export(path)
    return path


def test_the_export_passes_every_rule(clean):
    report = check(DESIGN, str(clean))
    assert report.ok, report.failures
    passed = {(r.rule, r.where) for r in report.results if r.verdict == "pass"}
    assert {
        ("sequence", "users.id"),
        ("series", "comments.line"),
        ("between", "posts.published_at"),
        ("not equal", "comments.author_id"),
        ("distinct per parent", "tags.category_id"),
        ("tree", "employees.manager"),
        ("law", "posts.author_id"),
        ("law", "posts.category_id"),
    } <= passed


def _with(clean: Path, tmp_path: Path, *statements: str) -> str:
    db = tmp_path / "rules.sqlite"
    shutil.copy(clean, db)
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)
    return str(db)


DEFECTS = {
    "sequence": (["UPDATE users SET id = id + 1 WHERE id = 118"], ("sequence", "users.id")),
    "series": (["UPDATE comments SET line = line + 1 WHERE rowid = 3"], ("series", "comments.line")),
    "between": (
        ["UPDATE posts SET published_at = '2020-01-01 00:00:00' WHERE rowid = 9"],
        ("between", "posts.published_at"),
    ),
    "not equal": (["UPDATE comments SET author_id = post_author WHERE rowid = 4"], ("not equal", "comments.author_id")),
    "distinct per parent": (
        [
            "UPDATE tags SET category_id = (SELECT t.category_id FROM tags t WHERE t.post_id = tags.post_id AND t.rowid < tags.rowid)"
            " WHERE rowid = (SELECT max(b.rowid) FROM tags a JOIN tags b ON a.post_id = b.post_id AND a.rowid < b.rowid)"
        ],
        ("distinct per parent", "tags.category_id"),
    ),
    "tree": (["UPDATE employees SET manager = 150 WHERE id = 20"], ("tree", "employees.manager")),
    # a fifth of the posts moved to the user with the fewest followers: not in proportion to them
    "weights": (
        ["UPDATE posts SET author_id = (SELECT id FROM users ORDER BY followers LIMIT 1) WHERE id % 5 = 0"],
        ("law", "posts.author_id"),
    ),
    "even": (["UPDATE posts SET category_id = 1 WHERE id % 6 = 0"], ("law", "posts.category_id")),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_planted_defect_is_caught_and_named(clean, tmp_path, defect):
    statements, named = DEFECTS[defect]
    report = check(DESIGN, _with(clean, tmp_path, *statements))
    assert named in {(r.rule, r.where) for r in report.failures}, report.failures


def test_a_rule_polars_cannot_compute_fails_instead_of_crashing(clean):
    """Data that claims to follow the design may hold what no rule expects: the check goes on."""
    import polars as pl

    from designer.check.read import read_tables
    from designer.check.rules import Checker
    from designer.pipeline import tables

    specs = tables(DESIGN)
    checker = Checker(DESIGN, specs, read_tables(str(clean), specs), 1e-4)

    def refuses(entity):
        raise pl.exceptions.ComputeError("cannot compare string with numeric type")

    checker.guarded("users", refuses, "users")
    assert [(r.rule, r.where, r.verdict) for r in checker.results] == [("computable", "users", "fail")]
    assert "cannot compare string" in checker.results[0].observed


FIELD_COUNT = """
format = 1
[entities.orgs]
rows = 300
[entities.orgs.fields]
id = { kind = "sequence" }
seats = { kind = "uniform", min = -1, max = 6.4, decimals = 1 }
[entities.users]
parent = { entity = "orgs", count = { field = "seats" } }
[entities.users.fields]
org_id = { kind = "parent", field = "id" }
"""


def test_a_count_read_from_a_parent_field_is_checked_row_by_row(tmp_path):
    """`count = { field = "seats" }` (main's field counts): each org has round(seats) users, none
    below 0. Skipped on a designer without field counts."""
    pytest.importorskip("designer.model.counts")
    data = designer.loads(FIELD_COUNT)
    db = tmp_path / "orgs.sqlite"
    data.export(db)
    report = check(data.design, str(db))
    assert report.ok, report.failures
    assert ("children", "users per orgs") in {(r.rule, r.where) for r in report.results if r.verdict == "pass"}
    with sqlite3.connect(db) as conn:
        (org,) = conn.execute("SELECT id FROM orgs WHERE seats >= 2 LIMIT 1").fetchone()
        conn.execute("DELETE FROM users WHERE rowid = (SELECT min(rowid) FROM users WHERE org_id = ?)", (org,))
    failed = {(r.rule, r.where) for r in check(data.design, str(db)).failures}
    assert ("children", "users per orgs") in failed
