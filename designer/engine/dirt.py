"""Dirt on purpose (model/dirt.py), applied to a block's finished frames.

The clean columns are made first and never see the dirt: fields computed from a dirty field
(lookups, expressions, references) read the clean values, and the dirt is a mask over the rows
drawn from generators seeded by names (entity, field, block, kind), so the same preset and seed
give the same dirt for any worker count. What was done is kept as labels, one row per dirty cell
(its row in the block, field, kind, clean and dirty value as text), for `--dirt-report`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..errors import PresetError
from ..model.dirt import KINDS, family_of

LABELS = "__dirt__"
"""The key (entity, LABELS) of a block's extras whose "labels" are an entity's labels."""

LABEL_SCHEMA = {
    "row": pl.Int64,
    "field": pl.String,
    "kind": pl.String,
    "clean": pl.String,
    "dirty": pl.String,
    "copy_of": pl.Int64,
}

# As the writers spell dates and times in text, so a dirty column's clean cells read as before.
_DATE_TEXT = "%Y-%m-%d"
_DATETIME_TEXT = "%Y-%m-%dT%H:%M:%S%.f"

_ROWS = "__rows__"  # the "field" whose name seeds an entity's row-level dirt

_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_ADJACENT: dict[str, str] = {}
for _r, _line in enumerate(_KEYBOARD):
    for _c, _key in enumerate(_line):
        near = [_line[_c - 1] if _c else "", _line[_c + 1] if _c + 1 < len(_line) else ""]
        near += [_KEYBOARD[r][_c] for r in (_r - 1, _r + 1) if 0 <= r < 3 and _c < len(_KEYBOARD[r])]
        _ADJACENT[_key] = "".join(near)

# Cyrillic letters drawn like Latin ones: the same on screen, other code points.
_HOMOGLYPHS = dict(zip("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ", strict=True))
PLACEHOLDERS = ("N/A", "-", "null", "0000-00-00", "")
_IMPOSSIBLE_DAYS = ("02-30", "02-31", "04-31", "06-31", "09-31", "11-31")


def dirty_frames(run, block, frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The block's frames with their dirt; the labels go to `block.extras[(entity, LABELS)]`."""
    design = run.plan.design
    out = {}
    for entity, frame in frames.items():
        ent = design.entities[entity]
        fields = {n: f for n, f in ent.fields.items() if f.dirty is not None and f.dirty.rates() and n in frame.columns}
        rows = ent.dirty if ent.dirty is not None and ent.dirty.any() else None
        if not fields and rows is None:
            out[entity] = frame
            continue
        seed = design.info.seed
        offset = block.offsets.get(entity, 0)
        labels: list[pl.DataFrame] = []
        skip: dict[str, np.ndarray] = {}
        if rows is not None and rows.orphans:
            frame = _orphans(run, entity, frame, rows.orphans, seed, block.index, offset, labels, skip)
        columns = {}
        for name, spec in fields.items():
            gen = run.draw(entity, name, block.index, "dirt")
            path = f"entities.{entity}.fields.{name}.dirty"
            columns[name], found = dirty_column(frame[name], spec, gen, path, skip.get(name))
            labels.append(found.with_columns(field=pl.lit(name)))
        frame = frame.with_columns(columns.values()) if columns else frame
        table = pl.concat([_labels(f) for f in labels]) if labels else pl.DataFrame(schema=LABEL_SCHEMA)
        if rows is not None:
            frame, table = _copies(run, entity, frame, table, rows, block.index)
            if rows.shuffle:
                frame, table = _shuffle(run.draw(entity, _ROWS, block.index, "shuffle"), frame, table)
        block.extras[(entity, LABELS)] = {"labels": table.sort("row", "field", maintain_order=True)}
        out[entity] = frame
    return out


def _labels(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c) for c, t in LABEL_SCHEMA.items()])


# ---- a field's dirt ------------------------------------------------------------------------------


def _family(dtype: pl.DataType) -> str | None:
    if dtype == pl.String:
        return "text"
    if dtype.is_numeric():
        return "number"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype == pl.Boolean:
        return "bool"
    return None


_GIVES = {
    "text": "text",
    "number": "numbers",
    "date": "dates",
    "datetime": "date-times",
    "bool": "booleans",
    None: "nested values",
}


def _fits(how: str, family: str | None) -> bool:
    wanted = family_of(how)
    if wanted == "any":
        return family is not None or how == "nulls"  # a nested value has no text to replace
    if how == "tz_drift":
        return family == "datetime"
    if wanted == "date":
        return family in ("date", "datetime")
    return wanted == family


