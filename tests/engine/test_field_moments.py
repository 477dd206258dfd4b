"""date and datetime between moments read from fields of the row: "{signup_at}", "{published_at} + 30d".

The oracle is the written SQLite file read back with sqlite3 (users joined to posts by SQL, not by
our lookup) and the calendar of Python's datetime, row by row."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pytest
from scipy import stats

import designer
from designer import pipeline, presets
from designer.errors import GenerationError, PresetError
from designer.model import check_design
from designer.model.rename import rename_field

P_MIN = 1e-4  # a KS or chi² test of a correct sampler fails this seldom than once in 10,000 runs

PRESET = """
format = 1
[design]
name = "moments"
seed = 3
reference_time = 2026-01-01T00:00:00
[entities.users]
rows = 200
[entities.users.fields]
id = { kind = "sequence" }
signup_at = { kind = "datetime", start = "-2y", end = "-1y" }
[entities.posts]
rows = 4000
[entities.posts.fields]
id = { kind = "sequence" }
user_id = { kind = "reference", entity = "users" }
user_signup = { kind = "lookup", via = "user_id", field = "signup_at", export = false }
published_at = { kind = "datetime", start = "{user_signup}", end = "now" }
edited_at = { kind = "datetime", start = "{published_at}", end = "{published_at} + 30d" }
due = { kind = "date", start = "{published_at} - 2h", end = "{published_at} + 1mo" }
"""

NOW = dt.datetime(2026, 1, 1)


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    path = tmp_path_factory.mktemp("moments") / "m.db"
    designer.loads(PRESET).export(path)
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT u.signup_at, p.published_at, p.edited_at, p.due FROM posts p JOIN users u ON u.id = p.user_id ORDER BY p.id"
        ).fetchall()


def _months_later(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    nxt = dt.date(moment.year + year + (month == 11), (month + 1) % 12 + 1, 1)
    last_day = (nxt - dt.timedelta(days=1)).day
    return moment.replace(year=moment.year + year, month=month + 1, day=min(moment.day, last_day))


def test_every_moment_is_between_its_rows_start_and_end(rows):
    assert len(rows) == 4000
    for signup, published, edited, due in rows:
        signup, published, edited = _when(signup), _when(published), _when(edited)
        assert signup <= published <= NOW
        assert published <= edited <= published + dt.timedelta(days=30)
        assert (published - dt.timedelta(hours=2)).date() <= dt.date.fromisoformat(due) <= _months_later(published, 1).date()


def test_moments_are_uniform_within_each_rows_span(rows):
    # u = (x - start) / (end - start) is U(0, 1) for every row when x is uniform within its own span
    u_pub = [(_when(p) - _when(s)) / (NOW - _when(s)) for s, p, _, _ in rows]
    u_edit = [(_when(e) - _when(p)) / dt.timedelta(days=30) for _, p, e, _ in rows]
    for u in (u_pub, u_edit):
        assert min(u) >= 0 and max(u) <= 1
        assert stats.kstest(u, "uniform").pvalue > P_MIN


def test_dates_are_uniform_over_their_rows_days(rows):
    # a date between day a and day b (inclusive) takes each of the b - a + 1 days alike: its place
    # (d - a + U) / (b - a + 1), with U uniform on [0, 1) to spread the whole days, is U(0, 1)
    rng = np.random.default_rng(0)
    u = []
    for _, published, _, due in rows:
        published = _when(published)
        first, last = (published - dt.timedelta(hours=2)).date(), _months_later(published, 1).date()
        u.append(((dt.date.fromisoformat(due) - first).days + rng.random()) / ((last - first).days + 1))
    assert stats.kstest(u, "uniform").pvalue > P_MIN


def test_a_start_after_the_end_or_a_null_start_gives_null():
    dataset = designer.loads("""
