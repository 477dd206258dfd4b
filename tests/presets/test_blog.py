"""blog.toml, exported to SQLite and read back: comments come after their post, drafts are never
published, a few authors write most posts, slugs come from titles."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from .helpers import binomial_bounds, check_realism, export, slug, top_share, without_number

NOW = dt.datetime(2026, 1, 1)
USERS = 200


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export("blog", tmp_path_factory.mktemp("blog"), "--rows", f"users={USERS}", "--rows", "posts=800")


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("blog", data)


def test_every_comment_comes_after_its_post(data):
    posts, comments = data["posts"], data["comments"]
    joined = comments.join(posts, left_on="post_id", right_on="id", suffix="_post", validate="m:1")
    assert joined.height == comments.height  # every comment's post exists
    public = joined.filter(pl.col("visibility") == "public")
    editorial = joined.filter(pl.col("visibility") == "editorial")
    assert public.height > 1000 and editorial.height > 50
    # public comments: on published posts, strictly after publication, within the 20-day tail
    assert public["published_at"].null_count() == 0
    assert (public["created_at"] > public["published_at"]).all()
    delay = (public["created_at"] - public["published_at"]).dt.total_seconds()
    assert delay.max() <= 480 * 3600 and delay.min() >= 0.1 * 3600 - 1
    assert 6 * 3600 < delay.median() < 24 * 3600  # lognormal median e^2.5 h ≈ 12 h
    # editorial notes: only on drafts, after the draft was written
    assert (editorial["status"] == "draft").all() and editorial["published_at"].null_count() == editorial.height
    assert (editorial["created_at"] > editorial["created_at_post"]).all()
    assert comments["created_at"].max() < NOW


def test_drafts_are_never_published_and_about_15_percent(data):
    posts = data["posts"]
    drafts = posts.filter(pl.col("status") == "draft")
    published = posts.filter(pl.col("status") == "published")
    assert drafts.height + published.height == posts.height
    assert drafts["published_at"].null_count() == drafts.height
    assert published["published_at"].null_count() == 0
    lo, hi = binomial_bounds(posts.height, 0.15)
    assert lo <= drafts.height / posts.height <= hi
    review = (published["published_at"] - published["created_at"]).dt.total_seconds() / 3600
    assert review.min() >= 0.25 - 1 / 3600 and review.max() <= 240
    assert 15 < review.mean() < 25  # exponential, mean 20 h


def test_a_few_prolific_authors_write_most_posts(data):
    posts, users = data["posts"], data["users"]
    assert posts["author_id"].is_in(users["id"].implode()).all()
    per_author = posts.group_by("author_id").len()["len"]
    # zipf: the top 10% of users write well over half; evenly spread they would write about 10%
    assert top_share(per_author, USERS) > 0.5
    assert per_author.max() > 0.08 * posts.height
    # ...and authors, like commenters, joined before they wrote anything
    first_post = posts.group_by("author_id").agg(pl.col("created_at").min())
    joined = first_post.join(users, left_on="author_id", right_on="id")
    assert (joined["joined_at"] < joined["created_at"]).all()


def test_slugs_come_from_titles(data):
    posts = data["posts"]
    assert posts["slug"].n_unique() == posts.height
    assert posts["slug"].str.contains(r"^[a-z0-9]+(-[a-z0-9]+)*$").all()
    for title, value in posts.select("title", "slug").iter_rows():
        assert without_number(value) == slug(title), (title, value)
    # titles read like titles: capitalized words, no trailing period
    assert not posts["title"].str.ends_with(".").any()
    assert posts["title"].str.contains(r"^([A-Z][a-z]*)( [A-Z][a-z]*)+$").all()


def test_users_are_unique_and_consistent(data):
    users = data["users"]
    assert users["username"].n_unique() == users.height and users["email"].n_unique() == users.height
    for first, last, username, email in users.select("first_name", "last_name", "username", "email").iter_rows():
        assert without_number(username) == (first + last).lower()
        assert email == f"{username}@example.org"
    lo, hi = binomial_bounds(users.height, 0.4)
    assert lo <= users["bio"].null_count() / users.height <= hi
