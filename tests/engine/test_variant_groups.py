"""Variant groups (traits that combine) and a variant's own count of children, read row by row."""

from __future__ import annotations

import polars as pl
import pytest
from scipy import stats

from designer import pipeline, presets
from designer.errors import PresetError

ROWS = 20_000

TRAITS = f"""
format = 1
[design]
name = "traits"
seed = 11
[entities.users]
rows = {ROWS}
fields.id = {{ kind = "sequence" }}
fields.role = {{ kind = "const", value = "member" }}
fields.status = {{ kind = "const", value = "active" }}
fields.note = {{ kind = "const", value = "base" }}
[entities.users.variants.admin]
weight = 0.1
group = "role"
fields.role = {{ kind = "const", value = "admin" }}
fields.note = {{ kind = "const", value = "admin" }}
[entities.users.variants.guest]
weight = 0.3
group = "role"
fields.role = {{ kind = "const", value = "guest" }}
[entities.users.variants.suspended]
weight = 0.2
group = "status"
fields.status = {{ kind = "const", value = "suspended" }}
fields.note = {{ kind = "const", value = "suspended" }}
children.posts = {{ kind = "const", value = 0 }}
[entities.users.variants.writer]
weight = 0.25
children.posts = {{ kind = "uniform", min = 5, max = 7 }}
fields.status = {{ kind = "const", value = "writing" }}
[entities.posts]
parent = {{ entity = "users", count = {{ kind = "const", value = 1 }} }}
fields.id = {{ kind = "sequence" }}
fields.user_id = {{ kind = "parent", field = "id" }}
"""


@pytest.fixture(scope="module")
def tables():
    design = presets.loads(TRAITS)
    return pipeline.generate(design, "users"), pipeline.generate(design, "posts")


def test_a_groups_variants_exclude_each_other_and_groups_combine(tables):
    users, _ = tables
    role = users["role"].value_counts().to_dict(as_series=False)
    shares = dict(zip(role["role"], (c / ROWS for c in role["count"]), strict=True))
    assert shares["admin"] == pytest.approx(0.1, abs=0.01)
    assert shares["guest"] == pytest.approx(0.3, abs=0.015)
    # status: suspended (its own group) and writing (the ungrouped variants' group), later wins where both
    table = users.select(admin=pl.col("role") == "admin", suspended=pl.col("note") == "suspended")
    both = table.filter(pl.col("admin") & pl.col("suspended")).height
    assert both > 0, "an admin can be suspended: the groups combine"
    crosstab = [
        [table.filter(pl.col("admin") == a, pl.col("suspended") == s).height for s in (True, False)] for a in (True, False)
    ]
    # independent draws: the 2x2 table of admin x suspended shows no association
    assert stats.chi2_contingency(crosstab).pvalue > 1e-4
    assert both / ROWS == pytest.approx(0.1 * 0.2, abs=0.006)


def test_a_row_in_two_groups_takes_the_later_variants_override(tables):
    users, _ = tables
    # note: admin (group role) then suspended (group status): a row in both says "suspended"
    suspended = users.filter(pl.col("note") == "suspended")
    assert suspended.height == pytest.approx(0.2 * ROWS, rel=0.08)
    admins = users.filter(pl.col("role") == "admin")
    assert set(admins["note"].unique()) == {"admin", "suspended"}


def test_a_variant_sets_the_count_of_its_rows_children(tables):
    users, posts = tables
    per_user = posts.group_by("user_id").len().rename({"user_id": "id", "len": "posts"})
    joined = users.join(per_user, on="id", how="left").with_columns(pl.col("posts").fill_null(0))
    writing = joined.filter(pl.col("status") == "writing")
    suspended = joined.filter(pl.col("note") == "suspended")
    plain = joined.filter(pl.col("status") == "active")
    assert writing.height and suspended.height and plain.height
    # writer (ungrouped, later in file) overrides suspended's count where a row has both
    assert writing["posts"].is_between(5, 7).all()
    assert set(writing["posts"].unique()) == {5, 6, 7}
    assert (suspended.filter(pl.col("status") != "writing")["posts"] == 0).all()
    assert (plain["posts"] == 1).all()
    assert posts.height == joined["posts"].sum()


def test_the_same_rows_for_a_row_prefix():
    design = presets.loads(TRAITS)
    one = pipeline.generate(design, "posts", rows={"users": 3000})
    more = pipeline.generate(design, "posts", rows={"users": 6000})
    assert one.equals(more.head(one.height))


@pytest.mark.parametrize("workers", [2])
def test_the_same_bytes_for_any_worker_count(tmp_path, workers):
    from designer import api

    data = api.loads(TRAITS)
    data.export(tmp_path / "one", format="csv", rows={"users": 70_000}, workers=1)
    data.export(tmp_path / "many", format="csv", rows={"users": 70_000}, workers=workers)
    for name in ("users.csv", "posts.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()


def test_variants_without_a_group_draw_as_before():
    """The ungrouped variants keep their stream: a design without groups gives the rows it gave."""
    old = TRAITS.replace('group = "role"\n', "").replace('group = "status"\n', "")
    old = old.replace("weight = 0.3\n", "weight = 0.05\n")  # the one shared group: weights add up to 0.6
    users = pipeline.generate(presets.loads(old), "users")
    assert users.filter(pl.col("role") == "admin").height == pytest.approx(0.1 * ROWS, rel=0.1)
    assert users.filter((pl.col("role") == "admin") & (pl.col("note") == "suspended")).height == 0


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (("weight = 0.3\n", "weight = 0.95\n"), "entities.users", 'variant weights of group "role" add up to 1.05'),
        (("children.posts = {", "children.post = {"), "entities.users.variants.suspended.children.post", "not a child entity"),
        (
            ('children.posts = { kind = "const", value = 0 }', 'children.posts = { kind = "beta" }'),
            "entities.users.variants.suspended.children.posts",
            "count must be an integer distribution",
        ),
        (
            ('children.posts = { kind = "const", value = 0 }', 'children.posts = { kind = "const", value = -1 }'),
            "entities.users.variants.suspended.children.posts",
            "whole number",
        ),
    ],
)
def test_bad_groups_and_children_are_refused_by_key_path(change, path, message):
    assert change[0] in TRAITS
    with pytest.raises(PresetError, match=message) as caught:
        presets.loads(TRAITS.replace(*change))
    assert caught.value.path == path


def test_renaming_the_child_renames_the_variants_count_and_the_summary_shows_it():
    from designer.model.rename import rename_entity
    from designer.summary import summarize

    design = rename_entity(presets.loads(TRAITS), "posts", "articles")
    assert set(design.entities["users"].variants["writer"].children) == {"articles"}
    assert presets.loads(presets.dumps(design)) == design  # and it saves as it loads
    articles = next(s for s in summarize(design) if s.name == "articles")
    assert "writer rows of users: uniform, 5..7 each" in articles.relationships
    assert "suspended rows of users: const, 0..0 each" in articles.relationships