def check_fits(dtype: pl.DataType, dirt, path: str) -> None:
    """Raise PresetError at `path`.KIND for the first kind of `dirt` that values of `dtype` cannot take."""
    family = _family(dtype)
    for how in dirt.rates():
        if not _fits(how, family):
            fitting = ", ".join(k for k in KINDS if _fits(k, family))
            raise PresetError(
                f"{how} is {family_of(how)} dirt, and this field gives {_GIVES[family]}: use {fitting}", path=f"{path}.{how}"
            )


def as_text(values: pl.Series) -> pl.Series:
    """A column spelled as text, as the writers spell it."""
    if values.dtype == pl.Date:
        return values.dt.strftime(_DATE_TEXT)
    if isinstance(values.dtype, pl.Datetime):
        return values.dt.strftime(_DATETIME_TEXT)
    if values.dtype == pl.Boolean:
        return values.cast(pl.String).str.to_lowercase()
    return values.cast(pl.String)


def dirty_column(values: pl.Series, spec, gen: np.random.Generator, path: str, skip: np.ndarray | None = None):
    """(the dirty column, its labels): each row takes one kind at most, with the kinds' rates.

    A kind that would leave a value as it was (a sign flip of 0, case drift of "123") leaves it
    clean and unlabeled: every label is a cell that differs from its clean value."""
    dirt = spec.dirty
    check_fits(values.dtype, dirt, path)
    rates = dirt.rates()
    n = len(values)
    # a row's draws are its own (drawn for every row, in row order), so the first rows' dirt is
    # the same whatever the row count: one number picks the kind, two more say how
    draws = gen.random((n, 3))
    which = np.searchsorted(np.cumsum(list(rates.values())), draws[:, 0], side="right")
    which[values.is_null().to_numpy()] = len(rates)  # a null stays null
    if skip is not None:
        which[skip] = len(rates)
    text = dirt.as_text()
    out = as_text(values) if text else values
    found = []
    for number, how in enumerate(rates):
        rows = np.flatnonzero(which == number)
        if not len(rows):
            continue
        clean = values.gather(rows)
        new = _DIRT[how](clean, draws[rows, 1], draws[rows, 2], spec)
        new = as_text(new) if text and new.dtype != pl.String else new.cast(out.dtype, strict=False)
        before = out.gather(rows)
        # a how that cannot apply to a value gives null there; "nulls" gives null everywhere
        changed = (new != before).fill_null(how == "nulls").to_numpy()
        rows, new = rows[changed], new.filter(pl.Series(changed))
        if not len(rows):
            continue
        out = out.clone().scatter(rows, new)  # scatter writes in place: the clean column is shared
        spelled = new if new.dtype == pl.String else as_text(new)
        found.append(
            pl.DataFrame(
                {"row": rows.astype(np.int64), "kind": [how] * len(rows), "clean": as_text(values.gather(rows)), "dirty": spelled}
            )
        )
    labels = pl.concat([_labels(f) for f in found]) if found else pl.DataFrame(schema=LABEL_SCHEMA)
    return out.alias(values.name), labels


def _per_row(fn):
    """A text kind made of a function of (value, one uniform number, another), called for the rows hit only."""

    def kind(clean: pl.Series, u: np.ndarray, v: np.ndarray, spec) -> pl.Series:
        return pl.Series([fn(s, a, b) for s, a, b in zip(clean.to_list(), u, v, strict=True)], dtype=pl.String)

    return kind


@_per_row
def _typo(s: str, u: float, v: float) -> str | None:
    if not s:
        return None
    i, how = int(u * len(s)), int(v * 4)
    low = s[i].lower()
    if how == 0 and _ADJACENT.get(low):  # the key next to the one meant
        near = _ADJACENT[low][int(v * 4 * 97) % len(_ADJACENT[low])]
        return s[:i] + (near.upper() if s[i].isupper() else near) + s[i + 1 :]
    if how == 1 and len(s) > 1:  # two letters swapped
        i = min(i, len(s) - 2)
        if s[i] != s[i + 1]:
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if how == 2 and len(s) > 1:  # one dropped
        return s[:i] + s[i + 1 :]
    return s[:i] + s[i] + s[i:]  # one doubled


@_per_row
def _case(s: str, u: float, v: float) -> str | None:
    spellings = [s.upper(), s.lower()]
    start = int(u * 2)
    return next((t for t in spellings[start:] + spellings[:start] if t != s), None)


@_per_row
def _whitespace(s: str, u: float, v: float) -> str:
    how = int(u * 3)
    if how == 2 and " " in s.strip():
        i = s.index(" ", len(s) - len(s.lstrip()))
        return s[:i] + " " + s[i:]
    return " " + s if how == 0 else s + " "