format = 1
[design]
reference_time = 2026-01-01T00:00:00
[entities.t]
rows = 2000
[entities.t.fields]
a = { kind = "datetime", start = "-10d", end = "now", null_rate = 0.2 }
b = { kind = "datetime", start = "{a}", end = "-5d" }
""")
    frame = dataset.generate("t")
    five_days_ago = NOW - dt.timedelta(days=5)
    for a, b in frame.select("a", "b").iter_rows():
        if a is None or a > five_days_ago:
            assert b is None
        else:
            assert a <= b <= five_days_ago
    assert 0 < frame["b"].null_count() < frame.height


def test_a_moment_field_loads_the_plan_orders_it_and_reports_its_inputs():
    design = presets.loads(PRESET)
    spec = design.entities["posts"].fields["edited_at"]
    assert spec.inputs(design, "posts") == [("posts", "published_at")]
    assert spec.domain_size(design) is None and spec.time_bounds(design) is None
    assert design.entities["posts"].fields["due"].domain_size(design) is None  # no permutation of a row's days


@pytest.mark.parametrize(
    "field, key, message",
    [
        ('{ kind = "datetime", start = "{publishd_at}" }', "start", 'unknown field "publishd_at"; did you mean "published_at"?'),
        ('{ kind = "datetime", end = "{published_at} + 3x" }', "end", "is not a moment from a field"),
        ('{ kind = "datetime", end = "{published_at} + 0d" }', "end", "is not a positive duration"),
        ('{ kind = "date", start = "{published_at}", unique = true }', "unique", "unique cannot go with a start or end"),
    ],
)
def test_bad_moment_fields_are_refused_with_their_key_path(field, key, message):
    text = PRESET + f"bad = {field}\n"
    with pytest.raises(PresetError) as caught:
        presets.loads(text)
    assert message in str(caught.value)
    assert caught.value.path == f"entities.posts.fields.bad.{key}"


def test_a_field_that_reads_itself_is_a_circle():
    with pytest.raises(PresetError, match="circle"):
        presets.loads(PRESET.replace('start = "{published_at}", end', 'start = "{edited_at}", end'))


def test_renaming_the_field_rewrites_start_and_end():
    design = presets.loads(PRESET)
    renamed = rename_field(design, "posts", "published_at", "posted_at")
    check_design(renamed)
    fields = renamed.entities["posts"].fields
    assert (fields["edited_at"].start, fields["edited_at"].end) == ("{posted_at}", "{posted_at} + 30d")
    assert (fields["due"].start, fields["due"].end) == ("{posted_at} - 2h", "{posted_at} + 1mo")
    after = pipeline.generate(renamed, "posts", rows={"users": 20, "posts": 300})  # streams go by name: new draws
    for posted, edited in after.select("posted_at", "edited_at").iter_rows():
        assert posted <= edited <= posted + dt.timedelta(days=30)


def test_two_workers_and_a_prefix_give_the_same_moments(tmp_path):
    design = presets.loads(PRESET)
    frames = []
    for workers in (1, 2):
        path = tmp_path / f"w{workers}.db"
        designer.loads(PRESET).export(path, workers=workers)
        with sqlite3.connect(path) as db:
            frames.append(db.execute("SELECT * FROM posts ORDER BY id").fetchall())
    assert frames[0] == frames[1]
    small = pipeline.generate(design, "posts", rows={"posts": 700})
    big = pipeline.generate(design, "posts", rows={"posts": 4000})
    assert small.equals(big.head(700))


def test_edge_cases_of_a_moment_from_a_field_stay_within_the_values_drawn():
    frame = designer.loads(
        PRESET.replace('end = "{published_at} + 30d" }', 'end = "{published_at} + 30d", edge_rate = 0.3 }')
    ).generate("posts")
    published = designer.loads(PRESET).generate("posts")["edited_at"]
    assert frame["edited_at"].min() >= published.min() and frame["edited_at"].max() <= published.max()


def test_a_moment_from_a_field_that_holds_no_time_stops_naming_the_option():
    design = presets.loads(PRESET + 'bad = { kind = "datetime", start = "{id}" }\n')
    with pytest.raises(GenerationError, match='start reads field "id", which holds Int64, not dates or times') as caught:
        pipeline.generate(design, "posts", rows={"posts": 5})
    assert caught.value.path == "entities.posts.fields.bad.start"


def test_a_moment_from_a_date_field_starts_at_its_midnight():
    frame = designer.loads("""
format = 1
[entities.t]
rows = 500
[entities.t.fields]
day = { kind = "date", start = "2025-01-01", end = "2025-12-31" }
at = { kind = "datetime", start = "{day}", end = "{day} + 1d" }
""").generate("t")
    for day, at in frame.iter_rows():
        midnight = dt.datetime(day.year, day.month, day.day)
        assert midnight <= at <= midnight + dt.timedelta(days=1)


def test_a_moment_from_a_variants_field_is_null_where_the_field_is():
    frame = designer.loads("""
format = 1
[design]
reference_time = 2026-01-01T00:00:00
[entities.users]
rows = 2000
[entities.users.fields]
id = { kind = "sequence" }
reviewed_at = { kind = "datetime", start = "{suspended_at} + 1h", end = "{suspended_at} + 7d" }
[entities.users.variants.suspended]
weight = 0.2
fields.suspended_at = { kind = "datetime", start = "-1y", end = "now" }
""").generate("users")
    assert 0 < frame["suspended_at"].null_count() < frame.height
    for suspended, reviewed in frame.select("suspended_at", "reviewed_at").iter_rows():
        if suspended is None:
            assert reviewed is None
        else:
            assert suspended + dt.timedelta(hours=1) <= reviewed <= suspended + dt.timedelta(days=7)
