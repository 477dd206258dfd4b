"""Composite primary keys, unique tuples and references distinct within each parent row.

The oracle is the generated frame itself, checked row by row with polars: every (parent, reference)
pair once, every parent row's references different, zipf's first draws near zipf's weights. Bad
presets are refused at load with one line naming the key path.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from designer import pipeline, presets
from designer.errors import PresetError

JUNCTION = """
format = 1
[design]
seed = 7
[entities.playlists]
rows = {playlists}
[entities.playlists.fields]
id = {{ kind = "sequence" }}
[entities.tracks]
rows = {tracks}
[entities.tracks.fields]
id = {{ kind = "sequence", start = 100 }}
name = {{ kind = "faker", provider = "word" }}
[entities.playlist_track]
parent = {{ entity = "playlists", count = {{ kind = "uniform", min = 0, max = {most}, dtype = "int" }} }}
primary_key = ["playlist_id", "track_id"]
[entities.playlist_track.fields]
playlist_id = {{ kind = "parent", field = "id" }}
track_id = {{ kind = "reference", entity = "tracks", distinct = "per_parent"{options} }}
track_name = {{ kind = "lookup", via = "track_id", field = "name" }}
"""


def junction(playlists=400, tracks=30, most=20, options="") -> str:
    return JUNCTION.format(playlists=playlists, tracks=tracks, most=most, options=options)


def refused(text: str) -> PresetError:
    with pytest.raises(PresetError) as caught:
        presets.loads(text)
    assert "\n" not in str(caught.value)
    return caught.value


def _no_repeats(frame: pl.DataFrame, names: list[str]) -> None:
    repeats = frame.group_by(names).len().filter(pl.col("len") > 1)
    assert repeats.height == 0, repeats.head()


@pytest.mark.parametrize("options", ["", ', distribution = "zipf", exponent = 1.5'])
def test_each_playlist_takes_each_track_once_and_lookups_follow(options):
    design = presets.loads(junction(options=options))
    rows = pipeline.generate(design, "playlist_track")
    tracks = pipeline.generate(design, "tracks")
    assert rows.height > 2000
    _no_repeats(rows, ["playlist_id", "track_id"])
    per_parent = rows.group_by("playlist_id").agg(pl.len().alias("n"), pl.col("track_id").n_unique().alias("distinct"))
    assert (per_parent["n"] == per_parent["distinct"]).all()
    assert per_parent["n"].max() == 20  # a full playlist holds 20 of the 30 tracks, all different
    assert set(rows["track_id"]) <= set(tracks["id"])
    names = dict(zip(tracks["id"], tracks["name"], strict=True))  # the lookup reads the row pointed at
    assert rows["track_name"].to_list() == [names[t] for t in rows["track_id"]]


def test_a_parent_row_may_take_every_row_of_the_target():
    design = presets.loads(junction(playlists=50, tracks=6, most=6))
    rows = pipeline.generate(design, "playlist_track")
    full = rows.group_by("playlist_id").agg(pl.col("track_id").sort()).filter(pl.col("track_id").list.len() == 6)
    assert full.height > 0
    assert all(sorted(t) == list(range(100, 106)) for t in full["track_id"])


def test_uniform_draws_spread_evenly():
    design = presets.loads(junction(playlists=4000, tracks=10, most=3))
    counts = pipeline.generate(design, "playlist_track")["track_id"].value_counts()["count"].to_numpy()
    # about 8,000 rows over 10 tracks: 800 each, a binomial's sd is under 30; 5 sd of slack
    assert abs(counts - counts.mean()).max() < 150


def test_zipf_keeps_its_skew_in_the_first_draw_of_each_parent():
    """Oracle: the first row of each parent row is one plain zipf draw (nothing taken yet), so its
    ranks' frequencies match zipf's weights: within 4 binomial standard deviations per rank."""
    size, exponent, parents = 40, 1.3, 20_000
    text = junction(playlists=parents, tracks=size, most=8, options=f', distribution = "zipf", exponent = {exponent}')
    text = text.replace("min = 0", "min = 1")  # every playlist has a first row
    design = presets.loads(text)
    rows = pipeline.generate(design, "playlist_track")
    first = rows.group_by("playlist_id", maintain_order=True).first()
    assert first.height == parents
    frequencies = first["track_id"].value_counts().sort("count", descending=True)["count"].to_numpy() / parents
    weights = np.arange(1, size + 1) ** -exponent  # zipf over ranks 1..size, computed here
    weights /= weights.sum()
    sd = np.sqrt(weights * (1 - weights) / parents)
    top = 10  # the ten most popular tracks, in order of popularity
    assert np.all(np.abs(frequencies[:top] - weights[:top]) < 4 * sd[:top] + 1e-3), (frequencies[:top], weights[:top])
    # and the later draws still favour the popular tracks: the most drawn track is in 1 of 3 playlists or more
    assert rows["track_id"].value_counts()["count"].max() > parents / 3


def test_a_series_per_parent_makes_a_line_number_key():
    text = """
