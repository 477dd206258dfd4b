"""reference rules: not_equal (never the row another field points at) and weight (chosen in
proportion to a field of the referenced rows).

The oracle is the written SQLite file read back with sqlite3: comments joined to their posts by SQL,
the weights read from the users table, and chi² tests against the distributions the options state."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from scipy import stats

import designer
from designer import pipeline, presets
from designer.errors import GenerationError, PresetError
from designer.model import check_design
from designer.model.rename import rename_field

from ..conftest import PRESETS

P_MIN = 1e-4  # a chi² test of a correct sampler fails this seldom than once in 10,000 runs

PRESET = """
format = 1
[design]
name = "rules"
seed = 5
[entities.users]
rows = 8
[entities.users.fields]
id = { kind = "sequence" }
popularity = { kind = "expression", expr = "CASE WHEN id % 4 = 0 THEN 0 ELSE id END" }
[entities.posts]
rows = 400
[entities.posts.fields]
id = { kind = "sequence" }
author_id = { kind = "reference", entity = "users" }
[entities.comments]
parent = { entity = "posts", count = { kind = "uniform", min = 40, max = 60 } }
[entities.comments.fields]
id = { kind = "sequence" }
post_id = { kind = "parent", field = "id" }
post_author = { kind = "lookup", via = "post_id", field = "author_id", export = false }
plain = { kind = "reference", entity = "users", not_equal = "post_author" }
skewed = { kind = "reference", entity = "users", not_equal = "post_author", distribution = "zipf", exponent = 1.0 }
liked = { kind = "reference", entity = "users", weight = "popularity" }
liked_other = { kind = "reference", entity = "users", weight = "popularity", not_equal = "post_author" }
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "rules.db"
    designer.loads(PRESET).export(path)
    with sqlite3.connect(path) as db:
        comments = db.execute(
            "SELECT p.author_id, c.plain, c.skewed, c.liked, c.liked_other FROM comments c JOIN posts p ON p.id = c.post_id"
        ).fetchall()
        weights = dict(db.execute("SELECT id, popularity FROM users").fetchall())
    return comments, weights


def _conditional_chi2(pairs, expected_share) -> float:
    """One chi² over every excluded value: the counts of the chosen rows given the excluded one,
    against expected_share(excluded) (row -> share); the statistics and degrees of freedom add up."""
    by_excluded: dict[int, Counter] = {}
    for excluded, chosen in pairs:
        by_excluded.setdefault(excluded, Counter())[chosen] += 1
    statistic, dof = 0.0, 0
    for excluded, counts in by_excluded.items():
        shares = {k: v for k, v in expected_share(excluded).items() if v > 0}
        assert set(counts) <= set(shares), (excluded, counts)  # nothing outside the support
        total = sum(counts.values())
        observed = [counts.get(k, 0) for k in shares]
        expected = [total * v for v in shares.values()]
        statistic += stats.chisquare(observed, expected).statistic
        dof += len(shares) - 1
    return float(stats.chi2.sf(statistic, dof))


def test_not_equal_never_gives_the_excluded_row_and_is_uniform_over_the_others(written):
    comments, weights = written
    assert len(comments) > 15000
    assert all(row[1] != row[0] and row[2] != row[0] and row[4] != row[0] for row in comments)
    users = sorted(weights)
    others = {e: {u: 1 / (len(users) - 1) for u in users if u != e} for e in users}
    assert _conditional_chi2([(r[0], r[1]) for r in comments], others.__getitem__) > P_MIN


def test_weight_picks_rows_in_proportion_to_the_field(written):
    comments, weights = written
    total = sum(weights.values())
    shares = {u: w / total for u, w in weights.items()}
    counts = Counter(r[3] for r in comments)
    assert [u for u, w in weights.items() if w == 0] == [4, 8]
    assert all(counts[u] == 0 for u, w in weights.items() if w == 0)  # a weight of 0 is never picked
    assert _conditional_chi2([(0, r[3]) for r in comments], lambda _: shares) > P_MIN


def test_weight_with_not_equal_renormalizes_the_others_weights(written):
    comments, weights = written

    def shares(excluded):
        rest = {u: w for u, w in weights.items() if u != excluded}
        return {u: w / sum(rest.values()) for u, w in rest.items()}

    assert _conditional_chi2([(r[0], r[4]) for r in comments], shares) > P_MIN


def test_zipf_with_not_equal_keeps_zipf_proportions_among_the_others(written):
    comments, weights = written
    # the ranks of a plain zipf reference of the same name (the same seeded spread over the table),
    # found from a large sample: rank k has weight k^-1
    plain = presets.loads(PRESET.replace(', not_equal = "post_author", distribution = "zipf"', ', distribution = "zipf"'))
    counts = Counter(pipeline.generate(plain, "comments")["skewed"].to_list())
    ranked = [u for u, _ in counts.most_common()]
    assert len(ranked) == len(weights)
    weight = {u: 1 / (k + 1) for k, u in enumerate(ranked)}

    def shares(excluded):
        rest = {u: w for u, w in weight.items() if u != excluded}
        return {u: w / sum(rest.values()) for u, w in rest.items()}

    assert _conditional_chi2([(r[0], r[2]) for r in comments], shares) > P_MIN