@_per_row
def _truncate(s: str, u: float, v: float) -> str | None:
    return s[: max(1, int(len(s) * (0.3 + 0.5 * u)))] if len(s) > 1 else None


@_per_row
def _mojibake(s: str, u: float, v: float) -> str:
    return s.encode("utf-8").decode("latin-1")


@_per_row
def _homoglyph(s: str, u: float, v: float) -> str | None:
    at = [i for i, c in enumerate(s) if c in _HOMOGLYPHS]
    if not at:
        return None
    i = at[int(u * len(at))]
    return s[:i] + _HOMOGLYPHS[s[i]] + s[i + 1 :]


def _separators(clean: pl.Series, u, v, spec) -> pl.Series:
    return pl.Series([f"{v:,}" for v in clean.to_list()], dtype=pl.String)


def _comma_decimal(clean: pl.Series, u, v, spec) -> pl.Series:
    if clean.dtype.is_integer():  # 12345 as "12.345": a thousands dot read as a decimal point elsewhere
        return pl.Series([f"{v:,}".replace(",", ".") for v in clean.to_list()], dtype=pl.String)
    return clean.cast(pl.String).str.replace(".", ",", literal=True)


def _sign(clean: pl.Series, u, v, spec) -> pl.Series:
    return -clean


_INT64 = 2**63 - 1


def _unit_slip(clean: pl.Series, u, v, spec) -> pl.Series:
    factor = np.where(u < 0.5, 10, 1000)
    if clean.dtype.is_integer():
        values = clean.cast(pl.Int64).to_list()
        return pl.Series([v * f if abs(v * f) <= _INT64 else None for v, f in zip(values, factor, strict=True)], dtype=pl.Int64)
    return clean * pl.Series(factor.astype(np.float64))


def _out_of_range(clean: pl.Series, u, v, spec) -> pl.Series:
    lo, hi = spec.bounds()
    if lo is None and hi is None:
        return pl.Series([None] * len(clean), dtype=clean.dtype)
    span = (hi - lo) if lo is not None and hi is not None and hi > lo else max(abs(lo or 0), abs(hi or 0), 1)
    past = 1 + u * span  # up to a span past the bound
    above = v < 0.5 if lo is not None and hi is not None else np.full(len(clean), hi is not None)
    values = np.where(above, (hi or 0) + past, (lo or 0) - past)
    if clean.dtype.is_integer():
        return pl.Series(np.clip(np.floor(values), -(2**63), 2**63 - 1024).astype(np.int64))
    return pl.Series(values)


def _mixed_formats(clean: pl.Series, u, v, spec) -> pl.Series:
    time = " %H:%M:%S" if isinstance(clean.dtype, pl.Datetime) else ""
    how = (u * 3).astype(np.int64)
    spelled = [clean.dt.strftime("%m/%d/%Y" + time), clean.dt.strftime("%d.%m.%Y" + time), clean.dt.epoch("s").cast(pl.String)]
    return pl.select(
        pl.when(pl.lit(pl.Series(how == 0)))
        .then(pl.lit(spelled[0]))
        .when(pl.lit(pl.Series(how == 1)))
        .then(pl.lit(spelled[1]))
        .otherwise(pl.lit(spelled[2]))
    ).to_series()


def _impossible_date(clean: pl.Series, u, v, spec) -> pl.Series:
    days = pl.Series(np.array(_IMPOSSIBLE_DAYS)[(u * len(_IMPOSSIBLE_DAYS)).astype(np.int64)])
    time = clean.dt.strftime("T%H:%M:%S") if isinstance(clean.dtype, pl.Datetime) else pl.Series([""] * len(clean))
    return clean.dt.strftime("%Y-") + days + time


def _tz_drift(clean: pl.Series, u, v, spec) -> pl.Series:
    hours = (1 + u * 12).astype(np.int64) * np.where(v < 0.5, -1, 1)
    return clean + pl.Series(hours.astype(np.int64)).cast(pl.Duration("us")) * 3_600_000_000


def _placeholder(clean: pl.Series, u, v, spec) -> pl.Series:
    return pl.Series(np.array(PLACEHOLDERS, dtype=object)[(u * len(PLACEHOLDERS)).astype(np.int64)], dtype=pl.String)


def _nulls(clean: pl.Series, u, v, spec) -> pl.Series:
    return pl.Series([None] * len(clean), dtype=clean.dtype)


_DIRT = {
    "typo": _typo,
    "case": _case,
    "whitespace": _whitespace,
    "truncate": _truncate,
    "mojibake": _mojibake,
    "homoglyph": _homoglyph,
    "separators": _separators,
    "comma_decimal": _comma_decimal,
    "sign": _sign,
    "unit_slip": _unit_slip,
    "out_of_range": _out_of_range,
    "mixed_formats": _mixed_formats,
    "impossible_date": _impossible_date,
    "tz_drift": _tz_drift,
    "placeholder": _placeholder,
    "nulls": _nulls,
}