format = 1
[entities.orders]
rows = 200
[entities.orders.fields]
id = { kind = "sequence" }
[entities.lines]
parent = { entity = "orders", count = { kind = "uniform", min = 1, max = 5, dtype = "int" } }
primary_key = ["order_id", "line"]
unique = [["order_id", "sku"]]
[entities.lines.fields]
order_id = { kind = "parent", field = "id" }
line = { kind = "series", start = 1, step = 1, per_parent = true }
sku = { kind = "uniform", min = 1, max = 1000000, dtype = "int", unique = true }
"""
    rows = pipeline.generate(presets.loads(text), "lines")
    _no_repeats(rows, ["order_id", "line"])
    _no_repeats(rows, ["order_id", "sku"])


def test_a_one_field_list_is_a_plain_key():
    text = 'format = 1\n[entities.t]\nrows = 3\nprimary_key = ["code"]\n[entities.t.fields]\ncode = { kind = "sequence" }\n'
    entity = presets.loads(text).entities["t"]
    assert entity.key == "code" and entity.composite_key is None and entity.key_fields == ("code",)


@pytest.mark.parametrize(
    "replace,path,message",
    [
        (
            ('["playlist_id", "track_id"]', '["playlist_id", "trak_id"]'),
            "entities.playlist_track.primary_key",
            'unknown field "trak_id"',
        ),
        (('["playlist_id", "track_id"]', "[]"), "entities.playlist_track.primary_key", "primary_key lists no field"),
        (
            ('["playlist_id", "track_id"]', '["track_id", "track_id"]'),
            "entities.playlist_track.primary_key",
            "names track_id twice",
        ),
        (('["playlist_id", "track_id"]', '["playlist_id", "9x"]'), "entities.playlist_track.primary_key", "is not a name"),
        ((', distinct = "per_parent"', ""), "entities.playlist_track.fields.track_id", 'add distinct = "per_parent" to track_id'),
        (('distinct = "per_parent"', 'distinct = "per_row"'), "entities.playlist_track.fields.track_id.distinct", "per_parent"),
        (
            ('distinct = "per_parent"', 'distinct = "per_parent", unique = true'),
            "entities.playlist_track.fields.track_id.distinct",
            "unique already",
        ),
        (
            (
                'playlist_id = { kind = "parent", field = "id" }',
                'playlist_id = { kind = "parent", field = "id", null_rate = 0.1 }',
            ),
            "entities.playlist_track.fields.playlist_id.null_rate",
            "cannot be null",
        ),
        (
            ('track_name = { kind = "lookup", via = "track_id", field = "name" }', 'n = { kind = "uniform", min = 1, max = 9 }'),
            None,
            None,
        ),
    ],
)
def test_bad_keys_are_refused_with_their_key_path(replace, path, message):
    text = junction().replace(*replace)
    if path is None:  # the control: the edit alone is fine
        presets.loads(text)
        return
    error = refused(text)
    assert error.path == path, str(error)
    assert message in str(error)


def test_unique_tuples_are_checked_like_keys():
    base = junction()
    text = base.replace(
        'primary_key = ["playlist_id", "track_id"]', 'primary_key = ["playlist_id", "track_id"]\nunique = [["track_name"]]'
    )
    assert "names one field" in str(refused(text))
    text = base.replace(
        'primary_key = ["playlist_id", "track_id"]',
        'primary_key = ["playlist_id", "track_id"]\nunique = [["track_id", "track_name"]]',
    )
    error = refused(text)
    assert error.path == "entities.playlist_track.unique" and "cannot make (track_id, track_name) distinct" in str(error)
    text = base.replace('primary_key = ["playlist_id", "track_id"]', 'unique = [["playlist_id", "trackid"]]')
    error = refused(text)
    assert error.path == "entities.playlist_track.unique" and 'did you mean "track_id"' in str(error)


def test_capacity_is_checked_at_load_naming_the_numbers():
    error = refused(junction(tracks=3, most=5))
    assert error.path == "entities.playlist_track.fields.track_id.distinct"
    assert "playlist_track draws up to 5 distinct tracks per row of playlists, tracks has 3" in str(error)


def test_capacity_beyond_what_the_load_can_see_stops_generation_naming_the_numbers():
    from designer.errors import GenerationError

    text = junction(tracks=3, most=3).replace(
        '{ kind = "uniform", min = 0, max = 3, dtype = "int" }', '{ kind = "poisson", mean = 3 }'
    )
    design = presets.loads(text)  # poisson without max: no bound to check at load
    with pytest.raises(GenerationError) as caught:
        pipeline.generate(design, "playlist_track")
    assert "tracks has 3" in str(caught.value) and caught.value.path == "entities.playlist_track.fields.track_id"


def test_a_reference_to_a_composite_key_must_name_its_field():
    text = (
        junction()
        + '[entities.plays]\nrows = 5\n[entities.plays.fields]\nentry = { kind = "reference", entity = "playlist_track" }\n'
    )
    error = refused(text)
    assert error.path == "entities.plays.fields.entry"
    assert "composite primary key (playlist_id, track_id)" in str(error)
    named = text.replace('entity = "playlist_track" }', 'entity = "playlist_track", field = "track_id" }')
    rows = pipeline.generate(presets.loads(named), "plays")
    assert rows["entry"].is_between(100, 129).all()


def test_a_variant_cannot_override_a_key_field():
    text = (
        junction() + '[entities.playlist_track.variants.odd]\nweight = 0.1\nfields.track_id = { kind = "const", value = 100 }\n'
    )
    error = refused(text)
    assert error.path == "entities.playlist_track.variants.odd.fields.track_id"


def test_a_root_entity_cannot_draw_distinct_per_parent():
    text = junction() + (
        "[entities.plays]\nrows = 5\n[entities.plays.fields]\n"
        'entry = { kind = "reference", entity = "tracks", distinct = "per_parent" }\n'
    )
    assert refused(text).path == "entities.plays.fields.entry.distinct"


def test_renaming_a_key_field_renames_it_in_the_key_and_the_tuples():
    from designer.model.rename import rename_field

    text = junction().replace(
        'primary_key = ["playlist_id", "track_id"]',
        'primary_key = ["playlist_id", "track_id"]\nunique = [["track_id", "playlist_id"]]',
    )
    design = rename_field(presets.loads(text), "playlist_track", "track_id", "song_id")
    entity = design.entities["playlist_track"]
    assert entity.primary_key == ["playlist_id", "song_id"] and entity.unique == [["song_id", "playlist_id"]]
    again = presets.loads(presets.dumps(design))
    assert again.entities["playlist_track"].primary_key == ["playlist_id", "song_id"]
    assert again.entities["playlist_track"].unique == [["song_id", "playlist_id"]]


PAIRS = """
format = 1
[design]
seed = 5
[entities.slots]
rows = {rows}
unique = [["room", "day"]]
[entities.slots.fields]
id = {{ kind = "uuid" }}
room = {{ kind = "uniform", min = 1, max = 25, dtype = "int" }}
day = {{ kind = "date", start = "2024-01-01", end = "2024-01-20" }}
price = {{ kind = "uniform", min = 1, max = 9, decimals = 1 }}
label = {{ kind = "template", template = "{{room}}-{{day}}" }}
"""


def test_a_tuple_of_finite_domains_is_a_permutation_of_their_product():
    design = presets.loads(PAIRS.format(rows=500))  # 25 rooms x 20 days: every pair once
    rows = pipeline.generate(design, "slots")
    _no_repeats(rows, ["room", "day"])
    assert rows.select("room", "day").unique().height == 500
    assert rows["room"].is_between(1, 25).all()
    assert str(rows["day"].min()) == "2024-01-01" and str(rows["day"].max()) == "2024-01-20"
    assert rows["label"].to_list() == [
        f"{r}-{d}" for r, d in zip(rows["room"], rows["day"], strict=True)
    ]  # from the final values
    half = pipeline.generate(design, "slots", rows={"slots": 200})
    assert half.equals(rows.head(200))  # a prefix


def test_a_product_smaller_than_the_rows_is_refused_naming_the_numbers():
    error = refused(PAIRS.format(rows=501))
    assert error.path == "entities.slots.unique"
    assert "(room, day) asks 501 distinct tuples of a domain of 500 (25 x 20)" in str(error)
    design = presets.loads(PAIRS.format(rows=500))
    with pytest.raises(PresetError, match="asks 600 distinct tuples"):
        pipeline.generate(design, "slots", rows={"slots": 600})


def test_a_field_in_two_product_tuples_is_refused():
    text = PAIRS.format(rows=10).replace('unique = [["room", "day"]]', 'unique = [["room", "day"], ["room", "price"]]')
    error = refused(text)
    assert error.path == "entities.slots.unique" and "room is in two tuples" in str(error)


def test_a_tuple_without_a_finite_domain_is_refused():
    text = PAIRS.format(rows=10).replace('unique = [["room", "day"]]', 'unique = [["room", "label"]]')
    error = refused(text)
    assert error.path == "entities.slots.unique" and "cannot make (room, label) distinct" in str(error)
    with_id = PAIRS.format(rows=10).replace('unique = [["room", "day"]]', 'primary_key = ["id", "label"]')
    presets.loads(with_id)  # a uuid is distinct on its own: so is the pair
