"""saas_events.toml, exported to SQLite and read back: plans as variants, users per organization
within their seats, weighted event types, last_seen from the events."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from .helpers import check_realism, chi_square, export, slug, without_number

NOW = dt.datetime(2026, 1, 1)
EVENT_TYPES = {"page_view": 50, "click": 25, "search": 12, "export": 3, "invite_sent": 2, "settings_changed": 8}
SPARE = {"free": (0, 2), "pro": (0, 10), "enterprise": (10, 100)}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return export("saas_events", tmp_path_factory.mktemp("saas"))


def test_nothing_a_qa_engineer_would_frown_at(data):
    check_realism("saas_events", data)


def test_plans_are_variants_and_only_enterprise_has_sso(data):
    orgs = data["organizations"]
    counts = [int((orgs["plan"] == p).sum()) for p in ("free", "pro", "enterprise")]
    statistic, critical = chi_square(counts, [60, 30, 10])
    assert statistic < critical, counts
    enterprise = orgs.filter(pl.col("plan") == "enterprise")
    assert enterprise["sso_enabled"].null_count() == 0 and enterprise.height > 0
    assert orgs.filter(pl.col("plan") != "enterprise")["sso_enabled"].null_count() == orgs.height - enterprise.height
    assert enterprise["sso_enabled"].mean() > 0.5  # p = 0.8


def test_every_organization_has_users_within_its_seats(data):
    orgs, users = data["organizations"], data["users"]
    per_org = orgs.join(users.group_by("org_id").len(), left_on="id", right_on="org_id", how="left").fill_null(0)
    assert per_org["len"].min() >= 1 and per_org["len"].max() <= 60
    assert users["org_id"].is_in(orgs["id"].implode()).all()
    spare = per_org["seats"] - per_org["len"]
    for plan, (lo, hi) in SPARE.items():
        rows = spare.filter(per_org["plan"] == plan)
        assert rows.min() >= lo and rows.max() <= hi, plan
    # paid plans buy more spare seats than free ones
    mean_spare = {p: spare.filter(per_org["plan"] == p).mean() for p in SPARE}
    assert mean_spare["free"] < mean_spare["pro"] < mean_spare["enterprise"]


def test_domains_and_emails_are_real_looking_and_belong_together(data):
    orgs, users = data["organizations"], data["users"]
    assert orgs["domain"].n_unique() == orgs.height
    assert orgs["domain"].str.contains(r"^[a-z0-9]+(-[a-z0-9]+)*\.example\.com$").all()
    for name, domain in orgs.select("name", "domain").iter_rows():
        assert without_number(domain.removesuffix(".example.com")) == slug(name), (name, domain)
    assert users["email"].n_unique() == users.height
    joined = users.join(orgs.select(pl.col("id").alias("org_id"), "domain"), on="org_id")
    for name, email, domain in joined.select("name", "email", "domain").iter_rows():
        assert without_number(email) == f"{name.lower().replace(' ', '.')}@{domain}", (name, email)


def test_events_belong_to_their_user_and_organization(data):
    users, events = data["users"], data["events"]
    joined = events.join(users.select(pl.col("id").alias("user_id"), pl.col("org_id").alias("user_org")), on="user_id")
    assert joined.height == events.height
    assert (joined["org_id"] == joined["user_org"]).all()


def test_event_types_follow_their_weights(data):
    events = data["events"]
    counts = [int((events["event_type"] == t).sum()) for t in EVENT_TYPES]
    statistic, critical = chi_square(counts, list(EVENT_TYPES.values()))
    assert statistic < critical, counts
    clients = [int((events["client"] == c).sum()) for c in ("web", "ios", "android", "api")]
    statistic, critical = chi_square(clients, [60, 15, 15, 10])
    assert statistic < critical, clients


def test_events_happen_in_the_last_30_days_after_the_organization_was_created(data):
    events, orgs = data["events"], data["organizations"]
    assert events["occurred_at"].min() >= NOW - dt.timedelta(days=30) and events["occurred_at"].max() <= NOW
    joined = events.join(orgs.select(pl.col("id").alias("org_id"), "created_at"), on="org_id")
    assert (joined["occurred_at"] > joined["created_at"]).all()
    duration = events["duration_ms"]
    assert duration.min() >= 0 and duration.max() <= 600_000
    assert 760 < duration.mean() < 840  # exponential, mean 800 ms


def test_last_seen_is_the_latest_event(data):
    users, events = data["users"], data["events"]
    latest = events.group_by("user_id").agg(pl.col("occurred_at").max().alias("latest"))
    joined = users.join(latest, left_on="id", right_on="user_id", how="left")
    assert (joined["last_seen"].is_null() == joined["latest"].is_null()).all()
    both = joined.filter(pl.col("latest").is_not_null())
    assert both.height > 0.95 * users.height and (both["last_seen"] == both["latest"]).all()