def _with(field: str, extra: str = "") -> str:
    return PRESET + extra + f"bad = {field}\n"


@pytest.mark.parametrize(
    "field, key, message",
    [
        (
            '{ kind = "reference", entity = "users", not_equal = "post_autor" }',
            "not_equal",
            'unknown field "post_autor"; did you mean "post_author"?',
        ),
        ('{ kind = "reference", entity = "users", not_equal = "post_id" }', "not_equal", "points into users"),
        ('{ kind = "reference", entity = "posts", not_equal = "post_author" }', "not_equal", "points into posts"),
        ('{ kind = "reference", entity = "users", not_equal = "plain", unique = true }', "not_equal", "cannot go with unique"),
        (
            '{ kind = "reference", entity = "users", weight = "popularty" }',
            "weight",
            'unknown field "popularty" in entity users; did you mean "popularity"?',
        ),
        (
            '{ kind = "reference", entity = "users", weight = "popularity", distribution = "zipf" }',
            "weight",
            "cannot go together",
        ),
        ('{ kind = "reference", entity = "users", weight = "popularity", unique = true }', "weight", "cannot go with unique"),
    ],
)
def test_bad_rules_are_refused_with_their_key_path(field, key, message):
    with pytest.raises(PresetError) as caught:
        presets.loads(_with(field))
    assert message in str(caught.value)
    assert caught.value.path == f"entities.comments.fields.bad.{key}"


def test_not_equal_needs_two_rows_to_choose_from():
    with pytest.raises(PresetError) as caught:
        presets.loads(PRESET.replace("rows = 8", "rows = 1"))
    assert caught.value.path == "entities.comments.fields.plain.not_equal"
    assert "at least 2 rows in users" in str(caught.value)
    design = presets.loads(PRESET)
    with pytest.raises(PresetError, match="at least 2 rows in users"):  # a row count given at export too
        pipeline.generate(design, "comments", rows={"users": 1, "posts": 3})


@pytest.mark.parametrize(
    "weights, message",
    [
        ("[0, -1, 2]", "is negative"),
        ("[0]", "is 0 in every row"),
        ('["a", "b"]', "not numbers"),
    ],
)
def test_weights_that_cannot_weigh_stop_generation_naming_the_field(weights, message):
    popularity = '{ kind = "expression", expr = "CASE WHEN id % 4 = 0 THEN 0 ELSE id END" }'
    text = PRESET.replace(popularity, f'{{ kind = "choice", values = {weights} }}')
    design = presets.loads(text)
    with pytest.raises(GenerationError, match=message) as caught:
        pipeline.generate(design, "comments", rows={"posts": 3})
    assert caught.value.path == "entities.comments.fields.liked.weight"


def test_inputs_name_the_other_field_and_the_weights():
    design = presets.loads(PRESET)
    spec = design.entities["comments"].fields["liked_other"]
    assert set(spec.inputs(design, "comments")) == {("users", "id"), ("users", "popularity"), ("comments", "post_author")}


def test_renames_carry_not_equal_and_weight():
    design = presets.loads(PRESET)
    renamed = rename_field(rename_field(design, "comments", "post_author", "op"), "users", "popularity", "likes")
    check_design(renamed)
    spec = renamed.entities["comments"].fields["liked_other"]
    assert (spec.not_equal, spec.weight) == ("op", "likes")


def test_the_tui_offers_the_rows_links_and_the_targets_numbers():
    from designer.model.kinds import Reference

    design = presets.loads(PRESET)
    offered = Reference.choices(design, "comments", {"entity": "users"})
    assert {"post_author", "plain"} <= set(offered["not_equal"]) and "post_id" not in offered["not_equal"]
    assert offered["weight"] == ["id", "popularity"]  # a sequence, and an expression (numbers, maybe)
    shop = presets.load(PRESETS / "ecommerce.toml")
    assert Reference.choices(shop, "order_items", {"entity": "products"})["weight"] == ["price", "stock"]


def test_two_workers_and_a_prefix_give_the_same_rows(tmp_path):
    design = presets.loads(PRESET)
    tables = []
    for workers in (1, 2):
        path = tmp_path / f"w{workers}.db"
        designer.loads(PRESET).export(path, workers=workers)
        with sqlite3.connect(path) as db:
            tables.append(db.execute("SELECT * FROM comments ORDER BY id").fetchall())
    assert tables[0] == tables[1]
    small = pipeline.generate(design, "comments", rows={"posts": 70})
    big = pipeline.generate(design, "comments", rows={"posts": 400})
    assert small.equals(big.head(small.height))


def test_the_summary_says_how_a_ruled_reference_chooses():
    design = presets.loads(PRESET)
    fields = design.entities["comments"].fields
    assert fields["liked_other"].relation() == "-> users (weighted by popularity, not post_author)"
    assert fields["skewed"].relation() == "-> users (zipf, not post_author)"
    assert design.entities["posts"].fields["author_id"].relation() == "-> users (uniform)"  # as before