# ---- an entity's dirt ----------------------------------------------------------------------------


def _orphans(run, entity, frame, orphans, seed, index, offset, labels, skip) -> pl.DataFrame:
    """References pointing at no row: below the smallest key of the target, or `orphan-N` for text keys."""
    design = run.plan.design
    for name, rate in orphans.items():
        pointed = design.entities[entity].fields[name].foreign_key(design, entity)
        if not rate or pointed is None or name not in frame.columns:
            continue
        values = frame[name]
        hit = (run.draw(entity, name, index, "orphans").random(len(values)) < rate) & values.is_not_null().to_numpy()
        rows = np.flatnonzero(hit)
        if values.dtype.is_integer():
            # below the smallest key, counting down by row: the same values whatever the row count
            keys = run.materialized(pointed[0], (pointed[1],))[pointed[1]]
            low = min(int(keys.min() or 0) if len(keys) else 0, 0)
            new = pl.Series(low - 1 - offset - rows, dtype=values.dtype)
        elif values.dtype == pl.String:
            new = pl.Series([f"orphan-{offset + r}" for r in rows], dtype=pl.String)
        else:
            continue
        labels.append(
            pl.DataFrame(
                {"row": rows, "kind": ["orphan"] * len(rows), "clean": as_text(values.gather(rows)), "dirty": as_text(new)}
            )
        )
        skip[name] = hit  # a row made an orphan takes no other dirt in that field
        frame = frame.with_columns(values.clone().scatter(rows, new))
    return frame


def _copies(run, entity, frame: pl.DataFrame, table: pl.DataFrame, rows, index) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Exact and near duplicates, each right after the row it copies (so the first rows are the
    same whatever the row count); a copy keeps its row's dirt, a near copy has one text cell edited."""
    n = frame.height
    draws = run.draw(entity, _ROWS, index, "copies").random((n, 5))  # every row's own, in row order
    exact = draws[:, 0] < rows.duplicates
    near = draws[:, 1] < rows.near_duplicates
    if not (exact.any() or near.any()):
        return frame, table
    takes = 1 + exact.astype(np.int64) + near
    at = np.cumsum(takes) - takes  # where each row goes
    frame = frame[np.repeat(np.arange(n), takes)]
    table = table.with_columns(pl.col("row").map_batches(lambda r: pl.Series(at)[r], return_dtype=pl.Int64))
    labels = [table]
    for label, hit, shift in (
        ("duplicate", exact, np.ones(n, dtype=np.int64)),
        ("near_duplicate", near, 1 + exact.astype(np.int64)),
    ):
        source = np.flatnonzero(hit)
        if not len(source):
            continue
        there = at[source] + shift[source]
        copied = pl.DataFrame({"row": there, "kind": label, "copy_of": at[source]})
        # the copy's cells carry the dirt of the row they copy
        moved = pl.DataFrame({"row": at[source], "to": there}).join(table, on="row").drop("row").rename({"to": "row"})
        labels.append(moved)
        text = [c for c, t in frame.schema.items() if t == pl.String]
        if label == "near_duplicate" and text:
            pick = (draws[source, 2] * len(text)).astype(np.int64)
            edits = []
            for c, column in enumerate(text):
                mine = np.flatnonzero(pick == c)
                clean = frame[column].gather(there[mine]).fill_null("")
                edit = _typo(clean, draws[source[mine], 3], draws[source[mine], 4], None)
                keep = pl.Series((edit.is_not_null() & (edit != clean)).to_numpy())
                cells, edit = there[mine][keep.to_numpy()], edit.filter(keep)
                if not len(cells):
                    continue
                frame = frame.with_columns(frame[column].clone().scatter(cells, edit))
                edits.append(pl.DataFrame({"row": cells, "field": column, "clean": clean.filter(keep), "dirty": edit}))
            if edits:
                copied = copied.join(pl.concat(edits), on="row", how="left")
        labels.append(copied)
    return frame, pl.concat([_labels(t) for t in labels])


def _shuffle(gen: np.random.Generator, frame: pl.DataFrame, table: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    order = gen.permutation(frame.height)
    where = np.empty_like(order)
    where[order] = np.arange(frame.height)  # the new position of each row
    moved = pl.Series(where.astype(np.int64))
    table = table.with_columns(
        pl.col("row").map_batches(lambda r: moved.gather(r), return_dtype=pl.Int64),
        pl.col("copy_of").map_batches(lambda r: moved.gather(r), return_dtype=pl.Int64),
    )
    return frame[order], table
